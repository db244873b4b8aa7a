"""The tests' homes (training/homes/*.yaml) built from the benchmark's simulated devices
(benchmarks/simulated_home.py), so tests judge an agent by what happens in the home."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from benchmarks.cases import Device, HomeSpec, Place
from benchmarks.simulated_home import SimulatedHome
from benchmarks.simulated_home import async_build_home as _async_build_home
from custom_components.home_brain.const import (
    CONF_CONFIDENCE_THRESHOLD,
    CONF_MODEL_PATH,
    DOMAIN,
)
from training.home import Home

from .conftest import E2E_CONFIDENCE_THRESHOLD

__all__ = ["SimulatedHome", "async_add_home_brain", "async_build_home", "async_setup_assist"]

# Where a test's devices start: things to turn on are off, the media player is playing.
_INITIAL_STATE = {"light": "off", "switch": "off", "fan": "off", "cover": "closed", "lock": "locked",
                  "climate": "heat", "media_player": "playing", "vacuum": "docked"}


async def async_build_home(hass: HomeAssistant, home: Home, hidden: dict[str, str] | None = None,
                           extra: list[Device] | None = None) -> SimulatedHome:
    """Create ``home`` in ``hass``; ``hidden`` entities (id -> name) exist but are not exposed;
    ``extra`` devices are added as they are."""
    devices = [Device(e.entity_id, e.name, tuple(e.aliases), e.area, _INITIAL_STATE.get(e.domain, "off"),
                      {"supported_features": e.supported_features}
                      | ({"device_class": e.device_class} if e.device_class else {}))
               for e in home.entities]
    devices += [Device(entity_id, name, (), None, _INITIAL_STATE.get(entity_id.split(".")[0], "off"), {})
                for entity_id, name in (hidden or {}).items()]
    devices += extra or []
    spec = HomeSpec(floors=[Place(f.id, f.name, tuple(f.aliases)) for f in home.floors],
                    areas=[Place(a.id, a.name, tuple(a.aliases), a.floor) for a in home.areas],
                    devices=devices)
    return await _async_build_home(hass, spec, [], hidden=frozenset(hidden or {}))


async def async_setup_assist(hass: HomeAssistant) -> None:
    """What Assist needs in a test's ``hass``: the core, conversation and intent integrations."""
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})


async def async_add_home_brain(hass: HomeAssistant, model: Path, **options: Any) -> MockConfigEntry:
    """A loaded Home Brain entry on ``model``, acting from the end-to-end threshold unless
    ``options`` say otherwise."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home Brain",
        data={CONF_MODEL_PATH: str(model)},
        options={CONF_CONFIDENCE_THRESHOLD: E2E_CONFIDENCE_THRESHOLD, **options},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry
