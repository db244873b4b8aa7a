"""A logged turn is learned only if nobody undid it: a correction ("no, turn it back on") or
the reverse change soon after in the same conversation sends it to review instead."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from training.from_logs.learn import learn

from .conftest import SMALL_HOME

T0 = "2026-11-01T10:00:00.000+00:00"


def _at(seconds: int) -> str:
    return f"2026-11-01T10:{seconds // 60:02d}:{seconds % 60:02d}.000+00:00"


def _fallback(text: str, intent: str, name: str, target: str, seconds: int, conversation: str = "c1") -> dict[str, Any]:
    return {"version": 1, "time": _at(seconds), "language": "en", "device_id": None, "satellite_id": None,
            "conversation_id": conversation, "text": text, "words": [], "commands": [], "calls": [],
            "handled_by": "fallback", "reply": "Done", "latency_ms": 10.0,
            "fallback": {"agent_id": "conversation.home_assistant", "intent": intent, "slots": {"name": name},
                         "targets": [target], "response_type": "action_done", "success": True}}


def _home_brain(text: str, intent: str, target: str, seconds: int, conversation: str = "c1") -> dict[str, Any]:
    return {"version": 1, "time": _at(seconds), "language": "en", "device_id": None, "satellite_id": None,
            "conversation_id": conversation, "text": text, "words": [], "commands": [],
            "calls": [{"intent": intent, "slots": {"name": target}, "success": True, "error": None}],
            "handled_by": "home_brain", "reply": "Done", "latency_ms": 10.0, "fallback": None}


def _learn(tmp_path: Path, turns: list[dict[str, Any]]) -> Any:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "home.yaml").write_text(yaml.safe_dump(yaml.safe_load(SMALL_HOME.read_text())))
    (folder / "turns.jsonl").write_text("".join(json.dumps(t) + "\n" for t in turns))
    return learn([folder])


SWITCH_OFF = ("switch off the kitchen light", "HassTurnOff", "Kitchen Light", "light.kitchen")


def test_a_turn_the_user_corrects_is_reviewed_not_learned(tmp_path: Path) -> None:
    learned = _learn(tmp_path, [
        _fallback(*SWITCH_OFF, seconds=0),
        _fallback("no, turn it back on", "HassTurnOn", "Kitchen Light", "light.kitchen", seconds=20),
    ])
    assert learned.examples == []
    reasons = {item["text"]: item["reason"] for item in learned.review}
    assert reasons == {"switch off the kitchen light": "undone", "no, turn it back on": "correction"}
    assert learned.summary["review_reasons"] == {"correction": 1, "undone": 1}
    assert "20 s later" in next(i["detail"] for i in learned.review if i["reason"] == "undone")


def test_a_turn_the_user_reverses_is_reviewed_not_learned(tmp_path: Path) -> None:
    learned = _learn(tmp_path, [
        _fallback(*SWITCH_OFF, seconds=0),
        _home_brain("turn on the kitchen light", "HassTurnOn", "light.kitchen", seconds=45),
    ])
    assert [e["text"] for e in learned.examples] == []  # the reversing turn itself is not sure enough
    assert [(i["text"], i["reason"]) for i in learned.review] == [("switch off the kitchen light", "undone")]


def test_a_change_later_elsewhere_or_of_another_device_undoes_nothing(tmp_path: Path) -> None:
    learned = _learn(tmp_path, [
        _fallback(*SWITCH_OFF, seconds=0),
        # the same light back on, but ten minutes later: a new wish, not a correction
        _fallback("switch on the kitchen light", "HassTurnOn", "Kitchen Light", "light.kitchen", seconds=600),
        # a reversal in another conversation is not about this turn
        _fallback("switch off the bedroom lamp", "HassTurnOff", "Bedroom Lamp", "light.bedroom_lamp", seconds=400),
        _home_brain("turn on the kitchen light", "HassTurnOn", "light.kitchen", seconds=610, conversation="c2"),
        # another device turned on right after is no reversal
        _fallback("switch off the coffee maker", "HassTurnOff", "Coffee Maker", "switch.coffee_maker", seconds=800),
        _home_brain("turn on the bedroom lamp", "HassTurnOn", "light.bedroom_lamp", seconds=810),
    ])
    assert sorted(e["text"] for e in learned.examples) == [
        "switch off the bedroom lamp", "switch off the coffee maker", "switch off the kitchen light",
        "switch on the kitchen light"]
    assert learned.review == []


def test_the_undo_window_is_an_option(tmp_path: Path) -> None:
    turns = [_fallback(*SWITCH_OFF, seconds=0),
             _fallback("switch on the kitchen light", "HassTurnOn", "Kitchen Light", "light.kitchen", seconds=600)]
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "home.yaml").write_text(SMALL_HOME.read_text())
    (folder / "turns.jsonl").write_text("".join(json.dumps(t) + "\n" for t in turns))
    learned = learn([folder], undo_window_s=900)
    assert [(i["text"], i["reason"]) for i in learned.review] == [("switch off the kitchen light", "undone")]


def test_after_a_bare_correction_the_fallback_s_fix_labels_the_sentence(tmp_path: Path) -> None:
    """ "no, that's wrong" says nothing of its own: what the fallback then did is what was meant."""
    # Home Brain took it for a vacuum command, which failed on a socket.
    wrong = _home_brain("juice up the coffee maker", "HassVacuumStart", "switch.coffee_maker", seconds=0)
    wrong["calls"][0].update(success=False, error="failed")
    fix = _fallback("no, that's wrong", "HassTurnOn", "Coffee Maker", "switch.coffee_maker", seconds=5)
    # A correction with words of its own ("the kitchen one") is not a bare one: nothing is inferred.
    other = _home_brain("turn on the light", "HassTurnOn", "light.bedroom_lamp", seconds=100)
    other_fix = _fallback("no, the kitchen one", "HassTurnOn", "Kitchen Light", "light.kitchen", seconds=105)
    learned = _learn(tmp_path, [wrong, fix, other, other_fix])
    [example] = learned.examples
    assert example["text"] == "juice up the coffee maker" and example["log"] == "corrected"
    assert example["commands"][0]["intent"] == "HassTurnOn"
    assert [(example["text"][s["start"]:s["end"]], s["label"]) for s in example["spans"]] == [
        ("juice up the", "intent:HassTurnOn"), ("coffee maker", "name")]
    assert learned.summary["learned_from_corrections"] == 1
    assert sorted((i["text"], i["reason"]) for i in learned.review) == [
        ("no, that's wrong", "correction"), ("no, the kitchen one", "correction"), ("turn on the light", "undone")]


def _unsure(turn: dict[str, Any], tagged_intent: str) -> dict[str, Any]:
    """Home Brain's turn with its words tagged (unsure, as another intent) and one command."""
    words, at = [], 0
    for word in turn["text"].split():
        start = turn["text"].index(word, at)
        at = start + len(word)
        words.append({"text": word, "start": start, "end": at, "label": f"INTENT:{tagged_intent}", "confidence": 0.55})
    return turn | {"words": words, "commands": [{"intent": tagged_intent, "slots": {}, "confidence": 0.55}]}


