"""Learning from a home's interaction logs: reading exports, projecting the fallback agent's
slots onto the words said, reinforcing sure successes, the review list and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from training.dataset_io import read_jsonl, validate_example
from training.home import Home
from training.from_logs.learn import learn
from training.from_logs.project import project_fallback
from training.from_logs.turns import read_exports

from .conftest import REPO, SMALL_HOME
from .tiny_bert import make_tiny_bert

_NO_HA = "import sys; sys.modules['homeassistant'] = None; from training.__main__ import main; sys.exit(main(sys.argv[1:]))"


def _home_dict() -> dict[str, Any]:
    """The small test home, where the kitchen light is also called "kitchen lamp"."""
    data = yaml.safe_load(SMALL_HOME.read_text())
    for entity in data["entities"]:
        if entity["entity_id"] == "light.kitchen":
            entity["aliases"] = ["kitchen lamp"]
    return data


@pytest.fixture(scope="module")
def home() -> Home:
    return Home.from_dict(_home_dict())


def _turn(text: str, handled_by: str = "fallback", *, intent: str | None = "HassTurnOn",
          slots: dict[str, Any] | None = None, success: bool = True, time: str = "2026-11-01T10:00:00.000+00:00",
          **extra: Any) -> dict[str, Any]:
    turn: dict[str, Any] = {
        "version": 1, "time": time, "language": "en", "device_id": None, "satellite_id": None,
        "text": text, "words": [], "commands": [], "calls": [], "handled_by": handled_by,
        "reply": "Done", "latency_ms": 12.0, "fallback": None,
    }
    if handled_by == "fallback":
        turn["fallback"] = {"agent_id": "conversation.home_assistant", "intent": intent, "slots": slots or {},
                            "targets": [], "response_type": "action_done" if success else "error",
                            "success": success}
    turn.update(extra)
    return turn


def _export(folder: Path, lines: list[Any]) -> Path:
    folder.mkdir(parents=True)
    (folder / "home.yaml").write_text(yaml.safe_dump(_home_dict()))
    (folder / "turns.jsonl").write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return folder


def _labelled(example: dict[str, Any]) -> list[tuple[str, str]]:
    return [(example["text"][s["start"]:s["end"]], s["label"]) for s in example["spans"]]


LAMP_ON = _turn("switch the kitchen lamp on please", slots={"name": "Kitchen Light", "domain": "light"})


def test_malformed_lines_are_counted_and_skipped(tmp_path: Path) -> None:
    good = LAMP_ON
    bad_words = {**good, "words": [{"text": "x"}]}
    export = _export(tmp_path / "e1", [
        good, "{not json", "[1, 2]", {**good, "version": 2}, {k: v for k, v in good.items() if k != "handled_by"},
        {**good, "calls": "none"}, bad_words, {**good, "text": "  "}, "", "\x00\x01", good | {"time": "later"},
    ])
    read = read_exports([export])
    assert read.malformed == 8
    assert len(read.turns) == 2
    assert all("e1" in message for message in read.malformed_examples)


def test_duplicates_are_merged_across_exports(tmp_path: Path) -> None:
    first = _export(tmp_path / "2026-11-01", [LAMP_ON, _turn("what time is it", intent="HassGetCurrentTime")])
    second = _export(tmp_path / "2026-11-02", [
        LAMP_ON,  # the same turn exported again: not a repetition
        {**LAMP_ON, "text": "Switch the kitchen lamp on, please!", "time": "2026-11-02T08:00:00+00:00"},
        {**LAMP_ON, "text": "switch the  kitchen lamp on please", "time": "2026-11-02T09:00:00+00:00"},
    ])
    learned = learn([first, second])
    summary = learned.summary
    assert summary["exported_twice"] == 1
    assert summary["duplicates_merged"] == 2
    assert summary["sentences"] == 2 and summary["fallback_learned"] == 2
    [lamp] = [e for e in learned.examples if "lamp" in e["text"].lower()]
    assert lamp["times"] == 3 and lamp["source"] == "log" and lamp["log"] == "fallback"


def test_fallback_turn_is_projected_onto_the_words_said(home: Home) -> None:
    example = project_fallback(LAMP_ON["text"], "HassTurnOn", LAMP_ON["fallback"]["slots"], home)
    validate_example(example)
    # "please" is filler (O); the domain was implied by the template, not said: dropped.
    assert _labelled(example) == [("switch the", "intent:HassTurnOn"), ("kitchen lamp", "name"),
                                  ("on", "intent:HassTurnOn")]
    assert example["commands"] == [{"intent": "HassTurnOn", "slots": {"name": ["kitchen lamp"]}, "context": {}}]

    # Ids resolve through the snapshot (entity id, area id); a said domain word is labelled.
    example = project_fallback("turn on the lights in the lounge", "HassTurnOn",
                               {"area": "living_room", "domain": ["light"]}, home)
    assert _labelled(example) == [("turn on the", "intent:HassTurnOn"), ("lights", "domain"),
                                  ("in the", "intent:HassTurnOn"), ("lounge", "area")]
    example = project_fallback("could you turn off bedside lamp", "HassTurnOff", {"name": "light.bedroom_lamp"}, home)
    assert _labelled(example) == [("turn off", "intent:HassTurnOff"), ("bedside lamp", "name")]
    # A slip of speech-to-text is matched approximately.
    example = project_fallback("turn off the coffee machin", "HassTurnOff", {"name": "Coffee Maker"}, home)
    assert ("coffee machin", "name") in _labelled(example)


def test_numbers_are_projected(home: Home) -> None:
    example = project_fallback("set the bedside lamp to fifty percent", "HassLightSet",
                               {"name": "Bedroom Lamp", "brightness": 50}, home)
    validate_example(example)
    assert _labelled(example) == [("set the", "intent:HassLightSet"), ("bedside lamp", "name"),
                                  ("to", "intent:HassLightSet"), ("fifty", "brightness"),
                                  ("percent", "intent:HassLightSet")]
    example = project_fallback("thermostat to twenty one point five degrees", "HassClimateSetTemperature",
                               {"name": "Thermostat", "temperature": "21.5"}, home)
    assert ("twenty one point five", "temperature") in _labelled(example)
    example = project_fallback("open the bedroom blinds to 40%", "HassSetPosition",
                               {"name": "Bedroom Blinds", "position": 40}, home)
    assert _labelled(example)[-2:] == [("40", "position"), ("%", "intent:HassSetPosition")]
    example = project_fallback("set a timer for one minute", "HassStartTimer", {"minutes": 1}, home)
    assert ("one", "minutes") in _labelled(example) and ("a", "minutes") not in _labelled(example)


def test_unresolved_turns_go_to_review(tmp_path: Path) -> None:
    export = _export(tmp_path / "e", [
        _turn("open the thing", intent="HassTurnOn", slots={"name": "Garage Door"}),  # not said
        _turn("do the magic", intent=None, success=False),  # the fallback failed
        _turn("do the magic", intent=None, success=False, time="2026-11-03T00:00:00+00:00"),
        _turn("lock the front door", "home_brain",
              words=[{"text": "lock", "start": 0, "end": 4, "label": "INTENT:HassTurnOn", "confidence": 0.99}],
              commands=[{"intent": "HassTurnOn", "slots": {"name": "front door"}, "confidence": 0.99}],
              calls=[{"intent": "HassTurnOn", "slots": {"name": "lock.front_door"}, "success": False,
                      "error": "failed"}]),
    ])
    learned = learn([export])
    assert learned.examples == []
    assert {(item["text"], item["reason"], item["times"]) for item in learned.review} == {
        ("open the thing", "unprojectable", 1), ("do the magic", "fallback_failed", 2),
        ("lock the front door", "call_failed", 1)}
    assert learned.summary["review_reasons"] == {"call_failed": 1, "fallback_failed": 1, "unprojectable": 1}
    assert "Garage Door" in next(i["detail"] for i in learned.review if i["reason"] == "unprojectable")


def _tagged(text: str, labels: list[str], confidence: float) -> list[dict[str, Any]]:
    words, position = [], 0
    for word, label in zip(text.split(), labels, strict=True):
        start = text.index(word, position)
        position = start + len(word)
        words.append({"text": word, "start": start, "end": position, "label": label, "confidence": confidence})
    return words


def test_sure_successes_are_reinforced(tmp_path: Path) -> None:
    text = "kitchen light off and lock the front door"
    labels = ["B-name", "I-name", "INTENT:HassTurnOff", "SEP", "INTENT:HassTurnOn", "INTENT:HassTurnOn",
              "B-name", "I-name"]
    ok = [{"intent": "HassTurnOff", "slots": {}, "success": True, "error": None}]
    export = _export(tmp_path / "e", [
        _turn(text, "home_brain", words=_tagged(text, labels, 0.97), calls=ok * 2,
              commands=[{"intent": "HassTurnOff", "slots": {}, "confidence": 0.97}] * 2),
        _turn("bedroom lamp off", "home_brain", words=_tagged("bedroom lamp off", labels[:3], 0.6), calls=ok,
              commands=[{"intent": "HassTurnOff", "slots": {}, "confidence": 0.6}]),  # unsure: not learned
    ])
    learned = learn([export])
    [example] = learned.examples
    assert example["log"] == "reinforced"
    assert _labelled(example) == [("kitchen light", "name"), ("off", "intent:HassTurnOff"), ("and", "sep"),
                                  ("lock the", "intent:HassTurnOn"), ("front door", "name")]
    assert [c["slots"] for c in example["commands"]] == [{"name": ["kitchen light"]}, {"name": ["front door"]}]
    assert learned.summary["not_learned"] == {"unsure": 1}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _NO_HA, *args], cwd=REPO, capture_output=True, text=True,
                          check=False)


def test_cli_learns_the_home_s_phrasing(tmp_path: Path) -> None:
    """``all --logs`` end to end on a tiny BERT: the log phrasing is in the training data, labelled."""
    export = _export(tmp_path / "exports" / "2026-11-02T10-00-00", [
        LAMP_ON, LAMP_ON | {"time": "2026-11-02T10:00:00+00:00"}, "garbage",
        _turn("set the bedside lamp to fifty percent", intent="HassLightSet",
              slots={"name": "Bedroom Lamp", "brightness": 50}),
        _turn("do the magic", intent=None, success=False),
    ])
    words = "switch the kitchen lamp on please set bedside to fifty percent turn off light bedroom".split()
    base = make_tiny_bert(tmp_path / "base", ["O"], words, with_head=False, hidden_size=32, num_heads=2)
    out = tmp_path / "run"
    # --home defaults to the export's home.yaml.
    result = _cli("all", "--logs", str(export), "--out", str(out), "--base", str(base), "--count", "60",
                  "--intents", "HassTurnOn,HassTurnOff,HassLightSet", "--augment-share", "0", "--log-repeat", "3",
                  "--epochs", "1", "--batch-size", "32", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "1 malformed line(s) skipped, 1 duplicate(s) merged" in result.stdout
    assert "learned 2 from the fallback agent, reinforced 0, 1 for review" in result.stdout
    assert (out / "model" / "config.json").is_file()

    train = read_jsonl(out / "train.jsonl", strict=True)
    lamp = [e for e in train if e["text"] == LAMP_ON["text"]]
    assert len(lamp) == 3 and all(e["source"] == "log" for e in lamp)
    assert _labelled(lamp[0]) == [("switch the", "intent:HassTurnOn"), ("kitchen lamp", "name"),
                                  ("on", "intent:HassTurnOn")]
    [dimmer] = {json.dumps(e, sort_keys=True) for e in train if e["text"].startswith("set the bedside")}
    assert ("fifty", "brightness") in _labelled(json.loads(dimmer))
    assert not any(e.get("source") == "log" for e in read_jsonl(out / "dev.jsonl"))

    stats = json.loads((out / "data_stats.json").read_text())
    assert stats["per_source"]["log"] == 6
    assert stats["logs"]["fallback_learned"] == 2 and stats["logs"]["examples_added"] == 6
    review = json.loads((out / "log_review.json").read_text())
    assert [item["text"] for item in review["review"]] == ["do the magic"]
    assert "do the magic" in (out / "log_review.md").read_text()
