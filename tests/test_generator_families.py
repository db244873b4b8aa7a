"""Each family of the generator of how people talk produces what it claims, with labels that
line up with the words (the gold tags, read by the runtime's commands reader, give back the
example's commands), and the verb/device rule of ``nlu/labels.py`` holds in data and reader."""

from __future__ import annotations

import re
from typing import Any

import jellyfish
import pytest

from home_brain_nlu.commands import commands_from_tags
from home_brain_nlu.labels import device_words
from home_brain_nlu.tags import TaggedWord
from home_brain_nlu.values import parse_number, parse_share
from training.augment import augment_examples, augment_one
from training.augment.frames import held_out_frames, is_held_out, usable
from training.augment.phonetic import sound_alikes
from training.calibration import choose_threshold, reliability
from training.dataset_io import summarize, validate_example
from training.evaluate import expected_commands, gold_word_labels
from training.generate import generate_examples
from training.home import Home, load_home
from training.relabel import relabel_device_words

from .conftest import SMALL_HOME
from .test_augment import BRIGHTNESS, KITCHEN_LIGHT_OFF, LIGHTS_IN_KITCHEN, _example


@pytest.fixture(scope="module")
def home() -> Home:
    return load_home(SMALL_HOME)


@pytest.fixture(scope="module")
def templates(home: Home) -> list[dict[str, Any]]:
    return generate_examples(home, 600, seed=21)


FRONT_DOOR_LOCK = _example("lock the front door", [("lock the", "intent:HassTurnOn"), ("front door", "name")], "HassTurnOn")
BLINDS_POSITION = _example(
    "set the bedroom blinds to 50%",
    [("set the", "intent:HassSetPosition"), ("bedroom blinds", "name"), ("to", "intent:HassSetPosition"),
     ("50", "position"), ("%", "intent:HassSetPosition")],
    "HassSetPosition",
)


def _runtime_reading(example: dict[str, Any]) -> list[tuple[str, dict[str, list[str]]]]:
    text = example["text"]
    edges = {i for span in example["spans"] for i in (span["start"], span["end"])}
    words = []
    for match in re.finditer(r"\w+|[^\w\s]", text):
        cuts = [match.start(), *sorted(i for i in edges if match.start() < i < match.end()), match.end()]
        words += list(zip(cuts, cuts[1:]))
    labels = gold_word_labels(example, words)
    tagged = [TaggedWord(text[s:e], s, e, label, 1.0) for (s, e), label in zip(words, labels, strict=True)]
    return [(c.intent, c.slot_texts()) for c in commands_from_tags(text, tagged)]


def _outcomes(example: dict[str, Any], kind: str, home: Home, pool: list | None = None, seeds: int = 60) -> list[dict]:
    results = [augment_one(example, kind, home, seed, pool) for seed in range(seeds)]
    results = [r for r in results if r is not None]
    for result in results:
        validate_example(result)
        assert _runtime_reading(result) == expected_commands(result), result
    return results


def _labelled(example: dict[str, Any], label: str) -> list[str]:
    return [example["text"][s["start"]:s["end"]] for s in example["spans"] if s["label"] == label]


def test_order_says_the_goal_state_noun_first(home: Home) -> None:
    results = _outcomes(KITCHEN_LIGHT_OFF, "order", home)
    texts = {r["text"] for r in results}
    assert any(t.startswith("kitchen light off") for t in texts), texts
    for result in results:
        assert result["commands"] == [{"intent": "HassTurnOff", "slots": {"name": ["kitchen light"]}, "context": {}}]
        assert re.search(r"\boff\b", result["text"]) and "turn" not in result["text"]
    locked = _outcomes(FRONT_DOOR_LOCK, "order", home)
    assert locked and all(re.search(r"\bfront door\b.*\blocked\b", r["text"]) for r in locked)
    # "lights off in the kitchen", never "kitchen lights" said as if a device were so named.
    for result in _outcomes(LIGHTS_IN_KITCHEN, "order", home):
        assert result["commands"][0]["slots"] == {"domain": ["lights"], "area": ["kitchen"]}


def test_indirect_requests_and_questions(home: Home) -> None:
    results = _outcomes(KITCHEN_LIGHT_OFF, "indirect", home, seeds=120)
    questions = [r for r in results if r["commands"][0]["intent"] == "HassGetState"]
    requests = [r for r in results if r["commands"][0]["intent"] == "HassTurnOff"]
    assert questions and requests
    for result in questions:
        slots = result["commands"][0]["slots"]
        assert slots["name"] == ["kitchen light"] and slots.get("state", ["on"])[0] in ("on", "off")
    assert any(r["text"].startswith(("did I forget", "did I remember", "did anyone", "did I")) for r in questions)
    for result in requests:  # the request words are O: the command's words are the template's
        assert result["text"].endswith(("turn off the kitchen light", "turn off the kitchen light?"))
        assert result["spans"][0]["start"] > 0


