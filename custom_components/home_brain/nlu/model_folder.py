"""Load and check a Hugging Face token-classification model folder, without torch.

The folder is what ``BertForTokenClassification.save_pretrained`` plus a fast tokenizer's
``save_pretrained`` write: ``config.json``, ``tokenizer.json`` and ``model.safetensors``; or,
compressed by ``python -m training compress``, ``model.int8.safetensors`` instead: the large
matrices as int8 with one float32 scale per row (``<name>_scale``), widened back at load.
Everything is checked here, once, so the encoder and tagger can trust what they get and a
user who points the integration at a wrong or damaged folder reads what is wrong with it
instead of a numpy traceback at the first utterance.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from safetensors import safe_open
from tokenizers import Tokenizer

from .labels import parse_label
from .learned_aliases import LearnedAliases, read_learned_aliases

CONFIG_FILE = "config.json"
TOKENIZER_FILE = "tokenizer.json"
WEIGHTS_FILE = "model.safetensors"
# int8 weights (see training/compress.py). A name transformers does not read, on purpose: it
# would load int8 matrices into float parameters without their scales, i.e. silently wrong.
QUANTIZED_WEIGHTS_FILE = "model.int8.safetensors"
SCALE_SUFFIX = "_scale"
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"

SUPPORTED_MODEL_TYPES = ("bert",)
# Activations as transformers names them in `hidden_act`; see `encoder.py`.
SUPPORTED_ACTIVATIONS = ("gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu", "silu", "swish")

# safetensors dtypes numpy can read; everything is widened to float32 at load.
_FLOAT_DTYPES = ("F16", "F32", "F64")
_QUANTIZED_DTYPE = "I8"


class ModelFolderError(Exception):
    """The model folder is missing, incomplete, damaged or not a model this runtime runs."""


@dataclass(frozen=True, slots=True)
class BertConfig:
    """The parts of a BERT ``config.json`` the forward pass depends on."""

    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    hidden_act: str
    max_position_embeddings: int
    type_vocab_size: int
    layer_norm_eps: float
    pad_token_id: int

    @property
    def head_size(self) -> int:
        return self.hidden_size // self.num_attention_heads


@dataclass(frozen=True, slots=True)
class ModelFolder:
    """A checked model folder: config, labels, float32 weights and the tokenizer.

    ``tensors`` are keyed by the names of a bare ``BertModel`` (no ``bert.`` prefix), plus
    ``classifier.weight``/``classifier.bias``, all float32 with the shapes the config implies,
    except an int8 word-embedding table, which stays int8 with its ``row_scales`` ([vocab, 1]):
    a call reads a dozen of its rows, so widening those is free and the table takes a quarter
    of the memory.
    """

    path: Path
    config: BertConfig
    id2label: tuple[str, ...]
    tensors: dict[str, np.ndarray]
    tokenizer: Tokenizer
    learned_aliases: LearnedAliases = field(default_factory=LearnedAliases)  # aliases.json: names the home taught
    row_scales: dict[str, np.ndarray] = field(default_factory=dict)

    def float32(self, name: str) -> np.ndarray:
        """A tensor as float32 (an int8 one widened with its scales)."""
        array = self.tensors[name]
        if name in self.row_scales:
            widened: np.ndarray = array.astype(np.float32) * self.row_scales[name]
            return widened
        return array


def load_model_folder(path: str | Path) -> ModelFolder:
    """Read and validate a model folder; raises ModelFolderError saying what is wrong."""
    folder = Path(path)
    if not folder.exists():
        raise ModelFolderError(f"Model folder {folder} does not exist.")
    if not folder.is_dir():
        raise ModelFolderError(f"Model folder {folder} is not a folder.")
    for name in (CONFIG_FILE, TOKENIZER_FILE):
        if not (folder / name).is_file():
            raise ModelFolderError(
                f"Model folder {folder} has no {name}; a model folder needs {CONFIG_FILE}, "
                f"{TOKENIZER_FILE} and {WEIGHTS_FILE} (as written by transformers' save_pretrained)."
            )
    weights = weights_file(folder)
    if weights is None:
        raise ModelFolderError(
            f"Model folder {folder} has no {WEIGHTS_FILE} (nor {QUANTIZED_WEIGHTS_FILE}); a model folder "
            f"needs {CONFIG_FILE}, {TOKENIZER_FILE} and {WEIGHTS_FILE} (as written by transformers' save_pretrained)."
        )

    raw = _read_json(folder / CONFIG_FILE)
    config = _parse_config(raw, folder / CONFIG_FILE)
    id2label = _parse_labels(raw, folder / CONFIG_FILE)
    tokenizer = _load_tokenizer(folder / TOKENIZER_FILE, config)
    tensors, row_scales = _load_tensors(weights, config, len(id2label))
    try:
        learned = read_learned_aliases(folder)
    except ValueError as err:
        raise ModelFolderError(f"{err}; the file is damaged (delete it to load the model without it).") from err
    return ModelFolder(folder, config, id2label, tensors, tokenizer, learned, row_scales)


def weights_file(folder: Path) -> Path | None:
    """The folder's weights: ``model.safetensors`` (the exact ones) first, else the int8 file."""
    for name in (WEIGHTS_FILE, QUANTIZED_WEIGHTS_FILE):
        if (folder / name).is_file():
            return folder / name
    return None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ModelFolderError(f"Cannot read {path}: {err}") from err
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ModelFolderError(f"{path} is not valid JSON ({err}); the file is damaged.") from err
    if not isinstance(data, dict):
        raise ModelFolderError(f"{path} does not hold a JSON object; the file is damaged.")
    return data


