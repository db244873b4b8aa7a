"""``evaluate`` and ``calibrate``: a model folder scored on labelled examples, the HA suite or a benchmark."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..dataset_io import read_jsonl
from ..report import headline


def cmd_evaluate(args: argparse.Namespace) -> None:
    if args.suite:
        _evaluate_suite(args)
        return
    from ..evaluate import evaluate_folder

    metrics = evaluate_folder(Path(args.model), read_jsonl(args.data))
    print(headline(metrics))
    for intent, row in metrics["per_intent"].items():
        print(f"  {intent:40s} {row['exact_match']:6.1%}  ({row['examples']})")
    if args.json:
        Path(args.json).write_text(json.dumps(metrics, indent=2) + "\n")


def _evaluate_suite(args: argparse.Namespace) -> None:
    """Score a model folder on Home Assistant's intents test suite (a benchmark, never training data)."""
    from ..ha_suite import evaluate_suite
    from ..suite_reader import load_suite

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


def cmd_calibrate(args: argparse.Namespace) -> None:
    from ..calibration import benchmark_confidences, calibrate_report, confidences_of

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
