"""Examples -> token features: character spans become one label per sub-word token.

Every sub-token of a span gets a label (``B-`` only on the span's first token), as in
Hugging Face's token-classification example with ``label_all_tokens``; the runtime reads a
word's label from its first sub-token, so both agree on word-level tags.
"""

from __future__ import annotations

from typing import Any

from home_brain_nlu.labels import INTENT_PREFIX, OUTSIDE, SEPARATOR

IGNORE_INDEX = -100  # special tokens: no loss, as in transformers' token-classification example


def span_label(span_label_name: str, first_token: bool) -> str:
    """The schema label for a token inside a span labelled ``span_label_name``."""
    if span_label_name == "sep":
        return SEPARATOR
    if span_label_name.startswith("intent:"):
        return INTENT_PREFIX + span_label_name[len("intent:") :]
    return ("B-" if first_token else "I-") + span_label_name


def char_labels(example: dict[str, Any]) -> list[tuple[int, int, str]]:
    """The example's spans as ``(start, end, span label)``, sorted."""
    return sorted((s["start"], s["end"], s["label"]) for s in example["spans"])


def label_offsets(
    example: dict[str, Any], offsets: list[tuple[int, int]], special: list[bool]
) -> list[str | None]:
    """One label per token given its character offsets; None for special tokens."""
    spans = char_labels(example)
    labels: list[str | None] = []
    seen_spans: set[int] = set()
    for (start, end), is_special in zip(offsets, special, strict=True):
        if is_special or start == end:
            labels.append(None)
            continue
        label = OUTSIDE
        for index, (s_start, s_end, name) in enumerate(spans):
            if s_start <= start < s_end:
                label = span_label(name, index not in seen_spans)
                seen_spans.add(index)
                break
        labels.append(label)
    return labels


def encode_examples(
    examples: list[dict[str, Any]], tokenizer: Any, label2id: dict[str, int], max_length: int = 128
) -> list[dict[str, list[int]]]:
    """Tokenise examples with a fast tokenizer and attach label ids (unknown labels -> O)."""
    features = []
    for example in examples:
        enc = tokenizer(
            example["text"],
            truncation=True,
            max_length=max_length,
            return_offsets_mapping=True,
            return_special_tokens_mask=True,
        )
        labels = label_offsets(
            example, enc["offset_mapping"], [bool(m) for m in enc["special_tokens_mask"]]
        )
        features.append(
            {
                "input_ids": enc["input_ids"],
                "attention_mask": enc["attention_mask"],
                "labels": [
                    IGNORE_INDEX if lab is None else label2id.get(lab, label2id[OUTSIDE])
                    for lab in labels
                ],
            }
        )
    return features
