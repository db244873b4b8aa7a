"""The tests' homes (training/homes/*.yaml) built from the benchmark's simulated devices
(benchmarks/simulated_home.py), so tests judge an agent by what happens in the home."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from benchmarks.cases import Device, HomeSpec, Place
from benchmarks.simulated_home import SimulatedHome
from benchmarks.simulated_home import async_build_home as _async_build_home
from training.home import Home

__all__ = ["SimulatedHome", "async_build_home"]

# Where a test's devices start: things to turn on are off, the media player is playing.
_INITIAL_STATE = {"light": "off", "switch": "off", "fan": "off", "cover": "closed", "lock": "locked",
                  "climate": "heat", "media_player": "playing", "vacuum": "docked"}


async def async_build_home(hass: HomeAssistant, home: Home, hidden: dict[str, str] | None = None) -> SimulatedHome:
    """Create ``home`` in ``hass``; ``hidden`` entities (id -> name) exist but are not exposed."""
    devices = [Device(e.entity_id, e.name, tuple(e.aliases), e.area, _INITIAL_STATE.get(e.domain, "off"),
                      {"supported_features": e.supported_features}
                      | ({"device_class": e.device_class} if e.device_class else {}))
               for e in home.entities]
    devices += [Device(entity_id, name, (), None, _INITIAL_STATE.get(entity_id.split(".")[0], "off"), {})
                for entity_id, name in (hidden or {}).items()]
    spec = HomeSpec(floors=[Place(f.id, f.name, tuple(f.aliases)) for f in home.floors],
                    areas=[Place(a.id, a.name, tuple(a.aliases), a.floor) for a in home.areas],
                    devices=devices)
    return await _async_build_home(hass, spec, [], hidden=frozenset(hidden or {}))
