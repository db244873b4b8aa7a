"""Training throughput: samples/s and s/step of fine-tuning, and the wall time that implies for
a full run (default: 20k examples, 3 epochs). Prints figures; not a test.

    .venv/bin/python scripts/bench_training.py [--steps 30] [--batch-size 32] [--examples 20000] [--base DIR]

Uses the GPU with bf16 when one is present (the Trainer decides), else the CPU; the output
says which it measured.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import torch

from training.finetune import TrainSettings, default_base_model, finetune
from training.generate import generate_examples
from training.home import load_home

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--examples", type=int, default=20000, help="size of the run to extrapolate to")
    parser.add_argument("--epochs", type=float, default=3.0, help="epochs of the run to extrapolate to")
    parser.add_argument("--base", type=Path, default=None)
    args = parser.parse_args()

    device = torch.cuda.get_device_name() if torch.cuda.is_available() else f"CPU, {torch.get_num_threads()} threads"
    examples = generate_examples(load_home(REPO / "training/homes/default.yaml"), args.steps * args.batch_size, seed=7)
    work = Path(tempfile.mkdtemp(prefix="bench_training_"))
    try:
        start = time.perf_counter()
        finetune(examples, [], args.base or default_base_model(), work,
                 TrainSettings(epochs=1, batch_size=args.batch_size, progress=False))
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)
    per_step = seconds / args.steps
    samples_per_s = args.steps * args.batch_size / seconds
    total_steps = args.examples * args.epochs / args.batch_size
    print(f"device: {device}")
    print(f"{args.steps} steps of batch {args.batch_size} (model load and one checkpoint included): "
          f"{seconds:.1f} s, {per_step:.2f} s/step, {samples_per_s:.0f} samples/s")
    print(f"{args.examples} examples x {args.epochs:g} epochs = {total_steps:.0f} steps -> about "
          f"{total_steps * per_step / 60:.0f} min")


if __name__ == "__main__":
    main()
