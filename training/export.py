"""Export a trained model as the folder the integration loads (fp16 weights, fast tokenizer)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import torch


def export_model(model: Any, tokenizer: Any, out: Path, metrics: dict[str, Any] | None = None,
                 card: str | None = None) -> Path:
    """Write ``config.json``, ``model.safetensors`` (fp16), ``tokenizer.json`` and metadata.

    The folder is first written beside ``out`` and then renamed, so a half-written model
    never sits where the integration looks.
    """
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model = model.to("cpu", dtype=torch.float16).eval()
    model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    if metrics is not None:
        (tmp / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    if card is not None:
        (tmp / "README.md").write_text(card)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out
