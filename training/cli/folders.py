"""``compress`` and ``dequantize``: an existing model folder, rewritten smaller or for transformers."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..dataset_io import read_jsonl


def cmd_compress(args: argparse.Namespace) -> None:
    from ..compress import compress_folder, report_dict

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
    from ..compress import dequantize_folder

    layers = [int(n) for n in args.keep_layers.split(",")] if args.keep_layers else None
    print(f"wrote {dequantize_folder(Path(args.model), Path(args.out), args.dtype, layers)} (loads in transformers)")
