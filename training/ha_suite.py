"""Score a model on Home Assistant's own English intents test suite (a benchmark only).

The suite (``home-assistant/intents``' ``tests/en``, CC BY 4.0) is **never training data**:
nothing here feeds it to ``generate`` or ``train``. It measures how well a model trained
for some home understands the phrasings Home Assistant's built-in agent is tested on.

Suite format: ``_fixtures.yaml`` holds a home (floors, areas, entities with ``id``,
``name``, ``area``, ``attributes.device_class``); ``<domain>_<Intent>.yaml`` files hold
``tests: [{sentences, intent: {name, slots, context}}]``; files in ``<Intent>/`` sub-folders
take the intent from the folder, put ``slots`` on the test itself and bring their own
``areas``/``entities`` (names and a ``domain``, no ids), which are added to the home.
A malformed file or test is skipped with a warning (``Suite.warnings``), never an error.

Scored is what the integration acts on: ``evaluate_suite`` reads the model's decoded
commands with the suite home's names (``home_brain_nlu.home_names``, the same rules the
integration applies with the names exposed to Assist: "bedroom" + "lamp" is the device
"Bedroom Lamp" when the home has one). It also reports ``exact_match_model_alone``, the
score of the commands as the model decoded them.

Scoring (``score_commands``): the commands match a case when

1. there is exactly one command and its intent is the expected one, and
2. every expected slot is matched, and
3. no extra slot changes the meaning.

Our slots are surface texts ("the blinds", "fifty percent"); the suite's are canonical
values ("blind", 50). A text matches a value when, after *normalisation* (casefold,
apostrophes dropped, other punctuation to spaces, each word singularised by a plain
English rule: "batteries" -> "battery", "blinds" -> "blind"), it equals

- for ``name``/``area``/``floor``: the name or an alias of any entity/area/floor of the
  suite's home whose name is the expected value (so "trader joes" matches "Trader Joe[']s"),
  a leading article or "my" aside as the integration compares names ("phone" is "My Phone");
- for free text (``search_query``, ``item``, ``message``, ``conversation_command``): the
  value, a leading article aside ("the queen" searches for "Queen");
- for a number (expected value a number or a numeric text): the number ``parse_number`` reads from the
  text ("one hundred percent" -> 100), or a value Home Assistant's own slot lists give the
  text ("max" -> 100, "half" -> 30 for timers);
- otherwise: the value itself, the value with ``_`` read as a space ("garage_door" ->
  "garage door", "tv_show"), the domain ``vocabulary.domain_of_word`` gives the text
  ("lamps" -> light), a device-class word of ``DEVICE_CLASS_WORDS`` ("garage door" ->
  garage), or a value Home Assistant's slot lists (``home-assistant-intents``, read with
  hassil; no Home Assistant; plus the class-word lists of ``extra_templates``, e.g. "low"
  -> on for a battery, which HA's upstream templates also have) give the text ("closed" -> off for a binary sensor, "blinds"
  -> blind). Those lists are merged over all slots, so a text matches every value any list
  gives it ("open" matches both "open" and "on").

An expected slot the model left out still counts as matched when

- it is ``domain``/``device_class`` and another produced slot implies it: a device word
  ("curtains" tagged as device_class implies domain cover) or a name whose entity has that
  domain/device class ("front door" implies domain lock), or the command's verb names the
  domain ("lock the kitchen doors", "light up the kitchen": ``vocabulary.domain_of_verb``);
- it is ``device_class``/``domain`` and the command's only slot is a state word that one
  binary-sensor class alone uses ("which devices are running?" -> running), which the
  integration reads as that class (``sensor_words.class_of_state``);
- its value is the case's ``context`` value for the same slot (the satellite's area:
  "turn on the lights in here" needs no area from the model);
- it is one of ``domain``, ``device_class``, ``state``, ``media_class`` and the sentence
  does not say it (no word form of the value occurs in the sentence; for domains the
  generator's own ``DOMAIN_WORDS`` patterns, which leave out "light up" and "switch on"):
  such slots are fixed by the template ("is the phone battery low" -> state on,
  device_class battery, domain binary_sensor), and our training data tag no words for them;
- it is ``name: all`` (HA's templates fix it for "turn off the fans in the kitchen").

But a command with no slot and no domain verb never matches a case that expects a slot
other than a context one: it names no target ("turn on everything" -> HassTurnOn with
nothing is not HassTurnOn {domain: light}), even when every expected slot is template-fixed.

A produced slot the suite does not list changes the meaning, and fails the case, unless it
only restates the target: an ``area``/``floor`` equal to the context area (or its floor) or
to the area (or floor) of the expected named entity, or a ``domain``/``device_class`` word
whose domain or device class is the context's, the expected one, the named entity's, or
the only domain the intent acts on (``INTENT_DOMAINS``: "make the lights red" is
HassLightSet with or without domain light; "turn on play corner lights" -> name + domain
light is fine), or a ``state`` that is what the intent does ("all lights on in here" ->
HassTurnOn with state "on"). Any other extra slot (a name, a number, a state, free text) fails.

Weak spots: the merged slot lists make state words lenient ("open" passes for "on"); a
template-fixed slot is forgiven as soon as the command has some other slot, so "is the
front door open" passes with just ``name: front door`` and "are any devices connected?"
with just ``state: connected`` (the device class is lost); the "not said" test is lexical, so
a word used in another sense ("lock" the verb, "on" in "turn on") makes a fixed slot
required; singularising is a crude rule applied to both sides alike, so it cannot break
an exact match but may join two different words ("gas"/"ga"); the suite's home is the
fixture home plus every sub-folder file's entities, so a name matches if it is in any of
them, not only in the home of the case's own file.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from home_brain_nlu.commands import RESTATED_STATE, Command, commands_from_tags
from home_brain_nlu.en import singular
from home_brain_nlu.home_names import Device, HomeNames, normalize
from home_brain_nlu.labels import parse_label
from home_brain_nlu.sensor_words import class_of_state
from home_brain_nlu.values import parse_number
from home_brain_nlu.vocabulary import domain_of_verb, domain_of_word

from .home import Area, Entity, Floor, Home

_LOGGER = logging.getLogger(__name__)
Warn = Callable[[str], None]

# ../shared/data/ha-intents-tests/tests/en, relative to the repository root.
DEFAULT_SUITE = (Path(__file__).resolve().parent.parent.parent
                 / "shared" / "data" / "ha-intents-tests" / "tests" / "en")
FIXTURES = "_fixtures.yaml"

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
# Free text: "play the Queen album" and "play Queen album" search for the same thing.
FREE_TEXT_SLOTS = frozenset({"search_query", "item", "message", "conversation_command"})
_THE = re.compile(r"^\s*the\s+", re.IGNORECASE)
# Slots a template may fix without a word of the sentence standing for them.
IMPLIABLE_SLOTS = frozenset({"domain", "device_class", "state", "media_class"})
# HA's templates fix ``name: all`` for "every fan/lock in the kitchen"; no word says it.
ALL_NAME = "all"
# Intents that only ever act on one domain: a device word of that domain restates the target.
INTENT_DOMAINS: dict[str, frozenset[str]] = {
    "HassLightSet": frozenset({"light"}),
    "HassClimateGetTemperature": frozenset({"climate"}),
    "HassClimateSetTemperature": frozenset({"climate"}),
    "HassSetVolume": frozenset({"media_player"}),
    "HassSetVolumeRelative": frozenset({"media_player"}),
    "HassMediaPause": frozenset({"media_player"}),
    "HassMediaUnpause": frozenset({"media_player"}),
    "HassMediaNext": frozenset({"media_player"}),
    "HassMediaPrevious": frozenset({"media_player"}),
    "HassMediaSearchAndPlay": frozenset({"media_player"}),
    "HassVacuumStart": frozenset({"vacuum"}),
    "HassVacuumReturnToBase": frozenset({"vacuum"}),
    "HassListAddItem": frozenset({"todo"}),
    "HassListCompleteItem": frozenset({"todo"}),
}


@dataclass(frozen=True, slots=True)
class SuiteCase:
    """One sentence of the suite with what Home Assistant expects of it."""

    file: str
    sentence: str
    intent: str
    slots: dict[str, Any]
    context: dict[str, Any]


@dataclass(slots=True)
class Suite:
    """Every case of a suite folder and the home its sentences speak of."""

    folder: Path
    cases: list[SuiteCase]
    home: Home
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Cases per intent, most first."""
        return dict(Counter(case.intent for case in self.cases).most_common())

    def subset(self, cases: Iterable[SuiteCase]) -> Suite:
        """The same suite (home, warnings) with only these cases."""
        return Suite(self.folder, list(cases), self.home, list(self.warnings))


