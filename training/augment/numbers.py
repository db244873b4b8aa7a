"""Numbers in every spoken form: digits or words, with "%", "percent", "degrees", "°" or no
unit, and shares of a whole ("half", "a quarter", "three quarters", "full", "max").

A share is written only where it means the number: 50 is "half" (a cover "halfway"), 25 "a
quarter", 75 "three quarters", 100 "full" (a light's brightness also "max", which Home
Assistant's own word list reads). The value keeps its slot label; unit words are carriers.
"""

from __future__ import annotations

import random

from home_brain_nlu.values import parse_number, parse_share

from .draft import _INTENT, _Draft, _Pool, _Tok, _new_words, _text_of
from .frames import pick
from .speech import number_to_words

_PERCENT_SLOTS = frozenset({"brightness", "percentage", "position", "volume_level"})
_UNITS = frozenset({"%", "percent", "degrees", "°", "degree"})
SHARES: dict[int, tuple[str, ...]] = {
    50: ("half", "half way", "halfway"), 25: ("a quarter", "quarter"), 75: ("three quarters",),
    100: ("full", "all the way"),
}


def _forms(slot: str, value: float, rng: random.Random) -> list[tuple[str, str]]:
    """(value words, unit) pairs that say ``value`` for ``slot``."""
    words = number_to_words(value, rng)
    digits = str(int(value)) if value == int(value) else str(value)
    if slot in _PERCENT_SLOTS:
        forms = [(digits, "%"), (digits, "percent"), (digits, "")]
        if words:
            forms += [(words, "percent"), (words, "")]
        for share in SHARES.get(int(value), ()) if value == int(value) else ():
            if parse_share(share) == int(value) and (share not in ("half way", "halfway") or slot == "position"):
                forms.append((share, ""))
        if slot == "brightness" and value == 100:
            forms += [("max", ""), ("maximum", "")]
        return forms
    if slot == "temperature":
        forms = [(digits, "degrees"), (digits, "°"), (digits, "")]
        if words:
            forms += [(words, "degrees"), (words, "")]
        if value != int(value) and value > 1:
            forms.append((f"{number_to_words(int(value), rng)} and a half", "degrees"))
        return forms
    return []


def _aug_numbers(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    spans = [t.span for t in source.toks if t.label in _PERCENT_SLOTS or t.label == "temperature"]
    if not spans:
        return None
    span = rng.choice(list(dict.fromkeys(spans)))
    assert span is not None
    draft = source.copy()
    first, last = draft.span_range(span)
    slot = draft.toks[first].label or ""
    value = parse_number(_text_of(draft, span))
    if value is None or parse_share(_text_of(draft, span)) is not None:
        return None
    has_unit = last < len(draft.toks) and draft.toks[last].text.lower() in _UNITS
    before = (_text_of(draft, span), draft.toks[last].text.lower() if has_unit else "")
    forms = [f for f in _forms(slot, value, rng) if f != before]
    if not forms:
        return None
    said, unit = pick(rng, forms)
    if parse_number(said) != value and parse_share(said) is None and said not in ("max", "maximum"):
        return None
    unit_label = draft.toks[last].label if has_unit else None
    if has_unit and not (unit_label or "").startswith(_INTENT):
        return None
    owner = next((t.label for t in draft.toks if (t.label or "").startswith(_INTENT)), None)
    words = _new_words(said, slot, span)
    words[0].space = draft.toks[first].space
    tail: list[_Tok] = []
    if unit:
        tail = [_Tok(unit, unit_label or owner, draft.toks[last].span if has_unit else draft.next_id(),
                     space=unit not in ("%", "°"))]
    draft.toks[first : last + (1 if has_unit else 0)] = words + tail
    return draft
