"""Training: the CLI runs without Home Assistant, the loss falls, the export loads everywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from home_brain_nlu.tagger import Tagger
from training.dataset_io import read_jsonl, write_jsonl
from training.features import encode_examples, label_offsets

from .conftest import REPO, SMALL_HOME
from .tiny_bert import make_tiny_bert

# Importing homeassistant fails in this interpreter: training must not need it.
_NO_HA = "import sys; sys.modules['homeassistant'] = None; from training.__main__ import main; sys.exit(main(sys.argv[1:]))"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _NO_HA, *args], cwd=REPO, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generate + train through the CLI with homeassistant unimportable; returns the run folder."""
    work = tmp_path_factory.mktemp("cli")
    data = work / "data.jsonl"
    generated = _cli("generate", "--home", str(SMALL_HOME), "--count", "300", "--seed", "5",
                     "--intents", "HassTurnOn,HassTurnOff", "--out", str(data))
    assert generated.returncode == 0, generated.stderr
    words = {w.lower() for ex in read_jsonl(data) for w in ex["text"].split()}
    base = make_tiny_bert(work / "base", ["O"], words, with_head=False, hidden_size=64, num_heads=4)
    trained = _cli("train", "--data", str(data), "--out", str(work / "run"), "--base", str(base),
                   "--epochs", "4", "--batch-size", "32", "--learning-rate", "3e-3", "--quiet")
    assert trained.returncode == 0, trained.stderr
    assert "model exported to" in trained.stdout
    return work / "run"


def test_loss_falls(trained: Path) -> None:
    [state_file] = sorted(trained.glob("checkpoints/checkpoint-*/trainer_state.json"))[-1:]
    losses = [entry["loss"] for entry in json.loads(state_file.read_text())["log_history"] if "loss" in entry]
    assert len(losses) >= 4
    assert np.mean(losses[-2:]) < 0.5 * np.mean(losses[:2])


def test_export_loads_in_numpy_and_transformers(trained: Path) -> None:
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    model_dir, full_dir = trained / "model", trained / "model-fp16"
    metrics = json.loads((model_dir / "metrics.json").read_text())
    # model/ is pruned + int8 unless that cost dev accuracy; model-fp16/ is always the full model.
    compression = metrics["compression"]
    assert compression["exact_match_compressed"] >= compression["exact_match_fp16"] - 0.005 or not compression["kept"]
    weights = "model.int8.safetensors" if compression["kept"] else "model.safetensors"
    assert {p.name for p in model_dir.iterdir()} >= {"config.json", "tokenizer.json", weights,
                                                    "metrics.json", "README.md"}
    assert (full_dir / "model.safetensors").is_file()
    assert {"report.md", "confusion.png", "dev_failures.json"} <= {p.name for p in trained.iterdir()}
    assert (trained / "confusion.png").read_bytes()[:4] == b"\x89PNG"
    assert "exact match" in (model_dir / "README.md").read_text()
    assert {"intent_accuracy", "slot_f1", "exact_match", "per_intent"} <= metrics.keys()
    model = AutoModelForTokenClassification.from_pretrained(full_dir)
    assert next(model.parameters()).dtype == torch.float16  # exported small
    tokenizer = AutoTokenizer.from_pretrained(full_dir)
    tagger = Tagger.from_folder(full_dir)
    assert tagger.labels == [model.config.id2label[i] for i in range(model.config.num_labels)]

    text = "turn off the kitchen light"
    enc = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        reference = model.float()(**enc).logits[0].argmax(-1).tolist()
    words = tagger.tag(text)
    firsts = [i for i, w in enumerate(enc.word_ids()) if w is not None and enc.word_ids()[i - 1] != w]
    assert [w.label for w in words] == [model.config.id2label[reference[i]] for i in firsts]
    assert [w.label for w in Tagger.from_folder(model_dir).tag(text)] == [w.label for w in words]


