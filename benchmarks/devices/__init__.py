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

from .base import Simulated
from .chores import SimulatedLawnMower, SimulatedTodoList, SimulatedVacuum
from .heating import SimulatedClimate, SimulatedWaterHeater
from .media import SimulatedMediaPlayer
from .openings import SimulatedCover, SimulatedLock, SimulatedValve
from .switched import SimulatedFan, SimulatedHumidifier, SimulatedLight, SimulatedSwitch

__all__ = ["DEVICE_CLASSES", "Simulated", "SimulatedTodoList"]

DEVICE_CLASSES: dict[str, type[Simulated]] = {
    "light": SimulatedLight, "switch": SimulatedSwitch, "fan": SimulatedFan, "cover": SimulatedCover,
    "valve": SimulatedValve, "lock": SimulatedLock, "climate": SimulatedClimate,
    "media_player": SimulatedMediaPlayer, "vacuum": SimulatedVacuum, "lawn_mower": SimulatedLawnMower,
    "humidifier": SimulatedHumidifier, "water_heater": SimulatedWaterHeater, "todo": SimulatedTodoList,
}
