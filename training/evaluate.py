"""Evaluate an exported model folder the way the integration runs it (numpy tagger).

Scores: slot F1 (seqeval, over word-level BIO slot tags), intent accuracy (the utterance's
intents, in order, all right) and whole-command exact match (intents and slot texts).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from seqeval.metrics import f1_score

from home_brain_nlu.commands import commands_from_tags
from home_brain_nlu.labels import parse_label
from home_brain_nlu.tagger import Tagger

from .features import label_offsets


def _slot_tag(label: str) -> str:
    """Only slots count for slot F1; carrier and separator words are outside."""
    return label if parse_label(label).kind in ("B", "I") else "O"


def gold_word_labels(example: dict[str, Any], words: list[tuple[int, int]]) -> list[str]:
    """The label each word (by character span) should get: as training labels tokens."""
    return [label or "O" for label in label_offsets(example, words, [False] * len(words))]


def expected_commands(example: dict[str, Any]) -> list[tuple[str, dict[str, list[str]]]]:
    return [
        (c["intent"], {k: [v.lower() for v in vs] for k, vs in c["slots"].items()})
        for c in example["commands"]
    ]


def evaluate_folder(model_dir: Path, examples: list[dict[str, Any]], batch_size: int = 32) -> dict[str, Any]:
    """Metrics of ``model_dir`` on ``examples``, overall and per intent, plus failures."""
    tagger = Tagger.from_folder(model_dir)
    gold_tags: list[list[str]] = []
    pred_tags: list[list[str]] = []
    intent_ok = exact_ok = 0
    per_intent: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_family: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # the generator's families
    # (expected intent, predicted intent) for single-command examples; "(none)" = no command
    confusion: dict[tuple[str, str], int] = defaultdict(int)
    failures: list[dict[str, Any]] = []
    for i in range(0, len(examples), batch_size):
        batch = examples[i : i + batch_size]
        for example, words in zip(batch, tagger.tag_batch([e["text"] for e in batch]), strict=True):
            gold = gold_word_labels(example, [(w.start, w.end) for w in words])
            gold_tags.append([_slot_tag(g) for g in gold])
            pred_tags.append([_slot_tag(w.label) for w in words])
            commands = commands_from_tags(example["text"], words)
            got = [(c.intent, c.slot_texts()) for c in commands]
            want = expected_commands(example)
            intents_right = [g[0] for g in got] == [w[0] for w in want]
            exact = got == want
            intent_ok += intents_right
            exact_ok += exact
            if len(want) <= 1:
                confusion[(want[0][0] if want else "(none)", "+".join(g[0] for g in got) or "(none)")] += 1
            key = "+".join(w[0] for w in want) or "(none)"
            per_intent[key][0] += exact
            per_intent[key][1] += 1
            family = per_family[str(example.get("augmentation") or example.get("source", "unknown"))]
            family[0] += exact
            family[1] += 1
            if not exact:
                failures.append({"text": example["text"], "want": want, "got": got})
    n = max(1, len(examples))
    return {
        "examples": len(examples),
        "intent_accuracy": intent_ok / n,
        "exact_match": exact_ok / n,
        "slot_f1": float(f1_score(gold_tags, pred_tags)) if examples else 0.0,
        "per_intent": {k: {"exact_match": ok / total, "examples": total} for k, (ok, total) in sorted(per_intent.items())},
        "per_family": {k: {"exact_match": ok / total, "examples": total} for k, (ok, total) in sorted(per_family.items())},
        "confusion": [[want, got, n] for (want, got), n in sorted(confusion.items())],
        "failures": failures[:200],
    }
