"""A home of simulated devices in a real ``hass``, so agents are judged by what happens.

Every entity gets a registry entry (name, aliases, area), is exposed to Assist, and
starts in its case file's state. Devices of the domains people command (lights, fans,
covers, valves, locks, climate, media players, vacuums, lawn mowers, humidifiers, water
heaters, to-do lists, switches) are real entities of those domains (``devices/``, after
Home Assistant's ``demo`` platforms), so Home Assistant's own services convert what they are
told (``brightness_pct`` -> ``brightness``, a colour name -> ``hs_color``, volume steps) as in
a real home. Devices support every feature of their domain unless the home says otherwise.
Scenes, scripts and input booleans record the service called (``last_service``), so that
even a call that leaves their state alone is seen; sensors and the like only hold their
state. The shopping list holds items; list items are part of the home's state. Each area has
a "satellite" device for context ("in here").
"""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass, field
from typing import Any

from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.const import ATTR_ENTITY_ID, EVENT_CALL_SERVICE
from homeassistant.core import Event, HomeAssistant, ServiceCall, callback
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import floor_registry as fr
from homeassistant.helpers.entity_component import DATA_INSTANCES
from homeassistant.setup import async_setup_component

from .cases import HomeSpec
from .devices import DEVICE_CLASSES, Simulated, SimulatedTodoList

_DEFAULT_STATE = {"light": "off", "switch": "off", "fan": "off", "cover": "closed", "valve": "closed",
                  "lock": "locked", "climate": "heat", "media_player": "idle", "vacuum": "docked",
                  "lawn_mower": "docked", "humidifier": "off", "water_heater": "eco", "scene": "unknown",
                  "script": "off", "input_boolean": "off", "todo": "0"}

# Domains without a simulated entity: service -> the state it leaves (None: unchanged).
_SERVICES: dict[str, dict[str, str | None]] = {
    "input_boolean": {"turn_on": "on", "turn_off": "off", "toggle": None},
    "scene": {"turn_on": None},
    "script": {"turn_on": None, "turn_off": None},
}
# Domains whose own intents (HassLightSet, HassSetPosition...) their integration registers.
_INTENT_DOMAINS = ("light", "cover", "climate", "fan", "media_player", "vacuum", "lawn_mower", "humidifier",
                   "weather", "todo", "shopping_list")

State = tuple[str, tuple[tuple[str, Any], ...]]


