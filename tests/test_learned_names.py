"""Nicknames the logs teach: found where Home Brain heard a name the fallback resolved, kept
beside the model (aliases.json), read by the resolver as aliases, never put in the registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from custom_components.home_brain.resolve.snapshot import async_build_names
from custom_components.home_brain.targets import TargetResolver, Unresolved, load_value_lists
from home_brain_nlu.learned_aliases import LearnedAliases, read_learned_aliases, write_learned_aliases
from home_brain_nlu.model_folder import ModelFolderError, load_model_folder
from training.home import Home, load_home
from training.incremental import rehearse_names
from training.from_logs.project import project_fallback
from training.from_logs.tags import heard_names
from training.nicknames import learned_aliases, unread_names, unread_places

from .conftest import SMALL_HOME
from .said import command
from .simulated_home import async_build_home
from .tiny_bert import make_tiny_bert


@pytest.fixture(scope="module")
def home() -> Home:
    return load_home(SMALL_HOME)


def _said(example: dict[str, Any]) -> list[tuple[str, str]]:
    return [(example["text"][s["start"]:s["end"]], s["label"]) for s in example["spans"]]


def test_the_words_heard_as_a_name_become_the_nickname(home: Home) -> None:
    text = "turn on the big light"
    # Home Brain heard "big light" as a name it could not resolve; the fallback turned on the kitchen light.
    example = project_fallback(text, "HassTurnOn", {"name": "Kitchen Light"}, home,
                               targets=["light.kitchen"], heard=[(12, 21)])
    assert ("big light", "name") in _said(example)
    assert example["commands"][0]["slots"] == {"name": ["big light"]}
    assert example["nicknames"] == [{"slot": "name", "value": "Kitchen Light", "said": "big light",
                                     "targets": ["light.kitchen"]}]
    aliases = learned_aliases([example], home)
    assert aliases.entities == {"light.kitchen": ("big light",)} and not aliases.areas


def test_a_room_nickname_heard_as_another_slot(home: Home) -> None:
    # "the den" tagged as a brightness by a confused model is still where the model heard the place.
    example = project_fallback("lights off in the den", "HassTurnOff", {"area": "Living Room", "domain": "light"},
                               home, heard=[(18, 21)])
    assert ("den", "area") in _said(example)
    assert learned_aliases([example], home).areas == {"living_room": ("den",)}


def test_a_room_the_model_read_as_no_slot_is_aligned_with_the_area_acted_on(home: Home) -> None:
    # "snug" read as a carrier word: the runtime handed the turn over for that unread place word,
    # and the fallback turned off the bedroom's lights, so "snug" is what the family calls the bedroom.
    text = "lights off in the snug please"
    labels = ["B-domain", "INTENT:HassTurnOff", "INTENT:HassTurnOff", "INTENT:HassTurnOff", "INTENT:HassTurnOff", "O"]
    words, at = [], 0
    for word, label in zip(text.split(), labels, strict=True):
        start = text.index(word, at)
        at = start + len(word)
        words.append({"text": word, "start": start, "end": at, "label": label, "confidence": 0.9})
    assert unread_places(words) == [(18, 22)]
    example = project_fallback(text, "HassTurnOff", {"area": "Bedroom", "domain": "light"}, home,
                               targets=["light.bedroom_lamp"], heard=heard_names(words), unread=unread_places(words))
    assert _said(example) == [("lights", "domain"), ("off in the", "intent:HassTurnOff"), ("snug", "area")]
    assert learned_aliases([example], home).areas == {"bedroom": ("snug",)}
    # Only a place: a device the fallback named is not guessed from a word said after "in the".
    with pytest.raises(ValueError, match="not found"):
        project_fallback("turn it on in the snug", "HassTurnOn", {"name": "Coffee Maker"}, home,
                         targets=["switch.coffee_maker"], unread=[(18, 22)])
    # "in here" is where the speaker is, not a room's name.
    here = [{"text": w, "start": 0, "end": 1, "label": "INTENT:HassTurnOn", "confidence": 0.9} for w in ("in", "here")]
    assert unread_places(here) == []


def test_no_nickname_when_it_is_not_clear(home: Home) -> None:
    # Two spans heard: which one names the light is a guess, so the turn is not projected.
    with pytest.raises(ValueError, match="not found"):
        project_fallback("turn on the big light in the den", "HassTurnOn", {"name": "Kitchen Light"}, home,
                         targets=["light.kitchen"], heard=[(12, 21), (29, 32)])
    # Words for a kind of device name no one device.
    with pytest.raises(ValueError, match="not found"):
        project_fallback("turn on all lights", "HassTurnOn", {"name": "Kitchen Light"}, home,
                         targets=["light.kitchen"], heard=[(8, 18)])
    # Another device's name is never learned as this one's.
    example = project_fallback("turn on the bedroom lamp", "HassTurnOn", {"name": "Kitchen Light"}, home,
                               targets=["light.kitchen"], heard=[(12, 24)])
    assert learned_aliases([example], home).entities == {}


def test_a_name_taught_once_is_rehearsed_in_other_sentences(home: Home) -> None:
    # Replay sentences that said the bedroom by its registry name are copied with the family's name.
    replay = [
        {"text": "set the Bedroom temperature to 20", "source": "template",
         "spans": [{"start": 0, "end": 7, "label": "intent:HassClimateSetTemperature"},
                   {"start": 8, "end": 15, "label": "area"},
                   {"start": 16, "end": 30, "label": "intent:HassClimateSetTemperature"},
                   {"start": 31, "end": 33, "label": "temperature"}],
         "commands": [{"intent": "HassClimateSetTemperature", "slots": {"area": ["Bedroom"], "temperature": ["20"]},
                       "context": {}}]},
        {"text": "turn on the kitchen light", "source": "template",
         "spans": [{"start": 0, "end": 11, "label": "intent:HassTurnOn"}, {"start": 12, "end": 25, "label": "name"}],
         "commands": [{"intent": "HassTurnOn", "slots": {"name": ["kitchen light"]}, "context": {}}]},
    ]
    [copy] = rehearse_names(replay, home, LearnedAliases(areas={"bedroom": ("play room",)}), seed=1)
    assert copy["text"] == "set the play room temperature to 20" and copy["source"] == "rehearsal"
    assert _said(copy) == [("set the", "intent:HassClimateSetTemperature"), ("play room", "area"),
                           ("temperature to", "intent:HassClimateSetTemperature"), ("20", "temperature")]
    assert copy["commands"][0]["slots"] == {"area": ["play room"], "temperature": ["20"]}
    assert replay[0]["text"] == "set the Bedroom temperature to 20"  # the replay sentence itself stays


def test_learned_names_accumulate_over_rounds(home: Home) -> None:
    first = LearnedAliases(entities={"light.kitchen": ("big light",)})
    example = project_fallback("turn on the cooker light", "HassTurnOn", {"name": "Kitchen Light"}, home,
                               targets=["light.kitchen"], heard=[(12, 24)])
    assert learned_aliases([example], home, first).entities == {"light.kitchen": ("big light", "cooker light")}


def _model(folder: Path) -> Path:
    return make_tiny_bert(folder, ["O", "INTENT:HassTurnOn", "B-name", "I-name"], ["turn", "on"])


def test_aliases_travel_with_the_model_folder(tmp_path: Path) -> None:
    model = _model(tmp_path / "model")
    assert not load_model_folder(model).learned_aliases
    write_learned_aliases(model, LearnedAliases(entities={"light.kitchen": ("big light",)}, areas={"bedroom": ("loft",)}))
    loaded = load_model_folder(model).learned_aliases
    assert loaded.entities == {"light.kitchen": ("big light",)} and loaded.areas == {"bedroom": ("loft",)}
    assert read_learned_aliases(model) == loaded
    (model / "aliases.json").write_text(json.dumps({"version": 1, "entities": {"light.kitchen": "big light"}}))
    with pytest.raises(ModelFolderError, match=r"aliases\.json"):
        load_model_folder(model)


async def test_the_resolver_reads_learned_names_and_the_registry_is_untouched(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    await async_build_home(hass, load_home(SMALL_HOME))
    lists = await hass.async_add_executor_job(load_value_lists, "en")
    said = command("HassTurnOn", "turn on the big light", name="big light")
    with pytest.raises(Unresolved):
        TargetResolver(hass, lists).resolve(said, None)
    learned = LearnedAliases(entities={"light.kitchen": ("big light",)}, areas={"living_room": ("den",)})
    resolver = TargetResolver(hass, lists, async_build_names(hass, learned))
    [call] = resolver.resolve(said, None)
    assert call.slots["name"]["value"] == "light.kitchen"
    [call] = resolver.resolve(command("HassTurnOff", "lights off in the den", area="den"), None)
    assert call.slots["area"] == {"value": "living_room"}
    entry = er.async_get(hass).async_get("light.kitchen")
    assert entry is None or "big light" not in entry.aliases


def _words(text: str, labels: list[str]) -> list[dict[str, object]]:
    words, at = [], 0
    for word, label in zip(text.split(), labels, strict=True):
        start = text.index(word, at)
        at = start + len(word)
        words.append({"text": word, "start": start, "end": at, "label": label, "confidence": 0.9})
    return words


def test_a_device_the_model_read_as_no_slot_is_aligned_with_the_device_acted_on(home: Home) -> None:
    # "nook" read as a carrier word after "the", and the fallback turned on the bedroom lamp only.
    text = "switch the nook on"
    words = _words(text, ["INTENT:HassTurnOn"] * 4)
    assert unread_names(words) == [(11, 15)]
    example = project_fallback(text, "HassTurnOn", {"name": "Bedroom Lamp"}, home,
                               targets=["light.bedroom_lamp"], heard=heard_names(words), unread=unread_places(words),
                               unread_name=unread_names(words))
    assert ("nook", "name") in _said(example)
    assert learned_aliases([example], home).entities == {"light.bedroom_lamp": ("nook",)}
    # Words after the unread ones that are not "on", "off", "please"...: no span is guessed; nor
    # for words said as a place.
    assert unread_names(_words("switch the nook on for a bit", ["INTENT:HassTurnOn"] * 7)) == []
    assert unread_names(_words("switch it on in the snug", ["INTENT:HassTurnOn"] * 6)) == []
    # A device word the model read as one is no nickname's place either.
    assert unread_names(_words("turn on the light", ["INTENT:HassTurnOn"] * 3 + ["B-domain"])) == []

