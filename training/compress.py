"""Make a model folder small: prune the vocabulary, store the matrices as int8.

Half of a MiniLM's weights are its 30k-row word-embedding table, of which a home needs a few
thousand rows; the other half are the layers' matrices. So:

- **Vocabulary pruning** keeps the tokens that the training sentences and a broad English word
  list (``wordfreq``'s most frequent words) tokenize into, every single character and ``##``
  character (so any word still tokenizes, in smaller pieces, and [UNK] stays as rare as
  before) and the special tokens. WordPiece takes the longest known prefix, so a word whose
  pieces are all kept tokenizes exactly as before: the check below confirms it word by word.
- **int8 weights**: every encoder matrix and the embedding table as int8 with one float32
  scale per row (symmetric, scale = max |row| / 127), in ``model.int8.safetensors``; biases,
  LayerNorms, position embeddings and the classifier stay float16. The runtime widens them
  once at load (``home_brain_nlu.model_folder``).

transformers cannot read the int8 file; ``dequantize_folder`` (``python -m training
dequantize``) writes the same model as an ordinary float folder for it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import save_file
from tokenizers import Tokenizer

from home_brain_nlu.model_folder import (
    CONFIG_FILE,
    QUANTIZED_WEIGHTS_FILE,
    SCALE_SUFFIX,
    TOKENIZER_FILE,
    WEIGHTS_FILE,
    ModelFolder,
    load_model_folder,
)
from home_brain_nlu.tagger import Tagger

DEFAULT_WORDS = 30000  # wordfreq's most frequent English words kept beside the training data
CHECK_WORDS = 200000  # tokenization is compared on this many words (kept or not)
_EMBEDDINGS = "embeddings.word_embeddings.weight"
_QUANTIZED_SUFFIXES = ("query.weight", "key.weight", "value.weight", "dense.weight")
_TOKENIZER_CONFIG = "tokenizer_config.json"
_VOCAB_TXT = "vocab.txt"
# aliases.json: names the home taught travel with the weights (nlu/learned_aliases.py).
_COPIED = ("metrics.json", "README.md", "special_tokens_map.json", "aliases.json")
CHECK_SENTENCES = (
    "turn on the kitchen light",
    "set the bedroom lamp to fifty percent and close the blinds",
    "what is the temperature in the living room",
    "add milk to my shopping list",
    "start a timer for ten minutes",
    "open the garage door then lock the front door",
    "dim the hallway lights to 20%",
    "is the dehumidifier in the basement running",
)


@dataclass
class CompressReport:
    """What ``compress_folder`` did, and how far the result is from the source."""

    source: str
    out: str
    vocab_before: int
    vocab_after: int
    quantized: bool
    bytes_before: int
    bytes_after: int
    # Words whose tokens must be unchanged (kept words): all are, or compress_folder raises.
    kept_words_checked: int = 0
    # The wider list: unchanged, changed (smaller pieces), newly [UNK] (should be none).
    words_checked: int = 0
    words_identical: int = 0
    words_new_unknown: list[str] = field(default_factory=list)
    # Numpy logits of source vs result on check sentences: largest difference, and the share
    # of words whose best label is the same.
    max_logit_diff: float = 0.0
    label_agreement: float = 1.0

    def summary(self) -> str:
        return (
            f"{self.out}: {self.bytes_after / 1e6:.1f} MB (was {self.bytes_before / 1e6:.1f} MB); vocabulary "
            f"{self.vocab_after} tokens (was {self.vocab_before}); weights {'int8' if self.quantized else 'float16'}; "
            f"tokenization unchanged for all {self.kept_words_checked} kept words and "
            f"{self.words_identical}/{self.words_checked} of a wider list ({len(self.words_new_unknown)} newly [UNK]); "
            f"logits within {self.max_logit_diff:.3f}, {self.label_agreement:.1%} of word labels unchanged"
        )


def english_words(n: int) -> list[str]:
    """The ``n`` most frequent English words (wordfreq; shipped with the package, no download)."""
    if n <= 0:
        return []
    from wordfreq import top_n_list

    return top_n_list("en", n)


def _token_ids(tokenizer: Tokenizer, texts: Sequence[str]) -> set[int]:
    ids: set[int] = set()
    for start in range(0, len(texts), 4096):
        for encoding in tokenizer.encode_batch(list(texts[start : start + 4096]), add_special_tokens=False):
            ids.update(encoding.ids)
    return ids


def kept_token_ids(tokenizer: Tokenizer, texts: Sequence[str], words: Sequence[str]) -> list[int]:
    """Token ids to keep, sorted: specials, single characters, and what texts and words need."""
    vocab = tokenizer.get_vocab(with_added_tokens=True)
    keep = {
        i for token, i in vocab.items()
        # single characters and their "##" forms: any word still tokenizes without [UNK]
        if len(token) == 1 or (token.startswith("##") and len(token) == 3)
    }
    keep |= {i for i, added in tokenizer.get_added_tokens_decoder().items() if added.special}
    keep |= _token_ids(tokenizer, texts) | _token_ids(tokenizer, words)
    return sorted(keep)


def _remap_ids(node: Any, old2new: dict[int, int]) -> Any:
    """The post-processor's special tokens name their ids ({"ids": [101]}): renumber them."""
    if isinstance(node, dict):
        return {key: ([old2new[i] for i in value] if key == "ids" else _remap_ids(value, old2new))
                for key, value in node.items()}
    if isinstance(node, list):
        return [_remap_ids(value, old2new) for value in node]
    return node


