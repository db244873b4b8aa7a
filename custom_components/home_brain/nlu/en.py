"""English the resolver and training both read: one ``singular`` and one list of each kind of
word, so the runtime and the learning from its logs never drift apart."""

from __future__ import annotations

import re

# "switches", "boxes", "glasses": the plural adds "es" after these endings.
_ES_AFTER = ("ches", "shes", "xes", "sses", "zes")
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)
# Words that end in "s" and are no plurals.
_NOT_PLURAL = frozenset({"gas", "yes", "has", "was", "does", "always", "less", "bus", "plus", "news", "series"})

# Words a plain command may carry besides its verb and targets ("please turn off the ... for me").
PLAIN_WORDS = frozenset(
    "the a an my our your please can could would will you me for to of in on at up down off now just "
    "and then also it them that this those these i want need like hey ok okay so too all every each "
    "is are be make sure right away thanks thank kindly go ahead".split())
# A place is said after one of these ("in the snug", "at the play room"), past any of the next.
PLACE_WORDS = frozenset({"in", "at", "inside"})
BEFORE_A_PLACE = frozenset({"the", "a", "my", "our"})
# Where the speaker is, not the name of a place (Assist reads "in here" from the satellite).
WHERE_I_AM = frozenset({"here", "there"})
# Words after a place word that name no place: an unknown word said there may be a room.
NOT_A_PLACE = PLAIN_WORDS | WHERE_I_AM


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
