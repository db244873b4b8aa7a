"""Heating: thermostats and water heaters (after Home Assistant's demo devices)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import ClimateEntity, ClimateEntityFeature, HVACMode
from homeassistant.components.water_heater import WaterHeaterEntity, WaterHeaterEntityFeature
from homeassistant.const import UnitOfTemperature

from .base import Simulated, as_number, every_feature


class SimulatedClimate(Simulated, ClimateEntity):
    """demo.climate (the heat pump kind): modes, one target temperature."""

    features = ClimateEntityFeature

    full_features = (ClimateEntityFeature.TARGET_TEMPERATURE | ClimateEntityFeature.TURN_ON
                     | ClimateEntityFeature.TURN_OFF)
    # What a home may claim to support (its supported_features) but the simulation keeps unset.
    _attr_target_temperature_high = _attr_target_temperature_low = None
    _attr_fan_mode = _attr_preset_mode = _attr_swing_mode = _attr_swing_horizontal_mode = None
    _attr_fan_modes = _attr_preset_modes = _attr_swing_modes = _attr_swing_horizontal_modes = None

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_temperature_unit = (self.hass.config.units.temperature_unit if self.hass
                                       else UnitOfTemperature.CELSIUS)
        self._attr_hvac_modes = [HVACMode(m) for m in attributes.get("hvac_modes") or
                                 (HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL, HVACMode.AUTO)]
        self._attr_hvac_mode = HVACMode(state) if state in self._attr_hvac_modes else self._attr_hvac_modes[1]
        self._attr_current_temperature = as_number(attributes.get("current_temperature"))
        self._attr_target_temperature = as_number(attributes.get("temperature"), 20.0)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        if "temperature" in kwargs:
            self._attr_target_temperature = kwargs["temperature"]
        if "hvac_mode" in kwargs:
            self._attr_hvac_mode = kwargs["hvac_mode"]
        self.async_write_ha_state()

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        self._attr_hvac_mode = hvac_mode
        self.async_write_ha_state()

class SimulatedWaterHeater(Simulated, WaterHeaterEntity):
    """demo.water_heater: target temperature, operation modes, away mode, on/off."""

    features = WaterHeaterEntityFeature

    full_features = every_feature(WaterHeaterEntityFeature)
    _modes = ("eco", "electric", "performance", "high_demand", "heat_pump", "gas", "off")

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_temperature_unit = (self.hass.config.units.temperature_unit if self.hass
                                       else UnitOfTemperature.CELSIUS)
        self._attr_operation_list = list(attributes.get("operation_list") or self._modes)
        self._attr_current_operation = state if state in self._attr_operation_list else self._attr_operation_list[0]
        self._attr_target_temperature = as_number(attributes.get("temperature"), 50.0)
        self._attr_current_temperature = as_number(attributes.get("current_temperature"))
        self._attr_is_away_mode_on = attributes.get("away_mode") == "on"

    def _set(self, **values: Any) -> None:
        for key, value in values.items():
            setattr(self, f"_attr_{key}", value)
        self.async_write_ha_state()

    async def async_set_temperature(self, **kwargs: Any) -> None:
        self._set(target_temperature=kwargs.get("temperature", self._attr_target_temperature))

    async def async_set_operation_mode(self, operation_mode: str) -> None:
        self._set(current_operation=operation_mode)

    async def async_turn_away_mode_on(self) -> None:
        self._set(is_away_mode_on=True)

    async def async_turn_away_mode_off(self) -> None:
        self._set(is_away_mode_on=False)

    async def async_turn_on(self, **kwargs: Any) -> None:
        self._set(current_operation=self._attr_operation_list[0])

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._set(current_operation="off")