def prune_tokenizer_json(raw: dict[str, Any], keep: list[int]) -> dict[str, Any]:
    """tokenizer.json with only the ``keep`` ids, renumbered 0.. in their old order."""
    model = raw.get("model", {})
    if model.get("type") != "WordPiece":
        raise ValueError(f"vocabulary pruning handles WordPiece tokenizers, not {model.get('type')!r}")
    old2new = {old: new for new, old in enumerate(keep)}
    pruned = dict(raw)
    pruned["model"] = {**model, "vocab": {tok: old2new[i] for tok, i in model["vocab"].items() if i in old2new}}
    pruned["added_tokens"] = [{**added, "id": old2new[added["id"]]} for added in raw.get("added_tokens", [])]
    pruned["post_processor"] = _remap_ids(raw.get("post_processor"), old2new)
    if raw.get("padding"):
        pruned["padding"] = {**raw["padding"], "pad_id": old2new[raw["padding"]["pad_id"]]}
    return pruned


def quantize_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 with one scale per row: ``matrix ~= q * scale[:, None]``."""
    peak = np.abs(matrix).max(axis=1)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(matrix / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def _stored_name(name: str) -> str:
    """A ModelFolder tensor's name in a BertForTokenClassification state dict."""
    return name if name.startswith("classifier.") else "bert." + name


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def _write_config(source: Path, out: Path, updates: dict[str, Any]) -> None:
    config = json.loads((source / CONFIG_FILE).read_text(encoding="utf-8"))
    config.update(updates)
    (out / CONFIG_FILE).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")


def _write_tokenizer_files(source: Path, out: Path, keep: list[int] | None) -> None:
    raw = json.loads((source / TOKENIZER_FILE).read_text(encoding="utf-8"))
    if keep is None:
        shutil.copy(source / TOKENIZER_FILE, out / TOKENIZER_FILE)
    else:
        (out / TOKENIZER_FILE).write_text(json.dumps(prune_tokenizer_json(raw, keep), ensure_ascii=False))
    old2new = {old: new for new, old in enumerate(keep)} if keep is not None else None
    if (source / _TOKENIZER_CONFIG).is_file():
        config = json.loads((source / _TOKENIZER_CONFIG).read_text(encoding="utf-8"))
        if old2new is not None and isinstance(config.get("added_tokens_decoder"), dict):
            config["added_tokens_decoder"] = {
                str(old2new[int(i)]): added for i, added in config["added_tokens_decoder"].items()
                if int(i) in old2new
            }
        (out / _TOKENIZER_CONFIG).write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    if (source / _VOCAB_TXT).is_file():  # the slow tokenizer's vocabulary, in id order
        vocab = Tokenizer.from_str(json.dumps(prune_tokenizer_json(raw, keep) if keep else raw)).get_vocab()
        (out / _VOCAB_TXT).write_text("".join(f"{t}\n" for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])))
    for name in _COPIED:
        if (source / name).is_file():
            shutil.copy(source / name, out / name)


