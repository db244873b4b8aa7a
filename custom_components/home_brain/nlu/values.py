"""Slot texts -> values: numbers said as digits or words ("50%", "fifty percent", "twenty one")."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a": 1, "an": 1,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_FRACTIONS = {"half": 0.5, "quarter": 0.25}
# Words that ride along with a number but do not change it.
_NOISE = {"percent", "per", "cent", "%", "degrees", "degree", "°", "and", "to", "at", "c", "f"}
_DIGITS = re.compile(r"-?\d+(?:[.,]\d+)?")


def parse_number(text: str) -> float | None:
    """The number a slot text says, or None when it says no number."""
    lowered = text.lower().replace("-", " ")
    if match := _DIGITS.search(lowered):
        return float(match.group().replace(",", "."))
    total = 0.0
    current = 0.0
    seen = False
    point: list[int] | None = None  # digits after "point", as in "twenty one point five"
    for word in re.findall(r"[a-z%°]+", lowered):
        if point is not None and word in _UNITS:
            point.append(_UNITS[word])
        elif word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word in _FRACTIONS:
            current += _FRACTIONS[word]
            seen = True
        elif word == "point" and seen:
            point = []
        elif word in _NOISE:
            continue
        else:
            return None
    if not seen:
        return None
    total += current
    if point:
        total += float("0." + "".join(str(d) for d in point))
    return total


# Shares of a whole said as words: for a percentage ("half", "three quarters", "full"), they
# are parts of 100, not the fraction parse_number reads ("half an hour" is 0.5 hours).
_SHARES = {
    "half": 50, "halfway": 50, "half way": 50, "a half": 50, "a quarter": 25, "quarter": 25,
    "one quarter": 25, "a third": 33, "one third": 33, "two thirds": 67, "three quarters": 75,
    "full": 100, "fully": 100, "full blast": 100, "all the way": 100,
}


def parse_share(text: str) -> int | None:
    """The percentage a share word says ("half" -> 50, "three quarters" -> 75), or None."""
    words = " ".join(re.findall(r"[a-z]+", text.lower().replace("-", " ")))
    words = re.sub(r"^(?:the|at|to)\s+|\s+(?:of it|(?:of )?the way|percent|power|brightness|open|up)$", "", words)
    return _SHARES.get(words)