def test_an_unsure_action_nobody_undid_is_learned_from_what_it_did(tmp_path: Path) -> None:
    """Silence after Home Brain acted accepts the action, however unsure it was; the label is what
    it did (the call), not its unsure tags; an unsure action that was undone is still reviewed."""
    kept = _unsure(_home_brain("get the coffee maker going", "HassTurnOn", "switch.coffee_maker", seconds=0),
                   "HassVacuumStart")
    undone = _unsure(_home_brain("get the kitchen light going", "HassTurnOn", "light.kitchen", seconds=300),
                     "HassVacuumStart")
    learned = _learn(tmp_path, [kept, undone, _home_brain("no, turn it off", "HassTurnOff", "light.kitchen",
                                                          seconds=310)])
    [example] = learned.examples
    assert example["text"] == "get the coffee maker going" and example["log"] == "accepted"
    assert [(example["text"][s["start"]:s["end"]], s["label"]) for s in example["spans"]] == [
        ("get the", "intent:HassTurnOn"), ("coffee maker", "name"), ("going", "intent:HassTurnOn")]
    assert learned.summary["accepted_unsure"] == 1
    assert ("get the kitchen light going", "undone") in {(i["text"], i["reason"]) for i in learned.review}


def test_an_unsure_action_is_not_learned_when_its_words_do_not_say_what_it_acted_on(tmp_path: Path) -> None:
    # "lights on" from a satellite: the call's area was the satellite's, no word says it.
    turn = _unsure(_home_brain("lights on", "HassTurnOn", "light.kitchen", seconds=0), "HassTurnOn")
    turn["calls"][0]["slots"] = {"area": "kitchen", "domain": ["light"]}
    # A call that failed teaches nothing either.
    failed = _unsure(_home_brain("get the bedroom lamp going", "HassTurnOn", "light.bedroom_lamp", seconds=200),
                     "HassVacuumStart")
    failed["calls"][0].update(success=False, error="failed")
    learned = _learn(tmp_path, [turn, failed])
    assert learned.examples == []
    assert learned.summary["not_learned"] == {"unsure": 1}
