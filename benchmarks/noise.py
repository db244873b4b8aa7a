"""Robustness: the same cases with a typo in each sentence (``scripts/benchmark --typos``).

One word of four or more letters per sentence gets one typo of the kinds people make (two
letters swapped, one dropped or doubled, a neighbouring key), the same typos the training
data's augmentation makes. Words of the free-text slots (a search query, a list item, a
message) are left alone: their truth is the text itself. Seeded, so a run is repeatable.
"""

from __future__ import annotations

import dataclasses
import random
import re

from training.augment import typo

from .cases import Case

_FREE_TEXT_SLOTS = ("search_query", "item", "message")


def with_typo(case: Case, rng: random.Random) -> Case:
    keep = {w.casefold() for slot in _FREE_TEXT_SLOTS for w in str(case.slots.get(slot, "")).split()}
    words = [m for m in re.finditer(r"[^\W\d_]{4,}", case.sentence) if m.group().casefold() not in keep]
    if not words:
        return case
    word = rng.choice(words)
    if (changed := typo(word.group(), rng)) is None:
        return case
    return dataclasses.replace(case, sentence=case.sentence[: word.start()] + changed + case.sentence[word.end():])


def with_typos(cases: list[Case], seed: int) -> list[Case]:
    rng = random.Random(seed)
    return [with_typo(case, rng) for case in cases]
