"""An action's intent and slot values placed on the words said: the example a turn makes.

A fallback turn (the fallback agent understood it and succeeded), or an unsure turn of Home
Brain's own that nobody undid, is labelled with what was done: a slot value (Home Assistant's
canonical value, e.g. ``Kitchen Light`` or ``light.kitchen``) is looked for among the word
n-grams of the text as itself or as any name/alias of its entity, area or floor in the snapshot
(case-folded, word for word), then by a fuzzy match (``difflib``) above a threshold; numbers are
found by ``parse_number`` ("fifty percent" -> 50; the number words are the slot, "percent" is a
carrier word as in the template data). ``domain`` and ``device_class`` may be implied by a
template instead of said, so they are dropped when no word says them. Leading/trailing
politeness ("please", "could you", "thanks") is filler (O); every other word is a carrier word
of the intent. If any other slot cannot be found, ``Unprojectable`` says why (for review).
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import Any

from home_brain_nlu.labels import SLOTS
from home_brain_nlu.values import parse_number
from home_brain_nlu.vocabulary import DOMAIN_WORDS

from ..dataset_io import INTENT_PREFIX
from ..home import Home
from .turns import is_number

SOURCE = "log"
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



def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _number(value: Any) -> float | None:
    if is_number(value):
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


def label_spans(pieces: list[tuple[int, int]], labels: list[str | None]) -> list[dict[str, Any]]:
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
    unread_name: list[tuple[int, int]] | None = None,
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
    if not nicknamed:  # a device said after an article that Home Brain heard as no slot at all
        nicknamed = _place_heard(toks, values, found, unread_name or [], place, slots=("name",))
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
    spans = label_spans([(t.start, t.end) for t in toks], labels)
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
