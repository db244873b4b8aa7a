"""``python -m training all --from MODEL_DIR``: the model in use is the starting point.

One run of the CLI, as a user runs it, continues the small home's model on an export of
two logged turns (a nickname and an intent the model never knew) plus a replay sample."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from safetensors.numpy import load_file

from training.compress import dequantize_folder

from training.dataset_io import read_jsonl

from .conftest import DETERMINISTIC_TRAINING_ENV, E2E_INTENTS, REPO, SMALL_HOME


def _turn(text: str, intent: str, slots: dict[str, Any], target: str, words: list[tuple[str, str]],
          seconds: int) -> dict[str, Any]:
    tagged, at = [], 0
    for word, label in words:
        start = text.index(word, at)
        tagged.append({"text": word, "start": start, "end": start + len(word), "label": label, "confidence": 0.5})
        at = start + len(word)
    return {"version": 1, "time": f"2026-11-01T10:00:{seconds:02d}.000+00:00", "language": "en",
            "device_id": None, "satellite_id": None, "conversation_id": f"c{seconds}", "text": text,
            "words": tagged, "commands": [], "calls": [], "handled_by": "fallback", "reply": "Done",
            "latency_ms": 10.0,
            "fallback": {"agent_id": "conversation.home_assistant", "intent": intent, "slots": slots,
                         "targets": [target], "response_type": "action_done", "success": True}}


TURNS = [
    # The household's name for the kitchen light, heard by Home Brain as a name it could not resolve.
    _turn("turn on the big light", "HassTurnOn", {"name": "Kitchen Light"}, "light.kitchen",
          [("turn", "INTENT:HassTurnOn"), ("on", "INTENT:HassTurnOn"), ("big", "B-name"), ("light", "I-name")], 1),
    # An intent the model was never trained on.
    _turn("set the television volume to 30 percent", "HassSetVolume", {"name": "Living Room TV", "volume_level": 30},
          "media_player.living_room_tv", [], 2),
    # A room the household calls otherwise, read as a carrier word: learned from the area the fallback acted on.
    _turn("lights off in the snug", "HassTurnOff", {"area": "Bedroom", "domain": "light"}, "light.bedroom_lamp",
          [("lights", "B-domain"), ("off", "INTENT:HassTurnOff"), ("in", "INTENT:HassTurnOff"),
           ("the", "INTENT:HassTurnOff"), ("snug", "INTENT:HassTurnOff")], 3),
]
LOG_REPEAT = 6


@pytest.fixture(scope="module")
def continued(small_home_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("continued")
    export = work / "export"
    export.mkdir()
    (export / "home.yaml").write_text(SMALL_HOME.read_text())
    (export / "turns.jsonl").write_text("".join(json.dumps(t) + "\n" for t in TURNS))
    out = work / "run"
    subprocess.run(
        [sys.executable, "-m", "training", "all", "--logs", str(export), "--from", str(small_home_model),
         "--out", str(out), "--count", "300", "--intents", ",".join(E2E_INTENTS), "--augment-share", "0",
         "--epochs", "2", "--batch-size", "64", "--learning-rate", "1e-3", "--train-layers", "1",
         "--log-repeat", str(LOG_REPEAT), "--log-holdout", "0", "--suite", "none", "--seed", "3", "--quiet"],
        check=True, cwd=REPO, capture_output=True, text=True, env=DETERMINISTIC_TRAINING_ENV)
    return out


def _labels(model: Path) -> list[str]:
    config = json.loads((model / "config.json").read_text())
    return [config["id2label"][str(i)] for i in range(len(config["id2label"]))]


def test_the_model_in_use_is_the_starting_point(continued: Path, small_home_model: Path, tmp_path: Path) -> None:
    # The model in use is int8 (``training compress``); training continues from its float weights,
    # and model-fp16/ is what training produced before the new export was compressed.
    start = dequantize_folder(small_home_model, tmp_path / "start", "float32")
    before = {k: v.astype(np.float16) for k, v in load_file(start / "model.safetensors").items()}
    after = load_file(continued / "model-fp16" / "model.safetensors")
    frozen = [k for k in before if "embeddings" in k or ".layer.0." in k]
    trained = [k for k in before if ".layer.1." in k]
    assert frozen and trained
    # Below the trained layer everything is the model's own, bit for bit ...
    for key in frozen:
        assert (before[key] == after[key]).all(), key
    # ... and the top layer moved.
    assert any(not (before[k] == after[k]).all() for k in trained)


def test_its_labels_keep_their_ids_and_new_ones_follow(continued: Path, small_home_model: Path) -> None:
    old, new = _labels(small_home_model), _labels(continued / "model")
    assert new[: len(old)] == old
    assert new[len(old):] == ["INTENT:HassSetVolume"]  # slot labels are all there from the start


def test_logged_turns_are_weighted_and_replay_is_present(continued: Path) -> None:
    train = read_jsonl(continued / "train.jsonl")
    logged = [e for e in train if e.get("source") == "log"]
    assert sorted({e["text"] for e in logged}) == sorted(t["text"] for t in TURNS)
    assert len(logged) == LOG_REPEAT * len(TURNS)
    replay = [e for e in train if e.get("source") != "log"]
    assert len(replay) >= 250  # most of --count 300 (the rest is the dev split)
    assert {c["intent"] for e in replay for c in e["commands"]} >= {"HassTurnOn", "HassTurnOff", "HassLightSet"}
    # The nickname is in the replay sample too, as an alias of the kitchen light, and rehearsed:
    # replay sentences that named the bedroom are copied with the family's name for it.
    assert any("big light" in e["text"] for e in replay)
    rehearsed = [e for e in train if e.get("source") == "rehearsal"]
    assert any(e["text"][s["start"]:s["end"]] == "snug" and s["label"] == "area"
               for e in rehearsed for s in e["spans"])


def test_report_has_before_and_after_and_the_name_travels(continued: Path) -> None:
    report = (continued / "report.md").read_text()
    assert "## Before and after this round" in report
    rows = json.loads((continued / "before_after.json").read_text())["sets"]
    trained = rows["logged sentences (trained on)"]
    assert trained["before"]["examples"] == trained["after"]["examples"] == len(TURNS)
    assert trained["before"]["exact_match"] == 0.0  # it knew neither the name nor the intent
    assert rows["generated dev split (earlier skills)"]["after"]["examples"] == 30
    aliases = json.loads((continued / "model" / "aliases.json").read_text())
    assert aliases["entities"] == {"light.kitchen": ["big light"]}
    assert aliases["areas"] == {"bedroom": ["snug"]}
    train = read_jsonl(continued / "train.jsonl")
    snug = next(e for e in train if e["text"] == "lights off in the snug")
    assert [(snug["text"][s["start"]:s["end"]], s["label"]) for s in snug["spans"]] == [
        ("lights", "domain"), ("off in the", "intent:HassTurnOff"), ("snug", "area")]
    assert yaml.safe_load(SMALL_HOME.read_text())["entities"][0].get("aliases") != ["big light"]
