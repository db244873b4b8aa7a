"""A home snapshot: the floors, areas and entities a model is trained for.

Training data are generated per home, because the words a user says for a device are the
home's own names and aliases ("kitchen light", "cookhouse"). The snapshot is a small
YAML or JSON file, so it can be written by hand, exported from a running Home Assistant,
or checked into a test suite:

```yaml
language: en
floors: [{id: ground_floor, name: Ground Floor, aliases: [downstairs]}]
areas: [{id: kitchen, name: Kitchen, floor: ground_floor, aliases: [cookhouse]}]
entities:
  - {entity_id: light.kitchen, name: Kitchen Light, aliases: [], area: kitchen,
     device_class: null, supported_features: 0}
```

This module must not import Home Assistant: training runs on machines without it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_ENTITY_ID = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")


@dataclass(frozen=True, slots=True)
class Floor:
    """A floor; its name and aliases are what a user says ("upstairs")."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Name first, then aliases: every way a user may refer to the floor."""
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Area:
    """An area (room); ``floor`` is a floor id or None."""

    id: str
    name: str
    floor: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Name first, then aliases: every way a user may refer to the area."""
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity as Assist sees it; ``area`` is an area id or None."""

    entity_id: str
    name: str
    aliases: tuple[str, ...] = ()
    area: str | None = None
    device_class: str | None = None
    supported_features: int = 0

    @property
    def domain(self) -> str:
        """The integration domain, derived from the entity_id so the two cannot disagree."""
        return self.entity_id.split(".", 1)[0]

    @property
    def names(self) -> tuple[str, ...]:
        """Name first, then aliases: every way a user may refer to the entity."""
        return (self.name, *self.aliases)


