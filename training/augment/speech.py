"""Speech-to-text slips: homophones, dropped short words, numbers and units."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from home_brain_nlu.values import parse_number

from .draft import _Draft, _INTENT, _NUMBER_SLOTS, _Pool, _new_words, _text_of


HOMOPHONES: dict[str, tuple[str, ...]] = {
    "for": ("four",), "to": ("two", "too"), "too": ("to", "two"), "light": ("lite",),
    "lights": ("lites",), "right": ("write",), "off": ("of",), "here": ("hear",),
    "weather": ("whether",), "by": ("buy", "bye"), "there": ("their",), "hour": ("our",),
    "our": ("hour", "are"), "see": ("sea",), "be": ("bee",), "pause": ("paws",),
    "know": ("no",), "new": ("knew",), "blinds": ("blind's",), "tea": ("tee",), "heat": ("heet",),
    "its": ("it's",), "it's": ("its",), "mute": ("moot",), "dim": ("them",), "write": ("right",),
}
_HOMOPHONE_SLOTS = frozenset({"name", "area", "domain"})
_DROPPABLE = frozenset({"the", "a", "an", "my", "our", "is", "of"})
_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
_NUMBER_WORDS = frozenset({*_ONES, *_TENS.values(), "hundred", "and", "point"})


def number_to_words(value: float, rng: random.Random) -> str | None:
    """A number as speech-to-text writes it ("seventy-five", "twenty one point five"); None past 999."""
    if value < 0 or value >= 1000 or (value * 2) != int(value * 2):
        return None
    whole = int(value)
    hyphen = rng.random() < 0.5

    def words(n: int) -> str:
        if n < 20:
            return _ONES[n]
        if n < 100:
            tens, ones = divmod(n, 10)
            return _TENS[tens] + (("-" if hyphen else " ") + _ONES[ones] if ones else "")
        hundreds, rest = divmod(n, 100)
        head = ("a" if hundreds == 1 and rng.random() < 0.3 else _ONES[hundreds]) + " hundred"
        return head + ((" and " if rng.random() < 0.3 else " ") + words(rest) if rest else "")

    return words(whole) + (" point five" if value != whole else "")


def words_to_digits(text: str) -> str | None:
    """Number words as digits ("twenty one" -> "21"); None for anything else."""
    if re.search(r"\d", text):
        return None
    words = text.lower().replace("-", " ").split()
    if words[:2] == ["a", "hundred"]:  # "a hundred and twelve"
        words = words[1:]
    if not words or any(w not in _NUMBER_WORDS for w in words) or words[0] in ("and", "point"):
        return None
    value = parse_number(text)
    if value is None:
        return None
    return str(int(value)) if value == int(value) else str(value)


def _number_op(draft: _Draft, rng: random.Random) -> Callable[[], None] | None:
    spans = [t.span for t in draft.toks if t.label in _NUMBER_SLOTS]
    choices = []
    for span in dict.fromkeys(spans):
        assert span is not None
        text = _text_of(draft, span)
        if re.fullmatch(r"\d+(\.5|\.0)?", text):
            new = number_to_words(float(text), rng)
        else:
            new = words_to_digits(text)
        if new and new != text:
            choices.append((span, new))
    if not choices:
        return None
    span, new = rng.choice(choices)

    def apply() -> None:
        first, last = draft.span_range(span)
        old = draft.toks[first]
        words = _new_words(new, old.label, span)
        words[0].space = old.space
        draft.toks[first:last] = words

    return apply


def _unit_op(draft: _Draft, rng: random.Random) -> Callable[[], None] | None:
    pairs = {"%": "percent", "percent": "%", "°": "degrees", "degrees": "°"}
    places = [
        i for i, t in enumerate(draft.toks)
        if t.text.lower() in pairs and t.label and t.label.startswith(_INTENT)
        and i > 0 and draft.toks[i - 1].label in _NUMBER_SLOTS
    ]
    if not places:
        return None
    i = rng.choice(places)

    def apply() -> None:
        tok = draft.toks[i]
        tok.text = pairs[tok.text.lower()]
        tok.space = tok.text not in ("%", "°")

    return apply


def _homophone_op(draft: _Draft, rng: random.Random) -> Callable[[], None] | None:
    places = [
        i for i, t in enumerate(draft.toks)
        if t.text.lower() in HOMOPHONES
        and (t.label is None or t.label.startswith(_INTENT) or t.label in _HOMOPHONE_SLOTS)
    ]
    if not places:
        return None
    i = rng.choice(places)

    def apply() -> None:
        tok = draft.toks[i]
        new = rng.choice(HOMOPHONES[tok.text.lower()])
        tok.text = new.capitalize() if tok.text[:1].isupper() else new

    return apply


def _drop_op(draft: _Draft, rng: random.Random) -> Callable[[], None] | None:
    counts = draft.carriers_per_command()
    owners = draft.command_of()
    places = [
        i for i, t in enumerate(draft.toks)
        if t.text.lower() in _DROPPABLE and (t.label is None or t.label.startswith(_INTENT))
        and 0 < i and not (t.label and owners[i] < len(counts) and counts[owners[i]] < 2)
    ]
    if not places:
        return None
    i = rng.choice(places)

    def apply() -> None:
        space = draft.toks[i].space
        del draft.toks[i]
        if i < len(draft.toks):
            draft.toks[i].space = draft.toks[i].space or space

    return apply


def _aug_speech(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    draft = source.copy()
    makers = [_homophone_op, _drop_op, _number_op, _unit_op]
    rng.shuffle(makers)
    wanted = 1 if rng.random() < 0.6 else 2
    done = 0
    for make in makers:
        if done >= wanted:
            break
        op = make(draft, rng)
        if op is not None:
            op()
            done += 1
    if not done:
        return None
    if rng.random() < 0.5:  # speech-to-text rarely capitalises or punctuates
        for tok in draft.toks:
            tok.text = tok.text.lower()
    return draft


