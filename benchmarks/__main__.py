"""``python -m benchmarks [FOLDER...] | --all``: Home Brain vs the built-in agent, judged by the home's state."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import shlex
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SUITE = REPO.parent / "shared" / "data" / "ha-intents-tests" / "tests" / "en"
SLURP_DEV = REPO.parent / "shared" / "data" / "slurp-iot-dev"
OWN_SUITES = Path(__file__).resolve().parent / "suites"  # the project's own state-based suites
DEFAULT_MODEL = REPO / "custom_components" / "home_brain" / "model"


def all_suites() -> dict[str, Path]:
    """Every suite the project benchmarks on, by the name the combined table gives it."""
    suites = {"Home Assistant suite (en)": DEFAULT_SUITE, "SLURP IoT dev": SLURP_DEV}
    suites |= {f"own: {p.name}": p for p in sorted(OWN_SUITES.iterdir()) if (p / "_fixtures.yaml").is_file()}
    return suites


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("folders", nargs="*", type=Path,
                        help=f"suite folders (default: {DEFAULT_SUITE}; with --all: added to every suite)")
    parser.add_argument("--all", action="store_true",
                        help="every suite: Home Assistant's, SLURP IoT dev and benchmarks/suites/*, one report each "
                             "and one combined table (benchmarks-all.md)")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="Home Brain model folder (default: bundled)")
    parser.add_argument("--agents", default="Home Brain,built-in,Home Brain + fallback",
                        help="comma-separated: 'Home Brain' (no fallback), 'built-in', 'Home Brain + fallback'")
    parser.add_argument("--threshold", type=float, default=None, help="Home Brain confidence threshold (default: its own)")
    parser.add_argument("--sample", type=int, default=0, help="judge a random N sentences per folder (0: all)")
    parser.add_argument("--typos", action="store_true",
                        help="put one typo in each sentence first (robustness; benchmarks/noise.py)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=REPO / "build" / "benchmark")
    parser.add_argument("--learn", type=Path, metavar="FOLDER",
                        help="one round of the learning loop on a learn folder (benchmarks/learn.py)")
    parser.add_argument("--teacher", choices=("oracle", "builtin"), default="oracle", help="with --learn")
    parser.add_argument("--retrain-args", default="", help="with --learn: extra `python -m training all` options")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.basicConfig(level=logging.ERROR)
    sys.path.insert(0, str(REPO))  # custom_components/home_brain, as Home Assistant's loader finds it
    from .judge import AGENTS

    agents = tuple(a.strip() for a in args.agents.split(",") if a.strip())
    if unknown := [a for a in agents if a not in AGENTS]:
        parser.error(f"unknown agents {unknown}; choose from {list(AGENTS)}")
    command = "scripts/benchmark " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    if args.learn is not None:
        from .learn import run

        suite = DEFAULT_SUITE if DEFAULT_SUITE.is_dir() else None
        return run(args.learn, args.model, args.teacher, args.out, suite, shlex.split(args.retrain_args), command,
                   args.threshold)
    if args.all:
        return _run_all(args, agents, command)
    return _run_folders(args, agents, command)


def _judge_folder(folder: Path, args: argparse.Namespace, agents: tuple[str, ...]) -> Any:
    from .cases import load_suite
    from .judge import async_run
    from .noise import with_typos

    suite = load_suite(folder)
    for warning in suite.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.sample:
        suite.cases = sorted(random.Random(args.seed).sample(suite.cases, min(args.sample, len(suite.cases))),
                             key=suite.cases.index)
    if args.typos:
        suite.cases = with_typos(suite.cases, args.seed)
    print(f"{folder}: {len(suite.cases)} sentences, agents: {', '.join(agents)}", file=sys.stderr)
    return asyncio.run(async_run(suite, agents, args.model, args.threshold))


def _run_folders(args: argparse.Namespace, agents: tuple[str, ...], command: str) -> int:
    """The folders given (default: Home Assistant's suite), judged together as one run."""
    from .judge import Run
    from .report import headline, summarise, write

    folders = args.folders or [DEFAULT_SUITE]
    run = Run()
    for folder in folders:
        part = _judge_folder(folder, args, agents)
        run.verdicts += part.verdicts
        run.skipped += part.skipped
    summary = summarise(run, agents)
    write(summary, args.out, [str(f) for f in folders], command)
    print(headline(summary))
    print(f"report: {args.out / 'benchmark.md'}")
    return 0


def _run_all(args: argparse.Namespace, agents: tuple[str, ...], command: str) -> int:
    """Each suite on its own (a report in ``--out/<suite>/``), then one table of them all."""
    from .report import headline, suites_table, summarise, wrong_actions_line, write

    suites = all_suites() | {f.name: f for f in args.folders}
    summaries: dict[str, dict[str, Any]] = {}
    for name, folder in suites.items():
        if not folder.is_dir():
            print(f"warning: {name}: {folder} is not a folder, left out", file=sys.stderr)
            continue
        summary = summarise(_judge_folder(folder, args, agents), agents)
        out = args.out / _slug(name)
        write(summary, out, [str(folder)], command)
        print(f"== {name} ({folder})\n{headline(summary)}\nreport: {out / 'benchmark.md'}\n")
        summaries[name] = summary
    table = suites_table(summaries)
    lines = ["# Benchmarks, every suite", "", f"Command: `{command}`", "",
             "Right: the home ended where the case says. Wrong actions: something changed that should not "
             "have, or the right device changed the wrong way. The rest: nothing done.", "", table]
    lines += [f"- {name}: {wrong_actions_line(summary)}" for name, summary in summaries.items()]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "benchmarks-all.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(table)
    print(f"report: {args.out / 'benchmarks-all.md'}")
    return 0


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.casefold()).strip("-").replace("--", "-")


if __name__ == "__main__":
    sys.exit(main())