# --- loading --------------------------------------------------------------------------


def load_suite(folder: str | Path | None = None) -> Suite:
    """Read a suite folder (default: ``../shared/data/ha-intents-tests/tests/en``)."""
    folder = Path(folder) if folder is not None else DEFAULT_SUITE
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a folder with an intents test suite")
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(message)
        _LOGGER.warning("%s", message)

    builder = _HomeBuilder(warn)
    fixtures = read_yaml(folder / FIXTURES, FIXTURES, warn)
    if fixtures is not None:
        builder.add(fixtures, FIXTURES)

    cases: list[SuiteCase] = []
    files = sorted(p for p in folder.glob("*.yaml") if p.name != FIXTURES)
    files += sorted(p for p in folder.glob("*/*.yaml"))
    for path in files:
        relative = path.relative_to(folder).as_posix()
        data = read_yaml(path, relative, warn)
        if data is None:
            continue
        tests = data.get("tests")
        if not isinstance(tests, list):
            warn(f"{relative}: no 'tests' list, skipped")
            continue
        folder_intent = path.parent.name if path.parent != folder else None
        builder.add(data, relative)
        for index, test in enumerate(tests):
            cases += _cases(test, relative, index, folder_intent, path.stem, warn)
    return Suite(folder, cases, builder.home, warnings)


