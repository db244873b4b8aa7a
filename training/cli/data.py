"""``generate`` and ``heldout``: labelled examples for a home, and what ``--logs`` add to them."""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from home_brain_nlu.learned_aliases import read_learned_aliases

from ..dataset_io import summarize, write_jsonl
from ..report import headline


def _intents(args: argparse.Namespace) -> list[str] | None:
    return [name.strip() for name in args.intents.split(",") if name.strip()] if args.intents else None


def _home_path(args: argparse.Namespace) -> str:
    """``--home``, else the ``home.yaml`` of the last ``--logs`` export that has one."""
    if args.home:
        return args.home
    from ..from_logs.turns import export_files

    homes = [home for home in (export_files(path)[1] for path in args.logs or []) if home is not None]
    if not homes:
        raise ValueError("--home is needed (no --logs export has a home.yaml)")
    args.home = str(homes[-1])
    return args.home


def generated_examples(args: argparse.Namespace, home: Any = None) -> list[dict[str, Any]]:
    """``--count`` examples: templates, and ``--augment-share`` of them augmented (shuffled)."""
    from ..augment import augment_examples
    from ..generate import generate_examples
    from ..home import load_home

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
    from ..augment import augment_examples
    from ..generate import generate_examples
    from ..home import load_home

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
        from ..calibration import calibration_of
        from ..evaluate import evaluate_folder

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
class Logged:
    """What ``--logs`` brings: examples to train on (repeated), held-out ones, learned names."""

    train: list[dict[str, Any]] = field(default_factory=list)
    held_out: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    aliases: Any = None  # LearnedAliases
    home: Any = None  # the home, with the learned names as aliases (for generating)
    taught: Any = None  # LearnedAliases: the names this round's logs taught
    registry: Any = None  # the home as the export has it (its own names)


def logged_examples(args: argparse.Namespace, review_json: Path, review_md: Path) -> Logged:
    """``--logs``: the log examples (each ``--log-repeat`` times), held-out ones, names learned."""
    from ..incremental import home_with_aliases, log_repeat, split_held_out
    from ..nicknames import learned_aliases

    previous = read_learned_aliases(args.from_model) if getattr(args, "from_model", None) else None
    if not args.logs:
        return Logged(aliases=previous)
    from ..home import load_home
    from ..from_logs.learn import learn, repeated
    from ..from_logs.review import format_summary, write_review

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
    return Logged(repeated(trained, args.log_repeat), held_out, summary, aliases, home_with_aliases(home, aliases),
                   learned_aliases(trained, home), home)


def cmd_generate(args: argparse.Namespace) -> None:
    out = Path(args.out)
    logs = logged_examples(args, out.with_suffix(".log_review.json"), out.with_suffix(".log_review.md"))
    logged, log_summary = logs.train + logs.held_out, logs.summary  # no training here: nothing held out
    examples = generated_examples(args, logs.home)
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
