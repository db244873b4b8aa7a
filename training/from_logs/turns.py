"""Reading an export's ``turns.jsonl``: one JSON object per conversation turn::

    {"version": 1, "time": "2026-11-02T19:04:11+00:00", "language": "en", "device_id": null,
     "satellite_id": null, "text": "switch the kitchen lamp on please",
     "words": [{"text": "switch", "start": 0, "end": 6, "label": "O", "confidence": 0.41}, ...],
     "commands": [{"intent": "HassTurnOn", "slots": {"name": "kitchen lamp"}, "confidence": 0.38}],
     "calls": [], "handled_by": "fallback", "reply": "Turned on the light", "latency_ms": 85.0,
     "fallback": {"agent_id": "conversation.home_assistant", "intent": "HassTurnOn",
                  "slots": {"name": "Kitchen Light"}, "targets": ["light.kitchen"],
                  "response_type": "action_done", "success": true}}

Reading never fails on a bad line: malformed lines (bad JSON, not an object, wrong version,
missing or mistyped fields) are counted and skipped.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..home import Home, load_home

_LOGGER = logging.getLogger(__name__)

TURNS_FILE = "turns.jsonl"
HOME_FILE = "home.yaml"
VERSION = 1
HANDLED_BY = frozenset({"home_brain", "fallback", "clarify", "refused"})


@dataclass(slots=True)
class Turn:
    """One valid line of a ``turns.jsonl``, with where it came from and the home it refers to."""

    data: dict[str, Any]
    export: str
    line: int
    home: Home | None = None

    @property
    def text(self) -> str:
        return self.data["text"]

    @property
    def time(self) -> str:
        return str(self.data.get("time") or "")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_turn(data: Any) -> None:
    """Raise ValueError saying what is wrong with a turn; return None when it is usable."""
    if not isinstance(data, dict):
        raise ValueError(f"a turn must be an object, got {type(data).__name__}")
    if data.get("version") != VERSION:
        raise ValueError(f"unsupported version {data.get('version')!r} (expected {VERSION})")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"'text' must be a non-empty string, got {text!r}")
    if data.get("handled_by") not in HANDLED_BY:
        raise ValueError(f"'handled_by' must be one of {sorted(HANDLED_BY)}, got {data.get('handled_by')!r}")
    for key in ("words", "commands", "calls"):
        if not isinstance(data.get(key), list):
            raise ValueError(f"{key!r} must be a list, got {data.get(key)!r}")
    for i, word in enumerate(data["words"]):
        if not (isinstance(word, dict) and isinstance(word.get("label"), str)
                and isinstance(word.get("start"), int) and isinstance(word.get("end"), int)
                and is_number(word.get("confidence"))):
            raise ValueError(f"words[{i}] must have start/end integers, a label and a confidence")
    for i, command in enumerate(data["commands"]):
        if not (isinstance(command, dict) and is_number(command.get("confidence"))):
            raise ValueError(f"commands[{i}] must be an object with a numeric confidence")
    for i, call in enumerate(data["calls"]):
        if not (isinstance(call, dict) and isinstance(call.get("success"), bool)):
            raise ValueError(f"calls[{i}] must be an object with a boolean 'success'")
    fallback = data.get("fallback")
    if fallback is not None and not (
        isinstance(fallback, dict) and isinstance(fallback.get("success"), bool)
        and isinstance(fallback.get("slots", {}), dict)
    ):
        raise ValueError("'fallback' must be null or an object with a boolean 'success' and 'slots'")
    for key in ("language", "time"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ValueError(f"{key!r} must be a string")


@dataclass(slots=True)
class ReadResult:
    """The valid turns of some exports and what was skipped while reading them."""

    turns: list[Turn] = field(default_factory=list)
    files: int = 0
    lines: int = 0
    malformed: int = 0
    malformed_examples: list[str] = field(default_factory=list)
    exported_twice: int = 0  # the same turn (time and text) in two exports


def export_files(path: str | Path) -> tuple[Path, Path | None]:
    """``(turns.jsonl, home.yaml or None)`` for an export folder or a turns file."""
    path = Path(path)
    turns = path / TURNS_FILE if path.is_dir() else path
    if not turns.is_file():
        raise ValueError(f"{path}: no {TURNS_FILE} here (give an export folder or a turns file)")
    home = turns.parent / HOME_FILE
    return turns, home if home.is_file() else None


def read_exports(paths: list[str | Path], default_home: Home | None = None) -> ReadResult:
    """Read every export's turns; each turn keeps its export's home (else ``default_home``)."""
    result = ReadResult()
    seen: set[tuple[str, str]] = set()
    for path in paths:
        turns_file, home_file = export_files(path)
        home = default_home
        if home_file is not None:
            try:
                home = load_home(home_file)
            except ValueError as err:
                _LOGGER.warning("%s; using the --home file for this export instead", err)
        result.files += 1
        with turns_file.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                result.lines += 1
                try:
                    data = json.loads(line)
                    check_turn(data)
                except (json.JSONDecodeError, ValueError, RecursionError) as err:
                    result.malformed += 1
                    if len(result.malformed_examples) < 20:
                        result.malformed_examples.append(f"{turns_file}:{number}: {err}")
                    continue
                turn = Turn(data, str(turns_file.parent), number, home)
                key = (turn.time, turn.text)
                if turn.time and key in seen:
                    result.exported_twice += 1
                    continue
                seen.add(key)
                result.turns.append(turn)
        if result.malformed:
            _LOGGER.warning("%s: %d malformed line(s) skipped so far", turns_file, result.malformed)
    return result
