"""English word forms the resolver needs: one ``singular`` for every module."""

from __future__ import annotations

import re

# "switches", "boxes", "glasses": the plural adds "es" after these endings.
_ES_AFTER = ("ches", "shes", "xes", "sses", "zes")
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)
# Words that end in "s" and are no plurals.
_NOT_PLURAL = frozenset({"gas", "yes", "has", "was", "does", "always", "less", "bus", "plus", "news", "series"})


def _singular_word(word: str) -> str:
    lower = word.casefold()
    if len(lower) <= 2 or not lower.endswith("s") or lower.endswith(("ss", "us", "is")) or lower in _NOT_PLURAL:
        return word  # "gas", "glass", "status", "this": not plurals
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"  # "batteries"
    if lower.endswith(_ES_AFTER):
        return word[:-2]  # "switches"
    return word[:-1]  # "blinds", "lights"


def singular(text: str) -> str:
    """Each word of ``text`` in the singular ("the kitchen blinds" -> "the kitchen blind")."""
    return _WORD.sub(lambda m: _singular_word(m.group()), text)