def read_yaml(path: Path, name: str, warn: Warn) -> dict[str, Any] | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        first_line = str(err).splitlines()[0] if str(err) else ""
        warn(f"{name}: unreadable ({type(err).__name__}: {first_line}), skipped")
        return None
    if not isinstance(data, dict):
        warn(f"{name}: not a mapping, skipped")
        return None
    return data


def _cases(
    test: Any, file: str, index: int, folder_intent: str | None, stem: str, warn: Warn
) -> list[SuiteCase]:
    where = f"{file}: tests[{index}]"
    if not isinstance(test, dict):
        warn(f"{where}: not a mapping, skipped")
        return []
    sentences = test.get("sentences")
    if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
        warn(f"{where}: 'sentences' is not a list of texts, skipped")
        return []
    intent_data = test.get("intent") or {}
    if not isinstance(intent_data, dict):
        warn(f"{where}: 'intent' is not a mapping, skipped")
        return []
    name = intent_data.get("name") or folder_intent or intent_from_stem(stem)
    slots = intent_data.get("slots", test.get("slots")) or {}
    context = intent_data.get("context") or {}
    if not isinstance(name, str) or not isinstance(slots, dict) or not isinstance(context, dict):
        warn(f"{where}: no intent name, or slots/context not mappings, skipped")
        return []
    slots = {str(k): plain(v) for k, v in slots.items() if v is not None}
    context = {str(k): plain(v) for k, v in context.items() if v is not None}
    return [SuiteCase(file, s, name, dict(slots), dict(context)) for s in sentences if s.strip()]


def intent_from_stem(stem: str) -> str | None:
    """``light_HassTurnOn`` -> ``HassTurnOn``."""
    match = re.search(r"Hass\w+$", stem)
    return match.group() if match else None


