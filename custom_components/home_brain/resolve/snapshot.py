"""The names Assist may act on (exposed entities, areas, floors, with aliases), built once and
kept until the registries, the exposure settings or the set of entities change: the same
events Home Assistant's own agent clears its slot lists on. A turn then reads them in
microseconds instead of walking every state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.homeassistant.exposed_entities import (
    async_listen_entity_updates,
    async_should_expose,
)
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import floor_registry as fr
from homeassistant.helpers import intent

from ..const import ASSISTANT
from ..nlu.home_names import Device, HomeNames, normalize
from ..nlu.learned_aliases import LearnedAliases



@dataclass(frozen=True, slots=True)
class Names:
    """Every name and alias Assist may be spoken to by, normalised, with what it names."""

    entities: list[tuple[str, str, str]]  # (normalised name, entity_id, domain)
    spoken: list[tuple[str, str]]  # (name as written, entity_id)
    areas: list[tuple[str, str]]  # (normalised name, area id)
    floors: list[tuple[str, str]]  # (normalised name, floor id)
    home_names: HomeNames


def _device_class(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    value = state.attributes.get("device_class") if state is not None else None
    return value if isinstance(value, str) else None


@callback
def async_build_names(hass: HomeAssistant, learned: LearnedAliases | None = None) -> Names:
    """Read the registries and exposure settings (on the event loop: they are in memory).
    Names the model folder learned from this home's logs (``aliases.json``) count as aliases;
    they are never written to the registry."""
    learned = learned or LearnedAliases()
    entity_reg = er.async_get(hass)
    entities: list[tuple[str, str, str]] = []
    spoken: list[tuple[str, str]] = []
    for state in hass.states.async_all():
        if not async_should_expose(hass, ASSISTANT, state.entity_id):
            continue
        entry = entity_reg.async_get(state.entity_id)
        for alias in (*intent.async_get_entity_aliases(hass, entry, state=state),
                      *learned.entities.get(state.entity_id, ())):
            if norm := normalize(alias):
                entities.append((norm, state.entity_id, state.domain))
                spoken.append((alias, state.entity_id))
    area_names = [(name, area.id) for area in ar.async_get(hass).async_list_areas()
                  for name in (area.name, *area.aliases, *learned.areas.get(area.id, ()))]
    floors = [(normalize(name), floor.floor_id) for floor in fr.async_get(hass).async_list_floors()
              for name in (floor.name, *floor.aliases, *learned.floors.get(floor.floor_id, ()))
              if normalize(name)]
    home_names = HomeNames.build(
        (Device(name, entity_id, entity_id.split(".")[0], _device_class(hass, entity_id)) for name, entity_id in spoken),
        (name for name, _ in area_names),
    )
    return Names(entities, spoken, [(normalize(n), i) for n, i in area_names if normalize(n)], floors, home_names)


_NO_ALIASES = LearnedAliases()


class NamesCache:
    """``Names`` built on first use and dropped whenever what they are read from changes."""

    def __init__(self, hass: HomeAssistant) -> None:
        self._hass = hass
        self._names: Names | None = None
        self._learned: LearnedAliases | None = None

    @callback
    def async_get(self, learned: LearnedAliases | None = None) -> Names:
        """The names, with ``learned`` aliases; a reloaded model brings other ones."""
        learned = learned or _NO_ALIASES
        if self._names is None or (learned is not self._learned and learned != self._learned):
            self._names = async_build_names(self._hass, learned)
            self._learned = learned
        return self._names

    @callback
    def async_clear(self, *_: Any) -> None:
        self._names = None

    @callback
    def async_listen(self) -> Callable[[], None]:
        """Clear on registry, exposure and entity added/removed/renamed events; returns the
        function that stops listening (for the config entry's unload)."""

        @callback
        def renamed_or_added(data: EventStateChangedData) -> bool:
            old, new = data["old_state"], data["new_state"]
            return old is None or new is None or old.name != new.name or (
                old.attributes.get("device_class") != new.attributes.get("device_class"))

        unsubscribe = [
            self._hass.bus.async_listen(ar.EVENT_AREA_REGISTRY_UPDATED, self.async_clear),
            self._hass.bus.async_listen(fr.EVENT_FLOOR_REGISTRY_UPDATED, self.async_clear),
            self._hass.bus.async_listen(er.EVENT_ENTITY_REGISTRY_UPDATED, self.async_clear),
            self._hass.bus.async_listen(EVENT_STATE_CHANGED, self.async_clear, event_filter=renamed_or_added),
            async_listen_entity_updates(self._hass, ASSISTANT, self.async_clear),
        ]

        @callback
        def stop(*_: Event) -> None:
            for undo in unsubscribe:
                undo()

        return stop