def _config_int(
    raw: dict[str, Any], key: str, path: Path, default: int | None = None, minimum: int = 1
) -> int:
    value = raw.get(key, default)
    # bool is an int in Python, but `"hidden_size": true` is a broken config.
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        if key not in raw:
            raise ModelFolderError(f"{path} has no {key!r}; it is not a BERT config.")
        raise ModelFolderError(f"{path}: {key!r} must be an integer >= {minimum}, not {value!r}.")
    return value


def _parse_config(raw: dict[str, Any], path: Path) -> BertConfig:
    model_type = raw.get("model_type")
    if model_type not in SUPPORTED_MODEL_TYPES:
        raise ModelFolderError(
            f"{path}: model_type {model_type!r} is not supported; this runtime runs BERT-family "
            f"models (model_type {', '.join(repr(t) for t in SUPPORTED_MODEL_TYPES)}), "
            "e.g. one fine-tuned from all-MiniLM-L6-v2."
        )
    position_type = raw.get("position_embedding_type", "absolute")
    if position_type != "absolute":
        raise ModelFolderError(
            f"{path}: position_embedding_type {position_type!r} is not supported (only 'absolute')."
        )
    if raw.get("is_decoder") or raw.get("add_cross_attention"):
        raise ModelFolderError(f"{path}: decoder / cross-attention BERT models are not supported.")
    hidden_act = raw.get("hidden_act", "gelu")
    if hidden_act not in SUPPORTED_ACTIVATIONS:
        raise ModelFolderError(
            f"{path}: hidden_act {hidden_act!r} is not supported "
            f"(supported: {', '.join(SUPPORTED_ACTIVATIONS)})."
        )
    eps = raw.get("layer_norm_eps", 1e-12)
    valid_eps = isinstance(eps, (int, float)) and not isinstance(eps, bool) and math.isfinite(eps)
    if not valid_eps or not 0 < eps < 1:
        raise ModelFolderError(f"{path}: layer_norm_eps must be a small positive number, not {eps!r}.")

    config = BertConfig(
        vocab_size=_config_int(raw, "vocab_size", path),
        hidden_size=_config_int(raw, "hidden_size", path),
        num_hidden_layers=_config_int(raw, "num_hidden_layers", path),
        num_attention_heads=_config_int(raw, "num_attention_heads", path),
        intermediate_size=_config_int(raw, "intermediate_size", path),
        hidden_act=hidden_act,
        max_position_embeddings=_config_int(raw, "max_position_embeddings", path, minimum=3),
        type_vocab_size=_config_int(raw, "type_vocab_size", path, default=2),
        layer_norm_eps=float(eps),
        pad_token_id=_config_int(raw, "pad_token_id", path, default=0, minimum=0),
    )
    if config.hidden_size % config.num_attention_heads:
        raise ModelFolderError(
            f"{path}: hidden_size {config.hidden_size} is not a multiple of "
            f"num_attention_heads {config.num_attention_heads}."
        )
    if config.pad_token_id >= config.vocab_size:
        raise ModelFolderError(f"{path}: pad_token_id {config.pad_token_id} is outside the vocabulary.")
    return config


