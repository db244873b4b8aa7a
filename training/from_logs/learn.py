"""What each distinct sentence of some exports teaches (same words, ignoring case and punctuation):

- **fallback**: the fallback agent understood it and succeeded: its intent and slots are
  placed on the words said (``project.py``).
- **reinforced**: Home Brain handled it itself, every call succeeded and every command was
  at least ``min_confidence`` sure: its own tags become the example (``tags.py``).
- **accepted**: Home Brain acted itself, less sure than that, every call succeeded and nothing
  undid it: the calls' intent and targets are projected onto the words like a fallback's.
- **review**: what nobody resolved (the fallback failed or had no intent, one of Home Brain's
  calls failed, a slot could not be projected): listed with counts for a person. Unsure turns
  of Home Brain's that cannot be projected so, turns it asked back about (``clarify``) or
  refused (empty or over-long input) are only counted.

Each example is in ``dataset_io``'s format, with ``"source": "log"``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..dataset_io import validate_example
from ..home import Home
from ..nicknames import unread_names, unread_places
from ..undone import DEFAULT_UNDO_WINDOW_S, call_action, is_correction, undone_turns
from .project import DEFAULT_FUZZY_THRESHOLD, Unprojectable, normalize, project_fallback
from .tags import example_from_tags, heard_names
from .turns import Turn, read_exports

DEFAULT_MIN_CONFIDENCE = 0.9


@dataclass(slots=True)
class _Outcome:
    kind: str  # "fallback" | "reinforced" | "review" | "skipped"
    reason: str = ""
    detail: str = ""
    example: dict[str, Any] | None = None


def classify(
    turn: Turn, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD,
) -> _Outcome:
    """What one turn teaches: a fallback example, a reinforcing example, a review item or nothing."""
    data = turn.data
    handled_by = data["handled_by"]
    failed_calls = [c for c in data["calls"] if not c["success"]]
    if handled_by == "fallback":
        fallback = data.get("fallback")
        if fallback is None:
            return _Outcome("review", "fallback_failed", "no fallback result was recorded")
        if not fallback["success"] or fallback.get("response_type") == "error":
            return _Outcome("review", "fallback_failed",
                            f"the fallback agent answered {fallback.get('response_type') or 'unsuccessfully'}")
        intent = fallback.get("intent")
        if not isinstance(intent, str) or not intent:
            return _Outcome("review", "fallback_no_intent", "the fallback agent succeeded without an intent")
        targets = fallback.get("targets") if isinstance(fallback.get("targets"), list) else []

        def projected() -> dict[str, Any]:
            return project_fallback(turn.text, intent, fallback["slots"] or {}, turn.home,
                                    targets=targets, fuzzy_threshold=fuzzy_threshold,
                                    heard=heard_names(data["words"]), unread=unread_places(data["words"]),
                                    unread_name=unread_names(data["words"]))

        return _checked("fallback", projected, "review", "unprojectable")
    if handled_by in ("refused", "clarify"):  # empty/over-long input; asked back which device
        return _Outcome("skipped", handled_by)
    # handled_by == "home_brain"
    if failed_calls or not data["calls"]:
        errors = "; ".join(str(c.get("error") or c.get("intent") or "?") for c in failed_calls)
        return _Outcome("review", "call_failed", errors or "no call was made")
    confidences = [c["confidence"] for c in data["commands"]]
    if not confidences:  # it completed a "which one?" answer: these words are not the command
        return _Outcome("skipped", "unsure")
    if min(confidences) < min_confidence:
        return _accepted(turn, fuzzy_threshold)
    return _checked("reinforced", lambda: example_from_tags(turn.text, data["words"]), "skipped", "bad_tags")


def _checked(kind: str, make: Callable[[], dict[str, Any]], failed: str, reason: str) -> _Outcome:
    """``make``'s example, valid, as a ``kind`` outcome; else a ``failed`` one that says why
    (``Unprojectable``'s reason, else ``reason``: the example is not valid)."""
    try:
        example = make()
        validate_example(example)
    except Unprojectable as err:
        return _Outcome(failed, err.reason, err.detail)
    except ValueError as err:
        return _Outcome(failed, reason, str(err))
    return _Outcome(kind, example=example)


def _accepted(turn: Turn, fuzzy_threshold: float) -> _Outcome:
    """An unsure turn of Home Brain's own that acted: labelled with what it did, not its tags.

    A household that says nothing after Home Brain acted has accepted the action, however
    unsure the model was (an undone turn never gets here: ``learn`` reviews it), as it accepts
    the fallback's; the calls' intent and targets, found in the words like the fallback's, are
    the label, since the unsure tags may name another intent that merely resolved to it.
    """
    action = call_action(turn.data)
    if action is None or turn.home is None:
        return _Outcome("skipped", "unsure")
    intent, slots, targets = action
    try:
        example = project_fallback(turn.text, intent, slots, turn.home, targets=targets,
                                   fuzzy_threshold=fuzzy_threshold)
        validate_example(example)
    except ValueError:
        return _Outcome("skipped", "unsure")
    return _Outcome("accepted", example=example)


_PREFERENCE = {"fallback": 0, "reinforced": 1, "accepted": 1, "review": 2, "skipped": 3}


def _corrected(turn: Turn, fix: Turn, undone: _Outcome, fuzzy_threshold: float) -> _Outcome:
    """The corrected sentence labelled with what the fallback did after the bare correction
    (``undone.py``), when that action is found in its words; else the review item as it was."""
    outcome = classify(Turn({**turn.data, "handled_by": "fallback", "fallback": fix.data.get("fallback")},
                            turn.export, turn.line, turn.home), fuzzy_threshold=fuzzy_threshold)
    if outcome.kind != "fallback" or outcome.example is None:
        return undone
    return _Outcome("corrected", example={**outcome.example, "corrected_by": fix.text})


@dataclass(slots=True)
class Learned:
    """What a set of exports teaches: examples (one per distinct sentence), review items, counts."""

    examples: list[dict[str, Any]]
    review: list[dict[str, Any]]
    summary: dict[str, Any]


def learn(
    exports: list[str | Path], default_home: Home | None = None, *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE, fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD,
    undo_window_s: float = DEFAULT_UNDO_WINDOW_S,
) -> Learned:
    """Read exports and turn each distinct sentence into an example or a review item.

    A sentence any of whose turns was undone (``undone.py``) goes to review, never to training.
    """
    read = read_exports(exports, default_home)
    fixed_by: dict[int, Turn] = {}
    undone = undone_turns(read.turns, undo_window_s, fixed_by)
    groups: dict[str, list[Turn]] = {}
    other_language = 0
    for turn in read.turns:
        language = turn.data.get("language")
        home_language = turn.home.language if turn.home else None
        if language and home_language and language.split("-")[0] != home_language.split("-")[0]:
            other_language += 1
            continue
        key = normalize(turn.text)
        if key:
            groups.setdefault(key, []).append(turn)

    examples: list[dict[str, Any]] = []
    review: list[dict[str, Any]] = []
    learned: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    review_reasons: Counter[str] = Counter()
    for turns in groups.values():
        turns.sort(key=lambda t: t.time, reverse=True)  # newest first
        outcomes = [(classify(t, min_confidence=min_confidence, fuzzy_threshold=fuzzy_threshold), t)
                    for t in turns]
        outcome, turn = min(outcomes, key=lambda pair: _PREFERENCE[pair[0].kind])
        if undone_here := [t for t in turns if id(t) in undone]:
            turn = undone_here[0]
            reason = "correction" if is_correction(turn.text) else "undone"
            outcome = _Outcome("review", reason, undone[id(turn)])
            if reason == "undone" and len(undone_here) == len(turns) and (fix := fixed_by.get(id(turn))):
                outcome = _corrected(turn, fix, outcome, fuzzy_threshold)
        if outcome.example is not None:
            example = {**outcome.example, "log": outcome.kind, "times": len(turns)}
            examples.append(example)
            learned[outcome.kind] += 1
        elif outcome.kind == "review":
            review_reasons[outcome.reason] += 1
            review.append(_review_item(turn, outcome, len(turns)))
        else:
            skipped[outcome.reason] += 1
    review.sort(key=lambda item: (-item["times"], item["text"]))
    summary = {
        "exports": read.files,
        "lines": read.lines,
        "turns_read": len(read.turns) + read.exported_twice,
        "malformed_skipped": read.malformed,
        "exported_twice": read.exported_twice,
        "other_language": other_language,
        "sentences": len(groups),
        "duplicates_merged": sum(len(t) - 1 for t in groups.values()),
        "fallback_learned": learned["fallback"],
        "learned_from_corrections": learned["corrected"],
        "reinforced": learned["reinforced"],
        "accepted_unsure": learned["accepted"],
        "for_review": len(review),
        "review_reasons": dict(sorted(review_reasons.items())),
        "not_learned": dict(sorted(skipped.items())),
        "malformed_examples": read.malformed_examples[:5],
    }
    return Learned(examples, review, summary)


def _review_item(turn: Turn, outcome: _Outcome, times: int) -> dict[str, Any]:
    data = turn.data
    item = {
        "text": turn.text,
        "times": times,
        "reason": outcome.reason,
        "detail": outcome.detail,
        "handled_by": data["handled_by"],
        "last_time": turn.time,
        "reply": data.get("reply"),
        "export": turn.export,
        "line": turn.line,
    }
    if data.get("fallback"):
        fb = data["fallback"]
        keys = ("agent_id", "intent", "slots", "targets", "response_type", "success")
        item["fallback"] = {k: fb.get(k) for k in keys}
    if data["commands"]:
        item["commands"] = data["commands"]
    if data["calls"]:
        item["calls"] = data["calls"]
    return item


def repeated(examples: list[dict[str, Any]], times: int) -> list[dict[str, Any]]:
    """Each log example ``times`` times (weight against thousands of synthetic examples)."""
    return [example for example in examples for _ in range(max(0, times))]
