"""Disfluencies and self-corrections, as speech-to-text writes them down.

- a hesitation that repeats the words before a name: "turn on the, uh, the den lamp";
- a self-correction: "turn off the kitchen light, no, the hallway light". The abandoned
  name is tagged O and only the corrected target is in the command: that is the one the
  speaker wants acted on.
"""

from __future__ import annotations

import random

from .draft import _Draft, _Pool, _Tok, _new_words, _spoken, _text_of
from .frames import pick

HESITATIONS: tuple[str, ...] = ("uh", "um", "er", "erm", "uhh", "umm", "hmm", "like", "you know")
CORRECTIONS: tuple[str, ...] = (
    ", no,", ", no, sorry,", ", I mean", ", I mean,", ", sorry,", ", sorry, I mean", ", actually", ", actually,",
    ", no wait,", ", or rather", ", no no,", ", wait, no,", ", oops,", ", make that", ", scratch that,",
    ", correction,", ", er, no,", ", hang on,", ", not that one,", ", uh, I meant",
    ", wait,", ", hold on,", ", rather,", ", I meant", ", sorry, I meant", ", nope,", ", my bad,",
    ", let me rephrase,", ", I mean to say", ", er, I mean,", ", no, not that,", ", wait a sec,",
)


def _marker(text: str) -> list[_Tok]:
    words: list[_Tok] = []
    for word in text.split():
        if word.startswith(","):
            words.append(_Tok(",", space=False))
            word = word[1:]
        if word.endswith(","):
            words += [_Tok(word[:-1]), _Tok(",", space=False)]
        elif word:
            words.append(_Tok(word))
    return words


def _target_span(source: _Draft) -> tuple[str, int] | None:
    if len(source.cmds) != 1:
        return None
    for slot in ("name", "area"):
        spans = source.cmds[0].slots.get(slot, [])
        if len(spans) == 1:
            return slot, spans[0]
    return None


def _hesitate(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    found = _target_span(source)
    if found is None:
        return None
    first, _ = source.span_range(found[1])
    if first == 0 or source.toks[first - 1].text.lower() not in ("the", "my", "a"):
        return None
    draft = source.copy()
    article = draft.toks[first - 1]
    pause = [_Tok(",", space=False), *_new_words(pick(rng, HESITATIONS), None, None), _Tok(",", space=False)]
    if rng.random() < 0.4:
        pause = pause[1:-1]  # "the uh the den lamp"
    repeat = _Tok(article.text.lower(), article.label, article.span)
    draft.toks[first:first] = [*pause, repeat]
    return draft


def _correct(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    found = _target_span(source)
    if found is None:
        return None
    slot, span = found
    said = " ".join(_text_of(source, span).casefold().split())
    if slot == "name":
        domain = pool.home.name_domain.get(said)
        group = pool.home.names_by_domain.get(domain, []) if domain else []
    else:
        group = pool.home.areas
    others = [names for names in group if said not in (n.casefold() for n in names)]
    if not others:
        return None
    draft = source.copy()
    first, last = draft.span_range(span)
    # What was said first, wrongly: the same words with another name, all tagged O.
    wrong = _new_words(_spoken(rng.choice(others), rng), None, None)
    after_name = []
    if slot == "area" and last < len(draft.toks) and draft.toks[last].label in ("domain", "device_class"):
        after_name = [_Tok(draft.toks[last].text)]  # "the kitchen lights, no, the hallway lights"
    article = draft.toks[first - 1] if first > 0 and draft.toks[first - 1].text.lower() == "the" else None
    redo = [_Tok("the", article.label, article.span)] if article is not None else []
    wrong[0].space = True
    insert = [*wrong, *after_name, *_marker(pick(rng, CORRECTIONS)), *redo]
    draft.toks[first:first] = insert
    if not draft.toks[first + len(insert)].space:
        draft.toks[first + len(insert)].space = True
    return draft


def _aug_disfluency(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    return (_correct if rng.random() < 0.6 else _hesitate)(source, pool, rng)


DISFLUENCY_PARTS = ((_correct, 0.6), (_hesitate, 0.4))