def test_self_correction_acts_on_the_corrected_target_only(home: Home) -> None:
    results = _outcomes(KITCHEN_LIGHT_OFF, "disfluency", home, seeds=80)
    corrected = [r for r in results if re.search(r"\b(no|mean|sorry|actually|rather|wait|scratch|make that)\b", r["text"])]
    hesitant = [r for r in results if r not in corrected]
    assert corrected and hesitant
    for result in corrected:
        assert result["commands"][0]["slots"] == {"name": ["kitchen light"]}
        assert result["text"].endswith("kitchen light")
        wrong = result["text"].split(",")[0].removeprefix("turn off the ").strip()
        assert wrong and wrong != "kitchen light" and _labelled(result, "name") == ["kitchen light"]
    assert any(re.search(r"the,? (uh|um|er|erm|uhh|umm|hmm|like|you know),? the kitchen light", r["text"]) for r in hesitant)


def test_speech_to_text_confusions_sound_alike(home: Home) -> None:
    assert "hal way" in sound_alikes("hallway") or "hall way" in sound_alikes("hallway")
    assert "dinning" in sound_alikes("dining")
    for word in ("hallway", "garage", "kitchen", "bedroom"):
        for heard in sound_alikes(word):
            # Same sounds (Metaphone key) or, for split words, keys that join into it.
            joined = "".join(jellyfish.metaphone(part) for part in heard.split())
            assert joined == jellyfish.metaphone(word) or jellyfish.metaphone(heard.replace(" ", "")) == jellyfish.metaphone(word)
    results = _outcomes(KITCHEN_LIGHT_OFF, "phonetic", home)
    assert results
    for result in results:
        name = result["commands"][0]["slots"]["name"][0]
        assert name != "kitchen light" and name == _labelled(result, "name")[0]  # misheard, still the name


def test_numbers_in_every_spoken_form(home: Home) -> None:
    results = _outcomes(BRIGHTNESS, "numbers", home, seeds=80)
    said = {r["commands"][0]["slots"]["brightness"][0] for r in results}
    assert {"half", "fifty", "50"} <= said, said
    assert any(re.search(r"\b50 percent\b|\b50%", r["text"]) for r in results)
    for value in said:
        assert parse_share(value) == 50 or parse_number(value) == 50, value
    positions = {r["commands"][0]["slots"]["position"][0] for r in _outcomes(BLINDS_POSITION, "numbers", home, seeds=80)}
    assert positions & {"halfway", "half way", "half"}, positions
    assert parse_share("three quarters") == 75 and parse_share("full") == 100 and parse_share("twenty") is None


def test_lists_share_the_verb_and_value(home: Home, templates: list[dict[str, Any]]) -> None:
    results = _outcomes(BRIGHTNESS, "compound", home, pool=templates[:200], seeds=150)
    lists = [r for r in results if len(r["commands"]) == 1]
    assert lists
    for result in lists:
        command = result["commands"][0]
        assert command["slots"]["brightness"] == ["50"] and 2 <= len(command["slots"]["name"]) <= 4
        assert not _labelled(result, "sep")


def test_chains_of_two_to_four_commands_with_every_joiner(home: Home, templates: list[dict[str, Any]]) -> None:
    examples = augment_examples(templates, home, 800, seed=3)
    chains = [e for e in examples if e["augmentation"] == "compound" and len(e["commands"]) > 1]
    assert {len(e["commands"]) for e in chains} >= {2, 3, 4}
    joiners = {sep for e in chains for sep in _labelled(e, "sep")}
    assert {"and", "then", "and then", ",", "also", "plus"} <= joiners, joiners
    for example in chains:
        assert len(_labelled(example, "sep")) == len(example["commands"]) - 1
        assert _runtime_reading(example) == expected_commands(example), example


def test_pronouns_refer_back(home: Home, templates: list[dict[str, Any]]) -> None:
    lamp_on = _example("turn on the bedroom lamp", [("turn on the", "intent:HassTurnOn"), ("bedroom lamp", "name")],
                       "HassTurnOn")
    results = _outcomes(lamp_on, "compound", home, pool=templates[:200], seeds=200)
    referring = [r for r in results if len(r["commands"]) == 2 and r["commands"][1]["intent"] == "HassLightSet"
                 and re.search(r"\b(it|them|its)\b", r["text"])]
    assert referring
    for result in referring:
        first, second = result["commands"]
        assert first["slots"] == {"name": ["bedroom lamp"]} and second["slots"]["name"] == ["bedroom lamp"]
        assert _labelled(result, "name") == ["bedroom lamp"]  # said once


def test_the_reader_borrows_targets_only_for_a_pronoun() -> None:
    text = "turn on the desk lamp and what time is it"
    words = [("turn", "INTENT:HassTurnOn"), ("on", "INTENT:HassTurnOn"), ("the", "INTENT:HassTurnOn"),
             ("desk", "B-name"), ("lamp", "I-name"), ("and", "SEP"), ("what", "INTENT:HassGetCurrentTime"),
             ("time", "INTENT:HassGetCurrentTime"), ("is", "INTENT:HassGetCurrentTime"), ("it", "INTENT:HassGetCurrentTime")]
    commands = commands_from_tags(text, _tagged(text, words))
    assert [c.slot_texts() for c in commands] == [{"name": ["desk lamp"]}, {}]


