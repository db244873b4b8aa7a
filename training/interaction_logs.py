"""Learning from a home's own interaction logs (the integration's *export* action).

An export is a folder ``<config>/home_brain/exports/<timestamp>/`` holding ``home.yaml`` (a home
snapshot, see ``home.py``) and ``turns.jsonl``: one JSON object per conversation turn::

    {"version": 1, "time": "2026-11-02T19:04:11+00:00", "language": "en", "device_id": null,
     "satellite_id": null, "text": "switch the kitchen lamp on please",
     "words": [{"text": "switch", "start": 0, "end": 6, "label": "O", "confidence": 0.41}, ...],
     "commands": [{"intent": "HassTurnOn", "slots": {"name": "kitchen lamp"}, "confidence": 0.38}],
     "calls": [], "handled_by": "fallback", "reply": "Turned on the light", "latency_ms": 85.0,
     "fallback": {"agent_id": "conversation.home_assistant", "intent": "HassTurnOn",
                  "slots": {"name": "Kitchen Light"}, "targets": ["light.kitchen"],
                  "response_type": "action_done", "success": true}}

Each distinct sentence (same words, ignoring case and punctuation) becomes at most one
labelled example in ``dataset_io``'s format, with ``"source": "log"``:

- **fallback**: the fallback agent understood it and succeeded. Its intent and slots are
  projected back onto the words said: a slot value (Home Assistant's canonical value, e.g.
  ``Kitchen Light`` or ``light.kitchen``) is looked for among the word n-grams of the text as
  itself or as any name/alias of its entity, area or floor in the snapshot (case-folded,
  word for word), then by a fuzzy match (``difflib``) above a threshold; numbers are found
  by ``parse_number`` ("fifty percent" -> 50; the number words are the slot, "percent" is a
  carrier word as in the template data). ``domain`` and ``device_class`` may be implied by a
  template instead of said, so they are dropped when no word says them. Leading/trailing
  politeness ("please", "could you", "thanks") is filler (O); every other word is a carrier
  word of the intent. If any other slot cannot be found the sentence goes to review.
- **reinforced**: Home Brain handled it itself, every call succeeded and every command was
  at least ``min_confidence`` sure: its own tags become the example.
- **accepted**: Home Brain acted itself, less sure than that, every call succeeded and nothing
  undid it: the calls' intent and targets are projected onto the words like a fallback's.
- **review**: what nobody resolved (the fallback failed or had no intent, one of Home Brain's
  calls failed, a slot could not be projected): listed with counts for a person. Unsure turns
  of Home Brain's that cannot be projected so, turns it asked back about (``clarify``) or
  refused (empty or over-long input) are only counted.

Reading never fails on a bad line: malformed lines (bad JSON, not an object, wrong version,
missing or mistyped fields) are counted and skipped. This module must not import Home
Assistant.
"""

from __future__ import annotations

import difflib
import json
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from home_brain_nlu.commands import commands_from_tags
from home_brain_nlu.labels import SLOTS, parse_label
from home_brain_nlu.tags import TaggedWord
from home_brain_nlu.values import parse_number
from home_brain_nlu.vocabulary import DOMAIN_WORDS

from .dataset_io import INTENT_PREFIX, SEP, validate_example
from .home import Home, load_home
from .nicknames import unread_places
from .undone import DEFAULT_UNDO_WINDOW_S, call_action, is_correction, undone_turns

_LOGGER = logging.getLogger(__name__)

SOURCE = "log"
TURNS_FILE = "turns.jsonl"
HOME_FILE = "home.yaml"
VERSION = 1
HANDLED_BY = frozenset({"home_brain", "fallback", "clarify", "refused"})

DEFAULT_MIN_CONFIDENCE = 0.9
DEFAULT_FUZZY_THRESHOLD = 0.8

NUMERIC_SLOTS = frozenset({
    "brightness", "temperature", "position", "percentage", "volume_level", "volume_step",
    "hours", "minutes", "seconds", "start_hours", "start_minutes", "start_seconds",
})
# Slots a template may fix without a word for them ("turn on the kitchen" -> domain light).
IMPLIED_SLOTS = frozenset({"domain", "device_class"})
_SCHEMA_SLOTS = frozenset(SLOTS)

# Politeness around a command, tagged O like augment.py's filler (longest phrases first).
_FILLER_PREFIXES = tuple(sorted((tuple(p.split()) for p in (
    "please", "hey", "um", "uh", "ok", "okay", "so", "could you", "can you", "would you",
    "could you please", "can you please", "would you please", "hey could you", "excuse me",
    "quick one", "alright", "hmm", "go ahead and", "i need you to", "i want you to",
    "please could you", "please can you", "yo")), key=len, reverse=True))