def plain(value: Any) -> Any:
    """YAML 1.1 reads a bare on/off as a bool; the suite means the state word."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_") or "unnamed"


def template_names(name: str) -> tuple[str, ...]:
    """HA template syntax in a name: "Trader Joe[']s" -> ("Trader Joe's", "Trader Joes")."""
    if "[" not in name:
        return (name,)
    with_optional = re.sub(r"\[([^\]]*)\]", r"\1", name)
    without = re.sub(r"\[[^\]]*\]", "", name)
    return tuple(dict.fromkeys(n.strip() for n in (with_optional, without) if n.strip()))


class _HomeBuilder:
    """Collects floors, areas and entities from the fixtures and sub-folder files."""

    def __init__(self, warn: Warn) -> None:
        self.warn = warn
        self.home = Home(language="en")

    def add(self, data: dict[str, Any], file: str) -> None:
        for key, adder in (("floors", self._floor), ("areas", self._area), ("entities", self._entity)):
            items = data.get(key)
            if items is None:
                continue
            if not isinstance(items, list):
                self.warn(f"{file}: '{key}' is not a list, ignored")
                continue
            for index, item in enumerate(items):
                name = item.get("name") if isinstance(item, dict) else None
                if not isinstance(name, str) or not name.strip():
                    self.warn(f"{file}: {key}[{index}] has no name, ignored")
                    continue
                adder(item)

    @staticmethod
    def _aliases(item: dict[str, Any], extra: tuple[str, ...] = ()) -> tuple[str, ...]:
        aliases = item.get("aliases")
        listed = [a for a in aliases if isinstance(a, str) and a.strip()] if isinstance(aliases, list) else []
        return tuple(dict.fromkeys([*extra, *listed]))

    def _floor(self, item: dict[str, Any]) -> None:
        names = template_names(item["name"])
        floor_id = str(item.get("id") or slug(names[0]))
        if any(f.id == floor_id or _key(f.name) == _key(names[0]) for f in self.home.floors):
            return
        self.home.floors.append(Floor(floor_id, names[0], self._aliases(item, names[1:])))

    def _area(self, item: dict[str, Any]) -> None:
        names = template_names(item["name"])
        area_id = str(item.get("id") or slug(names[0]))
        if any(a.id == area_id or _key(a.name) == _key(names[0]) for a in self.home.areas):
            return
        floor = self._place_id(item.get("floor"), self.home.floors)
        self.home.areas.append(Area(area_id, names[0], floor, self._aliases(item, names[1:])))

    @staticmethod
    def _place_id(ref: Any, places: list[Floor] | list[Area]) -> str | None:
        """The id of the floor or area that ``ref`` names (by id, name or loose name)."""
        if not isinstance(ref, str):
            return None
        for place in places:
            if ref in (place.id, place.name) or _key(ref) == _key(place.name):
                return place.id
        return None

    def _entity(self, item: dict[str, Any]) -> None:
        names = template_names(item["name"])
        raw_id = item.get("id")
        if isinstance(raw_id, str) and "." in raw_id:
            domain, object_id = raw_id.split(".", 1)
        elif isinstance(item.get("domain"), str):
            domain, object_id = item["domain"], names[0]
        else:
            self.warn(f"entity {names[0]!r} has neither an id nor a domain, ignored")
            return
        # Our ids are strict (lower case, digits, underscores); the suite has "sensor.traveling speed".
        entity_id = f"{slug(domain)}.{slug(object_id)}"
        if any(e.entity_id == entity_id for e in self.home.entities):
            return
        attributes = item.get("attributes") if isinstance(item.get("attributes"), dict) else {}
        device_class = attributes.get("device_class", item.get("device_class"))
        self.home.entities.append(Entity(
            entity_id=entity_id,
            name=names[0],
            aliases=self._aliases(item, names[1:]),
            area=self._place_id(item.get("area"), self.home.areas),
            device_class=str(device_class) if device_class else None,
        ))


# --- normalisation --------------------------------------------------------------------


def _words(text: str) -> list[str]:
    text = re.sub(r"['’`]", "", str(text).casefold())
    return [singular(w) for w in re.findall(r"[^\W_]+", text)]


def _key(text: Any) -> str:
    """The normal form two texts are compared in."""
    return " ".join(_words(str(text)))


def _contains(sentence_words: list[str], phrase: str) -> bool:
    words = phrase.split()
    n = len(words)
    return n > 0 and any(sentence_words[i : i + n] == words for i in range(len(sentence_words) - n + 1))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+(?:\.\d+)?", value.strip()):
        return float(value)
    return None


@functools.lru_cache(maxsize=1)
def _list_values() -> dict[str, frozenset[str]]:
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
                if _key(text):
                    table[_key(text)].add(str(value.value_out))
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


@functools.lru_cache(maxsize=1)
def _domain_patterns() -> dict[str, re.Pattern[str]]:
    from .generate import DOMAIN_WORDS

    return DOMAIN_WORDS


def _by_key(items: Iterable[Any]) -> dict[str, list[Any]]:
    """Items by every normal form of their names, with and without a leading article or
    "my" ("My Phone" is also "phone"), as the integration compares names."""
    table: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        for key in {k for name in item.names for k in (_key(name), _key(normalize(name)))}:
            table[key].append(item)
    return table


class _HomeIndex:
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
        return self.entities_by_key.get(_key(value), [])

    def keys_of(self, slot: str, value: Any) -> set[str]:
        """Every normal-form name of the entity/area/floor called ``value``, with and
        without a leading article or "my", as the integration compares names."""
        table: dict[str, list[Any]] = {"name": self.entities_by_key, "area": self.areas_by_key,
                                       "floor": self.floors_by_key}[slot]
        names = [str(value)]
        for item in table.get(_key(value), []):
            names.extend(item.names)
        return {key for n in names for key in (_key(n), _key(normalize(n)))}

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
            area_ids.update(a.id for a in self.areas_by_key.get(_key(value), []))
        for name in _values(case.slots.get("name")):
            area_ids.update(e.area for e in self.entities(name) if e.area)
        area_keys = {_key(a) for a in areas}
        floor_keys: set[str] = set()
        for area in self.home.areas:
            if area.id in area_ids:
                area_keys.update(_key(n) for n in area.names)
                floor = self.home.floor(area.floor)
                if floor is not None:
                    floor_keys.update(_key(n) for n in floor.names)
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
        key = _key(text)
        classes = {key.replace(" ", "_")}
        if key in DEVICE_CLASS_WORDS:
            classes.add(DEVICE_CLASS_WORDS[key])
        classes.update(_list_values().get(key, ()))
        return classes


def _values(value: Any) -> list[Any]:
    """An expected slot value as alternatives (the suite lists some as several texts)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# --- scoring --------------------------------------------------------------------------


