"""Simulated devices as real entities, after Home Assistant's ``demo`` platforms.

Each class is the domain's own entity base (``LightEntity``, ``FanEntity``...) with the
behaviour of the ``demo`` integration's device of that domain (or of the base entity where
demo has none: lawn mower, to-do list), so Home Assistant's service layer does what it does
in a real home: ``brightness_pct`` becomes ``brightness``, a colour name becomes ``hs_color``
(and ``rgb_color``), a fan turned on without a speed runs at 67%, "next" moves a player to
its next track, volume up is one step. Where demo moves slowly (covers, valves, locks), the
device goes straight to where demo ends: a benchmark judges where the home settles.

``restore(state, attributes)`` puts a device where a case starts it (no service runs).
Tests that compare each class with demo's: ``tests/test_simulated_devices.py``.
"""

from __future__ import annotations

import functools
import operator
import uuid
from enum import IntFlag
from typing import Any

from homeassistant.components.climate import ClimateEntity, ClimateEntityFeature, HVACMode
from homeassistant.components.cover import CoverEntity, CoverEntityFeature
from homeassistant.components.fan import FanEntity, FanEntityFeature
from homeassistant.components.humidifier import HumidifierEntity, HumidifierEntityFeature
from homeassistant.components.lawn_mower import LawnMowerActivity, LawnMowerEntity, LawnMowerEntityFeature
from homeassistant.components.light import ColorMode, LightEntity, LightEntityFeature
from homeassistant.components.lock import LockEntity, LockEntityFeature, LockState
from homeassistant.components.media_player import (
    BrowseMedia,
    MediaPlayerEntity,
    MediaPlayerEntityFeature,
    MediaPlayerState,
    RepeatMode,
    SearchMedia,
    SearchMediaQuery,
)
from homeassistant.components.switch import SwitchEntity
from homeassistant.components.todo import TodoItem, TodoItemStatus, TodoListEntity, TodoListEntityFeature
from homeassistant.components.vacuum import StateVacuumEntity, VacuumActivity, VacuumEntityFeature
from homeassistant.components.valve import ValveEntity, ValveEntityFeature
from homeassistant.components.water_heater import WaterHeaterEntity, WaterHeaterEntityFeature
from homeassistant.const import UnitOfTemperature
from homeassistant.util import color as color_util

from .cases import Device


def _all(flags: Any) -> int:
    return functools.reduce(operator.or_, flags)


def _number(value: Any, default: float | None = None) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _int(value: Any, default: int | None = None) -> int | None:
    number = _number(value)
    return default if number is None else round(number)


class Simulated:
    """What every simulated device shares: its id and name from the home, no polling."""

    _attr_should_poll = False
    full_features = 0
    features: type[IntFlag] | None = None  # the domain's feature flags

    def __init__(self, device: Device, attributes: dict[str, Any]) -> None:
        self.entity_id = device.entity_id
        self._attr_unique_id = device.entity_id
        self._attr_name = device.name
        value = int(attributes.get("supported_features", self.full_features))
        self._attr_supported_features = self.features(value) if self.features else value
        if "device_class" in attributes:
            self._attr_device_class = attributes["device_class"]

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        raise NotImplementedError


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
        self._attr_brightness = _int(attributes.get("brightness"), 255)
        self._attr_color_temp_kelvin = _int(attributes.get("color_temp_kelvin"), 4000)
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

    full_features = _all(FanEntityFeature)
    _attr_speed_count = 3

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_preset_modes = list(attributes.get("preset_modes") or ["auto", "smart", "sleep", "on"])
        self._attr_preset_mode = attributes.get("preset_mode")
        self._attr_percentage = _int(attributes.get("percentage"), 67 if state == "on" else 0)
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