_FILLER_SUFFIXES = tuple(sorted((tuple(p.split()) for p in (
    "please", "for me", "thanks", "thank you", "for me please", "please and thank you",
    "if you can", "thanks a lot", "cheers", "ta", "thx", "if you don't mind", "please thanks",
    "for me thanks", "thank you very much", "now please", "right now please")), key=len, reverse=True))
_FILLER_INFIXES = frozenset({"um", "uh", "er", "erm"})

# Words and the symbols the templates treat as words ("50 %", "21 °"); other punctuation is O.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['’]\w+)*|[^\w\s]")
_WORD_SYMBOLS = frozenset({"%", "°"})
# Words that may sit inside a number ("twenty one point five", "a hundred and five").
_NUMBER_JOINERS = frozenset({"point", "and"})
# Words parse_number reads as a number that alone are almost never one ("a timer", "oh").
_ARTICLES = frozenset({"a", "an", "oh"})


# --- reading ---------------------------------------------------------------------------------


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


def _is_number(value: Any) -> bool:
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
                and _is_number(word.get("confidence"))):
            raise ValueError(f"words[{i}] must have start/end integers, a label and a confidence")
    for i, command in enumerate(data["commands"]):
        if not (isinstance(command, dict) and _is_number(command.get("confidence"))):
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


# --- words -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_" or self.text in _WORD_SYMBOLS


def tokens(text: str) -> list[_Token]:
    """Words, numbers and punctuation marks of a text, with their character offsets."""
    return [_Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _words(text: str) -> tuple[str, ...]:
    return tuple(t.text.casefold() for t in tokens(text) if t.is_word)


def normalize(text: str) -> str:
    """What makes two sentences the same: their words, case-folded, without punctuation."""
    return " ".join(_words(text))


# --- projection of a fallback turn ---------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _number(value: Any) -> float | None:
    if _is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip().rstrip("%").strip())
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _candidates(slot: str, value: str, home: Home | None, targets: list[str]) -> list[str]:
    """Every text a user may have said for this canonical slot value, the value first."""
    names = [value, value.replace("_", " ")]
    folded = value.casefold()
    if home is not None:
        if slot == "name":
            for entity in home.entities:
                if entity.entity_id == value or any(n.casefold() == folded for n in entity.names):
                    names += entity.names
            if len(targets) == 1:  # the one entity the fallback acted on
                names += [n for e in home.entities if e.entity_id == targets[0] for n in e.names]
        elif slot == "area":
            for area in home.areas:
                if area.id == value or any(n.casefold() == folded for n in area.names):
                    names += area.names
        elif slot == "floor":
            for floor in home.floors:
                if floor.id == value or any(n.casefold() == folded for n in floor.names):
                    names += floor.names
    if slot == "domain":
        names += DOMAIN_WORDS.get(value, ())
    if slot == "device_class":
        names += [value + "s", value.replace("_", " ") + "s"]
    unique: list[str] = []
    for name in names:
        if name and name not in unique and _words(name):
            unique.append(name)
    return unique


def _number_spans(toks: list[_Token], target: float) -> list[tuple[int, int]]:
    """Token ranges [i, j) that say ``target`` in words or digits, longest first."""
    found = []
    for i in range(len(toks)):
        for j in range(i + 1, min(len(toks), i + 8) + 1):
            piece = toks[i:j]
            if not all(t.is_word for t in piece):
                break
            inner_ok = all(
                parse_number(t.text) is not None or (0 < k < len(piece) - 1 and t.text.casefold() in _NUMBER_JOINERS)
                for k, t in enumerate(piece)
            )
            if not inner_ok or all(t.text.casefold() in _ARTICLES for t in piece):
                continue
            said = parse_number(" ".join(t.text for t in piece))
            if said is not None and abs(said - target) < 1e-6:
                found.append((i, j))
    return sorted(found, key=lambda r: (r[0] - r[1], r[0]))


def _exact_spans(toks: list[_Token], candidates: list[str]) -> list[tuple[int, int]]:
    """Token ranges whose words are exactly one candidate's words, longest candidate first."""
    words = [t.text.casefold() if t.is_word else None for t in toks]
    found: list[tuple[int, int]] = []
    for candidate in sorted(candidates, key=lambda c: -len(_words(c))):
        wanted = list(_words(candidate))
        for i in range(len(toks)):
            j, k = i, 0
            while j < len(toks) and k < len(wanted):
                if words[j] is None and k > 0:  # punctuation inside a name ("Color + White")
                    j += 1
                    continue
                if words[j] != wanted[k]:
                    break
                j, k = j + 1, k + 1
            if k == len(wanted) and (i, j) not in found:
                found.append((i, j))
    return found


