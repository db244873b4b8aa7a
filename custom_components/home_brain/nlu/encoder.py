"""A numpy forward pass of ``BertForTokenClassification`` (inference only).

The runtime cannot use torch (Home Assistant OS is musl/aarch64), and the model is small
enough that numpy's BLAS matmuls do the real work. Weights are laid out once at load
(fused QKV with the attention scale folded in, contiguous float32, biases as columns), so a
call is a short sequence of large BLAS calls plus a few element-wise passes, mostly in place.

It reproduces transformers' eval-mode output to float32 rounding (~1e-6 relative), which
the tests check against transformers itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .model_folder import WORD_EMBEDDINGS, BertConfig, ModelFolder, load_model_folder

_F32 = np.float32

# Abramowitz & Stegun 7.1.26: erf(x) = 1 - t*(a1 + t*(a2 + ...)) * exp(-x^2), t = 1/(1+p*x),
# |error| <= 1.5e-7. numpy has no erf, and this is ~20 vectorised passes, far cheaper than
# calling math.erf per element.
_ERF_P = 0.3275911
_ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
_SQRT_HALF = math.sqrt(0.5)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _gelu_erf(x: np.ndarray, tmp: np.ndarray) -> None:
    """In place: x * Phi(x), as torch's exact (erf) gelu.

    Written as relu(x) - |x| * Q(|x|) with Q the normal upper tail, which needs no sign
    handling: for x >= 0 it is x * (1 - Q), for x < 0 it is x * Q(-x).
    """
    a = np.abs(x, out=tmp)  # |x|
    # Q(a) = 0.5 * erfc(a / sqrt 2) = 0.5 * poly(t) * t * exp(-a^2 / 2).
    t = np.multiply(a, _F32(_ERF_P * _SQRT_HALF))
    t += _F32(1.0)
    np.reciprocal(t, out=t)
    poly = np.multiply(t, _F32(0.5 * _ERF_A[4]))
    for coef in (_ERF_A[3], _ERF_A[2], _ERF_A[1], _ERF_A[0]):
        poly += _F32(0.5 * coef)
        poly *= t
    e = np.multiply(a, a, out=t)
    e *= _F32(-0.5)
    np.exp(e, out=e)
    poly *= e
    poly *= a  # |x| * Q(|x|)
    np.maximum(x, _F32(0.0), out=x)
    x -= poly


def _gelu_tanh(x: np.ndarray, tmp: np.ndarray) -> None:
    """In place: transformers' "gelu_new" / "gelu_pytorch_tanh" / "gelu_fast" approximation."""
    inner = np.multiply(x, x, out=tmp)
    inner *= _F32(0.044715)
    inner += _F32(1.0)
    inner *= x
    inner *= _F32(_SQRT_2_OVER_PI)
    np.tanh(inner, out=inner)
    inner += _F32(1.0)
    inner *= _F32(0.5)
    x *= inner


def _relu(x: np.ndarray, tmp: np.ndarray) -> None:
    np.maximum(x, _F32(0.0), out=x)


def _silu(x: np.ndarray, tmp: np.ndarray) -> None:
    s = np.negative(x, out=tmp)
    np.exp(s, out=s)
    s += _F32(1.0)
    x /= s


_ACTIVATIONS: dict[str, Callable[[np.ndarray, np.ndarray], None]] = {
    "gelu": _gelu_erf,
    "gelu_new": _gelu_tanh,
    "gelu_pytorch_tanh": _gelu_tanh,
    "gelu_fast": _gelu_tanh,
    "relu": _relu,
    "silu": _silu,
    "swish": _silu,
}


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float, average: np.ndarray) -> None:
    """In place LayerNorm over the features (axis 0) of a [features, tokens] array.

    `average` is a [1, features] row of 1/features: the means as a BLAS gemv are ~3x faster
    than numpy's reductions down a strided axis, for the handful of tokens of an utterance.
    """
    x -= average @ x
    var = average @ np.square(x)
    var += _F32(eps)
    np.sqrt(var, out=var)
    np.reciprocal(var, out=var)
    x *= var
    x *= weight
    x += bias


