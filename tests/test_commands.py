"""Tags -> commands, and slot texts -> numbers (the HA-free NLU core)."""

from __future__ import annotations

import pytest

from home_brain_nlu.commands import commands_from_tags
from home_brain_nlu.labels import build_labels, parse_label
from home_brain_nlu.tags import TaggedWord
from home_brain_nlu.values import parse_number


def tag(text: str, labels: list[str], confidence: float = 0.9) -> list[TaggedWord]:
    """Words of ``text`` (split on spaces) with the given labels."""
    words, pos = [], 0
    for word, label in zip(text.split(" "), labels, strict=True):
        words.append(TaggedWord(word, pos, pos + len(word), label, confidence))
        pos += len(word) + 1
    return words


def test_single_command() -> None:
    text = "turn on the kitchen light"
    words = tag(text, ["INTENT:HassTurnOn"] * 3 + ["B-name", "I-name"])
    [command] = commands_from_tags(text, words)
    assert command.intent == "HassTurnOn"
    assert command.slot_texts() == {"name": ["kitchen light"]}
    assert command.slots["name"][0].start == 12
    assert command.confidence == pytest.approx(0.9)


def test_fragment_order_and_split_carrier() -> None:
    text = "Kitchen Light off please"
    words = tag(text, ["B-name", "I-name", "INTENT:HassTurnOff", "O"])
    [command] = commands_from_tags(text, words)
    assert (command.intent, command.slot_texts()) == ("HassTurnOff", {"name": ["kitchen light"]})
    assert command.slots["name"][0].text == "Kitchen Light"  # cut from the input, case kept


def test_compound_commands_split_at_separator() -> None:
    text = "set the bedroom lamp to 50% and close the blinds"
    labels = ["INTENT:HassLightSet", "INTENT:HassLightSet", "B-name", "I-name", "INTENT:HassLightSet",
              "B-brightness", "SEP", "INTENT:HassTurnOff", "INTENT:HassTurnOff", "B-device_class"]
    commands = commands_from_tags(text, tag(text, labels))
    assert [(c.intent, c.slot_texts()) for c in commands] == [
        ("HassLightSet", {"name": ["bedroom lamp"], "brightness": ["50%"]}),
        ("HassTurnOff", {"device_class": ["blinds"]}),
    ]


def test_segment_without_carrier_repeats_previous_intent() -> None:
    text = "turn on the kitchen light and the hallway lamp"
    labels = ["INTENT:HassTurnOn"] * 3 + ["B-name", "I-name", "SEP", "INTENT:HassTurnOn", "B-name", "I-name"]
    labels[6] = "O"
    commands = commands_from_tags(text, tag(text, labels))
    assert [c.intent for c in commands] == ["HassTurnOn", "HassTurnOn"]
    assert commands[1].slot_texts() == {"name": ["hallway lamp"]}


def test_several_values_of_one_slot() -> None:
    text = "turn on the kitchen and living room lights"
    labels = ["INTENT:HassTurnOn"] * 3 + ["B-area", "INTENT:HassTurnOn", "B-area", "I-area", "B-domain"]
    [command] = commands_from_tags(text, tag(text, labels))
    assert command.slot_texts() == {"area": ["kitchen", "living room"], "domain": ["lights"]}


def test_nothing_understood_gives_no_command() -> None:
    assert commands_from_tags("hello there", tag("hello there", ["O", "O"])) == []
    assert commands_from_tags("", []) == []


def test_confidence_is_the_weakest_part() -> None:
    text = "turn on kitchen"
    words = tag(text, ["INTENT:HassTurnOn", "INTENT:HassTurnOn", "B-name"])
    words[2] = TaggedWord("kitchen", 8, 15, "B-name", 0.3)
    [command] = commands_from_tags(text, words)
    assert command.confidence == pytest.approx(0.3)


def test_disagreeing_carrier_words_lower_confidence() -> None:
    text = "turn on off lamp"
    words = tag(text, ["INTENT:HassTurnOn", "INTENT:HassTurnOn", "INTENT:HassTurnOff", "B-name"], 1.0)
    [command] = commands_from_tags(text, words)
    assert command.intent == "HassTurnOn"
    assert command.confidence == pytest.approx(2 / 3)