class SimulatedCover(Simulated, CoverEntity):
    """demo.cover, settled: open is position 100, closed 0; tilt where the home gives one."""

    features = CoverEntityFeature

    full_features = (CoverEntityFeature.OPEN | CoverEntityFeature.CLOSE | CoverEntityFeature.SET_POSITION
                     | CoverEntityFeature.STOP)
    _tilt_features = (CoverEntityFeature.OPEN_TILT | CoverEntityFeature.CLOSE_TILT | CoverEntityFeature.STOP_TILT
                      | CoverEntityFeature.SET_TILT_POSITION)

    def __init__(self, device: Device, attributes: dict[str, Any]) -> None:
        super().__init__(device, attributes)
        if "current_tilt_position" in attributes and "supported_features" not in attributes:
            self._attr_supported_features |= self._tilt_features

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        position = attributes.get("current_position", attributes.get("position"))
        self._attr_current_cover_position = _int(position, 0 if state == "closed" else 100)
        self._attr_is_closed = self._attr_current_cover_position <= 0
        tilt = attributes.get("current_tilt_position")
        self._attr_current_cover_tilt_position = _int(tilt) if tilt is not None else None

    async def async_open_cover(self, **kwargs: Any) -> None:
        await self.async_set_cover_position(position=100)

    async def async_close_cover(self, **kwargs: Any) -> None:
        await self.async_set_cover_position(position=0)

    async def async_set_cover_position(self, **kwargs: Any) -> None:
        self._attr_current_cover_position = int(kwargs["position"])
        self._attr_is_closed = self._attr_current_cover_position <= 0
        self.async_write_ha_state()

    async def async_stop_cover(self, **kwargs: Any) -> None:
        self.async_write_ha_state()

    async def async_open_cover_tilt(self, **kwargs: Any) -> None:
        await self.async_set_cover_tilt_position(tilt_position=100)

    async def async_close_cover_tilt(self, **kwargs: Any) -> None:
        await self.async_set_cover_tilt_position(tilt_position=0)

    async def async_set_cover_tilt_position(self, **kwargs: Any) -> None:
        if self._attr_current_cover_tilt_position is not None:
            self._attr_current_cover_tilt_position = int(kwargs["tilt_position"])
            self.async_write_ha_state()


class SimulatedValve(Simulated, ValveEntity):
    """demo.valve with a position, settled."""

    features = ValveEntityFeature

    full_features = (ValveEntityFeature.OPEN | ValveEntityFeature.CLOSE | ValveEntityFeature.SET_POSITION
                     | ValveEntityFeature.STOP)
    _attr_reports_position = True

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        position = attributes.get("current_position", attributes.get("position"))
        self._attr_current_valve_position = _int(position, 0 if state == "closed" else 100)
        self._attr_is_closed = self._attr_current_valve_position <= 0

    async def async_open_valve(self) -> None:
        await self.async_set_valve_position(100)

    async def async_close_valve(self) -> None:
        await self.async_set_valve_position(0)

    async def async_set_valve_position(self, position: int) -> None:
        self._attr_current_valve_position = int(position)
        self._attr_is_closed = position <= 0
        self.async_write_ha_state()

    async def async_stop_valve(self) -> None:
        self.async_write_ha_state()


class SimulatedLock(Simulated, LockEntity):
    """demo.lock, settled: locked, unlocked, or open (where the lock can open)."""

    features = LockEntityFeature

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._lock_state = state if state in {s.value for s in LockState} else LockState.LOCKED
        self._attr_is_locked = self._lock_state == LockState.LOCKED
        self._attr_is_open = self._lock_state == LockState.OPEN
        self._attr_is_jammed = self._lock_state == LockState.JAMMED

    def _set(self, state: LockState) -> None:
        self.restore(state, {})
        self.async_write_ha_state()

    async def async_lock(self, **kwargs: Any) -> None:
        self._set(LockState.LOCKED)

    async def async_unlock(self, **kwargs: Any) -> None:
        self._set(LockState.UNLOCKED)

    async def async_open(self, **kwargs: Any) -> None:
        self._set(LockState.OPEN)


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
        self._attr_temperature_unit = self.hass.config.units.temperature_unit if self.hass else UnitOfTemperature.CELSIUS
        self._attr_hvac_modes = [HVACMode(m) for m in attributes.get("hvac_modes") or
                                 (HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL, HVACMode.AUTO)]
        self._attr_hvac_mode = HVACMode(state) if state in self._attr_hvac_modes else self._attr_hvac_modes[1]
        self._attr_current_temperature = _number(attributes.get("current_temperature"))
        self._attr_target_temperature = _number(attributes.get("temperature"), 20.0)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        if "temperature" in kwargs:
            self._attr_target_temperature = kwargs["temperature"]
        if "hvac_mode" in kwargs:
            self._attr_hvac_mode = kwargs["hvac_mode"]
        self.async_write_ha_state()

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        self._attr_hvac_mode = hvac_mode
        self.async_write_ha_state()


