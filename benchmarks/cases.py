"""Read a benchmark folder: its home (``_fixtures.yaml``) and its cases, in two formats.

Home (Home Assistant intents test format): ``floors`` (name, id, aliases), ``areas`` (name,
id, floor, aliases), ``entities`` (name, id, area, aliases, ``state`` — plain, or ``{in,
out}`` where ``out`` is the state — and ``attributes``). Files in sub-folders may bring
their own ``areas``/``entities`` (name and ``domain``, no id): their cases run in the
fixture home plus those.

Case format A (the Home Assistant intents suite): ``tests: [{sentences, intent: {name,
slots, context: {area}}}]``; in a sub-folder the intent name comes from the folder and
``slots`` sit on the test. Case format B (state-based): ``tests: [{sentences, context:
{area} | context_device: <entity_id>, setup: {entity_id: {state, attributes}},
expect_changes: {entity_id: {state, attributes}}, ignore_changes: [entity_id],
expect_speech: [words]}]``; an empty ``expect_changes`` means nothing may change (asking
back or refusing is then right). ``expect_speech`` lists words or phrases the reply must
contain (case-insensitive), so a question is judged by what was answered.
``context_device`` names an entity of the home; the speaker is in its area.

A malformed file or test is skipped with a warning, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The suite format's readers, shared with the recognition scorer.
from training.suite_reader import (
    FIXTURES,
    entity_id_of,
    expected_intent,
    intent_from_stem,
    plain,
    read_yaml,
    sentences_of,
    slug,
    suite_files,
    template_names,
)


@dataclass(frozen=True, slots=True)
class Place:
    """A floor or an area; ``floor`` is set for areas."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    floor: str | None = None


@dataclass(frozen=True, slots=True)
class Device:
    """One entity of the home with the state it starts in."""

    entity_id: str
    name: str
    aliases: tuple[str, ...]
    area: str | None
    state: str
    attributes: dict[str, Any]


@dataclass(slots=True)
class HomeSpec:
    """Floors, areas and devices; ``extend`` returns a copy with a file's own additions."""

    floors: list[Place] = field(default_factory=list)
    areas: list[Place] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)

    def extend(self, data: dict[str, Any], warn: Any) -> HomeSpec:
        home = HomeSpec(list(self.floors), list(self.areas), list(self.devices))
        home.add(data, warn)
        return home

    def add(self, data: dict[str, Any], warn: Any) -> None:
        for item in _items(data, "floors", warn):
            place = _place(item, None)
            if not any(f.id == place.id for f in self.floors):
                self.floors.append(place)
        for item in _items(data, "areas", warn):
            place = _place(item, self._ref(item.get("floor"), self.floors))
            if not any(a.id == place.id or a.name.casefold() == place.name.casefold() for a in self.areas):
                self.areas.append(place)
        for item in _items(data, "entities", warn):
            if (device := self._device(item, warn)) and not any(d.entity_id == device.entity_id for d in self.devices):
                self.devices.append(device)

    def area_id(self, ref: Any) -> str | None:
        return self._ref(ref, self.areas)

    @staticmethod
    def _ref(ref: Any, places: list[Place]) -> str | None:
        if not isinstance(ref, str):
            return None
        for place in places:
            if ref == place.id or ref.casefold() == place.name.casefold():
                return place.id
        return None

    def _device(self, item: dict[str, Any], warn: Any) -> Device | None:
        names = template_names(item["name"])
        entity_id = entity_id_of(item, names[0], warn)
        if entity_id is None:
            return None
        state = item.get("state", "")
        if isinstance(state, dict):
            state = state.get("out", state.get("in", ""))
        attributes = item.get("attributes") if isinstance(item.get("attributes"), dict) else {}
        return Device(
            entity_id=entity_id,
            name=names[0],
            aliases=tuple(dict.fromkeys([*names[1:], *_strings(item.get("aliases"))])),
            area=self.area_id(item.get("area")),
            state=plain(state) if state is not None else "",
            attributes=dict(attributes),
        )