def _parse_labels(raw: dict[str, Any], path: Path) -> tuple[str, ...]:
    id2label = raw.get("id2label")
    if not isinstance(id2label, dict) or not id2label:
        raise ModelFolderError(
            f"{path} has no id2label: the folder holds no token-classification labels "
            "(is it a base model that was never trained for Home Brain?)."
        )
    labels: dict[int, str] = {}
    for key, label in id2label.items():
        try:
            index = int(key)
        except (TypeError, ValueError):
            raise ModelFolderError(f"{path}: id2label key {key!r} is not a number.") from None
        if not isinstance(label, str):
            raise ModelFolderError(f"{path}: id2label[{key!r}] is {label!r}, not a label string.")
        labels[index] = label
    if sorted(labels) != list(range(len(labels))):
        raise ModelFolderError(f"{path}: id2label ids must be 0..{len(labels) - 1}, got {sorted(labels)}.")
    ordered = tuple(labels[i] for i in range(len(labels)))
    bad = []
    for label in ordered:
        try:
            parse_label(label)
        except ValueError:
            bad.append(label)
    if bad:
        hint = ""
        if all(label.startswith("LABEL_") for label in bad):
            hint = " These are transformers' placeholder names: the model was never trained for Home Brain."
        raise ModelFolderError(
            f"{path}: labels {', '.join(repr(b) for b in bad[:5])}{' ...' if len(bad) > 5 else ''} "
            f"are not Home Brain labels (expected O, SEP, INTENT:<name>, B-<slot>, I-<slot>).{hint}"
        )
    if len(set(ordered)) != len(ordered):
        raise ModelFolderError(f"{path}: id2label names a label twice.")
    return ordered


def _load_tokenizer(path: Path, config: BertConfig) -> Tokenizer:
    # Checked as JSON first: the tokenizers error for a damaged file is a terse serde message.
    _read_json(path)
    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as err:  # tokenizers raises plain Exception for a bad file
        raise ModelFolderError(f"{path} is not a tokenizer the tokenizers library can load: {err}") from err
    size = tokenizer.get_vocab_size(with_added_tokens=True)
    if size > config.vocab_size:
        # Token ids past the embedding table would index out of range at the first utterance.
        raise ModelFolderError(
            f"{path} has {size} tokens but the model's vocab_size is {config.vocab_size}: "
            "tokenizer and model do not belong together."
        )
    return tokenizer


def _expected_shapes(config: BertConfig, num_labels: int) -> dict[str, tuple[int, ...]]:
    h, i = config.hidden_size, config.intermediate_size
    shapes: dict[str, tuple[int, ...]] = {
        "embeddings.word_embeddings.weight": (config.vocab_size, h),
        "embeddings.position_embeddings.weight": (config.max_position_embeddings, h),
        "embeddings.token_type_embeddings.weight": (config.type_vocab_size, h),
        "embeddings.LayerNorm.weight": (h,),
        "embeddings.LayerNorm.bias": (h,),
    }
    for n in range(config.num_hidden_layers):
        p = f"encoder.layer.{n}."
        for part in ("query", "key", "value"):
            shapes[f"{p}attention.self.{part}.weight"] = (h, h)
            shapes[f"{p}attention.self.{part}.bias"] = (h,)
        shapes[f"{p}attention.output.dense.weight"] = (h, h)
        shapes[f"{p}attention.output.dense.bias"] = (h,)
        shapes[f"{p}attention.output.LayerNorm.weight"] = (h,)
        shapes[f"{p}attention.output.LayerNorm.bias"] = (h,)
        shapes[f"{p}intermediate.dense.weight"] = (i, h)
        shapes[f"{p}intermediate.dense.bias"] = (i,)
        shapes[f"{p}output.dense.weight"] = (h, i)
        shapes[f"{p}output.dense.bias"] = (h,)
        shapes[f"{p}output.LayerNorm.weight"] = (h,)
        shapes[f"{p}output.LayerNorm.bias"] = (h,)
    shapes["classifier.weight"] = (num_labels, h)
    shapes["classifier.bias"] = (num_labels,)
    return shapes