def _fuzzy_span(
    toks: list[_Token], candidates: list[str], taken: set[int], threshold: float
) -> tuple[int, int] | None:
    """The word n-gram most like any candidate (difflib ratio >= threshold), or None."""
    best: tuple[float, int, int, int] | None = None
    word_index = [i for i, t in enumerate(toks) if t.is_word]
    for candidate in candidates:
        wanted = " ".join(_words(candidate))
        size = len(wanted.split())
        for n in range(max(1, size - 1), size + 2):
            for a in range(len(word_index) - n + 1):
                i, j = word_index[a], word_index[a + n - 1] + 1
                if any(k in taken for k in range(i, j)):
                    continue
                said = " ".join(t.text.casefold() for t in toks[i:j] if t.is_word)
                ratio = difflib.SequenceMatcher(None, said, wanted).ratio()
                key = (ratio, -abs(n - size), -i)
                if ratio >= threshold and (best is None or key > best[:3]):
                    best = (*key, j)
    if best is None:
        return None
    return -best[2], best[3]


def _filler(toks: list[_Token], taken: set[int]) -> set[int]:
    """Indices of politeness tokens at either end (and hesitations anywhere) outside slots."""
    words = [(i, t.text.casefold()) for i, t in enumerate(toks) if t.is_word]
    filler: set[int] = set()

    def strip(sequence: list[tuple[int, str]], phrases: tuple[tuple[str, ...], ...]) -> None:
        for phrase in phrases:
            head = sequence[: len(phrase)]
            if len(head) == len(phrase) and tuple(w for _, w in head) == phrase and not any(
                i in taken for i, _ in head
            ):
                filler.update(i for i, _ in head)
                return

    strip(words, _FILLER_PREFIXES)
    rest = [w for w in words if w[0] not in filler]
    strip(rest[::-1], tuple(p[::-1] for p in _FILLER_SUFFIXES))
    filler.update(i for i, w in words if w in _FILLER_INFIXES and i not in taken)
    return filler


def _spans(pieces: list[tuple[int, int]], labels: list[str | None]) -> list[dict[str, Any]]:
    """Runs of same-labelled pieces (words) -> spans; ``slot#n`` labels keep slot values apart."""
    spans: list[dict[str, Any]] = []
    previous: str | None = None
    for (start, end), label in zip(pieces, labels, strict=True):
        if label is None:
            previous = None
            continue
        if previous == label and spans:
            spans[-1]["end"] = end
        else:
            spans.append({"start": start, "end": end, "label": label.split("#", 1)[0]})
        previous = label
    return spans


