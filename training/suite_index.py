"""What the words and names of a suite's home stand for, in the scorer's normal form.

Name lookups of the suite home (a leading article or "my" aside, as the integration compares
names), the device classes and domains a device word stands for, and the values Home
Assistant's own slot lists give a text ("closed" -> off, "max" -> 100).
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from home_brain_nlu.home_names import Device, HomeNames, normalize
from home_brain_nlu.vocabulary import domain_of_word

from .home import Area, Entity, Floor, Home
from .suite_reader import SuiteCase, key_of

_LOGGER = logging.getLogger(__name__)

# Words people say for a device class that the plain "_ -> space" and singular rules miss.
DEVICE_CLASS_WORDS: dict[str, str] = {
    "garage door": "garage",
    "garage": "garage",
    "blind": "blind",
    "curtain": "curtain",
    "shade": "shade",
    "shutter": "shutter",
    "awning": "awning",
    "window": "window",
    "gate": "gate",
    "door": "door",
}
# Device classes of covers (HA's ``cover_classes`` list): they imply domain cover.
COVER_CLASSES = frozenset({"awning", "blind", "curtain", "damper", "door", "garage", "gate",
                           "shade", "shutter", "window"})


@functools.lru_cache(maxsize=1)
def list_values() -> dict[str, frozenset[str]]:
    """Surface key -> values, from every text slot list of HA's English intents."""
    try:
        from hassil.intents import TextSlotList

        from .generate import load_intents

        intents = load_intents("en")
    except Exception as err:  # noqa: BLE001 - the lists only make matching more lenient
        _LOGGER.warning("Home Assistant's slot lists are unavailable (%s); matching without them", err)
        return {}
    lists = list(intents.slot_lists.values())
    for intent in intents.intents.values():
        for data in intent.data:
            lists += list(data.slot_lists.values())
    table: dict[str, set[str]] = defaultdict(set)
    for slot_list in lists:
        if not isinstance(slot_list, TextSlotList):
            continue
        for value in slot_list.values:
            for text in _expand(value.text_in):
                if key_of(text):
                    table[key_of(text)].add(str(value.value_out))
    return {k: frozenset(v) for k, v in table.items()}


def _expand(expr: Any, cap: int = 64) -> list[str]:
    """Every text a (small) hassil expression can say, at most ``cap``."""
    from hassil.expression import Alternative, Group, TextChunk

    if isinstance(expr, TextChunk):
        return [expr.original_text or expr.text or ""]
    if isinstance(expr, Alternative):
        out: list[str] = []
        for item in expr.items:
            out += _expand(item, cap)
        return out[:cap]
    if isinstance(expr, Group):  # sequence and permutation (said in the written order)
        results = [""]
        for item in expr.items:
            parts = _expand(item, cap)
            results = [a + b for a in results for b in parts][:cap]
        return results
    return [""]



def _by_key(items: Iterable[Any]) -> dict[str, list[Any]]:
    """Items by every normal form of their names, with and without a leading article or
    "my" ("My Phone" is also "phone"), as the integration compares names."""
    table: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        for key in {k for name in item.names for k in (key_of(name), key_of(normalize(name)))}:
            table[key].append(item)
    return table


class HomeIndex:
    """Name lookups of one home, in normal form."""

    def __init__(self, home: Home) -> None:
        self.home = home
        self.entities_by_key: dict[str, list[Entity]] = _by_key(home.entities)
        self.areas_by_key: dict[str, list[Area]] = _by_key(home.areas)
        self.floors_by_key: dict[str, list[Floor]] = _by_key(home.floors)
        self.class_domains: dict[str, set[str]] = defaultdict(set)
        for entity in home.entities:
            if entity.device_class:
                self.class_domains[entity.device_class].add(entity.domain)
        for device_class in COVER_CLASSES:
            self.class_domains[device_class].add("cover")

    def entities(self, value: Any) -> list[Entity]:
        return self.entities_by_key.get(key_of(value), [])

    def keys_of(self, slot: str, value: Any) -> set[str]:
        """Every normal-form name of the entity/area/floor called ``value``, with and
        without a leading article or "my", as the integration compares names."""
        table: dict[str, list[Any]] = {"name": self.entities_by_key, "area": self.areas_by_key,
                                       "floor": self.floors_by_key}[slot]
        names = [str(value)]
        for item in table.get(key_of(value), []):
            names.extend(item.names)
        return {key for n in names for key in (key_of(n), key_of(normalize(n)))}

    def home_names(self) -> HomeNames:
        """The suite home's names, as the integration would read commands with them."""
        return HomeNames.build(
            (Device(name, entity.entity_id, entity.domain, entity.device_class)
             for entity in self.home.entities for name in entity.names),
            (name for area in self.home.areas for name in area.names),
        )

    def area_keys_around(self, case: SuiteCase) -> tuple[set[str], set[str]]:
        """Areas and floors that only restate the target: the context area, the named entity's."""
        area_ids: set[str] = set()
        areas = [case.context.get("area")] if isinstance(case.context.get("area"), str) else []
        for value in areas:
            area_ids.update(a.id for a in self.areas_by_key.get(key_of(value), []))
        for name in alternatives(case.slots.get("name")):
            area_ids.update(e.area for e in self.entities(name) if e.area)
        area_keys = {key_of(a) for a in areas}
        floor_keys: set[str] = set()
        for area in self.home.areas:
            if area.id in area_ids:
                area_keys.update(key_of(n) for n in area.names)
                floor = self.home.floor(area.floor)
                if floor is not None:
                    floor_keys.update(key_of(n) for n in floor.names)
        return area_keys, floor_keys

    def word_domains(self, text: str) -> set[str]:
        """Domains a device word (tagged domain or device_class) stands for: its domain in
        ``vocabulary`` ("lamps" -> light), else the domains of the device classes it names
        ("door" -> cover, binary_sensor)."""
        if (domain := domain_of_word(text)) is not None:
            return {domain}
        domains: set[str] = set()
        for device_class in self.word_classes(text):
            domains.update(self.class_domains.get(device_class, ()))
        return domains

    @staticmethod
    def word_classes(text: str) -> set[str]:
        """Device classes a device word stands for ("blinds" -> blind, "garage door" -> garage)."""
        key = key_of(text)
        classes = {key.replace(" ", "_")}
        if key in DEVICE_CLASS_WORDS:
            classes.add(DEVICE_CLASS_WORDS[key])
        classes.update(list_values().get(key, ()))
        return classes


def alternatives(value: Any) -> list[Any]:
    """An expected slot value as alternatives (the suite lists some as several texts)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