def text_matches(slot: str, text: str, value: Any, home: Home) -> bool:
    """Whether a slot text the model produced says the suite's canonical ``value``."""
    return _text_matches(slot, text, value, _HomeIndex(home))


def _text_matches(slot: str, text: str, value: Any, index: _HomeIndex) -> bool:
    for alternative in _values(value):
        if _one_match(slot, text, alternative, index):
            return True
    return False


def _one_match(slot: str, text: str, value: Any, index: _HomeIndex) -> bool:
    key = _key(text)
    if not key:
        return False
    if slot in ("name", "area", "floor"):
        keys = index.keys_of(slot, value)
        return key in keys or _key(normalize(text)) in keys
    if slot in FREE_TEXT_SLOTS:
        return _key(_THE.sub("", text)) == _key(_THE.sub("", str(value)))
    listed = _list_values().get(key, frozenset())
    number = _number(value)
    if number is not None:
        if any(_number(v) == number for v in listed):
            return True
        parsed = parse_number(text)
        return parsed is not None and abs(parsed - number) < 1e-6
    value_text = str(value)
    if key in (_key(value_text), _key(value_text.replace("_", " "))):
        return True
    if slot == "domain" and value_text in index.word_domains(text):
        return True
    if slot == "device_class" and value_text in index.word_classes(text):
        return True
    return value_text in listed