class Unprojectable(ValueError):
    """A turn that cannot become an example; the message says why (for the review list)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def project_fallback(
    text: str, intent: str, slots: dict[str, Any], home: Home | None, *,
    targets: list[str] | None = None, fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD,
    heard: list[tuple[int, int]] | None = None, unread: list[tuple[int, int]] | None = None,
) -> dict[str, Any]:
    """The example for ``text`` given the fallback agent's intent and canonical slot values.

    ``heard``: character spans Home Brain itself tagged as slots. A name, area or floor value
    none of whose names is said is placed on the one such span no other value took: the
    words the household uses for it (a nickname); the example then lists it under ``nicknames``
    as ``{"slot", "value", "said"}`` (``nicknames.py`` keeps them beside the model).

    Raises ``Unprojectable`` when a slot value is not found among the words (or no word is
    left to carry the intent).
    """
    toks = tokens(text)
    targets = [t for t in targets or [] if isinstance(t, str)]
    values: list[tuple[str, Any]] = [
        (slot, item) for slot, value in slots.items() if slot in _SCHEMA_SLOTS
        for item in _as_list(value) if item is not None and item != ""
    ]
    taken: set[int] = set()
    found: dict[int, tuple[int, int]] = {}

    def place(index: int, options: list[tuple[int, int]]) -> bool:
        for i, j in options:
            if not any(k in taken for k in range(i, j)):
                found[index] = (i, j)
                taken.update(range(i, j))
                return True
        return False

    # Numbers, then exact words (longest texts first, so "kitchen light" wins over "kitchen"),
    # then fuzzy matches for what is left.
    candidates = {
        index: ([] if _number(value) is not None and slot in NUMERIC_SLOTS
                else _candidates(slot, str(value), home, targets))
        for index, (slot, value) in enumerate(values)
    }
    for index, (slot, value) in enumerate(values):
        number = _number(value)
        if slot in NUMERIC_SLOTS and number is not None:
            place(index, _number_spans(toks, number))
    exact = {index: _exact_spans(toks, candidates[index]) for index in candidates if candidates[index]}
    for index in sorted(exact, key=lambda k: -max((j - i for i, j in exact[k]), default=0)):
        place(index, exact[index])
    for index, names in candidates.items():
        if index not in found and names and values[index][0] not in IMPLIED_SLOTS:
            span = _fuzzy_span(toks, names, taken, fuzzy_threshold)
            if span is not None:
                place(index, [span])
    nicknamed = _place_heard(toks, values, found, heard or [], place)
    if not nicknamed:  # a room said as a place that Home Brain heard as no slot at all
        nicknamed = _place_heard(toks, values, found, unread or [], place, slots=("area", "floor"))
    missing = [
        f"{slot}={value!r}" for index, (slot, value) in enumerate(values)
        if index not in found and slot not in IMPLIED_SLOTS
    ]
    if missing:
        raise Unprojectable("unprojectable", "not found in the words: " + ", ".join(missing))

    labels: list[str | None] = [None] * len(toks)
    for index, (i, j) in found.items():
        for k in range(i, j):
            labels[k] = f"{values[index][0]}#{index}"
    filler = _filler(toks, taken)
    for k, token in enumerate(toks):
        if labels[k] is None and token.is_word and k not in filler:
            labels[k] = INTENT_PREFIX + intent
    if INTENT_PREFIX + intent not in labels:
        raise Unprojectable("no_carrier_word", "no word is left to carry the intent")
    spans = _spans([(t.start, t.end) for t in toks], labels)
    command_slots: dict[str, list[str]] = {}
    for index, (i, j) in sorted(found.items(), key=lambda item: item[1]):
        command_slots.setdefault(values[index][0], []).append(text[toks[i].start : toks[j - 1].end])
    example = {"text": text, "spans": spans,
               "commands": [{"intent": intent, "slots": command_slots, "context": {}}], "source": SOURCE}
    if nicknamed:
        example["nicknames"] = [
            {"slot": values[index][0], "value": str(values[index][1]),
             "said": text[toks[found[index][0]].start : toks[found[index][1] - 1].end], "targets": targets}
            for index in nicknamed
        ]
    return example


# A name the fallback matched that is not said is what the user calls it only when it is
# unambiguous: one unplaced value of these slots, one span Home Brain heard as a slot left.
_NICKNAME_SLOTS = ("name", "area", "floor")
# "light", "the lamps": words for a kind of device name no one device.
_GENERIC_WORDS = frozenset({w for words in DOMAIN_WORDS.values() for phrase in words for w in phrase.casefold().split()}
                           | {"the", "a", "my", "our", "all"})


def _place_heard(toks: list[_Token], values: list[tuple[str, Any]], found: dict[int, tuple[int, int]],
                 heard: list[tuple[int, int]], place: Any, slots: tuple[str, ...] = _NICKNAME_SLOTS) -> list[int]:
    """Place the one name/area/floor value not found (one of ``slots``) on the one span given."""
    missing = [index for index, (slot, _) in enumerate(values) if index not in found and slot in _NICKNAME_SLOTS]
    if missing and values[missing[0]][0] not in slots:
        return []
    taken = {k for i, j in found.values() for k in range(i, j)}
    ranges = []
    for start, end in heard:
        inside = [k for k, t in enumerate(toks) if t.start >= start and t.end <= end]
        generic = all(toks[k].text.casefold() in _GENERIC_WORDS for k in inside)
        if inside and not generic and not any(k in taken for k in inside):
            ranges.append((inside[0], inside[-1] + 1))
    if len(missing) != 1 or len(set(ranges)) != 1:
        return []
    return missing if place(missing[0], ranges[:1]) else []


# --- reinforcement from Home Brain's own tags ------------------------------------------------


def example_from_tags(text: str, words: list[dict[str, Any]]) -> dict[str, Any]:
    """The example Home Brain's own word tags make (``Unprojectable`` when they do not fit)."""
    tagged: list[TaggedWord] = []
    labels: list[str | None] = []
    slot_run = 0
    previous: str | None = None
    for word in sorted(words, key=lambda w: w["start"]):
        start, end = word["start"], word["end"]
        if not 0 <= start < end <= len(text) or text[start:end] != text[start:end].strip():
            raise Unprojectable("bad_tags", f"word {word.get('text')!r} at [{start}, {end}) is not in the text")
        try:
            label = parse_label(word["label"])
        except ValueError as err:
            raise Unprojectable("bad_tags", str(err)) from err
        tagged.append(TaggedWord(text[start:end], start, end, word["label"], float(word["confidence"])))
        if label.kind == "O":
            span_label = None
        elif label.kind == "SEP":
            span_label = SEP
        elif label.kind == "INTENT":
            span_label = INTENT_PREFIX + label.value
        else:
            if label.kind == "B" or previous is None or previous.split("#", 1)[0] != label.value:
                slot_run += 1
            span_label = f"{label.value}#{slot_run}"
        labels.append(span_label)
        previous = span_label
    spans = _spans([(w.start, w.end) for w in tagged], labels)
    commands = [
        {"intent": c.intent, "slots": {s: [v.text for v in vs] for s, vs in c.slots.items()}, "context": {}}
        for c in commands_from_tags(text, tagged)
    ]
    if not commands:
        raise Unprojectable("bad_tags", "the tags make no command")
    return {"text": text, "spans": spans, "commands": commands, "source": SOURCE}