@dataclass(frozen=True, slots=True)
class _Layer:
    """One transformer layer; matrices in torch's [out, in] layout, vectors as [n, 1] columns."""

    qkv_w: np.ndarray  # [3*hidden, hidden], query rows pre-scaled by 1/sqrt(head_size)
    qkv_b: np.ndarray
    out_w: np.ndarray  # [hidden, hidden]
    out_b: np.ndarray
    ln1_w: np.ndarray
    ln1_b: np.ndarray
    ffn_in_w: np.ndarray  # [intermediate, hidden]
    ffn_in_b: np.ndarray
    ffn_out_w: np.ndarray  # [hidden, intermediate]
    ffn_out_b: np.ndarray
    ln2_w: np.ndarray
    ln2_b: np.ndarray


def _column(vector: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(vector, dtype=_F32).reshape(-1, 1)


class Encoder:
    """BERT encoder + token-classification head, as numpy arrays laid out for inference.

    Activations are kept feature-major, [features, tokens], so every dense layer is
    ``W @ x`` with torch's own [out, in] weight as the left operand: for the few tokens of
    an utterance OpenBLAS runs that 2-2.5x faster than ``x @ W.T`` (it packs the small
    operand, not the large weight).
    """

    def __init__(self, folder: ModelFolder) -> None:
        config = folder.config
        t = folder.tensors
        self.config: BertConfig = config
        self.id2label: list[str] = list(folder.id2label)
        self._activation = _ACTIVATIONS[config.hidden_act]

        self._word_embeddings = t[WORD_EMBEDDINGS]
        # [vocab, 1] when the table is int8 (model_folder.py): gathered rows are widened per call.
        self._word_scales = folder.row_scales.get(WORD_EMBEDDINGS)
        # Token type is always 0 (single sentences), so it folds into the position table.
        self._position_embeddings = np.ascontiguousarray(
            t["embeddings.position_embeddings.weight"] + t["embeddings.token_type_embeddings.weight"][0]
        )
        self._emb_ln = (_column(t["embeddings.LayerNorm.weight"]), _column(t["embeddings.LayerNorm.bias"]))
        self._average = np.full((1, config.hidden_size), 1.0 / config.hidden_size, dtype=_F32)

        scale = _F32(1.0 / math.sqrt(config.head_size))
        self._layers: list[_Layer] = []
        for n in range(config.num_hidden_layers):
            p = f"encoder.layer.{n}."
            self._layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(
                        np.concatenate(
                            [
                                t[f"{p}attention.self.query.weight"] * scale,
                                t[f"{p}attention.self.key.weight"],
                                t[f"{p}attention.self.value.weight"],
                            ]
                        ),
                        dtype=_F32,
                    ),
                    qkv_b=_column(
                        np.concatenate(
                            [
                                t[f"{p}attention.self.query.bias"] * scale,
                                t[f"{p}attention.self.key.bias"],
                                t[f"{p}attention.self.value.bias"],
                            ]
                        )
                    ),
                    out_w=t[f"{p}attention.output.dense.weight"],
                    out_b=_column(t[f"{p}attention.output.dense.bias"]),
                    ln1_w=_column(t[f"{p}attention.output.LayerNorm.weight"]),
                    ln1_b=_column(t[f"{p}attention.output.LayerNorm.bias"]),
                    ffn_in_w=t[f"{p}intermediate.dense.weight"],
                    ffn_in_b=_column(t[f"{p}intermediate.dense.bias"]),
                    ffn_out_w=t[f"{p}output.dense.weight"],
                    ffn_out_b=_column(t[f"{p}output.dense.bias"]),
                    ln2_w=_column(t[f"{p}output.LayerNorm.weight"]),
                    ln2_b=_column(t[f"{p}output.LayerNorm.bias"]),
                )
            )
        self._classifier_w = t["classifier.weight"]
        self._classifier_b = _column(t["classifier.bias"])

    @classmethod
    def from_folder(cls, path: str | Path) -> Encoder:
        """Load a model folder (raises ModelFolderError when it is unusable)."""
        return cls(load_model_folder(path))

    @property
    def max_length(self) -> int:
        """The most tokens (special tokens included) one sequence may have."""
        return self.config.max_position_embeddings

    def logits(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        """Token-classification logits, [batch, seq, num_labels] float32.

        Rows are right- or left-padded sequences; padded positions (mask 0) are ignored as
        keys and get zero logits (they are not computed).
        """
        ids = np.asarray(input_ids)
        mask = np.asarray(attention_mask)
        if ids.ndim == 1:
            ids, mask = ids[None, :], mask[None, :]
        if ids.ndim != 2 or mask.shape != ids.shape:
            raise ValueError(
                f"input_ids {ids.shape} and attention_mask {mask.shape} must both be [batch, seq]"
            )
        batch, seq = ids.shape
        if seq > self.config.max_position_embeddings:
            raise ValueError(f"sequence of {seq} tokens exceeds the model's {self.max_length}")
        if ids.size and (ids.min() < 0 or ids.max() >= self.config.vocab_size):
            raise ValueError("input_ids outside the model's vocabulary")
        if batch == 0 or seq == 0:
            return np.zeros((batch, seq, len(self.id2label)), dtype=_F32)

        cfg = self.config
        hidden, heads, head_size = cfg.hidden_size, cfg.num_attention_heads, cfg.head_size
        eps, average = cfg.layer_norm_eps, self._average

        # Only real tokens go through the pass (padding would cost as much as a real token in
        # every dense layer): rows are taken shortest first, so the sequences of one length
        # are side by side and attend among themselves as one [n, length] block.
        real = mask != 0
        tokens: np.ndarray | None = None  # where each packed token sits in [batch * seq]; None: all
        blocks = [(0, batch, seq)]  # (first column, sequences, length)
        if not real.all():
            lengths = real.sum(axis=1)
            order = np.argsort(lengths, kind="stable")
            row, column = np.nonzero(real[order])
            tokens = order[row] * seq + column
            blocks, first = [], 0
            for length, count in zip(*np.unique(lengths[order], return_counts=True), strict=True):
                if length:
                    blocks.append((first, int(count), int(length)))
                    first += int(count * length)

        # [tokens, hidden] gathered, then feature-major for the rest of the pass. Positions
        # are the columns the tokens sit in, as transformers numbers them, padding or not.
        flat = ids.reshape(-1) if tokens is None else ids.reshape(-1)[tokens]
        x = self._word_embeddings[flat]
        if self._word_scales is not None:
            x = x.astype(_F32)
            x *= self._word_scales[flat]
        if tokens is None:
            x.reshape(batch, seq, hidden)[...] += self._position_embeddings[:seq]
        else:
            x += self._position_embeddings[column]
        x = np.ascontiguousarray(x.T)
        _layer_norm(x, *self._emb_ln, eps, average)

        count = x.shape[1]
        ffn_tmp = np.empty((cfg.intermediate_size, count), dtype=_F32)
        context = np.empty((hidden, count), dtype=_F32)
        for layer in self._layers:
            qkv = layer.qkv_w @ x
            qkv += layer.qkv_b
            for start, n, length in blocks:
                # [3*hidden, n*length] -> [3, n, heads, head_size, length] (a view)
                qkv5 = qkv[:, start : start + n * length].reshape(3, heads, head_size, n, length)
                q, k, v = qkv5.transpose(0, 3, 1, 2, 4)
                scores = q.swapaxes(-1, -2) @ k  # [n, heads, query, key]
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(axis=-1, keepdims=True)
                block = v @ scores.swapaxes(-1, -2)  # [n, heads, head_size, query]
                context[:, start : start + n * length] = block.transpose(1, 2, 0, 3).reshape(hidden, n * length)

            attn = layer.out_w @ context
            attn += layer.out_b
            attn += x
            _layer_norm(attn, layer.ln1_w, layer.ln1_b, eps, average)

            inter = layer.ffn_in_w @ attn
            inter += layer.ffn_in_b
            self._activation(inter, ffn_tmp)
            x = layer.ffn_out_w @ inter
            x += layer.ffn_out_b
            x += attn
            _layer_norm(x, layer.ln2_w, layer.ln2_b, eps, average)

        logits = self._classifier_w @ x
        logits += self._classifier_b
        if tokens is None:
            return np.ascontiguousarray(logits.T).reshape(batch, seq, -1)
        # Padded positions get zeros: nothing attended to them and nothing reads them.
        out = np.zeros((batch * seq, logits.shape[0]), dtype=_F32)
        out[tokens] = logits.T
        return out.reshape(batch, seq, -1)
