"""What opens and closes: covers (blinds, gates, garage doors), valves, locks (after Home
Assistant's demo devices)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.cover import CoverEntity, CoverEntityFeature
from homeassistant.components.lock import LockEntity, LockEntityFeature, LockState
from homeassistant.components.valve import ValveEntity, ValveEntityFeature

from ..cases import Device
from .base import Simulated, as_int


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
        self._attr_current_cover_position = as_int(position, 0 if state == "closed" else 100)
        self._attr_is_closed = self._attr_current_cover_position <= 0
        tilt = attributes.get("current_tilt_position")
        self._attr_current_cover_tilt_position = as_int(tilt) if tilt is not None else None

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
        self._attr_current_valve_position = as_int(position, 0 if state == "closed" else 100)
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
