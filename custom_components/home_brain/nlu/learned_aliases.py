"""Names a household uses that its registry does not hold, learned from its logs.

``aliases.json`` beside the model weights (written by ``python -m training`` from the turns
the fallback agent resolved; see ``training/nicknames.py``)::

    {"version": 1,
     "entities": {"light.living_room_lamp": ["big light"]},
     "areas": {"living_room": ["snug"]},
     "floors": {}}

They travel with the model folder and are read as extra aliases when names are matched;
the user's registry is never written. A folder without the file has none.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ALIASES_FILE = "aliases.json"
VERSION = 1
KINDS = ("entities", "areas", "floors")


@dataclass(frozen=True, slots=True)
class LearnedAliases:
    """Extra names per entity id, area id and floor id."""

    entities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    areas: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    floors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any((self.entities, self.areas, self.floors))

    def to_dict(self) -> dict[str, Any]:
        return {"version": VERSION, **{kind: {k: list(v) for k, v in sorted(getattr(self, kind).items())}
                                       for kind in KINDS}}

    @classmethod
    def from_dict(cls, data: Any) -> LearnedAliases:
        """Raises ValueError saying what is wrong."""
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError(f"expected an object with version {VERSION}")
        parts: dict[str, dict[str, tuple[str, ...]]] = {}
        for kind in KINDS:
            table = data.get(kind, {})
            if not isinstance(table, dict) or not all(
                isinstance(key, str) and isinstance(names, list) and all(isinstance(n, str) for n in names)
                for key, names in table.items()
            ):
                raise ValueError(f"{kind!r} must map ids to lists of names")
            parts[kind] = {key: tuple(n.strip() for n in names if n.strip()) for key, names in table.items()}
        return cls(**parts)


def read_learned_aliases(folder: str | Path) -> LearnedAliases:
    """The folder's learned aliases (none without the file); raises ValueError for a bad file."""
    path = Path(folder) / ALIASES_FILE
    if not path.is_file():
        return LearnedAliases()
    try:
        return LearnedAliases.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError) as err:
        raise ValueError(f"{path} is not a learned-aliases file: {err}") from err


def write_learned_aliases(folder: str | Path, aliases: LearnedAliases) -> Path | None:
    """Write ``aliases.json`` (nothing when there are none); returns its path."""
    path = Path(folder) / ALIASES_FILE
    if not aliases:
        path.unlink(missing_ok=True)
        return None
    path.write_text(json.dumps(aliases.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