class SimulatedMediaPlayer(Simulated, MediaPlayerEntity):
    """demo.media_player (the music player): ten tracks, volume, mute, shuffle, repeat;
    a search finds the query itself, and playing it plays it."""

    features = MediaPlayerEntityFeature

    full_features = _all(MediaPlayerEntityFeature)
    _tracks = tuple(f"Track {n}" for n in range(1, 11))

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_state = MediaPlayerState(state) if state in {s.value for s in MediaPlayerState} \
            else MediaPlayerState.IDLE
        volume = _number(attributes.get("volume_level"), 1.0)
        self._attr_volume_level = volume / 100 if volume > 1 else volume  # a home may write 50 for 50%
        self._attr_is_volume_muted = bool(attributes.get("is_volume_muted", False))
        self._attr_shuffle = bool(attributes.get("shuffle", False))
        self._attr_repeat = RepeatMode(attributes.get("repeat", RepeatMode.OFF))
        self._track = min(max(_int(attributes.get("media_track"), 1) - 1, 0), len(self._tracks) - 1)
        self._attr_media_content_id = attributes.get("media_content_id")

    @property
    def media_track(self) -> int:
        return self._track + 1

    @property
    def media_title(self) -> str:
        return self._attr_media_content_id or self._tracks[self._track]

    def _set(self, **values: Any) -> None:
        for key, value in values.items():
            setattr(self, f"_attr_{key}", value)
        self.async_write_ha_state()

    async def async_turn_on(self) -> None:
        self._set(state=MediaPlayerState.PLAYING)

    async def async_turn_off(self) -> None:
        self._set(state=MediaPlayerState.OFF)

    async def async_media_play(self) -> None:
        self._set(state=MediaPlayerState.PLAYING)

    async def async_media_pause(self) -> None:
        self._set(state=MediaPlayerState.PAUSED)

    async def async_media_stop(self) -> None:
        self._set(state=MediaPlayerState.OFF)

    async def async_mute_volume(self, mute: bool) -> None:
        self._set(is_volume_muted=mute)

    async def async_set_volume_level(self, volume: float) -> None:
        self._set(volume_level=volume)

    async def async_set_shuffle(self, shuffle: bool) -> None:
        self._set(shuffle=shuffle)

    async def async_set_repeat(self, repeat: RepeatMode) -> None:
        self._set(repeat=repeat)

    async def async_media_next_track(self) -> None:
        if self._track < len(self._tracks) - 1:
            self._track += 1
            self._set(media_content_id=None)

    async def async_media_previous_track(self) -> None:
        if self._track > 0:
            self._track -= 1
            self._set(media_content_id=None)

    async def async_play_media(self, media_type: str, media_id: str, **kwargs: Any) -> None:
        self._set(media_content_id=media_id, media_content_type=media_type, state=MediaPlayerState.PLAYING)

    async def async_search_media(self, query: SearchMediaQuery) -> SearchMedia:
        words = query.search_query.casefold().split()
        if words[:1] in (["the"], ["a"], ["an"]):  # as any search engine would, ignore a leading article
            words = words[1:]
        found = " ".join(words)
        return SearchMedia(result=[BrowseMedia(media_class="music", media_content_id=found, media_content_type="music",
                                               title=found, can_play=True, can_expand=False)])


class SimulatedVacuum(Simulated, StateVacuumEntity):
    """demo.vacuum (StateDemoVacuum); every area of the home is one segment it can clean."""

    features = VacuumEntityFeature

    full_features = _all(VacuumEntityFeature)

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_activity = VacuumActivity(state) if state in {a.value for a in VacuumActivity} \
            else VacuumActivity.DOCKED
        self._cleaning: list[str] = list(attributes.get("cleaning_areas") or [])
        self._attr_fan_speed_list = ["min", "medium", "high", "max"]
        self._attr_fan_speed = attributes.get("fan_speed", "medium")

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        return {"cleaning_areas": list(self._cleaning)} if self._cleaning else {}

    def _set(self, activity: VacuumActivity, areas: list[str] | None = None) -> None:
        self._attr_activity, self._cleaning = activity, areas or []
        self.async_write_ha_state()

    async def async_start(self) -> None:
        self._set(VacuumActivity.CLEANING, self._cleaning if self.activity == VacuumActivity.CLEANING else [])

    async def async_pause(self) -> None:
        if self.activity == VacuumActivity.CLEANING:
            self._set(VacuumActivity.PAUSED, self._cleaning)

    async def async_stop(self, **kwargs: Any) -> None:
        self._set(VacuumActivity.IDLE)

    async def async_return_to_base(self, **kwargs: Any) -> None:
        self._set(VacuumActivity.RETURNING)

    async def async_clean_spot(self, **kwargs: Any) -> None:
        self._set(VacuumActivity.CLEANING)

    async def async_locate(self, **kwargs: Any) -> None:
        pass

    async def async_set_fan_speed(self, fan_speed: str, **kwargs: Any) -> None:
        self._attr_fan_speed = fan_speed
        self.async_write_ha_state()

    async def async_get_segments(self) -> list[Any]:
        from homeassistant.components.vacuum import Segment
        from homeassistant.helpers import area_registry as ar

        return [Segment(id=a.id, name=a.name) for a in ar.async_get(self.hass).async_list_areas()]

    async def async_clean_segments(self, segment_ids: list[str], **kwargs: Any) -> None:
        self._set(VacuumActivity.CLEANING, sorted(segment_ids))


