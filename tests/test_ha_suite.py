"""Scoring a model on Home Assistant's intents test suite (a benchmark, never training data)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from home_brain_nlu.commands import Command, SlotValue
from home_brain_nlu.labels import build_labels
from home_brain_nlu.sensor_words import class_of_state
from training.__main__ import main
from training.ha_suite import evaluate_suite, problems, score_commands
from training.suite_reader import DEFAULT_SUITE, Suite, SuiteCase, load_suite

from .tiny_bert import make_tiny_bert

pytestmark = pytest.mark.skipif(not DEFAULT_SUITE.is_dir(), reason="HA intents test suite not present")


@pytest.fixture(scope="module")
def suite() -> Suite:
    return load_suite()


def command(intent: str, **slots: str | list[str]) -> Command:
    """A decoded command as ``commands_from_tags`` would give it (positions do not matter here)."""
    values = {
        name: [SlotValue(t, 0, len(t), 1.0) for t in ([texts] if isinstance(texts, str) else texts)]
        for name, texts in slots.items()
    }
    return Command(intent, values)


def case(sentence: str, intent: str, slots: dict[str, Any], context: dict[str, Any] | None = None) -> SuiteCase:
    return SuiteCase("hand-made.yaml", sentence, intent, slots, context or {})


def test_loads_the_real_suite(suite: Suite) -> None:
    counts = suite.counts()
    assert len(suite.cases) > 1000 and not suite.warnings
    for intent in ("HassTurnOn", "HassTurnOff", "HassGetState", "HassLightSet", "HassStartTimer",
                   "HassNevermind", "HassTimerStatus", "HassMediaSearchAndPlay"):
        assert counts[intent] > 0, intent
    assert all(n > 0 for n in counts.values())
    entities = {e.entity_id: e for e in suite.home.entities}
    assert entities["light.bedroom_lamp"].name == "Bedroom Lamp"
    assert entities["light.bedroom_lamp"].area == "bedroom_id"
    assert entities["cover.curtain_left"].device_class == "curtain"
    assert "sensor.traveling_speed" in entities  # "sensor.traveling speed" made a valid id
    assert "Trader Joes" in entities["todo.trader_joes"].names  # "Trader Joe[']s"
    assert "light.overhead_light" in entities  # from HassTurnOn/name_only.yaml
    assert {a.id for a in suite.home.areas} >= {"living_room_id", "kitchen_id", "guest_room_id"}
    assert suite.home.area("kitchen_id").floor == "first_floor_id"
    assert {f.name for f in suite.home.floors} >= {"Upstairs", "First Floor"}
    # Sub-folder files take the intent from the folder and put slots on the test.
    nevermind = [c for c in suite.cases if c.file.startswith("HassNevermind/")]
    assert nevermind and all(c.intent == "HassNevermind" for c in nevermind)
    [overhead_on] = [c for c in suite.cases if c.sentence == "turn on Overhead Light"]
    assert (overhead_on.intent, overhead_on.slots) == ("HassTurnOn", {"name": "Overhead Light"})
    [curtains] = [c for c in suite.cases if c.sentence == "open the curtains in here"]
    assert curtains.context == {"area": "Living Room"}


def test_malformed_files_are_skipped_and_counted(tmp_path: Path) -> None:
    (tmp_path / "_fixtures.yaml").write_text(
        "areas: [{name: Kitchen, id: kitchen_id}]\nentities: [{name: Kitchen Light, id: light.kitchen, area: kitchen_id}]\n"
    )
    (tmp_path / "light_HassTurnOn.yaml").write_text(
        "tests:\n"
        "  - sentences: [turn on the kitchen light]\n    intent: {name: HassTurnOn, slots: {name: Kitchen Light}}\n"
        "  - sentences: not a list\n    intent: {name: HassTurnOn}\n"
        "  - just a string\n"
    )
    (tmp_path / "broken.yaml").write_text("tests: [unclosed\n")
    (tmp_path / "no_tests.yaml").write_text("language: en\n")
    loaded = load_suite(tmp_path)
    assert [c.sentence for c in loaded.cases] == ["turn on the kitchen light"]
    assert len(loaded.warnings) == 4
    assert [e.entity_id for e in loaded.home.entities] == ["light.kitchen"]


def test_right_and_wrong_commands(suite: Suite) -> None:
    home = suite.home
    lamp = case("turn on the bedroom lamp", "HassTurnOn", {"name": "Bedroom Lamp"})
    assert score_commands(lamp, [command("HassTurnOn", name="Bedroom Lamp")], home)
    assert score_commands(lamp, [command("HassTurnOn", name="bedroom lamp")], home)
    assert not score_commands(lamp, [command("HassTurnOff", name="bedroom lamp")], home)  # intent
    assert not score_commands(lamp, [command("HassTurnOn", name="kitchen ceiling")], home)  # name
    assert not score_commands(lamp, [command("HassTurnOn", name=["bedroom", "lamp"])], home)
    assert not score_commands(lamp, [], home)
    two = [command("HassTurnOn", name="bedroom lamp"), command("HassTurnOn", name="garage light")]
    assert not score_commands(lamp, two, home)  # one command expected
    assert problems(lamp, [command("HassTurnOff", name="bedroom lamp")], home) == [
        "intent HassTurnOff, expected HassTurnOn"
    ]
    # Punctuation and template syntax in names: "Trader Joe[']s" is said "trader joes".
    todo = case("add apples to my trader joes list", "HassListAddItem", {"item": "apples", "name": "Trader Joes"})
    assert score_commands(todo, [command("HassListAddItem", item="apples", name="trader joe's")], home)
    # Names and free text compare as the integration compares them: a leading article or
    # "my" aside ("My Phone" is "phone"; searching "the Queen" finds Queen).
    phone = case("how much battery does my phone have?", "HassGetState",
                 {"domain": "sensor", "device_class": "battery", "name": "My Phone"})
    assert score_commands(phone, [command("HassGetState", name="phone")], home)
    queen = case("play the Queen album", "HassMediaSearchAndPlay", {"search_query": "Queen", "media_class": "album"})
    assert score_commands(queen, [command("HassMediaSearchAndPlay", search_query="the queen", media_class="album")],
                          home)
    assert not score_commands(queen, [command("HassMediaSearchAndPlay", search_query="queen of the night",
                                              media_class="album")], home)


def test_a_state_word_only_one_class_uses_names_the_class(suite: Suite) -> None:
    running = case("which devices are running?", "HassGetState",
                   {"domain": "binary_sensor", "device_class": "running", "state": "on"})
    assert score_commands(running, [command("HassGetState", state="running")], suite.home)
    # The class is said ("running"), so without the state word standing for it, it is missing.
    assert not score_commands(running, [command("HassGetState", state="on")], suite.home)
    # "home" is also a person's zone and "detected" a state of many classes: no class.
    assert class_of_state("running") == "running" and class_of_state("Offline") == "connectivity"
    assert class_of_state("occupied") == "occupancy" and class_of_state("wet") == "moisture"
    assert class_of_state("home") is None and class_of_state("detected") is None


def test_numbers_said_in_words(suite: Suite) -> None:
    home = suite.home
    bright = case("set the bedroom lamp to fifty percent", "HassLightSet", {"name": "Bedroom Lamp", "brightness": 50})
    assert score_commands(bright, [command("HassLightSet", name="bedroom lamp", brightness="fifty percent")], home)
    assert score_commands(bright, [command("HassLightSet", name="bedroom lamp", brightness="50%")], home)
    assert not score_commands(bright, [command("HassLightSet", name="bedroom lamp", brightness="forty")], home)
    top = case("set the bedroom to max brightness", "HassLightSet", {"area": "Bedroom", "brightness": 100})
    assert score_commands(top, [command("HassLightSet", area="bedroom", brightness="max")], home)
    temp = case("set temperature to twenty point five degrees", "HassClimateSetTemperature", {"temperature": 20.5})
    assert score_commands(temp, [command("HassClimateSetTemperature", temperature="twenty point five")], home)
    timer = case("set a timer for 5 and a half minutes", "HassStartTimer", {"minutes": 5, "seconds": 30},
                 {"area": "Living Room"})
    assert score_commands(timer, [command("HassStartTimer", minutes="5", seconds="half")], home)
    assert not score_commands(timer, [command("HassStartTimer", minutes="5")], home)


def test_plural_and_device_class_words(suite: Suite) -> None:
    home = suite.home
    blinds = case("open kitchen blinds", "HassTurnOn", {"area": "Kitchen", "domain": "cover", "device_class": "blind"})
    assert score_commands(blinds, [command("HassTurnOn", area="kitchen", device_class="blinds")], home)
    assert score_commands(blinds, [command("HassTurnOn", area="kitchen", domain="blinds")], home)
    assert not score_commands(blinds, [command("HassTurnOn", area="kitchen", device_class="curtains")], home)
    assert not score_commands(blinds, [command("HassTurnOn", device_class="blinds")], home)  # area missing
    garage = case("open the garage door", "HassTurnOn", {"domain": "cover", "device_class": "garage"})
    assert score_commands(garage, [command("HassTurnOn", device_class="garage door")], home)
    lights = case("turn off the lights in the kitchen", "HassTurnOff", {"area": "Kitchen", "domain": "light"})
    assert score_commands(lights, [command("HassTurnOff", area="kitchen", domain="lights")], home)
    assert score_commands(lights, [command("HassTurnOff", area="Kitchen", domain="lamps")], home)
    assert not score_commands(lights, [command("HassTurnOff", area="kitchen")], home)  # "lights" said
    assert not score_commands(lights, [command("HassTurnOff", area="kitchen", domain="fans")], home)
    batteries = case("which batteries are low?", "HassGetState",
                     {"domain": "binary_sensor", "device_class": "battery", "state": "on"})
    # "low" is a word for state on (extra_templates' lists), so leaving it out fails.
    assert not score_commands(batteries, [command("HassGetState", device_class="batteries")], home)
    assert not score_commands(batteries, [command("HassGetState")], home)  # no target at all
    # Class state words come from the lists of training/extra_templates.py: "low" is on.
    assert score_commands(batteries, [command("HassGetState", device_class="batteries", state="low")], home)
    assert not score_commands(batteries, [command("HassGetState", device_class="batteries", state="normal")], home)
    co = case("are any carbon monoxide sensors on?", "HassGetState",
              {"domain": "binary_sensor", "device_class": "carbon_monoxide", "state": "on"})
    assert score_commands(co, [command("HassGetState", device_class="carbon monoxide", state="on")], home)
    cold = case("which things are cold?", "HassGetState",
                {"domain": "binary_sensor", "device_class": "cold", "state": "on"})
    assert score_commands(cold, [command("HassGetState", device_class="cold")], home)


def test_context_area_and_fixed_slots(suite: Suite) -> None:
    home = suite.home
    here = case("open the curtains in here", "HassTurnOn",
                {"domain": "cover", "area": "Living Room", "device_class": "curtain"}, {"area": "Living Room"})
    assert score_commands(here, [command("HassTurnOn", device_class="curtains")], home)
    assert score_commands(here, [command("HassTurnOn", device_class="curtains", area="living room")], home)
    assert not score_commands(here, [command("HassTurnOn", device_class="curtains", area="kitchen")], home)
    # A fixed slot nobody says ("switch on" is a verb, not switches) is not required ...
    switch_on = case("switch on the kitchen", "HassTurnOn", {"domain": "light", "area": "Kitchen"})
    assert score_commands(switch_on, [command("HassTurnOn", area="kitchen")], home)
    # ... a verb that names the domain says it ("light up" alone is a whole command) ...
    light_up = case("light up", "HassTurnOn", {"domain": "light"})
    assert score_commands(light_up, [Command("HassTurnOn", {}, carrier="light up")], home)
    assert not score_commands(light_up, [Command("HassTurnOn", {}, carrier="turn on")], home)
    doors = case("lock the kitchen doors", "HassTurnOn", {"domain": "lock", "area": "Kitchen"})
    assert score_commands(doors, [Command("HassTurnOn", command("HassTurnOn", area="kitchen").slots,
                                          carrier="lock the doors")], home)
    assert not score_commands(doors, [command("HassTurnOn", area="kitchen", device_class="doors")], home)
    # ... and neither is HA's fixed ``name: all``.
    fans = case("turn on the kitchen fans", "HassTurnOn", {"area": "Kitchen", "domain": "fan", "name": "all"})
    assert score_commands(fans, [command("HassTurnOn", area="kitchen", domain="fans")], home)
    # A domain the named entity implies need not be tagged.
    locked = case("is the front door locked?", "HassGetState", {"domain": "lock", "name": "Front Door", "state": "locked"})
    assert score_commands(locked, [command("HassGetState", name="front door", state="locked")], home)
    assert not score_commands(locked, [command("HassGetState", name="front door", state="unlocked")], home)


def test_extra_slots_only_fail_when_they_change_the_meaning(suite: Suite) -> None:
    home = suite.home
    corner = case("turn on play corner lights", "HassTurnOn", {"name": "Play Corner"})
    assert score_commands(corner, [command("HassTurnOn", name="play corner", domain="lights")], home)
    assert score_commands(corner, [command("HassTurnOn", name="play corner", area="living room")], home)
    assert not score_commands(corner, [command("HassTurnOn", name="play corner", area="kitchen")], home)
    assert not score_commands(corner, [command("HassTurnOn", name="play corner", domain="fans")], home)
    assert not score_commands(corner, [command("HassTurnOn", name="play corner", brightness="50")], home)
    # A state that is what the intent does restates it; the opposite one does not.
    here = case("all lights on in here", "HassTurnOn", {"domain": "light", "area": "Living Room"},
                {"area": "Living Room"})
    assert score_commands(here, [command("HassTurnOn", domain="lights", state="on")], home)
    assert not score_commands(here, [command("HassTurnOn", domain="lights", state="off")], home)
    red = case("make the lights red", "HassLightSet", {"color": "red", "area": "Bedroom"}, {"area": "Bedroom"})
    assert score_commands(red, [command("HassLightSet", color="red", domain="lights")], home)
    assert not score_commands(red, [command("HassLightSet", color="red", name="bedroom lamp")], home)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory, suite: Suite) -> tuple[Path, Suite]:
    # Every 25th case: a slice across files and intents (~45 sentences).
    cases = suite.cases[::25]
    words = {w.strip("?,.!").lower() for c in cases for w in c.sentence.split()}
    labels = build_labels(sorted({c.intent for c in cases}))
    folder = make_tiny_bert(tmp_path_factory.mktemp("ha_suite") / "model", labels, words, with_head=True)
    return folder, suite.subset(cases)


def test_evaluate_suite_gives_well_formed_metrics(tiny_model: tuple[Path, Suite]) -> None:
    folder, part = tiny_model
    metrics = evaluate_suite(folder, part, batch_size=16)
    assert metrics["sentences"] == len(part.cases)
    assert 0.0 <= metrics["exact_match"] <= metrics["intent_accuracy"] <= 1.0
    rows = metrics["per_intent"]
    assert set(rows) == {c.intent for c in part.cases}
    assert sum(row["sentences"] for row in rows.values()) == len(part.cases)
    assert all(0.0 <= row["exact_match"] <= 1.0 and row["model_knows_intent"] for row in rows.values())
    assert metrics["known_intents"]["sentences"] == len(part.cases)
    assert 0.0 <= metrics["exact_match_model_alone"] <= 1.0
    exact = round(metrics["exact_match"] * len(part.cases))
    assert len(metrics["failures"]) == len(part.cases) - exact
    for failure in metrics["failures"]:
        assert set(failure) == {"file", "sentence", "expected", "got", "why"} and failure["why"]
    json.dumps(metrics)


def test_cli_prints_the_suite_score(tiny_model: tuple[Path, Suite], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = tiny_model
    small = tmp_path / "suite"
    small.mkdir()
    shutil.copy(DEFAULT_SUITE / "_fixtures.yaml", small)
    shutil.copy(DEFAULT_SUITE / "fan_HassTurnOn.yaml", small)
    out = tmp_path / "metrics.json"
    assert main(["evaluate", "--model", str(folder), "--suite", str(small), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("HA suite: ") and "% exact, " in printed and "HassTurnOn" in printed
    written = json.loads(out.read_text())
    assert written["sentences"] == len(load_suite(small).cases) > 0
    assert {"exact_match", "intent_accuracy", "per_intent", "failures"} <= set(written)
