"""Devices switched on and off, with a level: lights, switches, fans, humidifiers (after
Home Assistant's demo devices)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.fan import FanEntity, FanEntityFeature
from homeassistant.components.humidifier import HumidifierEntity, HumidifierEntityFeature
from homeassistant.components.light import ColorMode, LightEntity, LightEntityFeature
from homeassistant.components.switch import SwitchEntity
from homeassistant.util import color as color_util

from .base import Simulated, as_int, every_feature


class SimulatedLight(Simulated, LightEntity):
    """demo.light: on/off, brightness, colour (hs), colour temperature, effects."""

    features = LightEntityFeature

    _attr_min_color_temp_kelvin = 2000
    _attr_max_color_temp_kelvin = 6535

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        modes = {ColorMode(m) for m in attributes.get("supported_color_modes") or (ColorMode.HS, ColorMode.COLOR_TEMP)}
        self._attr_supported_color_modes = modes
        said_mode = attributes.get("color_mode")
        self._attr_is_on = state == "on"
        self._attr_brightness = as_int(attributes.get("brightness"), 255)
        self._attr_color_temp_kelvin = as_int(attributes.get("color_temp_kelvin"), 4000)
        hs = attributes.get("hs_color")
        if hs is None and attributes.get("rgb_color") is not None:
            hs = color_util.color_RGB_to_hs(*attributes["rgb_color"])
        self._attr_hs_color = tuple(hs) if hs is not None else None
        if said_mode in modes:
            self._attr_color_mode = ColorMode(said_mode)
        elif ColorMode.HS in modes and (hs is not None or ColorMode.COLOR_TEMP not in modes):
            self._attr_color_mode = ColorMode.HS
        elif ColorMode.COLOR_TEMP in modes:
            self._attr_color_mode = ColorMode.COLOR_TEMP
        else:
            self._attr_color_mode = next(iter(modes))
        if self._attr_color_mode == ColorMode.HS:
            self._attr_hs_color = self._attr_hs_color or (0.0, 0.0)

    async def async_turn_on(self, **kwargs: Any) -> None:
        self._attr_is_on = True
        if "brightness" in kwargs:
            self._attr_brightness = kwargs["brightness"]
        if "color_temp_kelvin" in kwargs:
            self._attr_color_mode = ColorMode.COLOR_TEMP
            self._attr_color_temp_kelvin = kwargs["color_temp_kelvin"]
        if "hs_color" in kwargs:
            self._attr_color_mode = ColorMode.HS
            self._attr_hs_color = kwargs["hs_color"]
        if "effect" in kwargs:
            self._attr_effect = kwargs["effect"]
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._attr_is_on = False
        self.async_write_ha_state()

class SimulatedSwitch(Simulated, SwitchEntity):
    """demo.switch."""

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_is_on = state == "on"

    async def async_turn_on(self, **kwargs: Any) -> None:
        self._attr_is_on = True
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._attr_is_on = False
        self.async_write_ha_state()

class SimulatedFan(Simulated, FanEntity):
    """demo.fan (AsyncDemoPercentageFan): three speeds; on without a speed is 67%."""

    features = FanEntityFeature

    full_features = every_feature(FanEntityFeature)
    _attr_speed_count = 3

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_preset_modes = list(attributes.get("preset_modes") or ["auto", "smart", "sleep", "on"])
        self._attr_preset_mode = attributes.get("preset_mode")
        self._attr_percentage = as_int(attributes.get("percentage"), 67 if state == "on" else 0)
        if state != "on":
            self._attr_percentage, self._attr_preset_mode = 0, None
        self._attr_oscillating = bool(attributes.get("oscillating", False))
        self._attr_current_direction = attributes.get("direction", "forward")

    async def async_set_percentage(self, percentage: int) -> None:
        self._attr_percentage, self._attr_preset_mode = percentage, None
        self.async_write_ha_state()

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        self._attr_preset_mode, self._attr_percentage = preset_mode, None
        self.async_write_ha_state()

    async def async_turn_on(self, percentage: int | None = None, preset_mode: str | None = None, **kwargs: Any) -> None:
        if preset_mode:
            await self.async_set_preset_mode(preset_mode)
            return
        await self.async_set_percentage(67 if percentage is None else percentage)

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._attr_oscillating = False
        await self.async_set_percentage(0)

    async def async_oscillate(self, oscillating: bool) -> None:
        self._attr_oscillating = oscillating
        self.async_write_ha_state()

    async def async_set_direction(self, direction: str) -> None:
        self._attr_current_direction = direction
        self.async_write_ha_state()

class SimulatedHumidifier(Simulated, HumidifierEntity):
    """demo.humidifier: on/off, target humidity, modes."""

    features = HumidifierEntityFeature

    full_features = HumidifierEntityFeature.MODES

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_is_on = state == "on"
        self._attr_target_humidity = as_int(attributes.get("humidity"), 50)
        self._attr_current_humidity = as_int(attributes.get("current_humidity"))
        self._attr_available_modes = list(attributes.get("available_modes") or ["normal", "eco", "away", "boost",
                                                                                 "comfort", "home", "sleep", "auto",
                                                                                 "baby"])
        self._attr_mode = attributes.get("mode", "normal")

    def _set(self, **values: Any) -> None:
        for key, value in values.items():
            setattr(self, f"_attr_{key}", value)
        self.async_write_ha_state()

    async def async_turn_on(self, **kwargs: Any) -> None:
        self._set(is_on=True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._set(is_on=False)

    async def async_set_humidity(self, humidity: int) -> None:
        self._set(target_humidity=humidity)

    async def async_set_mode(self, mode: str) -> None:
        self._set(mode=mode)
