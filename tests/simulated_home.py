"""A home of simulated devices inside a real ``hass``: registries, states and services that
really change state, so tests judge an agent by what happens in the home."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import floor_registry as fr

from training.home import Home

_INITIAL_STATE = {"light": "off", "switch": "off", "fan": "off", "cover": "closed", "lock": "locked",
                  "climate": "heat", "media_player": "playing", "vacuum": "docked"}

# service -> (new state, attributes copied from the call's data)
_SERVICES: dict[str, dict[str, tuple[str | None, tuple[str, ...]]]] = {
    "light": {"turn_on": ("on", ("brightness", "brightness_pct", "rgb_color", "color_name", "color_temp_kelvin")),
              "turn_off": ("off", ())},
    "switch": {"turn_on": ("on", ()), "turn_off": ("off", ())},
    "fan": {"turn_on": ("on", ()), "turn_off": ("off", ()), "set_percentage": ("on", ("percentage",))},
    "cover": {"open_cover": ("open", ()), "close_cover": ("closed", ()),
              "set_cover_position": (None, ("position",)), "stop_cover": (None, ())},
    "lock": {"lock": ("locked", ()), "unlock": ("unlocked", ())},
    "climate": {"set_temperature": (None, ("temperature",)), "turn_on": ("heat", ()), "turn_off": ("off", ())},
    "media_player": {"media_pause": ("paused", ()), "media_play": ("playing", ()),
                     "media_next_track": (None, ()), "media_previous_track": (None, ()),
                     "volume_set": (None, ("volume_level",)), "turn_on": ("on", ()), "turn_off": ("off", ())},
    "vacuum": {"start": ("cleaning", ()), "return_to_base": ("returning", ())},
}


@dataclass
class SimulatedHome:
    hass: HomeAssistant
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def states(self) -> dict[str, tuple[str, dict[str, Any]]]:
        return {s.entity_id: (s.state, dict(s.attributes)) for s in self.hass.states.async_all()
                if s.domain in _SERVICES}


async def async_build_home(hass: HomeAssistant, home: Home, hidden: dict[str, str] | None = None) -> SimulatedHome:
    """Create ``home`` in ``hass``; ``hidden`` entities (id -> name) exist but are not exposed."""
    sim = SimulatedHome(hass)
    floor_reg, area_reg, entity_reg = fr.async_get(hass), ar.async_get(hass), er.async_get(hass)
    floor_ids = {}
    for floor in home.floors:
        floor_ids[floor.id] = floor_reg.async_create(floor.name, aliases=set(floor.aliases)).floor_id
    area_ids = {}
    for area in home.areas:
        area_ids[area.id] = area_reg.async_create(
            area.name, aliases=set(area.aliases), floor_id=floor_ids.get(area.floor)
        ).id
    entities = [(e.entity_id, e.name, list(e.aliases), e.area, e.device_class, e.supported_features, True)
                for e in home.entities]
    entities += [(entity_id, name, [], None, None, 0, False) for entity_id, name in (hidden or {}).items()]
    for entity_id, name, aliases, area, device_class, features, exposed in entities:
        domain, object_id = entity_id.split(".", 1)
        entry = entity_reg.async_get_or_create(
            domain, "simulated", entity_id, suggested_object_id=object_id, original_name=name,
            original_device_class=device_class, supported_features=features,
        )
        assert entry.entity_id == entity_id
        entity_reg.async_update_entity(
            entity_id, aliases=[er.COMPUTED_NAME, *aliases], area_id=area_ids.get(area) if area else None
        )
        attributes: dict[str, Any] = {"friendly_name": name, "supported_features": features}
        if device_class:
            attributes["device_class"] = device_class
        if domain == "light":
            # Brightness and colour, so HassLightSet has something to set.
            attributes["supported_color_modes"] = ["hs", "color_temp"]
        hass.states.async_set(entity_id, _INITIAL_STATE.get(domain, "off"), attributes)
        async_expose_entity(hass, "conversation", entity_id, exposed)

    for domain, services in _SERVICES.items():
        for service, (new_state, copied) in services.items():
            hass.services.async_register(domain, service, _handler(sim, domain, service, new_state, copied))
    # Each domain's own intents (HassLightSet, HassSetPosition...), as its integration would
    # register them; the generic ones (HassTurnOn...) come from the `intent` integration.
    for domain in ("light", "cover", "climate", "fan", "media_player", "vacuum"):
        module = importlib.import_module(f"homeassistant.components.{domain}.intent")
        await module.async_setup_intents(hass)
    return sim


def _handler(sim: SimulatedHome, domain: str, service: str, new_state: str | None, copied: tuple[str, ...]):
    async def handle(call: ServiceCall) -> None:
        data = dict(call.data)
        ids = data.get(ATTR_ENTITY_ID, [])
        ids = [ids] if isinstance(ids, str) else list(ids)
        sim.calls.append((domain, service, {**data, ATTR_ENTITY_ID: sorted(ids)}))
        for entity_id in ids:
            state = sim.hass.states.get(entity_id)
            assert state is not None, f"service called on unknown entity {entity_id}"
            attributes = dict(state.attributes) | {k: data[k] for k in copied if k in data}
            sim.hass.states.async_set(entity_id, new_state or state.state, attributes)

    return handle
