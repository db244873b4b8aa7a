"""Politeness and hesitation around a command, tagged O."""

from __future__ import annotations

import random

from .frames import pick
from .draft import _Draft, _Pool, _SLOTS, _Tok, _WILDCARD_SLOTS, _new_words


FILLER_PREFIXES: tuple[str, ...] = (
    "please", "hey", "hey,", "um", "um,", "uh", "hey um", "ok", "ok,", "okay", "so", "so,",
    "could you", "can you", "would you", "could you please", "can you please", "hey could you",
    "excuse me,", "quick one,", "alright,", "hmm", "go ahead and", "i need you to",
    "i want you to", "yo", "please could you",
)
# Wake words: people (and speech-to-text) keep the one their other assistant answers to.
WAKE_WORDS: tuple[str, ...] = (
    "alexa", "alexa,", "hey google", "ok google", "hey siri", "siri,", "computer,", "hey assistant",
    "hey jarvis", "jarvis,", "hey mycroft", "ok computer",
    # Home Assistant's own and openWakeWord's wake words, and what people name their assistant.
    "ok nabu", "okay nabu", "hey nabu", "hey home assistant", "ok home assistant", "hey house", "hey casa",
    "hey computer", "okay google", "hi google", "hey rhasspy", "hey homey", "echo,", "hey alexa",
)
WAKE_WORD_SHARE = 0.5  # of the prefixes: one word that would otherwise read as a name
FILLER_SUFFIXES: tuple[str, ...] = (
    "please", "for me", "thanks", "thank you", "for me please", "please and thank you",
    "if you can", "thanks a lot", "cheers", "ta", "thx", "if you don't mind", "please thanks",
    "for me thanks", "thank you very much",
)
FILLER_INFIXES: tuple[str, ...] = ("um", "uh", "er", "erm", "like")


def _aug_filler(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    draft = source.copy()
    ops = rng.choice((("prefix",), ("suffix",), ("prefix", "suffix"), ("infix",), ("prefix", "infix")))
    done = False
    if "infix" in ops:
        # Between two words, never inside a slot value.
        gaps = [
            i for i in range(1, len(draft.toks))
            if draft.toks[i].label is not None and draft.toks[i - 1].label is not None
            and not (draft.toks[i].span == draft.toks[i - 1].span and draft.toks[i].label in _SLOTS)
            and draft.toks[i].space
        ]
        if gaps:
            i = rng.choice(gaps)
            draft.toks[i:i] = _new_words(pick(rng, FILLER_INFIXES), None, None)
            done = True
    if "suffix" in ops and draft.toks[-1].label not in _WILDCARD_SLOTS:
        suffix = pick(rng, FILLER_SUFFIXES)
        words = _new_words(suffix, None, None)
        if rng.random() < 0.3:
            words.insert(0, _Tok(",", None, None, space=False))
        draft.toks += words
        done = True
    if "prefix" in ops and draft.toks[0].label not in _WILDCARD_SLOTS:
        prefix = pick(rng, WAKE_WORDS if rng.random() < WAKE_WORD_SHARE else FILLER_PREFIXES)
        words: list[_Tok] = []
        for word in prefix.split():
            if word.endswith(",") and len(word) > 1:
                words += [_Tok(word[:-1]), _Tok(",", space=False)]
            else:
                words.append(_Tok(word))
        draft.toks[0:0] = words
        done = True
    return draft if done else None


