"""``train`` and ``all``: fine-tune, export ``model/`` (compressed when dev accuracy holds), report."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

from home_brain_nlu.learned_aliases import LearnedAliases, read_learned_aliases, write_learned_aliases
from home_brain_nlu.model_folder import WEIGHTS_FILE

from ..dataset_io import read_jsonl, summarize, write_jsonl
from ..report import headline
from .data import Logged, generated_examples, logged_examples

MAX_COMPRESSION_LOSS = 0.005  # dev exact match a compressed model may lose and still be the one exported


def _split(examples: list[dict[str, Any]], dev_share: float, seed: int) -> tuple[list, list]:
    shuffled = examples[:]
    random.Random(seed).shuffle(shuffled)
    n_dev = max(1, int(len(shuffled) * dev_share)) if len(shuffled) > 1 else 0
    return shuffled[n_dev:], shuffled[:n_dev]


def _train_and_export(train: list, dev: list, args: argparse.Namespace, logs: Logged | None = None) -> Path:
    """Fine-tune, export model/, evaluate it as the integration runs it, write the report."""
    from ..evaluate import evaluate_folder
    from ..export import export_model
    from ..finetune import TrainSettings, default_base_model, finetune
    from ..incremental import Timer, before_after, load_suite_option, write_before_after
    from ..report import confusion_png, model_card, summary_markdown

    out = Path(args.out)
    from_model = Path(args.from_model) if args.from_model else None
    suite = load_suite_option(args.suite) if from_model else None  # read before the clock starts
    logs = logs or _without_logs(args)
    base = from_model or (Path(args.base) if args.base else default_base_model())
    settings = TrainSettings(epochs=args.epochs, batch_size=args.batch_size,
                             learning_rate=args.learning_rate, seed=args.seed, progress=not args.quiet,
                             continue_from_model=from_model is not None, train_layers=args.train_layers)
    if from_model is not None and not (from_model / WEIGHTS_FILE).is_file():
        # An int8 folder (python -m training compress) is continued from its float weights.
        from ..compress import dequantize_folder

        base = dequantize_folder(from_model, out / "from-model-float", "float32")
    with Timer() as timer:
        result = finetune(train, dev, base, out / "checkpoints", settings)
    print(f"fine-tuning took {timer.seconds:.0f} s")
    if not _is_main_process():
        return out / "model"  # under torchrun every process trains; the first one exports
    model_dir = out / "model"
    full_dir = export_model(result.model, result.tokenizer, out / "model-fp16" if args.compress else model_dir)
    if logs.aliases:
        print(f"learned names: {write_learned_aliases(full_dir, logs.aliases)}")
    metrics = evaluate_folder(full_dir, dev) if dev else {}
    compression = _compress_export(full_dir, model_dir, train, dev, metrics, args) if args.compress else None
    if compression is not None:
        metrics = compression.pop("metrics")
    if dev:
        from ..calibration import calibration_of, reliability_png

        metrics["calibration"] = calibration_of(model_dir, dev)
        reliability_png({"dev": metrics["calibration"]}, out / "reliability.png")
    metrics_public = {k: v for k, v in metrics.items() if k != "failures"}
    if compression is not None:
        metrics_public["compression"] = compression
    (model_dir / "metrics.json").write_text(json.dumps(metrics_public, indent=2) + "\n")
    data = {**summarize(train), "home": Path(getattr(args, "home", None) or "?").stem}
    base_name = "all-MiniLM-L6-v2" if base == default_base_model() else base.name
    if from_model is not None:
        base_name = f"{from_model} (continued: top {args.train_layers} layers and head)"
    card_settings = {"epochs": args.epochs, "batch size": args.batch_size,
                     "learning rate": args.learning_rate, "seed": args.seed}
    card = model_card(base_name, data, card_settings, metrics_public)
    if compression is not None and compression["kept"]:
        card += (f"\nCompressed (`python -m training compress`): vocabulary {compression['vocab_after']} of "
                 f"{compression['vocab_before']} tokens, int8 weights; the float16 model is in `../model-fp16`.\n")
    (model_dir / "README.md").write_text(card)
    if metrics:
        (out / "dev_failures.json").write_text(json.dumps(metrics["failures"], indent=2) + "\n")
        (out / "report.md").write_text(summary_markdown("Dev split", metrics))
        confusion_png(metrics, out / "confusion.png")
    if from_model is not None:
        if not metrics:
            (out / "report.md").write_text("# Continued training\n")
        logged = [ex for ex in train if ex.get("source") == "log"]
        sets = {"logged sentences (trained on)": list({ex["text"]: ex for ex in logged}.values()),
                "logged sentences held out": logs.held_out,
                "generated dev split (earlier skills)": dev}
        rows = before_after(from_model, model_dir, sets, suite)
        write_before_after(out, rows, timer.seconds, from_model, logs.aliases or LearnedAliases())
    print(f"model exported to {model_dir}")
    if metrics:
        print(headline(metrics))
    return model_dir


def _without_logs(args: argparse.Namespace) -> Logged:
    """No --logs: a model continued from keeps the names it had learned."""
    return Logged(aliases=read_learned_aliases(args.from_model) if args.from_model else None)


def _is_main_process() -> bool:
    """False in the other processes of a distributed run (torchrun sets RANK): only one writes."""
    return os.environ.get("RANK", "0") == "0"


def _compress_export(full_dir: Path, model_dir: Path, train: list, dev: list, metrics: dict[str, Any],
                     args: argparse.Namespace) -> dict[str, Any]:
    """Prune + quantize ``full_dir`` into ``model_dir``; keep it only if dev exact match holds.

    Returns the compression report with the metrics of the folder kept (under "metrics").
    """
    from ..compress import compress_folder, report_dict
    from ..evaluate import evaluate_folder

    report = compress_folder(full_dir, model_dir, [e["text"] for e in train], words=args.vocab_words)
    print(report.summary())
    info: dict[str, Any] = report_dict(report)
    small = evaluate_folder(model_dir, dev) if dev else {}
    if dev:
        info["exact_match_fp16"] = metrics["exact_match"]
        info["exact_match_compressed"] = small["exact_match"]
    if dev and small["exact_match"] < metrics["exact_match"] - MAX_COMPRESSION_LOSS:
        print(f"compression costs {metrics['exact_match'] - small['exact_match']:.1%} exact match on dev "
              f"(more than {MAX_COMPRESSION_LOSS:.1%}): {model_dir} is the float16 model")
        shutil.rmtree(model_dir)
        shutil.copytree(full_dir, model_dir)
        return {**info, "kept": False, "metrics": metrics}
    return {**info, "kept": True, "metrics": small or metrics}


def cmd_train(args: argparse.Namespace) -> None:
    examples = read_jsonl(args.data)
    if args.dev:
        train, dev = examples, read_jsonl(args.dev)
    else:
        train, dev = _split(examples, args.dev_share, args.seed)
    _train_and_export(train, dev, args)


def cmd_all(args: argparse.Namespace) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # Log sentences only train: their copies in the dev split would only measure memory.
    logs = logged_examples(args, out / "log_review.json", out / "log_review.md")
    logged, log_summary = logs.train, logs.summary
    examples = generated_examples(args, logs.home)
    train, dev = _split(examples, args.dev_share, args.seed)
    if logged:
        from ..incremental import rehearse_names

        train = train + logged + rehearse_names(train, logs.registry, logs.taught, args.seed)
        random.Random(args.seed).shuffle(train)
    if _is_main_process():  # every process generates the same data (same seed); one writes it
        write_jsonl(out / "train.jsonl", train)
        write_jsonl(out / "dev.jsonl", dev)
        stats = summarize(train + dev)
        if log_summary is not None:
            stats["logs"] = log_summary
        (out / "data_stats.json").write_text(json.dumps(stats, indent=2) + "\n")
        print(f"{len(train)} training and {len(dev)} dev examples in {out}")
    _train_and_export(train, dev, args, logs)
