"""Keyboard typos in names, places and carrier words."""

from __future__ import annotations

import random

from .draft import _Draft, _INTENT, _NUMBER_SLOTS, _Pool, _SEP, _SLOTS


_KEYBOARD = {
    "q": "wa", "w": "qase", "e": "wsdr", "r": "edft", "t": "rfgy", "y": "tghu", "u": "yhji",
    "i": "ujko", "o": "iklp", "p": "ol", "a": "qwsz", "s": "awedxz", "d": "serfcx",
    "f": "drtgvc", "g": "ftyhbv", "h": "gyujnb", "j": "huikmn", "k": "jiolm", "l": "kop",
    "z": "asx", "x": "zsdc", "c": "xdfv", "v": "cfgb", "b": "vghn", "n": "bhjm", "m": "njk",
}


def typo(word: str, rng: random.Random) -> str | None:
    """One typo in ``word``: two letters swapped, one dropped or doubled, or a neighbour key."""
    if len(word) < 3:
        return None
    for _ in range(10):
        kind = rng.choice(("swap", "drop", "double", "neighbour"))
        # The first letter is right far more often than the rest.
        i = rng.randrange(1, len(word)) if rng.random() < 0.9 else 0
        if kind == "swap" and i < len(word) - 1 and word[i] != word[i + 1]:
            result = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif kind == "drop" and len(word) >= 4:
            result = word[:i] + word[i + 1 :]
        elif kind == "double":
            result = word[:i] + word[i] + word[i:]
        elif kind == "neighbour" and word[i].lower() in _KEYBOARD:
            key = rng.choice(_KEYBOARD[word[i].lower()])
            result = word[:i] + (key.upper() if word[i].isupper() else key) + word[i + 1 :]
        else:
            continue
        if result != word:
            return result
    return None


def _aug_typo(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    draft = source.copy()
    weights: list[tuple[int, float]] = []
    for i, tok in enumerate(draft.toks):
        if not (tok.text.isalpha() and len(tok.text) >= 3) or tok.label == _SEP:
            continue
        if tok.label in ("name", "area", "floor"):
            weights.append((i, 3.0))
        elif tok.label and tok.label.startswith(_INTENT):
            weights.append((i, 1.5))
        elif tok.label in _SLOTS and tok.label not in _NUMBER_SLOTS:
            weights.append((i, 1.0))
    if not weights:
        return None
    wanted = 1 if rng.random() < 0.7 or len(weights) == 1 else 2
    done = 0
    while weights and done < wanted:
        [(i, _)] = rng.choices(weights, weights=[w for _, w in weights])
        weights = [(j, w) for j, w in weights if j != i]
        changed = typo(draft.toks[i].text, rng)
        if changed:
            draft.toks[i].text = changed
            done += 1
    return draft if done else None


