"""Home Assistant's English intents test suite, read: its cases and the home they speak of.

The suite (``home-assistant/intents``' ``tests/en``, CC BY 4.0) is **never training data**;
the recognition scorer (``ha_suite.py``) and the state-judged benchmark (``benchmarks/``) read
it with this one reader.

Suite format: ``_fixtures.yaml`` holds a home (floors, areas, entities with ``id``,
``name``, ``area``, ``attributes.device_class``); ``<domain>_<Intent>.yaml`` files hold
``tests: [{sentences, intent: {name, slots, context}}]``; files in ``<Intent>/`` sub-folders
take the intent from the folder, put ``slots`` on the test itself and bring their own
``areas``/``entities`` (names and a ``domain``, no ids), which are added to the home.
A malformed file or test is skipped with a warning (``Suite.warnings``), never an error.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from home_brain_nlu.en import singular

from .home import Area, Entity, Floor, Home

_LOGGER = logging.getLogger(__name__)
Warn = Callable[[str], None]

# ../shared/data/ha-intents-tests/tests/en, relative to the repository root.
DEFAULT_SUITE = (Path(__file__).resolve().parent.parent.parent
                 / "shared" / "data" / "ha-intents-tests" / "tests" / "en")
FIXTURES = "_fixtures.yaml"


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
    for file in suite_files(folder, warn):
        builder.add(file.data, file.relative)
        for index, test in enumerate(file.tests):
            cases += _cases(test, file.relative, index, file.folder_intent or intent_from_stem(file.path.stem), warn)
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


def _cases(test: Any, file: str, index: int, default_intent: str | None, warn: Warn) -> list[SuiteCase]:
    where = f"{file}: tests[{index}]"
    sentences = sentences_of(test, where, warn)
    expected = expected_intent(test, where, default_intent, warn) if sentences is not None else None
    if sentences is None or expected is None:
        return []
    name, slots, context = expected
    return [SuiteCase(file, s, name, dict(slots), dict(context)) for s in sentences]


@dataclass(frozen=True, slots=True)
class SuiteFile:
    """A case file of a suite folder that holds a list of tests."""

    path: Path
    relative: str  # its path in the suite folder, as its cases name it
    data: dict[str, Any]
    tests: list[Any]
    folder_intent: str | None  # a sub-folder's file tests the folder's intent


def suite_files(folder: Path, warn: Warn) -> Iterator[SuiteFile]:
    """The case files of a suite folder (not the fixtures): its own, then its sub-folders',
    each sorted; an unreadable one or one without a ``tests`` list is skipped with a warning."""
    paths = sorted(p for p in folder.glob("*.yaml") if p.name != FIXTURES) + sorted(folder.glob("*/*.yaml"))
    for path in paths:
        relative = path.relative_to(folder).as_posix()
        data = read_yaml(path, relative, warn)
        if data is None:
            continue
        tests = data.get("tests")
        if not isinstance(tests, list):
            warn(f"{relative}: no 'tests' list, skipped")
            continue
        yield SuiteFile(path, relative, data, tests, path.parent.name if path.parent != folder else None)


def sentences_of(test: Any, where: str, warn: Warn) -> list[str] | None:
    """A test's sentences, blank ones left out; None (with a warning) when it is no test."""
    if not isinstance(test, dict):
        warn(f"{where}: not a mapping, skipped")
        return None
    sentences = test.get("sentences")
    if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
        warn(f"{where}: 'sentences' is not a list of texts, skipped")
        return None
    return [s for s in sentences if s.strip()]


def expected_intent(
    test: dict[str, Any], where: str, default_intent: str | None, warn: Warn
) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """The intent name, slots and context a test expects (``slots``/``context`` may sit on the
    test itself, as in sub-folder files); None (with a warning) when they are unreadable."""
    intent_data = test.get("intent") or {}
    if not isinstance(intent_data, dict):
        warn(f"{where}: 'intent' is not a mapping, skipped")
        return None
    name = intent_data.get("name") or default_intent
    slots = intent_data.get("slots", test.get("slots")) or {}
    context = intent_data.get("context", test.get("context")) or {}
    if not isinstance(name, str) or not isinstance(slots, dict) or not isinstance(context, dict):
        warn(f"{where}: no intent name, or slots/context not mappings, skipped")
        return None
    return (name, {str(k): plain(v) for k, v in slots.items() if v is not None},
            {str(k): plain(v) for k, v in context.items() if v is not None})


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


def entity_id_of(item: dict[str, Any], name: str, warn: Warn) -> str | None:
    """A suite entity's id, or one made of its domain and ``name``; None (warned) without either."""
    raw_id = item.get("id")
    if isinstance(raw_id, str) and "." in raw_id:
        domain, object_id = raw_id.split(".", 1)
    elif isinstance(item.get("domain"), str):
        domain, object_id = item["domain"], name
    else:
        warn(f"entity {name!r} has neither an id nor a domain, ignored")
        return None
    # Our ids are strict (lower case, digits, underscores); the suite has "sensor.traveling speed".
    return f"{slug(domain)}.{slug(object_id)}"


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
        if any(f.id == floor_id or key_of(f.name) == key_of(names[0]) for f in self.home.floors):
            return
        self.home.floors.append(Floor(floor_id, names[0], self._aliases(item, names[1:])))

    def _area(self, item: dict[str, Any]) -> None:
        names = template_names(item["name"])
        area_id = str(item.get("id") or slug(names[0]))
        if any(a.id == area_id or key_of(a.name) == key_of(names[0]) for a in self.home.areas):
            return
        floor = self._place_id(item.get("floor"), self.home.floors)
        self.home.areas.append(Area(area_id, names[0], floor, self._aliases(item, names[1:])))

    @staticmethod
    def _place_id(ref: Any, places: list[Floor] | list[Area]) -> str | None:
        """The id of the floor or area that ``ref`` names (by id, name or loose name)."""
        if not isinstance(ref, str):
            return None
        for place in places:
            if ref in (place.id, place.name) or key_of(ref) == key_of(place.name):
                return place.id
        return None

    def _entity(self, item: dict[str, Any]) -> None:
        names = template_names(item["name"])
        entity_id = entity_id_of(item, names[0], self.warn)
        if entity_id is None or any(e.entity_id == entity_id for e in self.home.entities):
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


def words_of(text: str) -> list[str]:
    """The words two texts are compared by: case-folded, apostrophes dropped, singular."""
    text = re.sub(r"['’`]", "", str(text).casefold())
    return [singular(w) for w in re.findall(r"[^\W_]+", text)]


def key_of(text: Any) -> str:
    """The normal form two texts are compared in."""
    return " ".join(words_of(str(text)))