@dataclass(frozen=True, slots=True)
class Case:
    """One sentence and how to judge it.

    Format A sets ``intent``/``slots`` (truth: what handling them does); format B sets
    ``expect_changes`` (truth given), ``setup`` and ``ignore_changes``.
    """

    file: str
    sentence: str
    home: str  # key into Suite.homes: "" for the fixture home, else the file
    area: str | None = None  # the speaker's area id
    intent: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    setup: dict[str, dict[str, Any]] = field(default_factory=dict)
    expect_changes: dict[str, dict[str, Any]] | None = None
    ignore_changes: tuple[str, ...] = ()
    expect_speech: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        """What the per-intent table groups by: the intent, or a state-based case's file."""
        return self.intent or f"state: {Path(self.file).stem}"


@dataclass(slots=True)
class Suite:
    folder: Path
    homes: dict[str, HomeSpec]
    cases: list[Case]
    warnings: list[str] = field(default_factory=list)


def load_suite(folder: str | Path) -> Suite:
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a folder")
    warnings: list[str] = []
    warn = warnings.append
    base = HomeSpec()
    if (fixtures := read_yaml(folder / FIXTURES, FIXTURES, warn)) is not None:
        base.add(fixtures, warn)
    suite = Suite(folder, {"": base}, [], warnings)
    for file in suite_files(folder, warn):
        home_key = ""
        if any(key in file.data for key in ("floors", "areas", "entities")):
            home_key = file.relative
            suite.homes[file.relative] = base.extend(file.data, warn)
        home = suite.homes[home_key]
        for index, test in enumerate(file.tests):
            suite.cases += _cases(test, f"{file.relative}: tests[{index}]", file.relative, home_key, home,
                                  file.folder_intent or intent_from_stem(file.path.stem), warn)
    return suite


def _cases(test: Any, where: str, file: str, home_key: str, home: HomeSpec,
           default_intent: str | None, warn: Any) -> list[Case]:
    sentences = sentences_of(test, where, warn)
    if sentences is None:
        return []
    if "expect_changes" in test:
        changes, setup = test.get("expect_changes") or {}, test.get("setup") or {}
        ignore, speech = test.get("ignore_changes") or [], test.get("expect_speech") or []
        if isinstance(speech, str):
            speech = [speech]
        if not (isinstance(changes, dict) and isinstance(setup, dict) and isinstance(ignore, list)
                and isinstance(speech, list)):
            warn(f"{where}: expect_changes/setup must be mappings, ignore_changes/expect_speech lists, skipped")
            return []
        area = _speaker_area(test, home)
        return [Case(file, s, home_key, area, setup=_state_map(setup), expect_changes=_state_map(changes),
                     ignore_changes=tuple(map(str, ignore)),
                     expect_speech=tuple(str(w) for w in speech if str(w).strip()))
                for s in sentences]
    expected = expected_intent(test, where, default_intent, warn)
    if expected is None:
        return []
    name, slots, context = expected
    area = home.area_id(context.get("area"))
    return [Case(file, s, home_key, area, intent=name, slots=slots) for s in sentences]


def _speaker_area(test: dict[str, Any], home: HomeSpec) -> str | None:
    context = test.get("context") or {}
    if isinstance(context, dict) and context.get("area"):
        return home.area_id(context["area"])
    device = test.get("context_device")
    for candidate in home.devices:
        if candidate.entity_id == device:
            return candidate.area
    return None


def _state_map(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{entity_id: "on"}`` or ``{entity_id: {state, attributes}}`` -> the long form."""
    result: dict[str, dict[str, Any]] = {}
    for entity_id, value in data.items():
        if isinstance(value, dict):
            # A bare on/off state is the state word; attributes keep their types (muted: true).
            result[str(entity_id)] = {k: plain(v) if k == "state" else v for k, v in value.items()
                                      if k in ("state", "attributes")}
        else:
            result[str(entity_id)] = {"state": plain(value)}
    return result


def _items(data: dict[str, Any], key: str, warn: Any) -> list[dict[str, Any]]:
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        warn(f"'{key}' is not a list, ignored")
        return []
    good = [i for i in items if isinstance(i, dict) and isinstance(i.get("name"), str) and i["name"].strip()]
    if len(good) < len(items):
        warn(f"{len(items) - len(good)} of '{key}' have no name, ignored")
    return good


def _place(item: dict[str, Any], floor: str | None) -> Place:
    names = template_names(item["name"])
    return Place(str(item.get("id") or slug(names[0])), names[0],
                 tuple(dict.fromkeys([*names[1:], *_strings(item.get("aliases"))])), floor)


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str) and v.strip()] if isinstance(value, list) else []