def _said(slot: str, value: Any, case: SuiteCase, sentence_words: list[str]) -> bool:
    """Whether some word form of the value occurs in the sentence (see module docstring)."""
    for alternative in _values(value):
        text = str(alternative)
        forms = {_key(text.replace("_", " "))}
        if slot == "domain":
            # The generator's own domain words ("lights", not "light up") stand for a domain.
            pattern = _domain_patterns().get(text)
            if pattern is not None:
                if pattern.search(case.sentence):
                    return True
                continue
        else:
            forms.add(_key(text))
            forms.update(k for k, vs in _list_values().items() if text in vs)
            if slot == "device_class":
                forms.update(k for k, v in DEVICE_CLASS_WORDS.items() if v == text)
        if any(_contains(sentence_words, form) for form in forms if form):
            return True
    return False


def _implied(slot: str, value: Any, command: Command, index: _HomeIndex) -> bool:
    """A domain/device class the model said another way (a device word, a named entity, a
    verb: "lock the kitchen doors")."""
    if slot not in ("domain", "device_class"):
        return False
    wanted = {str(v) for v in _values(value)}
    if slot == "domain" and domain_of_verb(command.carrier) in wanted:
        return True
    produced = command.slot_texts()
    for text in produced.get("domain", []) + produced.get("device_class", []):
        found = index.word_domains(text) if slot == "domain" else index.word_classes(text)
        if wanted & found:
            return True
    for text in produced.get("name", []):
        for entity in index.entities(text):
            if (entity.domain if slot == "domain" else entity.device_class) in wanted:
                return True
    if produced.keys() & {"name", "domain", "device_class"} or len(produced.get("state", [])) != 1:
        return False
    # "which devices are running?": a state word only one class uses names the class, as
    # the integration reads it (``sensor_words.class_of_state``).
    state_class = class_of_state(produced["state"][0])
    if state_class is None:
        return False
    return (state_class if slot == "device_class" else "binary_sensor") in wanted


def _extra_is_harmless(slot: str, texts: list[str], case: SuiteCase, index: _HomeIndex) -> bool:
    """An extra slot is fine only when it restates the target (see module docstring)."""
    if slot in ("area", "floor"):
        area_keys, floor_keys = index.area_keys_around(case)
        allowed = area_keys if slot == "area" else floor_keys
        return all(_key(t) in allowed for t in texts)
    if slot in ("domain", "device_class"):
        domains = {str(v) for v in _values(case.context.get("domain"))}
        domains |= {str(v) for v in _values(case.slots.get("domain"))}
        domains |= INTENT_DOMAINS.get(case.intent, frozenset())
        classes = {str(v) for v in _values(case.context.get("device_class"))}
        classes |= {str(v) for v in _values(case.slots.get("device_class"))}
        for name in _values(case.slots.get("name")):
            for entity in index.entities(name):
                domains.add(entity.domain)
                if entity.device_class:
                    classes.add(entity.device_class)
        for device_class in classes:
            domains |= index.class_domains.get(device_class, set())
        return all(index.word_domains(t) & domains or index.word_classes(t) & classes for t in texts)
    if slot == "state" and case.intent in RESTATED_STATE:
        # "all lights on in here": the state word repeats what the intent does.
        return all(_key(t) == RESTATED_STATE[case.intent] for t in texts)
    return False


def problems(case: SuiteCase, commands: Sequence[Command], home: Home) -> list[str]:
    """Why the decoded commands do not match the case (empty when they do)."""
    return _problems(case, commands, _HomeIndex(home))