def _save_weights(folder: ModelFolder, out: Path, keep: list[int] | None, quantize: bool, dtype: Any,
                  renamed: dict[str, str] | None = None) -> None:
    tensors: dict[str, np.ndarray] = {}
    for source_name in folder.tensors:
        if renamed is not None and source_name not in renamed:
            continue  # a layer left out (dequantize_folder's layers)
        name = renamed[source_name] if renamed is not None else source_name
        array = folder.float32(source_name)
        if name == _EMBEDDINGS and keep is not None:
            array = array[keep]
        stored = _stored_name(name)
        if quantize and (name == _EMBEDDINGS or (name.startswith("encoder.") and name.endswith(_QUANTIZED_SUFFIXES))):
            tensors[stored], tensors[stored + SCALE_SUFFIX] = quantize_rows(array)
        else:
            tensors[stored] = np.ascontiguousarray(array, dtype=dtype)
    metadata = {"format": "pt"}
    if quantize:
        metadata["home_brain_quantization"] = "int8, symmetric, one float32 scale per row in <name>" + SCALE_SUFFIX
    path = out / (QUANTIZED_WEIGHTS_FILE if quantize else WEIGHTS_FILE)
    save_file(tensors, str(path), metadata=metadata)
    path.chmod(0o644)  # safetensors writes 0600; Home Assistant may run as another user


def _check_tokenization(before: Tokenizer, after: Tokenizer, words: Sequence[str]) -> tuple[int, list[str]]:
    """(words tokenized identically, words that became [UNK] where they were not)."""
    identical, unknown = 0, []
    for start in range(0, len(words), 4096):
        chunk = list(words[start : start + 4096])
        old = before.encode_batch(chunk, add_special_tokens=False)
        new = after.encode_batch(chunk, add_special_tokens=False)
        for word, a, b in zip(chunk, old, new, strict=True):
            if a.tokens == b.tokens:
                identical += 1
            elif "[UNK]" in b.tokens and "[UNK]" not in a.tokens:
                unknown.append(word)
    return identical, unknown


def _compare_logits(source: Path, out: Path, sentences: Sequence[str]) -> tuple[float, float]:
    """Largest logit difference and share of equal best labels, word by word (first sub-token)."""
    a, b = Tagger.from_folder(source), Tagger.from_folder(out)
    worst, same, total = 0.0, 0, 0
    for text in sentences:
        ea, eb = a.tokenizer.encode(text), b.tokenizer.encode(text)
        la = a.encoder.logits(np.array([ea.ids]), np.ones((1, len(ea.ids))))[0]
        lb = b.encoder.logits(np.array([eb.ids]), np.ones((1, len(eb.ids))))[0]
        if ea.tokens == eb.tokens:
            worst = max(worst, float(np.abs(la - lb).max()))
        firsts_a = _first_tokens(ea.word_ids)
        firsts_b = _first_tokens(eb.word_ids)
        same += int((la[firsts_a].argmax(-1) == lb[firsts_b].argmax(-1)).sum())
        total += len(firsts_a)
    return worst, same / max(1, total)


def _first_tokens(word_ids: list[int | None]) -> list[int]:
    seen: set[int] = set()
    firsts = []
    for i, word in enumerate(word_ids):
        if word is not None and word not in seen:
            seen.add(word)
            firsts.append(i)
    return firsts