def heard_names(words: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Character spans Home Brain tagged as a slot (one per B-/I- run): where it heard what the
    command is about, even when it took a nickname for the wrong kind of slot."""
    spans: list[tuple[int, int]] = []
    previous: str | None = None
    for word in sorted(words, key=lambda w: w["start"]):
        try:
            label = parse_label(word["label"])
        except ValueError:
            label = None
        if label is None or label.kind not in ("B", "I"):
            previous = None
            continue
        if label.kind == "I" and previous == label.value and spans:
            spans[-1] = (spans[-1][0], word["end"])
        else:
            spans.append((word["start"], word["end"]))
        previous = label.value
    return spans


# --- learning --------------------------------------------------------------------------------


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
        try:
            example = project_fallback(turn.text, intent, fallback["slots"] or {}, turn.home,
                                       targets=targets, fuzzy_threshold=fuzzy_threshold,
                                       heard=heard_names(data["words"]), unread=unread_places(data["words"]))
            validate_example(example)
        except Unprojectable as err:
            return _Outcome("review", err.reason, err.detail)
        except ValueError as err:
            return _Outcome("review", "unprojectable", str(err))
        return _Outcome("fallback", example=example)
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
    try:
        example = example_from_tags(turn.text, data["words"])
        validate_example(example)
    except Unprojectable as err:
        return _Outcome("skipped", err.reason, err.detail)
    except ValueError as err:
        return _Outcome("skipped", "bad_tags", str(err))
    return _Outcome("reinforced", example=example)


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


def format_summary(summary: dict[str, Any]) -> str:
    """One line a person reads after a run."""
    return (
        f"logs: {summary['turns_read']} turns read from {summary['exports']} export(s), "
        f"{summary['malformed_skipped']} malformed line(s) skipped, {summary['duplicates_merged']} "
        f"duplicate(s) merged into {summary['sentences']} sentence(s); learned {summary['fallback_learned']} "
        f"from the fallback agent, reinforced {summary['reinforced']}, {summary['for_review']} for review"
        + (f"; {fixed} learned from what the fallback did after a correction"
           if (fixed := summary.get("learned_from_corrections")) else "")
        + (f"; {accepted} learned from what Home Brain did unsure and nobody undid"
           if (accepted := summary.get("accepted_unsure")) else "")
    )


def write_review(learned: Learned, json_path: str | Path, markdown_path: str | Path) -> None:
    """The review list as JSON (everything) and Markdown (for reading), with the counts."""
    Path(json_path).parent.mkdir(parents=True, exist_ok=True)
    public = {k: v for k, v in learned.summary.items() if k != "malformed_examples"}
    Path(json_path).write_text(
        json.dumps({"summary": learned.summary, "review": learned.review}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    lines = ["# Sentences to review", "", format_summary(learned.summary) + ".", ""]
    lines += ["| count | what |", "|---|---|"]
    lines += [f"| {v} | {k} |" for k, v in public.items() if isinstance(v, int)]
    if learned.summary["review_reasons"]:
        lines += ["", "Review reasons: " + ", ".join(f"{k} {v}" for k, v in learned.summary["review_reasons"].items())]
    lines += ["", "| times | sentence | reason | detail |", "|---:|---|---|---|"]
    for item in learned.review:
        cells = [str(item["times"]), item["text"], item["reason"], item["detail"]]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    Path(markdown_path).write_text("\n".join(lines) + "\n", encoding="utf-8")
