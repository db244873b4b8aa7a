"""Each home-names rule (nlu/home_names.py) in a home that is not the suite's: the rules are
about how people name things, not about the suite's fixture names (Play Corner, Rover, Gas...).
Each test's comment is the rule's one-line general argument."""

from __future__ import annotations

from home_brain_nlu.home_names import Device, HomeNames

from .said import command

HOME = HomeNames.build(
    [
        Device("Reading Nook", "light.reading_nook", "light"),
        Device("Workshop Switch", "switch.workshop_switch", "switch"),
        Device("Night Routine", "script.night_routine", "script"),
        Device("Movie Night", "scene.movie_night", "scene"),
        Device("Bolt", "lawn_mower.bolt", "lawn_mower"),
        Device("Dusty", "vacuum.dusty", "vacuum"),
        Device("Smoke", "binary_sensor.smoke", "binary_sensor", "smoke"),
        Device("Cellar", "sensor.cellar", "sensor", "temperature"),
        Device("Tablet", "binary_sensor.tablet_battery", "binary_sensor", "battery"),
        Device("Left Blind", "cover.left_blind", "cover", "blind"),
        Device("Patio Door", "lock.patio_door", "lock"),
    ],
    ["Den", "Workshop", "Study", "Nursery"],
)


def read(intent: str, text: str, carrier: str = "", **slots: str | list[str]) -> tuple[str, dict[str, list[str]]]:
    applied = HOME.apply(command(intent, text, carrier, **slots), text)
    return applied.intent, applied.slot_texts()


def test_a_full_name_said_beats_a_place_reading() -> None:
    # Whoever says a device's whole name means that device, whatever the model split it into.
    assert read("HassTurnOff", "workshop switch off", "switch off", area="workshop") == (
        "HassTurnOff", {"name": ["workshop switch"]})
    assert read("HassGetState", "is the left blind open?", device_class="blind", state=["left", "open"]) == (
        "HassGetState", {"state": ["open"], "name": ["left blind"]})


def test_a_name_run_into_its_device_word() -> None:
    # A name followed by a word for its own kind of device is the device and that word its domain.
    assert read("HassTurnOn", "turn on reading nook lights", name="nook lights") == (
        "HassTurnOn", {"name": ["reading nook"], "domain": ["lights"]})
    assert read("HassTurnOn", "turn on reading nook fans", name="nook fans")[1] == {"name": ["nook fans"]}


def test_a_name_and_its_class_or_domain_word() -> None:
    # People say a device's kind after its name ("the tablet battery", "the night routine script").
    assert read("HassGetState", "is the tablet battery low?", name="tablet battery", state="low") == (
        "HassGetState", {"state": ["low"], "name": ["tablet"], "device_class": ["battery"]})
    assert read("HassTurnOn", "run the night routine script", name="night routine script") == (
        "HassTurnOn", {"name": ["night routine"], "domain": ["script"]})


def test_the_named_device_decides_the_intent() -> None:
    # An intent for another kind of device than the one named is the same request of that device.
    assert read("HassVacuumStart", "start bolt", name="bolt")[0] == "HassLawnMowerStartMowing"
    assert read("HassLawnMowerDock", "send dusty home", name="dusty")[0] == "HassVacuumReturnToBase"
    assert read("HassClimateSetFanMode", "change to movie night", name="movie night")[0] == "HassTurnOn"
    assert read("HassClimateGetTemperature", "what is the cellar temperature?", name="cellar") == (
        "HassGetState", {"name": ["cellar"]})


def test_a_device_called_like_its_class() -> None:
    # "is smoke detected?" in a home whose smoke sensor is called "Smoke" asks about that sensor ...
    smoke = command("HassGetState", "is smoke detected?", "is", device_class="smoke", state="detected")
    assert HOME.apply(smoke, "is smoke detected?").slot_texts()["name"] == ["smoke"]
    # ... while "is there any smoke?" still asks about every smoke sensor.
    any_smoke = command("HassGetState", "is there any smoke?", "is there any", device_class="smoke")
    assert "name" not in HOME.apply(any_smoke, "is there any smoke?").slot_texts()


def test_a_place_and_door_after_lock_are_its_locks() -> None:
    # With a verb that only locks, "<room> door" is that room's locks, unless a device has that name.
    assert read("HassTurnOn", "lock den door", "lock", name="den door")[1] == {"area": ["den"]}
    assert read("HassTurnOn", "lock patio door", "lock", name="patio door")[1] == {"name": ["patio door"]}


def test_an_area_read_as_a_name_and_a_place_in_a_name() -> None:
    # A "name" no device has but a room has is the room; "<room> <device word>" is its devices.
    assert read("HassTurnOff", "turn off the study lights", name="study", domain="lights") == (
        "HassTurnOff", {"domain": ["lights"], "area": ["study"]})
    assert read("HassTurnOff", "nursery lights off", name="nursery lights") == (
        "HassTurnOff", {"area": ["nursery"], "domain": ["lights"]})
