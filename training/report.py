"""The report of a training run: a Markdown summary, an intent confusion matrix (PNG) and
the model card (README.md of the model folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def headline(metrics: dict[str, Any]) -> str:
    return (f"intent accuracy {metrics['intent_accuracy']:.1%}, slot F1 {metrics['slot_f1']:.3f}, "
            f"exact match {metrics['exact_match']:.1%} ({metrics['examples']} examples)")


def summary_markdown(title: str, metrics: dict[str, Any]) -> str:
    """Overall figures and the per-intent table, worst first."""
    lines = [f"# {title}", "", headline(metrics), "", "| intent | exact match | examples |", "|---|---|---|"]
    rows = sorted(metrics["per_intent"].items(), key=lambda item: (item[1]["exact_match"], item[0]))
    lines += [f"| {name} | {row['exact_match']:.1%} | {row['examples']} |" for name, row in rows]
    return "\n".join(lines) + "\n"


def confusion_png(metrics: dict[str, Any], path: Path) -> Path:
    """Expected vs. predicted intent (single-command examples), row-normalised."""
    import matplotlib

    matplotlib.use("Agg")  # no display on training machines
    import matplotlib.pyplot as plt
    import numpy as np

    cells = metrics["confusion"]
    names = sorted({want for want, _, _ in cells} | {got for _, got, _ in cells})
    index = {name: i for i, name in enumerate(names)}
    counts = np.zeros((len(names), len(names)))
    for want, got, n in cells:
        counts[index[want], index[got]] += n
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    size = max(6.0, 0.28 * len(names))
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
    ax.set_yticks(range(len(names)), names, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    ax.set_title("Intent confusion (share of each expected intent)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def model_card(base: str, data: dict[str, Any], settings: dict[str, Any], metrics: dict[str, Any],
               suite: dict[str, Any] | None = None) -> str:
    """README.md of an exported model: what it is, how it was made, how good it is."""
    lines = [
        "# Home Brain token-classification model",
        "",
        "Tags each word of a home-automation command with Home Brain's labels (intent carrier words, "
        "slot spans, command separators); Home Brain turns the tags into Home Assistant intents.",
        "",
        f"- base model: `{base}`",
        f"- training data: {data.get('examples', '?')} examples for the home `{data.get('home', '?')}` "
        f"(by source: {data.get('per_source', {})}; augmentations: {data.get('per_augmentation', {})}; "
        "templates are Home Assistant's English sentence templates)",
        f"- training: {', '.join(f'{k} {v}' for k, v in settings.items())}",
        f"- dev split: {headline(metrics)}" if metrics else "- dev split: not evaluated",
    ]
    if suite:
        lines.append(f"- Home Assistant intents test suite: {suite.get('exact_match', 0):.1%} whole-command exact "
                     f"match over {suite.get('examples', '?')} sentences (never trained on)")
    if calibration := metrics.get("calibration"):
        lines.append(f"- calibration on the dev split: expected calibration error {calibration['ece']:.3f} over "
                     f"{calibration['acted']} turns acted on (`training/calibration.py`; the default threshold is "
                     "chosen on phrasings never trained on: `python -m training calibrate`)")
    lines += inventory_markdown(data.get("inventory", {}))
    lines += ["", "Made with `python -m training` (see the Home Brain README); `metrics.json` beside this file "
              "holds every figure."]
    return "\n".join(lines) + "\n"


def inventory_markdown(inventory: dict[str, Any], top: int = 4) -> list[str]:
    """The generator's inventory: each family's share of the data and its main intents."""
    if not inventory:
        return []
    lines = ["", "## What the training data are made of", "",
             "| family | share | examples | main intents (commands) |", "|---|---|---|---|"]
    for family, row in sorted(inventory.items(), key=lambda item: -item[1]["share"]):
        intents = sorted(row["per_intent"].items(), key=lambda item: -item[1])
        shown = ", ".join(f"{name} {n}" for name, n in intents[:top])
        more = f", {len(intents) - top} more" if len(intents) > top else ""
        lines.append(f"| {family} | {row['share']:.1%} | {row['examples']} | {shown}{more} |")
    return lines