class SimulatedLawnMower(Simulated, LawnMowerEntity):
    """LawnMowerEntity (demo has none): mowing, docked, paused."""

    features = LawnMowerEntityFeature

    full_features = _all(LawnMowerEntityFeature)

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_activity = LawnMowerActivity(state) if state in {a.value for a in LawnMowerActivity} \
            else LawnMowerActivity.DOCKED

    def _set(self, activity: LawnMowerActivity) -> None:
        self._attr_activity = activity
        self.async_write_ha_state()

    async def async_start_mowing(self) -> None:
        self._set(LawnMowerActivity.MOWING)

    async def async_dock(self) -> None:
        self._set(LawnMowerActivity.DOCKED)

    async def async_pause(self) -> None:
        self._set(LawnMowerActivity.PAUSED)


class SimulatedHumidifier(Simulated, HumidifierEntity):
    """demo.humidifier: on/off, target humidity, modes."""

    features = HumidifierEntityFeature

    full_features = HumidifierEntityFeature.MODES

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_is_on = state == "on"
        self._attr_target_humidity = _int(attributes.get("humidity"), 50)
        self._attr_current_humidity = _int(attributes.get("current_humidity"))
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


class SimulatedWaterHeater(Simulated, WaterHeaterEntity):
    """demo.water_heater: target temperature, operation modes, away mode, on/off."""

    features = WaterHeaterEntityFeature

    full_features = _all(WaterHeaterEntityFeature)
    _modes = ["eco", "electric", "performance", "high_demand", "heat_pump", "gas", "off"]

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_temperature_unit = self.hass.config.units.temperature_unit if self.hass else UnitOfTemperature.CELSIUS
        self._attr_operation_list = list(attributes.get("operation_list") or self._modes)
        self._attr_current_operation = state if state in self._attr_operation_list else self._attr_operation_list[0]
        self._attr_target_temperature = _number(attributes.get("temperature"), 50.0)
        self._attr_current_temperature = _number(attributes.get("current_temperature"))
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


class SimulatedTodoList(Simulated, TodoListEntity):
    """A to-do list (demo has none; like local_todo): items to add, complete, rename, remove.
    It starts with the home's ``items`` for it, or the suite's list items."""

    features = TodoListEntityFeature

    full_features = (TodoListEntityFeature.CREATE_TODO_ITEM | TodoListEntityFeature.UPDATE_TODO_ITEM
                     | TodoListEntityFeature.DELETE_TODO_ITEM)

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_todo_items = [TodoItem(summary=str(s), uid=uuid.uuid4().hex, status=TodoItemStatus.NEEDS_ACTION)
                                 for s in attributes.get("items") or []]

    async def async_create_todo_item(self, item: TodoItem) -> None:
        self._attr_todo_items = [*(self._attr_todo_items or []),
                                 TodoItem(summary=item.summary, uid=uuid.uuid4().hex, status=item.status)]
        self.async_write_ha_state()

    async def async_update_todo_item(self, item: TodoItem) -> None:
        self._attr_todo_items = [item if i.uid == item.uid else i for i in self._attr_todo_items or []]
        self.async_write_ha_state()

    async def async_delete_todo_items(self, uids: list[str]) -> None:
        self._attr_todo_items = [i for i in self._attr_todo_items or [] if i.uid not in uids]
        self.async_write_ha_state()

    def contents(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(((i.summary or "").casefold(), str(i.status)) for i in self._attr_todo_items or []))


DEVICE_CLASSES: dict[str, type[Simulated]] = {
    "light": SimulatedLight, "switch": SimulatedSwitch, "fan": SimulatedFan, "cover": SimulatedCover,
    "valve": SimulatedValve, "lock": SimulatedLock, "climate": SimulatedClimate,
    "media_player": SimulatedMediaPlayer, "vacuum": SimulatedVacuum, "lawn_mower": SimulatedLawnMower,
    "humidifier": SimulatedHumidifier, "water_heater": SimulatedWaterHeater, "todo": SimulatedTodoList,
}