@dataclass(slots=True)
class Home:
    """Floors, areas and entities of one home."""

    language: str = "en"
    floors: list[Floor] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)

    def area(self, area_id: str | None) -> Area | None:
        """The area with this id, or None."""
        for area in self.areas:
            if area.id == area_id:
                return area
        return None

    def floor(self, floor_id: str | None) -> Floor | None:
        """The floor with this id, or None."""
        for floor in self.floors:
            if floor.id == floor_id:
                return floor
        return None

    def entities_in(self, domains: list[str] | tuple[str, ...] | set[str] | None) -> list[Entity]:
        """Entities of these domains (all entities for None), in file order."""
        if domains is None:
            return list(self.entities)
        return [entity for entity in self.entities if entity.domain in domains]

    def to_dict(self) -> dict[str, Any]:
        """A plain dict in the file format (round-trips through ``from_dict``)."""
        return {
            "language": self.language,
            "floors": [
                {"id": f.id, "name": f.name, "aliases": list(f.aliases)} for f in self.floors
            ],
            "areas": [
                {"id": a.id, "name": a.name, "floor": a.floor, "aliases": list(a.aliases)}
                for a in self.areas
            ],
            "entities": [
                {
                    "entity_id": e.entity_id,
                    "name": e.name,
                    "aliases": list(e.aliases),
                    "area": e.area,
                    "device_class": e.device_class,
                    "supported_features": e.supported_features,
                }
                for e in self.entities
            ],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Home:
        """Build and check a home; raises ValueError naming the offending item."""
        if not isinstance(data, dict):
            raise ValueError(f"a home must be a mapping, got {type(data).__name__}")
        unknown = sorted(set(data) - {"language", "floors", "areas", "entities"})
        if unknown:
            raise ValueError(f"unknown top-level key(s): {', '.join(unknown)}")
        language = data.get("language", "en")
        if not isinstance(language, str) or not language:
            raise ValueError(f"'language' must be a language code like 'en', got {language!r}")

        floors = [_floor(item, f"floors[{i}]") for i, item in enumerate(_list(data, "floors"))]
        _no_duplicates([f.id for f in floors], "floors")
        floor_ids = {f.id for f in floors}

        areas = [_area(item, f"areas[{i}]") for i, item in enumerate(_list(data, "areas"))]
        _no_duplicates([a.id for a in areas], "areas")
        for i, area in enumerate(areas):
            if area.floor is not None and area.floor not in floor_ids:
                raise ValueError(
                    f"areas[{i}] ({area.id}): floor {area.floor!r} is not one of the floors "
                    f"({', '.join(sorted(floor_ids)) or 'none defined'})"
                )
        area_ids = {a.id for a in areas}

        entities = [
            _entity(item, f"entities[{i}]") for i, item in enumerate(_list(data, "entities"))
        ]
        _no_duplicates([e.entity_id for e in entities], "entities")
        for i, entity in enumerate(entities):
            if entity.area is not None and entity.area not in area_ids:
                raise ValueError(
                    f"entities[{i}] ({entity.entity_id}): area {entity.area!r} is not one of "
                    f"the areas ({', '.join(sorted(area_ids)) or 'none defined'})"
                )
        return cls(language=language, floors=floors, areas=areas, entities=entities)


def load_home(path: str | Path) -> Home:
    """Read a home from a YAML or JSON file; ValueError (with the path) when malformed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ValueError(f"{path}: cannot read home file: {err}") from err
    try:
        # JSON is a subset of YAML, but json gives better messages for .json files.
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as err:
        raise ValueError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {err}") from err
    try:
        return Home.from_dict(data)
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from err


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{key!r} must be a list, got {type(value).__name__}")
    return value


def _mapping(item: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError(f"{where}: must be a mapping, got {item!r}")
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}")
    return item


def _text(item: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
    value = item.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {key!r} must be a non-empty string, got {value!r}")
    return value.strip()


def _aliases(item: dict[str, Any], where: str) -> tuple[str, ...]:
    value = item.get("aliases")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise ValueError(f"{where}: 'aliases' must be a list of strings, got {value!r}")
    # Empty aliases would generate empty slot values.
    return tuple(a.strip() for a in value if a.strip())


def _no_duplicates(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise ValueError(f"{what}: duplicate id {item_id!r}")
        seen.add(item_id)


def _floor(item: Any, where: str) -> Floor:
    item = _mapping(item, where, {"id", "name", "aliases"})
    name = _text(item, "name", where)
    assert name is not None
    return Floor(id=_text(item, "id", where) or "", name=name, aliases=_aliases(item, where))


def _area(item: Any, where: str) -> Area:
    item = _mapping(item, where, {"id", "name", "floor", "aliases"})
    name = _text(item, "name", where)
    assert name is not None
    return Area(
        id=_text(item, "id", where) or "",
        name=name,
        floor=_text(item, "floor", where, required=False),
        aliases=_aliases(item, where),
    )


def _entity(item: Any, where: str) -> Entity:
    item = _mapping(
        item,
        where,
        {"entity_id", "name", "aliases", "area", "device_class", "supported_features"},
    )
    entity_id = _text(item, "entity_id", where)
    assert entity_id is not None
    if not _ENTITY_ID.match(entity_id):
        raise ValueError(
            f"{where}: 'entity_id' must look like 'domain.object_id' "
            f"(lower case, digits, underscores), got {entity_id!r}"
        )
    where = f"{where} ({entity_id})"
    # An entity without a name is spoken of by its object id, as HA's UI would show it.
    name = _text(item, "name", where, required=False)
    if name is None:
        name = entity_id.split(".", 1)[1].replace("_", " ").title()
    features = item.get("supported_features", 0)
    if features is None:
        features = 0
    if isinstance(features, bool) or not isinstance(features, int) or features < 0:
        raise ValueError(
            f"{where}: 'supported_features' must be a non-negative integer, got {features!r}"
        )
    return Entity(
        entity_id=entity_id,
        name=name,
        aliases=_aliases(item, where),
        area=_text(item, "area", where, required=False),
        device_class=_text(item, "device_class", where, required=False),
        supported_features=features,
    )
