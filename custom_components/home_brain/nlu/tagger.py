"""Word-level tagging: text in, one labelled word (with its character span) out per word.

Words are the tokenizer's pre-tokenizer words (BERT splits on whitespace and punctuation),
each labelled from its first sub-token's scores. The labels of a sentence are chosen
together (Viterbi) so that an ``I-x`` only ever continues a ``B-x``/``I-x``: a model unsure
whether "kitchen light" is a name or an area reads it as one or the other, never as
"area kitchen" + "name light".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tokenizers import Encoding, Tokenizer

from .encoder import Encoder
from .labels import parse_label
from .learned_aliases import LearnedAliases
from .model_folder import load_model_folder
from .tags import TaggedWord

# Categories the tokenizer must not see: control characters (NUL, escapes), lone surrogates
# (which cannot cross into Rust at all) and unassigned code points.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs", "Cn"})


def _clean(text: str) -> str:
    """Replace unsafe characters by spaces, one for one, so offsets still index `text`."""
    if text.isprintable():  # fast path: most utterances
        return text
    return "".join(" " if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch for ch in text)


class Tagger:
    """Tags utterances with a token-classification model folder, using numpy only."""

    def __init__(self, encoder: Encoder, tokenizer: Tokenizer, learned_aliases: LearnedAliases | None = None) -> None:
        self.encoder = encoder
        # Names the home taught this model (aliases.json); name matching reads them as aliases.
        self.learned_aliases = learned_aliases or LearnedAliases()
        self.tokenizer = tokenizer
        # Settings saved in tokenizer.json (e.g. MiniLM's fixed padding to 128) would waste
        # work or overrun the model; the tagger decides truncation and padding itself.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=encoder.max_length)
        self._pad_id = encoder.config.pad_token_id
        parsed = [parse_label(label) for label in encoder.id2label]
        # allowed[a, b]: label b may follow label a.
        self._allowed = np.array(
            [[b.kind != "I" or (a.kind in ("B", "I") and a.value == b.value) for b in parsed] for a in parsed]
        )
        self._may_start = np.array([label.kind != "I" for label in parsed])
        # Made once: per call it was a labels x labels allocation.
        self._forbidden = np.where(self._allowed, 0.0, -np.inf)

    @classmethod
    def from_folder(cls, path: str | Path) -> Tagger:
        """Load a model folder (raises ModelFolderError when it is unusable)."""
        folder = load_model_folder(path)
        return cls(Encoder(folder), folder.tokenizer, folder.learned_aliases)

    @property
    def labels(self) -> list[str]:
        return self.encoder.id2label

    def tag(self, text: str) -> list[TaggedWord]:
        """Tag one utterance; empty, blank or non-text input gives no words."""
        return self.tag_batch([text])[0]

    def tag_batch(self, texts: Sequence[str]) -> list[list[TaggedWord]]:
        """Tag several utterances in one forward pass (padded to the longest)."""
        results: list[list[TaggedWord]] = [[] for _ in texts]
        todo: list[tuple[int, str]] = []
        for index, text in enumerate(texts):
            if isinstance(text, str) and text.strip():
                cleaned = _clean(text)
                if cleaned.strip():
                    todo.append((index, cleaned))
        if not todo:
            return results

        encodings: list[Encoding] = self.tokenizer.encode_batch([cleaned for _, cleaned in todo])
        seq = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), seq), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), seq), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1

        logits = self.encoder.logits(ids, mask)
        shifted = logits - logits.max(axis=-1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))

        labels = self.encoder.id2label
        for row, ((index, _), encoding) in enumerate(zip(todo, encodings, strict=True)):
            spans = _word_spans(encoding)
            word_log_probs = log_probs[row, [first for first, _, _ in spans]]
            path = self._best_path(word_log_probs)
            results[index] = [
                TaggedWord(texts[index][start:end], start, end, labels[label], float(np.exp(word_log_probs[i, label])))
                for i, ((_, start, end), label) in enumerate(zip(spans, path, strict=True))
            ]
        return results

    def _best_path(self, log_probs: np.ndarray) -> list[int]:
        """The most probable label sequence in which every I-x continues an x (Viterbi)."""
        if len(log_probs) == 0:
            return []
        forbidden = self._forbidden
        score = np.where(self._may_start, log_probs[0], -np.inf)
        back = np.zeros(log_probs.shape, dtype=np.int64)
        for i in range(1, len(log_probs)):
            candidates = score[:, None] + forbidden  # [previous, next]
            back[i] = candidates.argmax(axis=0)
            score = candidates.max(axis=0) + log_probs[i]
        path = [int(score.argmax())]
        for i in range(len(log_probs) - 1, 0, -1):
            path.append(int(back[i, path[-1]]))
        return path[::-1]


def _word_spans(encoding: Encoding) -> list[tuple[int, int, int]]:
    """Group sub-tokens into words: (first sub-token, start, end) with the span over all."""
    words: list[tuple[int, int, int]] = []
    # [word id, first token, start, end] of the word being collected
    current: list[int] | None = None

    def close(word: list[int]) -> None:
        _, first, start, end = word
        if end > start:
            words.append((first, start, end))

    for token, (word_id, (start, end)) in enumerate(zip(encoding.word_ids, encoding.offsets, strict=True)):
        if word_id is None:  # [CLS], [SEP], padding
            continue
        if current is not None and current[0] == word_id:
            current[2] = min(current[2], start)
            current[3] = max(current[3], end)
            continue
        if current is not None:
            close(current)
        current = [word_id, token, start, end]
    if current is not None:
        close(current)
    return words