def test_label_schema_round_trips() -> None:
    labels = build_labels(["HassTurnOn", "HassTurnOff"])
    assert labels[:2] == ["O", "SEP"]
    assert len(labels) == len(set(labels))
    kinds = {parse_label(label).kind for label in labels}
    assert kinds == {"O", "SEP", "B", "I", "INTENT"}
    with pytest.raises(ValueError):
        parse_label("B-")
    with pytest.raises(ValueError):
        parse_label("LABEL_3")


@pytest.mark.parametrize(
    ("text", "number"),
    [("50", 50), ("50%", 50), ("fifty percent", 50), ("twenty one", 21), ("twenty-one degrees", 21),
     ("21.5", 21.5), ("twenty one point five", 21.5), ("one hundred", 100), ("a hundred", 100),
     ("zero", 0), ("seventy five %", 75)],
)
def test_parse_number(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["", "kitchen", "percent", "bright"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_span_confidence_is_the_mean_of_its_words() -> None:
    text = "turn on kitchen light"
    words = tag(text, ["INTENT:HassTurnOn", "INTENT:HassTurnOn", "B-name", "I-name"], 1.0)
    words[2] = TaggedWord("kitchen", 8, 15, "B-name", 0.4)
    words[3] = TaggedWord("light", 16, 21, "I-name", 0.8)
    [command] = commands_from_tags(text, words)
    assert command.slots["name"][0].confidence == pytest.approx(0.6)
    assert command.confidence == pytest.approx(0.6)


def test_a_command_said_without_any_verb() -> None:
    """Read as Home Assistant's templates read them: a bare name turns it on, a place or
    device with one setting sets it; anything else without a verb is no command."""
    def read(text: str, labels: list[str]) -> list[tuple[str, dict[str, list[str]]]]:
        return [(c.intent, c.slot_texts()) for c in commands_from_tags(text, tag(text, labels))]

    assert read("overhead light", ["B-name", "I-name"]) == [("HassTurnOn", {"name": ["overhead light"]})]
    assert read("bedroom red", ["B-area", "B-color"]) == [("HassLightSet", {"area": ["bedroom"], "color": ["red"]})]
    assert read("blinds 30", ["B-domain", "B-position"]) == [("HassSetPosition", {"domain": ["blinds"], "position": ["30"]})]
    assert read("bedroom kitchen", ["B-area", "B-area"]) == []
    assert read("red 50", ["B-color", "B-brightness"]) == []
    assert read("kitchen red 50", ["B-area", "B-color", "B-position"]) == []


def test_one_value_split_in_two_is_joined_back() -> None:
    text = "play breaking bad tv show"
    labels = ["INTENT:HassMediaSearchAndPlay", "B-search_query", "I-search_query", "B-media_class", "B-media_class"]
    [command] = commands_from_tags(text, tag(text, labels))
    assert command.slot_texts() == {"search_query": ["breaking bad"], "media_class": ["tv show"]}
    # A comma or a word between keeps two values apart.
    text = "turn on kitchen , bedroom"
    [command] = commands_from_tags(text, tag(text, ["INTENT:HassTurnOn"] * 2 + ["B-area", "O", "B-area"]))
    assert command.slot_texts() == {"area": ["kitchen", "bedroom"]}


def test_a_place_and_a_percentage_are_its_lights_brightness() -> None:
    text = "set bedroom to 50%"
    labels = ["INTENT:HassFanSetSpeed", "B-area", "INTENT:HassFanSetSpeed", "B-percentage"]
    [command] = commands_from_tags(text, tag(text, labels))
    assert (command.intent, command.slot_texts()) == ("HassLightSet", {"area": ["bedroom"], "brightness": ["50%"]})
    # A fan said is a fan.
    text = "set bedroom fan to 50%"
    labels = ["INTENT:HassFanSetSpeed", "B-area", "B-domain", "INTENT:HassFanSetSpeed", "B-percentage"]
    [command] = commands_from_tags(text, tag(text, labels))
    assert command.intent == "HassFanSetSpeed"


def test_states_said_back_to_back_stay_apart() -> None:
    # "left" of "curtain left" read as a state: joined to "closed" it would hide the name.
    text = "is the curtain left closed"
    labels = ["INTENT:HassGetState", "INTENT:HassGetState", "B-device_class", "B-state", "B-state"]
    [command] = commands_from_tags(text, tag(text, labels))
    assert command.slot_texts()["state"] == ["left", "closed"]