def compress_folder(
    source: Path,
    out: Path,
    texts: Iterable[str] = (),
    *,
    words: int = DEFAULT_WORDS,
    prune: bool = True,
    quantize: bool = True,
    check_words: int = CHECK_WORDS,
) -> CompressReport:
    """Write ``source`` (any loadable model folder) pruned and/or quantized into ``out``.

    ``texts`` (e.g. the training sentences) and the ``words`` most frequent English words
    keep their exact tokenization. Raises ValueError if a kept word's tokenization changed.
    """
    source, out = Path(source), Path(out)
    if source.resolve() == out.resolve():
        raise ValueError("--out must be another folder than --model")
    folder = load_model_folder(source)
    tokenizer = folder.tokenizer
    texts = [t for t in texts if isinstance(t, str) and t.strip()]
    word_list = english_words(words)
    keep = kept_token_ids(tokenizer, texts, word_list) if prune else None

    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    config_updates: dict[str, Any] = {"dtype": "float16"}
    if keep is not None:
        config_updates["vocab_size"] = len(keep)
        config_updates["pad_token_id"] = keep.index(folder.config.pad_token_id)
    config_updates["home_brain_compression"] = {
        "vocabulary": f"pruned to {len(keep)} of {folder.config.vocab_size} tokens" if keep else "full",
        "weights": "int8 per row" if quantize else "float16",
    }
    _write_config(source, tmp, config_updates)
    _write_tokenizer_files(source, tmp, keep)
    _save_weights(folder, tmp, keep, quantize, np.float16)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)

    report = CompressReport(
        str(source), str(out), folder.config.vocab_size, len(keep) if keep else folder.config.vocab_size,
        quantize, _folder_bytes(source), _folder_bytes(out),
    )
    pruned_tokenizer = load_model_folder(out).tokenizer if keep else tokenizer
    kept_words = sorted({w for text in texts for w in text.lower().split()} | set(word_list))
    identical, _ = _check_tokenization(tokenizer, pruned_tokenizer, kept_words)
    if identical != len(kept_words):
        raise ValueError(f"vocabulary pruning changed the tokens of {len(kept_words) - identical} kept words")
    report.kept_words_checked = len(kept_words)
    wider = english_words(max(check_words, words))
    report.words_checked = len(wider)
    report.words_identical, report.words_new_unknown = _check_tokenization(tokenizer, pruned_tokenizer, wider)
    report.max_logit_diff, report.label_agreement = _compare_logits(source, out, [*CHECK_SENTENCES, *texts[:200]])
    return report


def kept_layer_names(names: Sequence[str], layers: Sequence[int]) -> dict[str, str]:
    """Tensor name -> its name in a model of only encoder ``layers`` (in that order, numbered
    from 0); the other layers' tensors are left out, everything outside the layers kept."""
    renamed: dict[str, str] = {}
    for name in names:
        if not name.startswith("encoder.layer."):
            renamed[name] = name
            continue
        number, rest = name.removeprefix("encoder.layer.").split(".", 1)
        if int(number) in layers:
            renamed[name] = f"encoder.layer.{list(layers).index(int(number))}.{rest}"
    return renamed


def dequantize_folder(source: Path, out: Path, dtype: str = "float16", layers: Sequence[int] | None = None) -> Path:
    """Write any loadable folder (int8 included) as an ordinary one transformers loads.

    ``layers``: keep only these encoder layers (layer pruning: a start for a shorter fine-tune
    with ``python -m training all --from OUT``; each layer left out is 1/6 of a 6-layer pass).
    """
    source, out = Path(source), Path(out)
    folder = load_model_folder(source)
    total = folder.config.num_hidden_layers
    if layers is not None and (not layers or len(set(layers)) != len(layers) or not all(0 <= n < total for n in layers)):
        raise ValueError(f"layers {list(layers)}: distinct numbers from 0 to {total - 1} expected")
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    _write_config(source, tmp, {"dtype": dtype} if layers is None else {"dtype": dtype, "num_hidden_layers": len(layers)})
    _write_tokenizer_files(source, tmp, None)
    renamed = None if layers is None else kept_layer_names(list(folder.tensors), layers)
    _save_weights(folder, tmp, None, False, np.dtype(dtype), renamed)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


def report_dict(report: CompressReport) -> dict[str, Any]:
    data = asdict(report)
    data["words_new_unknown"] = data["words_new_unknown"][:50]
    return data
