"""A home of simulated devices in a real ``hass``, so agents are judged by what happens.

Every entity gets a registry entry (name, aliases, area), is exposed to Assist, and
starts in its case file's state. Each domain's services really change state: the state
word where the service implies one (``open_cover`` -> open), the call's data copied into
attributes (brightness, position, volume...), and ``last_service`` so that even a call that
leaves the state alone (next track, a scene) is seen. Devices support every feature of
their domain unless the home says otherwise, so Home Assistant's handlers accept the
intents the suite expects. To-do lists and the shopping list hold items; their items are
part of the home's state. Each area has a "satellite" device for context ("in here").
"""

from __future__ import annotations

import functools
import importlib
import operator
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from homeassistant.components.climate import ClimateEntityFeature
from homeassistant.components.cover import CoverEntityFeature
from homeassistant.components.fan import FanEntityFeature
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.components.lawn_mower import LawnMowerEntityFeature
from homeassistant.components.media_player import BrowseMedia, MediaPlayerEntityFeature, SearchMedia
from homeassistant.components.todo import TodoItem, TodoItemStatus
from homeassistant.components.todo.const import DATA_COMPONENT as TODO_COMPONENT
from homeassistant.components.vacuum import VacuumEntityFeature
from homeassistant.components.valve import ValveEntityFeature
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import floor_registry as fr

from .cases import HomeSpec

# Every feature of the domain: a simulated device can do anything its kind can.
_FULL_FEATURES: dict[str, int] = {
    "cover": CoverEntityFeature.OPEN | CoverEntityFeature.CLOSE | CoverEntityFeature.SET_POSITION
    | CoverEntityFeature.STOP,
    "valve": ValveEntityFeature.OPEN | ValveEntityFeature.CLOSE | ValveEntityFeature.SET_POSITION
    | ValveEntityFeature.STOP,
    "fan": FanEntityFeature.SET_SPEED | FanEntityFeature.TURN_ON | FanEntityFeature.TURN_OFF,
    "climate": ClimateEntityFeature.TARGET_TEMPERATURE | ClimateEntityFeature.TURN_ON
    | ClimateEntityFeature.TURN_OFF,
    "media_player": functools.reduce(operator.or_, MediaPlayerEntityFeature),
    "vacuum": functools.reduce(operator.or_, VacuumEntityFeature),
    "lawn_mower": functools.reduce(operator.or_, LawnMowerEntityFeature),
}
_DEFAULT_STATE = {"light": "off", "switch": "off", "fan": "off", "cover": "closed", "valve": "closed",
                  "lock": "locked", "climate": "heat", "media_player": "idle", "vacuum": "docked",
                  "lawn_mower": "docked", "scene": "unknown", "script": "off", "todo": "0"}

# domain -> service -> the state it leaves (None: unchanged) and fixed attributes it sets.
_SERVICES: dict[str, dict[str, tuple[str | None, dict[str, Any]]]] = {
    "light": {"turn_on": ("on", {}), "turn_off": ("off", {}), "toggle": (None, {})},
    "switch": {"turn_on": ("on", {}), "turn_off": ("off", {}), "toggle": (None, {})},
    "input_boolean": {"turn_on": ("on", {}), "turn_off": ("off", {})},
    "fan": {"turn_on": ("on", {}), "turn_off": ("off", {}), "set_percentage": ("on", {})},
    "cover": {"open_cover": ("open", {"current_position": 100}), "close_cover": ("closed", {"current_position": 0}),
              "set_cover_position": (None, {}), "stop_cover": (None, {})},
    "valve": {"open_valve": ("open", {"current_position": 100}), "close_valve": ("closed", {"current_position": 0}),
              "set_valve_position": (None, {}), "stop_valve": (None, {})},
    "lock": {"lock": ("locked", {}), "unlock": ("unlocked", {}), "open": ("open", {})},
    "climate": {"set_temperature": (None, {}), "turn_on": ("heat", {}), "turn_off": ("off", {}),
                "set_hvac_mode": (None, {})},
    "media_player": {"media_play": ("playing", {}), "media_pause": ("paused", {}), "media_stop": ("idle", {}),
                     "media_next_track": (None, {}), "media_previous_track": (None, {}),
                     "volume_set": (None, {}), "volume_mute": (None, {}), "volume_up": (None, {}),
                     "volume_down": (None, {}), "play_media": ("playing", {}), "turn_on": ("on", {}),
                     "turn_off": ("off", {})},
    "vacuum": {"start": ("cleaning", {}), "return_to_base": ("returning", {}), "stop": ("idle", {}),
               "pause": ("paused", {})},
    "lawn_mower": {"start_mowing": ("mowing", {}), "dock": ("docked", {}), "pause": ("paused", {})},
    "humidifier": {"turn_on": ("on", {}), "turn_off": ("off", {}), "set_humidity": (None, {}),
                   "set_mode": (None, {})},
    "scene": {"turn_on": (None, {})},
    "script": {"turn_on": (None, {}), "turn_off": (None, {})},
}
# Domains whose own intents (HassLightSet, HassSetPosition...) their integration registers.
_INTENT_DOMAINS = ("light", "cover", "climate", "fan", "media_player", "vacuum", "lawn_mower", "humidifier",
                   "weather", "todo", "shopping_list")