@dataclass
class SimulatedHome:
    """The home in ``hass``; ``snapshot``/``reset`` judge and rewind a turn."""

    hass: HomeAssistant
    spec: HomeSpec
    satellites: dict[str, str] = field(default_factory=dict)  # area id -> device id
    devices: dict[str, Simulated] = field(default_factory=dict)  # entity id -> simulated entity
    shopping_list: Any = None
    shopping_seed: list[str] = field(default_factory=list)
    initial: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    # Every service call, as (domain, service, data with its entity ids sorted), for tests.
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def snapshot(self) -> dict[str, State]:
        """Every entity's state and attributes, plus list contents, comparable with ``==``."""
        result = {s.entity_id: (s.state, tuple(sorted((k, _hashable(v)) for k, v in s.attributes.items())))
                  for s in self.hass.states.async_all() if s.entity_id in self.initial}
        for entity_id, device in self.devices.items():
            if isinstance(device, SimulatedTodoList) and entity_id in result:
                result[entity_id] = (result[entity_id][0], (("items", device.contents()),))
        if self.shopping_list is not None:
            items = tuple(sorted((str(i["name"]).casefold(), bool(i["complete"])) for i in self.shopping_list.items))
            result["shopping_list.items"] = ("", (("items", items),))
        return result

    def states(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """Every device's state and attributes, those added to ``hass`` by hand included."""
        return {s.entity_id: (s.state, dict(s.attributes)) for s in self.hass.states.async_all()
                if s.domain in _SERVICES or s.domain in DEVICE_CLASSES}

    def reset(self, setup: dict[str, dict[str, Any]] | None = None) -> None:
        """Back to the starting state; ``setup`` overrides some entities (format B)."""
        for entity_id, (state, attributes) in self.initial.items():
            override = (setup or {}).get(entity_id, {})
            state, attributes = str(override.get("state", state)), attributes | override.get("attributes", {})
            if (device := self.devices.get(entity_id)) is not None:
                device.restore(state, attributes)
                if device.hass is not None:
                    device.async_write_ha_state()
            else:
                self.hass.states.async_set(entity_id, state, attributes, force_update=True)
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
    floor_reg, area_reg = fr.async_get(hass), ar.async_get(hass)
    entity_reg, device_reg = er.async_get(hass), dr.async_get(hass)
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
        if domain == "todo":
            attributes.setdefault("items", list(list_items))
        simulated = DEVICE_CLASSES[domain](device, attributes) if domain in DEVICE_CLASSES else None
        features = simulated.supported_features if simulated is not None else attributes.get("supported_features", 0)
        entry = entity_reg.async_get_or_create(
            domain, "benchmark", device.entity_id, suggested_object_id=object_id, original_name=device.name,
            original_device_class=attributes.get("device_class"), supported_features=int(features or 0),
        )
        assert entry.entity_id == device.entity_id, (entry.entity_id, device.entity_id)
        entity_reg.async_update_entity(device.entity_id, aliases=[er.COMPUTED_NAME, *device.aliases],
                                       area_id=area_ids.get(device.area or ""))
        if domain == "vacuum":  # every area is one segment the vacuum can clean (clean_area)
            entity_reg.async_update_entity_options(device.entity_id, "vacuum", {
                "area_mapping": {a: [a] for a in area_ids.values()},
                "last_seen_segments": [{"id": a.id, "name": a.name} for a in area_reg.async_list_areas()]})
        if simulated is None:
            attributes["friendly_name"] = device.name
        state = device.state if device.state not in ("", None) else _DEFAULT_STATE.get(domain, "unknown")
        home.initial[device.entity_id] = (str(state), attributes)
        async_expose_entity(hass, "conversation", device.entity_id, device.entity_id not in hidden)
        if simulated is not None:
            simulated.restore(str(state), attributes)
            home.devices[device.entity_id] = simulated

    await _async_add_devices(hass, home)
    await _async_shopping_list(hass, home, list_items)
    for domain, services in _SERVICES.items():
        for service, new_state in services.items():
            hass.services.async_register(domain, service, _handler(home, new_state))
    for domain in _INTENT_DOMAINS:
        if domain in hass.config.components:  # its intents came with it
            continue
        module = importlib.import_module(f"homeassistant.components.{domain}.intent")
        await module.async_setup_intents(hass)

    @callback
    def _record(event: Event) -> None:
        if event.data["domain"] in DEVICE_CLASSES:
            data = dict(event.data.get("service_data") or {})
            ids = data.get(ATTR_ENTITY_ID, [])
            home.calls.append((event.data["domain"], event.data["service"],
                               {**data, ATTR_ENTITY_ID: sorted([ids] if isinstance(ids, str) else ids)}))

    hass.bus.async_listen(EVENT_CALL_SERVICE, _record)
    home.reset()
    return home


async def _async_add_devices(hass: HomeAssistant, home: SimulatedHome) -> None:
    """Each domain's simulated entities, added through a ``benchmark`` platform of the domain."""
    from pytest_homeassistant_custom_component.common import MockPlatform, mock_platform

    for domain in DEVICE_CLASSES:
        entities = [d for d in home.devices.values() if d.entity_id.split(".")[0] == domain]

        async def setup_platform(hass: HomeAssistant, config: Any, add_entities: Any, discovery_info: Any = None,
                                 entities: list[Simulated] = entities) -> None:
            add_entities(entities)

        mock_platform(hass, f"benchmark.{domain}", MockPlatform(async_setup_platform=setup_platform))
        if domain in hass.config.components:  # set up before (a test's demo devices): add the platform to it
            if entities:
                await hass.data[DATA_INSTANCES][domain].async_setup_platform("benchmark", {"platform": "benchmark"})
        else:
            assert await async_setup_component(hass, domain, {domain: [{"platform": "benchmark"}]} if entities else {})
    await hass.async_block_till_done()


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


def _handler(home: SimulatedHome, new_state: str | None):
    async def handle(call: ServiceCall) -> None:
        ids = call.data.get(ATTR_ENTITY_ID, [])
        ids = [ids] if isinstance(ids, str) else list(ids)
        home.calls.append((call.domain, call.service, {**call.data, ATTR_ENTITY_ID: sorted(ids)}))
        for entity_id in ids:
            if (state := home.hass.states.get(entity_id)) is None:
                continue
            attributes = dict(state.attributes) | {"last_service": f"{call.domain}.{call.service}"}
            home.hass.states.async_set(entity_id, new_state or state.state, attributes, force_update=True)

    return handle
