"""Speech-to-text confusions of names and device words, made by a sound-alike model.

A word is replaced by what a recogniser may write for the same sounds: another English word
with the same Metaphone key ("garage" -> "grudge"), two words whose keys join into its key
("hallway" -> "hole way"), or a respelling that sounds the same ("dining" -> "dinning").
Metaphone comes from ``jellyfish`` (training only); the English words are the whole-word
entries of the base model's WordPiece vocabulary, which lists words by frequency, so the
confusions are common words, as a recogniser's are. The misheard words keep the slot label:
the name is still the name, resolved fuzzily later.
"""

from __future__ import annotations

import functools
import random
import re
from collections import defaultdict
from pathlib import Path

from .draft import _Draft, _Pool
from .frames import pick

_LABELS = frozenset({"name", "area", "floor", "domain", "device_class"})
_COMMON_WORDS = 12000  # the vocabulary's first entries: common words only
_VOWELS = "aeiou"


def _metaphone(word: str) -> str:
    import jellyfish

    return jellyfish.metaphone(word)


@functools.lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, ...]]:
    """Metaphone key -> common English words with that key (empty without the base model)."""
    try:
        from ..finetune import default_base_model

        vocab = Path(default_base_model()) / "vocab.txt"
        words = vocab.read_text(encoding="utf-8").split("\n")
    except (ImportError, OSError):
        return {}
    by_key: dict[str, list[str]] = defaultdict(list)
    seen = 0
    for word in words:
        if re.fullmatch(r"[a-z]{2,}", word):
            seen += 1
            if seen > _COMMON_WORDS:
                break
            by_key[_metaphone(word)].append(word)
    return {key: tuple(values) for key, values in by_key.items()}


def _respellings(word: str) -> list[str]:
    """Spellings that sound the same: a consonant doubled or undoubled ("dining" -> "dinning")."""
    out = set()
    for i in range(1, len(word)):
        if word[i] == word[i - 1] and word[i] not in _VOWELS:
            out.add(word[:i] + word[i + 1 :])
        elif word[i] not in _VOWELS and word[i - 1] in _VOWELS and i < len(word) - 1:
            out.add(word[:i] + word[i] + word[i:])
    key = _metaphone(word)
    return sorted(w for w in out if w != word and _metaphone(w) == key)


# How close the letters of a confusion must stay (Jaro-Winkler): Metaphone ignores vowels,
# so "kitchen" and "caution" share a key, but no recogniser hears one for the other.
_CLOSE = 0.8


def _word_like(word: str) -> bool:
    return len(word) >= 3 and any(ch in "aeiouy" for ch in word)


@functools.lru_cache(maxsize=4096)
def sound_alikes(word: str) -> tuple[str, ...]:
    """What a recogniser may write for ``word`` (lowercase): other words, word pairs, respellings."""
    import jellyfish

    word = word.lower()
    if not re.fullmatch(r"[a-z]{3,}", word):
        return ()
    lexicon = _lexicon()
    key = _metaphone(word)
    candidates = [w for w in lexicon.get(key, ()) if w != word]
    for i in range(1, len(key)):
        heads, tails = lexicon.get(key[:i], ()), lexicon.get(key[i:], ())
        # Both halves real words a recogniser writes ("hole way"), not letters ("de na").
        candidates += [f"{a} {b}" for a in heads[:40] for b in tails[:40] if _word_like(a) and _word_like(b)]

    def closeness(candidate: str) -> float:
        return jellyfish.jaro_winkler_similarity(candidate.replace(" ", ""), word)

    heard = sorted((c for c in candidates if c.replace(" ", "") != word and closeness(c) >= _CLOSE),
                   key=lambda c: (-closeness(c), c))[:6]
    return tuple(dict.fromkeys([*heard, *_respellings(word)[:3]]))


def _aug_phonetic(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    places = [i for i, t in enumerate(source.toks) if t.label in _LABELS and sound_alikes(t.text)]
    if not places:
        return None
    draft = source.copy()
    for i in sorted(rng.sample(places, 1 if rng.random() < 0.8 or len(places) == 1 else 2), reverse=True):
        old = draft.toks[i]
        new = pick(rng, sound_alikes(old.text)).split()
        replacement = [type(old)(word, old.label, old.span, True) for word in new]
        replacement[0].space = old.space
        draft.toks[i : i + 1] = replacement
    if rng.random() < 0.7:  # a recogniser writes lower case
        for tok in draft.toks:
            tok.text = tok.text.lower()
    return draft
