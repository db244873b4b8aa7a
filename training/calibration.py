"""Does Home Brain's confidence mean something? Reliability diagrams, expected calibration
error (ECE) and the confidence threshold chosen from data.

A turn's confidence is what the integration compares with its threshold: the lowest
confidence of its commands. A turn counts as right when its commands are exactly the
expected ones (labelled examples) or when the home ended right (a state-based benchmark run
with ``--threshold 0``, so every turn is acted on). Turns that give no command are left out:
the agent hands them over whatever the threshold.

The threshold: the lowest one at which the turns acted on are right at least ``PRECISION``
of the time on the chosen set (a wrong action is worse than handing over, but every handover
of a right command is a lost answer); when no threshold reaches it, the one with the most
right minus twice the wrong actions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from home_brain_nlu.commands import commands_from_tags
from home_brain_nlu.tagger import Tagger

from .evaluate import expected_commands

BINS = 10
PRECISION = 0.9
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(2, 20))


def confidences_of(model_dir: Path, examples: list[dict[str, Any]], batch_size: int = 32) -> tuple[list[float], list[bool]]:
    """(confidence, right) of each labelled example the model gives commands for."""
    tagger = Tagger.from_folder(model_dir)
    confidences: list[float] = []
    right: list[bool] = []
    for i in range(0, len(examples), batch_size):
        batch = examples[i : i + batch_size]
        for example, words in zip(batch, tagger.tag_batch([e["text"] for e in batch]), strict=True):
            commands = commands_from_tags(example["text"], words)
            if not commands:
                continue
            confidences.append(min(c.confidence for c in commands))
            right.append([(c.intent, c.slot_texts()) for c in commands] == expected_commands(example))
    return confidences, right


def benchmark_confidences(model_dir: Path, folder: Path, result: Path) -> tuple[list[float], list[bool]]:
    """(confidence, home ended right) of each sentence of a state-based suite, from the
    ``benchmark.json`` of a ``scripts/benchmark FOLDER --agents "Home Brain" --threshold 0`` run."""
    from benchmarks.cases import load_suite

    summary = json.loads(result.read_text(encoding="utf-8"))
    failed = {f["sentence"] for f in summary["agents"]["Home Brain"]["failures"]}
    sentences = [case.sentence for case in load_suite(folder).cases]
    tagger = Tagger.from_folder(model_dir)
    confidences: list[float] = []
    right: list[bool] = []
    for sentence, words in zip(sentences, tagger.tag_batch(sentences), strict=True):
        commands = commands_from_tags(sentence, words)
        if commands:
            confidences.append(min(c.confidence for c in commands))
            right.append(sentence not in failed)
    return confidences, right


def reliability(confidences: list[float], right: list[bool], bins: int = BINS) -> dict[str, Any]:
    """Per confidence bin: turns, mean confidence, share right; and the ECE over them."""
    rows = []
    n = len(confidences)
    ece = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [k for k, c in enumerate(confidences) if low <= c < high or (b == bins - 1 and c == 1.0)]
        if not members:
            continue
        confidence = sum(confidences[k] for k in members) / len(members)
        accuracy = sum(right[k] for k in members) / len(members)
        ece += len(members) / n * abs(accuracy - confidence)
        rows.append({"low": low, "high": high, "turns": len(members), "confidence": round(confidence, 4),
                     "accuracy": round(accuracy, 4)})
    return {"ece": round(ece, 4), "acted": n, "accuracy": round(sum(right) / n, 4) if n else 0.0, "bins": rows}


def choose_threshold(confidences: list[float], right: list[bool]) -> float:
    """The threshold the module docstring describes."""
    scores = []
    for threshold in THRESHOLDS:
        acted = [r for c, r in zip(confidences, right, strict=True) if c >= threshold]
        if acted and sum(acted) / len(acted) >= PRECISION:
            return threshold
        scores.append((sum(acted) - 2 * (len(acted) - sum(acted)), -threshold))
    return -max(scores)[1] if scores else 0.5


def reliability_png(sets: dict[str, dict[str, Any]], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfect")
    for name, row in sets.items():
        xs = [b["confidence"] for b in row["bins"]]
        ys = [b["accuracy"] for b in row["bins"]]
        ax.plot(xs, ys, marker="o", label=f"{name} (ECE {row['ece']:.3f}, n={row['acted']})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence (lowest of the turn's commands)")
    ax.set_ylabel("share of turns right")
    ax.set_title("Reliability of Home Brain's confidence")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def calibrate_report(curves: dict[str, tuple[list[float], list[bool]]], choose_on: str, out: Path) -> dict[str, Any]:
    """calibration.json and reliability.png in ``out``; the threshold chosen on ``choose_on``."""
    out.mkdir(parents=True, exist_ok=True)
    sets = {name: reliability(*curve) for name, curve in curves.items()}
    chosen = choose_on if choose_on in curves else next(iter(curves), "")
    report = {"sets": sets, "chosen_on": chosen, "precision_wanted": PRECISION,
              "threshold": choose_threshold(*curves[chosen]) if chosen else None}
    (out / "calibration.json").write_text(json.dumps(report, indent=2) + "\n")
    reliability_png(sets, out / "reliability.png")
    return report


def calibration_of(model_dir: Path, examples: list[dict[str, Any]]) -> dict[str, Any]:
    """Reliability and the chosen threshold on one labelled set (for metrics and the model card)."""
    confidences, right = confidences_of(model_dir, examples)
    return {**reliability(confidences, right), "threshold": choose_threshold(confidences, right)}