def test_training_resumes_from_its_checkpoints(trained: Path, tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    write_jsonl(data, read_jsonl(trained.parent / "data.jsonl")[:64])
    again = _cli("train", "--data", str(data), "--out", str(trained), "--base", str(trained.parent / "base"),
                 "--epochs", "4", "--quiet")
    assert again.returncode == 0, again.stderr
    assert "Resuming from" in again.stderr


def test_malformed_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    good = {"text": "turn on the lamp", "spans": [{"start": 0, "end": 11, "label": "intent:HassTurnOn"},
                                                   {"start": 12, "end": 16, "label": "name"}],
            "commands": [{"intent": "HassTurnOn", "slots": {"name": ["lamp"]}, "context": {}}], "source": "log"}
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"text": 3}), "\x00\x01", json.dumps(good)]) + "\n")
    errors: list[str] = []
    assert read_jsonl(path, errors=errors) == [good, good]
    assert len(errors) == 3


def test_every_token_gets_its_span_label(tmp_path: Path) -> None:
    from transformers import PreTrainedTokenizerFast

    example = {"text": "kitchen light off and then lock the door",
               "spans": [{"start": 0, "end": 13, "label": "name"}, {"start": 14, "end": 17, "label": "intent:HassTurnOff"},
                         {"start": 18, "end": 26, "label": "sep"}, {"start": 27, "end": 35, "label": "intent:HassTurnOn"},
                         {"start": 36, "end": 40, "label": "name"}]}
    folder = make_tiny_bert(tmp_path, ["O"], ["kitchen", "light", "off", "and", "then", "lock", "the"], with_head=False)
    tokenizer = PreTrainedTokenizerFast.from_pretrained(folder)
    enc = tokenizer(example["text"], return_offsets_mapping=True, return_special_tokens_mask=True)
    labels = label_offsets(example, enc["offset_mapping"], [bool(m) for m in enc["special_tokens_mask"]])
    words = [example["text"][s:e] for s, e in enc["offset_mapping"]]
    pairs = [(w, lab) for w, lab in zip(words, labels, strict=True) if lab is not None]
    assert pairs[:3] == [("kitchen", "B-name"), ("light", "I-name"), ("off", "INTENT:HassTurnOff")]
    assert ("and", "SEP") in pairs and ("then", "SEP") in pairs
    # "door" is not in the vocabulary: its first piece begins the name, the rest continue it.
    assert pairs[-4:] == [("d", "B-name"), ("o", "I-name"), ("o", "I-name"), ("r", "I-name")]
    label2id = {"O": 0, "B-name": 1, "I-name": 2, "SEP": 3, "INTENT:HassTurnOff": 4, "INTENT:HassTurnOn": 5}
    [feature] = encode_examples([example], tokenizer, label2id)
    assert feature["labels"][0] == -100 and feature["labels"][-1] == -100  # [CLS], [SEP]


def test_train_runs_unchanged_under_torchrun_with_two_cpu_processes(trained: Path, tmp_path: Path) -> None:
    """``torchrun --nproc_per_node=2 -m training train``: DDP over gloo, half the steps, one export."""
    data = trained.parent / "data.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", "-m", "training",
         "train", "--data", str(data), "--out", str(tmp_path / "run"), "--base", str(trained.parent / "base"),
         "--epochs", "2", "--batch-size", "16", "--learning-rate", "3e-3", "--quiet", "--no-compress"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.count("model exported to") == 1  # the first process exports, the other does not
    train_examples = len(read_jsonl(data)) - max(1, int(len(read_jsonl(data)) * 0.1))
    [state] = sorted((tmp_path / "run" / "checkpoints").glob("checkpoint-*/trainer_state.json"))[-1:]
    # Two processes of 16 each: a step sees 32 examples, so an epoch is half the single-process steps.
    assert json.loads(state.read_text())["max_steps"] == 2 * -(-train_examples // 32)
    assert Tagger.from_folder(tmp_path / "run" / "model").tag("turn off the kitchen light")
