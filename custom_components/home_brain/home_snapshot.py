"""A snapshot of the home as Assist sees it, in the home-file format ``training/home.py`` reads.

Only entities exposed to Assist are listed: those are the only ones Home Brain may act on,
so they are the only names a model for this home needs to learn. All floors and areas are
listed, because people name rooms ("turn off the kitchen") even when only some devices in
them are exposed, and because every entity's area must be one of them.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.const import ATTR_DEVICE_CLASS, ATTR_SUPPORTED_FEATURES
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import floor_registry as fr

from .resolve.areas import entity_area_id
from .const import ASSISTANT


def _other_aliases(name: str, aliases: list[str]) -> list[str]:
    """Aliases without the name itself (and without repeats), in the user's order."""
    seen = {name.casefold()}
    result: list[str] = []
    for alias in aliases:
        alias = alias.strip()
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            result.append(alias)
    return result


@callback
def async_home_snapshot(hass: HomeAssistant) -> dict[str, Any]:
    """The home as a plain dict (``Home.to_dict`` layout); registries are read on the loop."""
    floor_reg, area_reg = fr.async_get(hass), ar.async_get(hass)
    entity_reg = er.async_get(hass)
    floors = [
        {"id": floor.floor_id, "name": floor.name, "aliases": _other_aliases(floor.name, sorted(floor.aliases))}
        for floor in floor_reg.async_list_floors()
    ]
    areas = [
        {
            "id": area.id,
            "name": area.name,
            "floor": area.floor_id,
            "aliases": _other_aliases(area.name, sorted(area.aliases)),
        }
        for area in area_reg.async_list_areas()
    ]
    entities: list[dict[str, Any]] = []
    for state in sorted(hass.states.async_all(), key=lambda s: s.entity_id):
        if not async_should_expose(hass, ASSISTANT, state.entity_id):
            continue
        name = state.name
        aliases: list[str] = []
        area_id: str | None = None
        device_class = state.attributes.get(ATTR_DEVICE_CLASS)
        features = state.attributes.get(ATTR_SUPPORTED_FEATURES, 0)
        if (entry := entity_reg.async_get(state.entity_id)) is not None:
            # The computed name stands first among the aliases; the rest are the user's.
            aliases = er.async_get_entity_aliases(hass, entry)
            area_id = entity_area_id(hass, state.entity_id)
            device_class = device_class or entry.device_class or entry.original_device_class
        entities.append(
            {
                "entity_id": state.entity_id,
                "name": name,
                "aliases": _other_aliases(name, aliases),
                "area": area_id,
                "device_class": str(device_class) if device_class else None,
                # A real entity's features are an IntFlag, which YAML cannot write: the number.
                "supported_features": int(features) if isinstance(features, int) and features >= 0 else 0,
            }
        )
    return {"language": hass.config.language, "floors": floors, "areas": areas, "entities": entities}