def _stored_name(name: str, keys: set[str], prefix: str) -> str | None:
    """The name a tensor has in the file: `bert.`-prefixed or not, old gamma/beta LayerNorms."""
    full = name if name.startswith("classifier.") else prefix + name
    if full in keys:
        return full
    # Checkpoints converted from TensorFlow name LayerNorm parameters gamma/beta.
    legacy = full.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
    return legacy if legacy in keys else None


def _load_tensors(
    path: Path, config: BertConfig, num_labels: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    try:
        handle = safe_open(str(path), framework="numpy")
    except Exception as err:  # SafetensorError, OSError, or a bad header
        raise ModelFolderError(
            f"{path} is not a readable safetensors file ({err}); the file is damaged."
        ) from err

    with handle as file:
        keys = set(file.keys())
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in keys else ""
        expected = _expected_shapes(config, num_labels)
        names = {name: _stored_name(name, keys, prefix) for name in expected}
        missing = [name for name, stored in names.items() if stored is None]
        if missing:
            if all(name.startswith("classifier.") for name in missing):
                raise ModelFolderError(
                    f"{path} has no token-classification head (classifier.weight/bias): "
                    "it is a base model, not a trained Home Brain model."
                )
            raise ModelFolderError(
                f"{path} lacks {len(missing)} tensor(s) the config calls for, e.g. "
                f"{', '.join(missing[:3])}; the weights do not match config.json."
            )

        tensors: dict[str, np.ndarray] = {}
        row_scales: dict[str, np.ndarray] = {}
        for name, shape in expected.items():
            stored = names[name]
            assert stored is not None
            try:
                info = file.get_slice(stored)
                dtype, stored_shape = info.get_dtype(), tuple(info.get_shape())
            except Exception as err:
                raise ModelFolderError(
                    f"{path}: cannot read tensor {stored} ({err}); the file is damaged."
                ) from err
            scale_name = stored + SCALE_SUFFIX
            quantized = dtype == _QUANTIZED_DTYPE and len(shape) == 2 and scale_name in keys
            if dtype not in _FLOAT_DTYPES and not quantized:
                raise ModelFolderError(
                    f"{path}: tensor {stored} is stored as {dtype}; only float16/float32 weights "
                    f"(or int8 matrices with a {SCALE_SUFFIX} per row) are supported "
                    "(re-export the model in float16)."
                )
            if stored_shape != shape:
                raise ModelFolderError(
                    f"{path}: tensor {stored} has shape {list(stored_shape)} but config.json implies "
                    f"{list(shape)}; weights and config do not belong together."
                )
            try:
                array = file.get_tensor(stored)
                scale = file.get_tensor(scale_name) if quantized else None
            except Exception as err:
                raise ModelFolderError(
                    f"{path}: cannot read tensor {stored} ({err}); the file is damaged."
                ) from err
            if scale is not None:
                if scale.shape != (shape[0],):
                    raise ModelFolderError(
                        f"{path}: {scale_name} has shape {list(scale.shape)}, not [{shape[0]}] (one scale "
                        "per row); the file is damaged."
                    )
                scale = np.ascontiguousarray(scale, dtype=np.float32).reshape(-1, 1)
                if not np.isfinite(scale).all():
                    raise ModelFolderError(f"{path}: {scale_name} holds NaN or infinite values.")
                if name == WORD_EMBEDDINGS:  # rows are gathered per call: kept int8 (see ModelFolder)
                    tensors[name] = np.ascontiguousarray(array, dtype=np.int8)
                    row_scales[name] = scale
                    continue
            array = np.ascontiguousarray(array, dtype=np.float32)
            if scale is not None:
                # Widened once here: numpy has no int8 BLAS, so int8 products per call cost more
                # than they save (measured in docs/benchmarks.md).
                array *= scale
            if not np.isfinite(array).all():
                # NaN/inf weights would not crash, only tag every word wrongly: refuse them here.
                raise ModelFolderError(f"{path}: tensor {stored} holds NaN or infinite values.")
            tensors[name] = array
    return tensors, row_scales
