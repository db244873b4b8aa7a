"""Tags: what the tagger says about each word of an utterance."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TaggedWord:
    """One word of the input with its label and the model's confidence in it.

    ``start``/``end`` are character offsets into the original text, so slot values are
    cut from what the user said, not from the tokenizer's normalised form.
    """

    text: str
    start: int
    end: int
    label: str
    confidence: float
