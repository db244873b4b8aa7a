"""How well said words fit a name: by words, by characters (typos), by sound (speech errors).

Scores run from 0 to 1 and are compared across candidates by the resolver (``targets``),
which acts on the best only when it is good enough and clearly better than the next:

- 1.0   the name itself (case and punctuation aside);
- 0.99  the same words, singular or plural ("blinds" for "Blind");
- 0.9   a part of the name, whole words ("desk lamp" for "Desk Lamp Left");
- 0.85  the same sound, spelt otherwise ("nite lite" for "Night Light"), as speech-to-text
        writes what it heard;
- else  the share of characters in common (Indel ratio: "kichen" for "kitchen" 0.92, "nursry
        heater" for "Nursery Heater" 0.96); the resolver needs 0.8, which only one- or
        two-letter slips reach.

rapidfuzz computes the character ratio (it has wheels for Home Assistant OS: musl, aarch64);
without it, difflib's ratio stands in (the same formula over matching blocks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..nlu.en import singular

try:
    from rapidfuzz.fuzz import ratio as _ratio

    def char_ratio(said: str, name: str) -> float:
        """Share of characters the two have in common, 0..1."""
        return _ratio(said, name) / 100.0
except ImportError:  # pragma: no cover - rapidfuzz is a requirement; this keeps a broken install working
    from difflib import SequenceMatcher

    def char_ratio(said: str, name: str) -> float:
        """Share of characters the two have in common, 0..1."""
        return SequenceMatcher(None, said, name).ratio()


EXACT = 1.0
SAME_WORDS = 0.99
PART_OF_NAME = 0.9
SAME_SOUND = 0.85

# English spellings of one sound, longest first; then vowels (but a word's first) go.
_SOUNDS = (("tch", "ch"), ("dge", "j"), ("igh", "i"), ("ght", "t"), ("ph", "f"), ("gh", ""), ("ck", "k"),
           ("kn", "n"), ("wr", "r"), ("wh", "w"), ("qu", "kw"), ("x", "ks"), ("ce", "se"), ("ci", "si"),
           ("cy", "sy"), ("c", "k"), ("q", "k"), ("z", "s"))
_VOWELS_AFTER_FIRST = re.compile(r"(?<=\w)[aeiouyh]")
_DOUBLED = re.compile(r"(\w)\1+")


@lru_cache(maxsize=4096)
def sound_key(text: str) -> str:
    """A rough key of how ``text`` sounds: "nite lite" and "night light" both give "nt lt"."""
    words = []
    for word in singular(text.casefold()).split():
        for spelt, sound in _SOUNDS:
            word = word.replace(spelt, sound)
        words.append(_DOUBLED.sub(r"\1", _VOWELS_AFTER_FIRST.sub("", word)))
    return " ".join(words)


def score(said: str, name: str) -> float:
    """How well ``said`` fits ``name`` (both normalised), 0..1; see the module docstring."""
    if said == name:
        return EXACT
    said_one, name_one = singular(said), singular(name)
    if said_one == name_one:
        return SAME_WORDS
    if set(said_one.split()) <= set(name_one.split()):
        return PART_OF_NAME
    chars = char_ratio(said, name)
    if chars < SAME_SOUND and len(said) > 3 and sound_key(said) == sound_key(name):
        return SAME_SOUND
    return chars


def closest(said: str, words: Iterable[str], min_score: float, margin: float) -> str | None:
    """The one word of ``words`` a typo ("battteries", "closd") most likely stands for: close
    enough, and clearly closer than any other."""
    scored = sorted(((char_ratio(said, word), word) for word in words), reverse=True)
    if not scored or scored[0][0] < min_score:
        return None
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - margin:
        return None
    return scored[0][1]

