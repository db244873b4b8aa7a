"""``python -m benchmarks [FOLDER...]``: Home Brain vs the built-in agent, judged by the home's state."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import shlex
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SUITE = REPO.parent / "shared" / "data" / "ha-intents-tests" / "tests" / "en"
DEFAULT_MODEL = REPO / "custom_components" / "home_brain" / "model"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("folders", nargs="*", type=Path, default=[DEFAULT_SUITE],
                        help=f"suite folders (default: {DEFAULT_SUITE})")
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
    args = parser.parse_args(argv)
    if args.learn is not None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        logging.basicConfig(level=logging.ERROR)
        sys.path.insert(0, str(REPO))
        from .learn import run

        command = "scripts/benchmark " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
        suite = DEFAULT_SUITE if DEFAULT_SUITE.is_dir() else None
        return run(args.learn, args.model, args.teacher, args.out, suite, shlex.split(args.retrain_args), command,
                   args.threshold)

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.basicConfig(level=logging.ERROR)
    sys.path.insert(0, str(REPO))  # custom_components/home_brain, as Home Assistant's loader finds it
    from .cases import load_suite
    from .judge import AGENTS, Run, async_run
    from .noise import with_typos
    from .report import headline, summarise, write

    agents = tuple(a.strip() for a in args.agents.split(",") if a.strip())
    if unknown := [a for a in agents if a not in AGENTS]:
        parser.error(f"unknown agents {unknown}; choose from {list(AGENTS)}")
    run = Run()
    for folder in args.folders:
        suite = load_suite(folder)
        for warning in suite.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if args.sample:
            suite.cases = sorted(random.Random(args.seed).sample(suite.cases, min(args.sample, len(suite.cases))),
                                 key=suite.cases.index)
        if args.typos:
            suite.cases = with_typos(suite.cases, args.seed)
        print(f"{folder}: {len(suite.cases)} sentences, agents: {', '.join(agents)}", file=sys.stderr)
        part = asyncio.run(async_run(suite, agents, args.model, args.threshold))
        run.verdicts += part.verdicts
        run.skipped += part.skipped
    summary = summarise(run, agents)
    command = "scripts/benchmark " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    write(summary, args.out, [str(f) for f in args.folders], command)
    print(headline(summary))
    print(f"report: {args.out / 'benchmark.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