def _problems(case: SuiteCase, commands: Sequence[Command], index: _HomeIndex) -> list[str]:
    if len(commands) != 1:
        return [f"{len(commands)} commands, expected 1"]
    command = commands[0]
    if command.intent != case.intent:
        return [f"intent {command.intent}, expected {case.intent}"]
    produced = command.slot_texts()
    sentence_words = _words(case.sentence)
    found: list[str] = []
    from_context = {
        slot for slot, value in case.slots.items()
        if slot in case.context and _values(case.context[slot]) == _values(value)
    }
    if not produced and not domain_of_verb(command.carrier) and set(case.slots) - from_context:
        # A command without any slot names no target, whatever the template fixed.
        return [f"no slots, expected {sorted(set(case.slots) - from_context)}"]
    for slot, value in case.slots.items():
        texts = produced.get(slot, [])
        if texts:
            wrong = [t for t in texts if not _text_matches(slot, t, value, index)]
            if wrong:
                found.append(f"{slot} {wrong} is not {value!r}")
            continue
        if _implied(slot, value, command, index) or slot in from_context:
            continue
        if slot in IMPLIABLE_SLOTS and not _said(slot, value, case, sentence_words):
            continue
        if slot == "name" and _values(value) == [ALL_NAME]:
            continue
        found.append(f"{slot} {value!r} missing")
    for slot, texts in produced.items():
        if slot not in case.slots and not _extra_is_harmless(slot, texts, case, index):
            found.append(f"extra {slot} {texts}")
    return found


def score_commands(case: SuiteCase, commands: Sequence[Command], home: Home) -> bool:
    """Whether the commands decoded for ``case.sentence`` are what the suite expects."""
    return not problems(case, commands, home)


# --- evaluation -----------------------------------------------------------------------


def evaluate_suite(model_dir: str | Path, suite: Suite, batch_size: int = 32) -> dict[str, Any]:
    """Tag every sentence of the suite with the model folder, decode and score.

    Returns overall exact-match and intent accuracy, the same over the cases whose intent
    the model knows (``known_intents``), a per-intent table and every failure (with the
    reasons ``problems`` gives). An unusable model folder raises ValueError.
    """
    from home_brain_nlu.model_folder import ModelFolderError
    from home_brain_nlu.tagger import Tagger

    try:
        tagger = Tagger.from_folder(model_dir)
    except ModelFolderError as err:
        raise ValueError(f"{model_dir}: not a usable model folder: {err}") from err
    labels = [parse_label(label) for label in tagger.labels]
    model_intents = {label.value for label in labels if label.kind == "INTENT"}
    index = _HomeIndex(suite.home)
    home_names = index.home_names()
    per_intent: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # exact, intent, cases
    known = [0, 0, 0]
    model_alone = 0  # exact without the home's names applied
    failures: list[dict[str, Any]] = []
    cases = suite.cases
    for start in range(0, len(cases), batch_size):
        batch = cases[start : start + batch_size]
        for case, words in zip(batch, tagger.tag_batch([c.sentence for c in batch]), strict=True):
            decoded = commands_from_tags(case.sentence, words)
            model_alone += not _problems(case, decoded, index)
            commands = [home_names.apply(c, case.sentence) for c in decoded]
            intent_right = [c.intent for c in commands] == [case.intent]
            found = _problems(case, commands, index)
            exact = not found
            for row in (per_intent[case.intent], *((known,) if case.intent in model_intents else ())):
                row[0] += exact
                row[1] += intent_right
                row[2] += 1
            if not exact:
                failures.append({
                    "file": case.file,
                    "sentence": case.sentence,
                    "expected": {"intent": case.intent, "slots": case.slots, "context": case.context},
                    "got": [{"intent": c.intent, "slots": c.slot_texts()} for c in commands],
                    "why": found,
                })
    exact_total = sum(row[0] for row in per_intent.values())
    intent_total = sum(row[1] for row in per_intent.values())
    n = len(cases)
    return {
        "suite": str(suite.folder),
        "model": str(model_dir),
        "sentences": n,
        "exact_match": exact_total / n if n else 0.0,
        "exact_match_model_alone": model_alone / n if n else 0.0,
        "intent_accuracy": intent_total / n if n else 0.0,
        "known_intents": {
            "intents": sorted(model_intents & set(per_intent)),
            "sentences": known[2],
            "exact_match": known[0] / known[2] if known[2] else 0.0,
            "intent_accuracy": known[1] / known[2] if known[2] else 0.0,
        },
        "per_intent": {
            intent: {"sentences": total, "exact_match": ok / total, "intent_accuracy": right / total,
                     "model_knows_intent": intent in model_intents}
            for intent, (ok, right, total) in sorted(per_intent.items())
        },
        "warnings": list(suite.warnings),
        "failures": failures,
    }