State = tuple[str, tuple[tuple[str, Any], ...]]


class SimulatedTodoList:
    """What the to-do intents use of a list entity: its items, add and update."""

    def __init__(self, hass: HomeAssistant, entity_id: str, seed: list[str]) -> None:
        self.hass, self.entity_id, self.seed = hass, entity_id, seed
        self.todo_items: list[TodoItem] = []

    def reset(self) -> None:
        self.todo_items = [TodoItem(summary=s, uid=uuid.uuid4().hex, status=TodoItemStatus.NEEDS_ACTION)
                           for s in self.seed]

    async def async_create_todo_item(self, item: TodoItem) -> None:
        self.todo_items.append(TodoItem(summary=item.summary, uid=uuid.uuid4().hex, status=item.status))

    async def async_update_todo_item(self, item: TodoItem) -> None:
        self.todo_items = [item if i.uid == item.uid else i for i in self.todo_items]

    async def async_delete_todo_items(self, uids: list[str]) -> None:
        self.todo_items = [i for i in self.todo_items if i.uid not in uids]

    def contents(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(((i.summary or "").casefold(), str(i.status)) for i in self.todo_items))


@dataclass
class SimulatedHome:
    """The home in ``hass``; ``snapshot``/``reset`` judge and rewind a turn."""

    hass: HomeAssistant
    spec: HomeSpec
    satellites: dict[str, str] = field(default_factory=dict)  # area id -> device id
    todo_lists: dict[str, SimulatedTodoList] = field(default_factory=dict)
    shopping_list: Any = None
    shopping_seed: list[str] = field(default_factory=list)
    initial: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    # Every service call, as (domain, service, data with its entity ids sorted), for tests.
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def snapshot(self) -> dict[str, State]:
        """Every entity's state and attributes, plus list contents, comparable with ``==``."""
        result = {s.entity_id: (s.state, tuple(sorted((k, _hashable(v)) for k, v in s.attributes.items())))
                  for s in self.hass.states.async_all() if s.entity_id in self.initial}
        for entity_id, todo in self.todo_lists.items():
            result[entity_id] = (result[entity_id][0], (("items", todo.contents()),))
        if self.shopping_list is not None:
            items = tuple(sorted((str(i["name"]).casefold(), bool(i["complete"])) for i in self.shopping_list.items))
            result["shopping_list.items"] = ("", (("items", items),))
        return result

    def states(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """Every device's state and attributes, those added to ``hass`` by hand included."""
        return {s.entity_id: (s.state, dict(s.attributes)) for s in self.hass.states.async_all()
                if s.domain in _SERVICES}

    def reset(self, setup: dict[str, dict[str, Any]] | None = None) -> None:
        """Back to the starting state; ``setup`` overrides some entities (format B)."""
        for entity_id, (state, attributes) in self.initial.items():
            override = (setup or {}).get(entity_id, {})
            self.hass.states.async_set(entity_id, str(override.get("state", state)),
                                       attributes | override.get("attributes", {}), force_update=True)
        for todo in self.todo_lists.values():
            todo.reset()
        if self.shopping_list is not None:
            self.shopping_list.items = [{"name": n, "id": uuid.uuid4().hex, "complete": False}
                                        for n in self.shopping_seed]


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, set):
        return tuple(sorted(map(str, value)))
    return value


