"""Which logged turns were undone: a label is only as good as the user's silence after it.

A turn that acted (the fallback agent's success, or Home Brain's own) teaches nothing when
the same speaker, shortly after, says it was wrong ("no, turn it back on", "undo that") or
reverses the change themselves ("turn on the porch light" after the fallback turned it
off). Such turns go to the review list instead of becoming labels, and so do the
corrections themselves (what "no, the other one" means depends on the turn before).

A *bare* correction ("no", "that's wrong") adds nothing of its own, so when the fallback agent
then put things right in the same conversation, what it did is what the corrected sentence
meant: ``fixed_by`` names that turn, and the corrected sentence may be labelled with the
fallback's action (``from_logs.learn``) instead of being reviewed.

Turns belong together when they share a ``conversation_id`` (records from Home Brain since
it logs one) or, for older records, the same device/satellite (or none) within the window.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Protocol

# Long enough for a person to notice a wrong device and say so, short enough that a
# deliberate change later in the evening is not read as a correction.
DEFAULT_UNDO_WINDOW_S = 120.0

# A turn that starts by rejecting what just happened.
_CORRECTION = re.compile(
    r"^\s*(?:no+|nope|nah|wrong|undo|revert|not (?:that|this|the)|that'?s (?:wrong|not)|"
    r"that was (?:wrong|not)|i (?:said|meant|didn'?t)|cancel that|put it back|change it back|"
    r"(?:turn|switch|put|set) it back)\b",
    re.IGNORECASE,
)

# A correction that says nothing but "that was wrong".
_BARE_CORRECTION = re.compile(
    r"^\s*(?:(?:no+|nope|nah|wrong|undo|oops)[\s,.!]*)*(?:that'?s (?:wrong|not (?:it|right|what i (?:said|meant)))|"
    r"that was (?:wrong|not (?:it|right))|wrong (?:one|thing)|not that|undo that|you got it wrong)?[\s,.!]*$",
    re.IGNORECASE,
)

# Intents that reverse each other on the same targets.
_OPPOSITE = {
    "HassTurnOn": "HassTurnOff", "HassTurnOff": "HassTurnOn",
    "HassMediaPause": "HassMediaUnpause", "HassMediaUnpause": "HassMediaPause",
    "HassVacuumStart": "HassVacuumReturnToBase", "HassVacuumReturnToBase": "HassVacuumStart",
    "HassLawnMowerStartMowing": "HassLawnMowerDock", "HassLawnMowerDock": "HassLawnMowerStartMowing",
    "HassOpen": "HassClose", "HassClose": "HassOpen",
}


class _Turn(Protocol):
    data: dict[str, Any]


def is_correction(text: str) -> bool:
    return bool(_CORRECTION.match(text))


def is_bare_correction(text: str) -> bool:
    return bool(text.strip()) and bool(_BARE_CORRECTION.match(text))


def _when(turn: _Turn) -> datetime | None:
    try:
        return datetime.fromisoformat(str(turn.data.get("time") or ""))
    except ValueError:
        return None


def acted(data: dict[str, Any]) -> tuple[str | None, set[str]]:
    """The intent a turn ran and the entities it acted on (None, set() when it ran none)."""
    fallback = data.get("fallback")
    if data.get("handled_by") == "fallback" and isinstance(fallback, dict) and fallback.get("success"):
        targets = {t for t in fallback.get("targets") or [] if isinstance(t, str)}
        return fallback.get("intent"), targets
    calls = [c for c in data.get("calls") or [] if isinstance(c, dict) and c.get("success")]
    if not calls:
        return None, set()
    targets = set()
    for call in calls:
        for value in (call.get("slots") or {}).values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and "." in item and " " not in item:  # an entity id
                    targets.add(item)
    return calls[0].get("intent"), targets


def call_action(data: dict[str, Any]) -> tuple[str, dict[str, list[Any]], list[str]] | None:
    """What Home Brain itself did in a turn, as a fallback agent's action is recorded: the one
    intent its calls ran, their slot values merged, the entities acted on. None unless every
    call succeeded, all ran one intent and at least one names a device, area or floor (a call
    with no target, "lights" from a satellite, says nothing about the words)."""
    calls = [c for c in data.get("calls") or [] if isinstance(c, dict)]
    if not calls or not all(c.get("success") for c in calls) or len({c.get("intent") for c in calls}) != 1:
        return None
    intent = calls[0].get("intent")
    slots: dict[str, list[Any]] = {}
    for call in calls:
        for slot, value in (call.get("slots") or {}).items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str | int | float) and item not in slots.setdefault(slot, []):
                    slots[slot].append(item)
    if not isinstance(intent, str) or not any(slots.get(s) for s in ("name", "area", "floor")):
        return None
    return intent, slots, sorted(acted(data)[1])


def _same_conversation(a: _Turn, b: _Turn) -> bool:
    ida, idb = a.data.get("conversation_id"), b.data.get("conversation_id")
    if ida and idb:
        return bool(ida == idb)
    speaker = ("device_id", "satellite_id")
    return all(a.data.get(k) == b.data.get(k) for k in speaker)


def undone_turns(turns: list[_Turn], window_s: float = DEFAULT_UNDO_WINDOW_S,
                 fixed_by: dict[int, _Turn] | None = None) -> dict[int, str]:
    """``{id(turn): why}`` for each turn undone by a later one, and for each correction.

    ``fixed_by`` (when given) gets ``{id(turn): the correction}`` for turns undone by a bare
    correction that the fallback agent then acted on.
    """
    timed = sorted(((when, turn) for turn in turns if (when := _when(turn)) is not None),
                   key=lambda pair: pair[0])
    result: dict[int, str] = {}
    for index, (when, turn) in enumerate(timed):
        if is_correction(turn.data.get("text", "")):
            result[id(turn)] = "a correction: what it means depends on the turn before"
        intent, targets = acted(turn.data)
        # A failed try of Home Brain's own can be corrected too (its fix then teaches it).
        if intent is None and turn.data.get("handled_by") != "home_brain":
            continue
        for later_when, later in timed[index + 1:]:
            delay = (later_when - when).total_seconds()
            if delay > window_s:
                break
            if not _same_conversation(turn, later):
                continue
            text = later.data.get("text", "")
            if is_correction(text):
                result[id(turn)] = f"corrected {delay:.0f} s later: {text!r}"
                if fixed_by is not None and is_bare_correction(text) and later.data.get("handled_by") == "fallback":
                    fixed_by[id(turn)] = later
                break
            later_intent, later_targets = acted(later.data)
            if intent and later_intent and _OPPOSITE.get(intent) == later_intent and targets & later_targets:
                result[id(turn)] = f"reversed {delay:.0f} s later: {text!r}"
                break
    return result