def _tagged(text: str, words: list[tuple[str, str]]) -> list[TaggedWord]:
    out, position = [], 0
    for word, label in words:
        start = text.index(word, position)
        position = start + len(word)
        out.append(TaggedWord(word, start, position, label, 0.9))
    return out


@pytest.mark.parametrize(("text", "labels", "intent", "slots"), [
    # "switch" tagged as a carrier by the model: it is the office's switch, not the lights.
    ("office switch off", ["B-area", "INTENT:HassTurnOff", "INTENT:HassTurnOff"], "HassTurnOff",
     {"area": ["office"], "domain": ["switch"]}),
    ("switch off the office switch", ["INTENT:HassTurnOff"] * 3 + ["B-area", "INTENT:HassTurnOff"], "HassTurnOff",
     {"area": ["office"], "domain": ["switch"]}),
    ("lock the lock", ["INTENT:HassTurnOn"] * 3, "HassTurnOn", {"domain": ["lock"]}),
    ("fan on", ["INTENT:HassTurnOn"] * 2, "HassTurnOn", {"domain": ["fan"]}),
    ("turn the garage door off", ["INTENT:HassTurnOff"] * 5, "HassTurnOff", {"domain": ["garage door"]}),
    # The verb stays the verb, a mode stays a mode, a lone carrier keeps the intent.
    ("switch on the kitchen light", ["INTENT:HassTurnOn"] * 3 + ["B-name", "I-name"], "HassTurnOn",
     {"name": ["kitchen light"]}),
    ("set the fan mode to high", ["INTENT:HassClimateSetFanMode"] * 5 + ["B-fan_mode"], "HassClimateSetFanMode",
     {"fan_mode": ["high"]}),
    ("fans 50", ["INTENT:HassFanSetSpeed", "B-percentage"], "HassFanSetSpeed", {"percentage": ["50"]}),
    # Right after a name, the device word ends the name: the home's names read it whole.
    ("run stealth mode script", ["INTENT:HassTurnOn", "B-name", "I-name", "INTENT:HassTurnOn"], "HassTurnOn",
     {"name": ["stealth mode"]}),
])
def test_a_word_that_is_verb_and_device_keeps_its_device_meaning(
    text: str, labels: list[str], intent: str, slots: dict[str, list[str]]
) -> None:
    pieces = re.findall(r"\w+|[^\w\s]", text)
    [command] = commands_from_tags(text, _tagged(text, list(zip(pieces, labels, strict=True))))
    assert (command.intent, command.slot_texts()) == (intent, slots)


def test_the_data_follow_the_same_rule() -> None:
    example = _example("office switch off", [("office", "area"), ("switch off", "intent:HassTurnOff")], "HassTurnOff")
    relabelled = relabel_device_words(example)
    assert relabelled["commands"][0]["slots"] == {"area": ["office"], "domain": ["switch"]}
    assert [(s["label"], example["text"][s["start"]:s["end"]]) for s in relabelled["spans"]] == [
        ("area", "office"), ("domain", "switch"), ("intent:HassTurnOff", "off")]
    assert _runtime_reading(relabelled) == expected_commands(relabelled)
    assert relabel_device_words(relabelled) == relabelled  # the rule reads its own output the same
    assert device_words(["lock", "the", "lock"], ["INTENT"] * 3) == [(2, 3)]


def test_held_out_frames_never_reach_training(home: Home, templates: list[dict[str, Any]]) -> None:
    frames = [f"frame {k}" for k in range(200)]
    training = usable(frames)
    with held_out_frames():
        held = usable(frames)
    assert set(training).isdisjoint(held) and set(training) | set(held) == set(frames)
    assert all(is_held_out(f) for f in held) and 20 < len(held) < 70
    # Sentences said in a frame (word order, goal state) differ between the two parts.
    held_examples = augment_examples(templates, home, 600, seed=4, held_out=True)
    train_examples = augment_examples(templates, home, 600, seed=4)
    said = {e["text"].casefold() for e in held_examples if e["augmentation"] == "order"}
    assert said and said.isdisjoint({e["text"].casefold() for e in train_examples if e["augmentation"] == "order"})


def test_inventory_has_each_family_share_per_intent(home: Home, templates: list[dict[str, Any]]) -> None:
    stats = summarize(templates + augment_examples(templates, home, 600, seed=5))
    inventory = stats["inventory"]
    assert {"template", "order", "indirect", "phonetic", "compound"} <= set(inventory)
    assert abs(sum(row["share"] for row in inventory.values()) - 1.0) < 0.01
    assert inventory["template"]["examples"] == 600 and inventory["order"]["per_intent"]


def test_calibration_error_and_threshold() -> None:
    confidences = [0.95] * 10 + [0.55] * 10
    right = [True] * 9 + [False] + [True] * 5 + [False] * 5
    table = reliability(confidences, right)
    assert table["ece"] == pytest.approx(0.5 * abs(0.9 - 0.95) + 0.5 * abs(0.5 - 0.55))
    assert table["acted"] == 20 and len(table["bins"]) == 2
    assert choose_threshold(confidences, right) == 0.6  # the lowest at which 90% of actions are right