async def async_build_home(hass: HomeAssistant, spec: HomeSpec, list_items: list[str],
                           hidden: frozenset[str] = frozenset()) -> SimulatedHome:
    """Create ``spec`` in ``hass``. ``list_items`` seed every to-do list and the shopping list,
    so "check off apples" has something to check off; ``hidden`` entities are not exposed."""
    from pytest_homeassistant_custom_component.common import MockConfigEntry  # dev dependency, like HA

    home = SimulatedHome(hass, spec)
    floor_reg, area_reg, entity_reg, device_reg = fr.async_get(hass), ar.async_get(hass), er.async_get(hass), dr.async_get(hass)
    floor_ids = {f.id: floor_reg.async_create(f.name, aliases=set(f.aliases)).floor_id for f in spec.floors}
    area_ids = {a.id: area_reg.async_create(a.name, aliases=set(a.aliases), floor_id=floor_ids.get(a.floor or "")).id
                for a in spec.areas}

    satellite_entry = MockConfigEntry(domain="benchmark_satellite", title="Satellites")
    satellite_entry.add_to_hass(hass)
    for area_id, registry_id in area_ids.items():
        device = device_reg.async_get_or_create(config_entry_id=satellite_entry.entry_id,
                                                identifiers={("benchmark_satellite", area_id)},
                                                name=f"Satellite {area_id}")
        device_reg.async_update_device(device.id, area_id=registry_id)
        home.satellites[area_id] = device.id

    for device in spec.devices:
        domain, object_id = device.entity_id.split(".", 1)
        attributes = dict(device.attributes)
        attributes.setdefault("supported_features", _FULL_FEATURES.get(domain, 0))
        if domain == "light":
            attributes.setdefault("supported_color_modes", ["hs", "color_temp"])
        entry = entity_reg.async_get_or_create(
            domain, "benchmark", device.entity_id, suggested_object_id=object_id, original_name=device.name,
            original_device_class=attributes.get("device_class"),
            supported_features=int(attributes["supported_features"]),
        )
        assert entry.entity_id == device.entity_id, (entry.entity_id, device.entity_id)
        entity_reg.async_update_entity(device.entity_id, aliases=[er.COMPUTED_NAME, *device.aliases],
                                       area_id=area_ids.get(device.area or ""))
        attributes["friendly_name"] = device.name
        state = device.state if device.state not in ("", None) else _DEFAULT_STATE.get(domain, "unknown")
        home.initial[device.entity_id] = (str(state), attributes)
        async_expose_entity(hass, "conversation", device.entity_id, device.entity_id not in hidden)
        if domain == "todo":
            home.todo_lists[device.entity_id] = SimulatedTodoList(hass, device.entity_id, list_items)

    hass.data[TODO_COMPONENT] = SimpleNamespace(get_entity=home.todo_lists.get)
    await _async_shopping_list(hass, home, list_items)
    for domain, services in _SERVICES.items():
        for service, (new_state, fixed) in services.items():
            hass.services.async_register(domain, service, _handler(home, new_state, fixed))
    hass.services.async_register("media_player", "search_media", _search_media, supports_response=SupportsResponse.ONLY)
    for domain in _INTENT_DOMAINS:
        module = importlib.import_module(f"homeassistant.components.{domain}.intent")
        await module.async_setup_intents(hass)
    home.reset()
    return home


async def _async_shopping_list(hass: HomeAssistant, home: SimulatedHome, items: list[str]) -> None:
    from homeassistant.components.shopping_list.common import ShoppingData
    from homeassistant.config_entries import ConfigEntryState
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    entry = MockConfigEntry(domain="shopping_list", title="Shopping list")
    entry.add_to_hass(hass)
    entry.mock_state(hass, ConfigEntryState.LOADED)
    data = ShoppingData(hass)
    data.save = lambda: None  # the benchmark keeps the list in memory
    entry.runtime_data = data
    home.shopping_list, home.shopping_seed = data, list(items)


def _handler(home: SimulatedHome, new_state: str | None, fixed: dict[str, Any]):
    async def handle(call: ServiceCall) -> None:
        ids = call.data.get(ATTR_ENTITY_ID, [])
        ids = [ids] if isinstance(ids, str) else list(ids)
        home.calls.append((call.domain, call.service, {**call.data, ATTR_ENTITY_ID: sorted(ids)}))
        for entity_id in ids:
            state = home.hass.states.get(entity_id)
            if state is None:
                continue
            data = {k: v for k, v in call.data.items() if k != ATTR_ENTITY_ID}
            attributes = dict(state.attributes) | fixed | data | {"last_service": f"{call.domain}.{call.service}"}
            home.hass.states.async_set(entity_id, new_state or state.state, attributes)

    return handle


async def _search_media(call: ServiceCall) -> ServiceResponse:
    """Every search finds one item, the query itself, so what plays shows what was asked."""
    words = str(call.data.get("search_query", "")).casefold().split()
    if words[:1] in (["the"], ["a"], ["an"]):  # as any search engine would, ignore a leading article
        words = words[1:]
    query = " ".join(words)
    ids = call.data.get(ATTR_ENTITY_ID, [])
    found = SearchMedia(result=[BrowseMedia(media_class="music", media_content_id=query, media_content_type="music",
                                            title=query, can_play=True, can_expand=False)])
    return {entity_id: found for entity_id in ([ids] if isinstance(ids, str) else ids)}  # type: ignore[misc]
