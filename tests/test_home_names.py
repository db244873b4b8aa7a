"""Commands -> this home's names (the HA-free rules both the integration and the suite scorer apply)."""

from __future__ import annotations

from home_brain_nlu.home_names import Device, HomeNames, normalize

from .said import command

HOME = HomeNames.build(
    [
        Device("Curtain Left", "cover.curtain_left", "cover", "curtain"),
        Device("Bedroom Lamp", "light.bedroom_lamp", "light"),
        Device("Outside", "sensor.outside", "sensor", "temperature"),
        Device("Outside rain sensor", "sensor.rain_amount", "sensor", "precipitation"),
        Device("Outside rain sensor", "sensor.rain_rate", "sensor", "precipitation_intensity"),
        Device("Phone", "binary_sensor.phone_battery", "binary_sensor", "battery"),
        Device("Mains", "binary_sensor.mains", "binary_sensor", "power"),
        Device("Furnace", "sensor.furnace", "sensor", "temperature"),
        Device("Thermostat", "climate.hall", "climate"),
        Device("Kitchen Light", "light.kitchen", "light"),
        Device("Stealth Mode", "script.stealth_mode", "script"),
        Device("Rover", "vacuum.rover", "vacuum"),
        Device("Play Corner", "light.play_corner", "light"),
        Device("Front Door", "lock.front_door", "lock"),
        Device("Gas", "binary_sensor.gas", "binary_sensor", "gas"),
        Device("Party Mode", "scene.party_mode", "scene"),
        Device("Main Valve", "valve.main", "valve"),
        Device("Overhead Light", "light.overhead", "light"),
    ],
    ["Bedroom", "Kitchen", "Living Room"],
)


def read(intent: str, text: str, **slots: str | list[str]) -> tuple[str, dict[str, list[str]]]:
    applied = HOME.apply(command(intent, text, **slots), text)
    return applied.intent, applied.slot_texts()


def test_normalize_drops_case_punctuation_and_a_leading_article() -> None:
    assert normalize("The Bedroom-Lamp!") == "bedroom lamp"
    assert normalize("my phone") == normalize("our phone") == "phone"


def test_a_full_name_said_takes_every_slot_inside_it() -> None:
    text = "is the curtain left closed?"
    assert read("HassGetState", text, device_class="curtain", state=["left", "closed"]) == (
        "HassGetState", {"state": ["closed"], "name": ["curtain left"]})
    # Two name spans, one of them a device's own name, inside a longer name said.
    text = "what is the rainfall indicated by Outside rain sensor?"
    assert read("HassGetState", text, name=["Outside", "rain sensor"]) == (
        "HassGetState", {"name": ["outside rain sensor"]})
    # A name the model read whole stays as it is.
    assert read("HassGetState", "what is the outside temperature", name="outside") == (
        "HassGetState", {"name": ["outside"]})


def test_area_and_device_word_and_the_converse() -> None:
    assert read("HassTurnOff", "turn off the bedroom lamp", area="bedroom", domain="lamp") == (
        "HassTurnOff", {"name": ["bedroom lamp"]})
    # "Kitchen Light" is a device: left alone; "living room lights" is no device: its lights.
    assert read("HassTurnOff", "kitchen light off", name="kitchen light") == (
        "HassTurnOff", {"name": ["kitchen light"]})
    assert read("HassTurnOff", "living room lights off", name="living room lights") == (
        "HassTurnOff", {"area": ["living room"], "domain": ["lights"]})


def test_a_name_followed_by_its_class_word() -> None:
    assert read("HassGetState", "is the phone battery low?", name="phone battery", state="low") == (
        "HassGetState", {"state": ["low"], "name": ["phone"], "device_class": ["battery"]})
    assert read("HassGetState", "is the mains power detected?", name="mains power", state="detected") == (
        "HassGetState", {"state": ["detected"], "name": ["mains"], "device_class": ["power"]})
    # Only a class the device has: "phone charger" is not the battery sensor.
    assert read("HassGetState", "is the phone charger on?", name="phone charger", state="on") == (
        "HassGetState", {"name": ["phone charger"], "state": ["on"]})


def test_a_name_followed_by_its_domain_word() -> None:
    assert read("HassTurnOn", "turn stealth mode script on", name="stealth mode script") == (
        "HassTurnOn", {"name": ["stealth mode"], "domain": ["script"]})


def test_an_area_read_as_a_name_is_the_area() -> None:
    assert read("HassTurnOff", "turn off the kitchen lights", name="kitchen", domain="lights") == (
        "HassTurnOff", {"domain": ["lights"], "area": ["kitchen"]})
    # A device called like its room keeps its name.
    home = HomeNames.build([Device("Kitchen", "light.kitchen", "light")], ["Kitchen"])
    text = "turn off the kitchen"
    assert home.apply(command("HassTurnOff", text, name="kitchen"), text).slot_texts() == {"name": ["kitchen"]}


def test_the_named_device_decides_between_vacuum_and_mower_intents() -> None:
    assert read("HassLawnMowerDock", "return rover to base", name="rover")[0] == "HassVacuumReturnToBase"
    assert read("HassVacuumReturnToBase", "return rover to base", name="rover")[0] == "HassVacuumReturnToBase"
    assert read("HassLawnMowerStartMowing", "start rover", name="rover")[0] == "HassVacuumStart"


def test_a_thermostat_question_about_a_sensor_asks_its_state() -> None:
    assert read("HassClimateGetTemperature", "what is the furnace temperature?", name="furnace") == (
        "HassGetState", {"name": ["furnace"]})
    assert read("HassClimateGetTemperature", "what is the thermostat temperature?", name="thermostat")[0] == (
        "HassClimateGetTemperature")
    # An unknown name is for the resolver to report, not a reason to change the question.
    assert read("HassClimateGetTemperature", "what is the attic temperature?", name="attic")[0] == (
        "HassClimateGetTemperature")


def test_the_whole_home_and_a_device_word_is_every_such_device() -> None:
    assert read("HassTurnOn", "turn on the house lights everywhere", name="house lights") == (
        "HassTurnOn", {"domain": ["lights"]})
    assert read("HassTurnOn", "turn on my house lights", name="house", domain="lights") == (
        "HassTurnOn", {"domain": ["lights"]})


def test_start_and_status_of_devices_that_are_no_vacuum_or_timer() -> None:
    assert read("HassVacuumStart", "start stealth mode script", name="stealth mode script") == (
        "HassTurnOn", {"name": ["stealth mode"], "domain": ["script"]})
    assert read("HassTimerStatus", "tell me the status of front door", name="front door")[0] == "HassGetState"
    # A timer named like a device is still a timer when the sentence says so.
    timer = command("HassTimerStatus", "status of the front door timer", "status of the timer", name="front door")
    assert HOME.apply(timer, "status of the front door timer").intent == "HassTimerStatus"


def test_a_name_read_as_a_class_word_is_the_device() -> None:
    assert read("HassGetState", "is the phone connected?", device_class="phone", state="connected") == (
        "HassGetState", {"state": ["connected"], "name": ["phone"]})
    # A real class word stays a class, even when a device has that name too ...
    any_gas = command("HassGetState", "are any gas sensors on?", "are any sensors", device_class="gas", state="on")
    assert HOME.apply(any_gas, "are any gas sensors on?").slot_texts() == {"device_class": ["gas"], "state": ["on"]}
    # ... unless the question is about the one thing: "is gas detected?" with a sensor "Gas".
    gas = command("HassGetState", "is gas detected?", "is", device_class="gas", state="detected")
    assert HOME.apply(gas, "is gas detected?").slot_texts() == (
        {"device_class": ["gas"], "state": ["detected"], "name": ["gas"]})


def test_a_place_and_its_doors_after_lock_are_its_locks() -> None:
    applied = HOME.apply(command("HassTurnOn", "lock kitchen door", "lock", name="kitchen door"), "lock kitchen door")
    assert applied.slot_texts() == {"area": ["kitchen"]}
    # Without the verb "kitchen door" stays a name for the resolver to find or report.
    assert read("HassTurnOn", "open kitchen door", name="kitchen door")[1] == {"name": ["kitchen door"]}


def test_a_name_started_inside_a_device_name_and_ending_in_its_device_word() -> None:
    assert read("HassTurnOn", "turn on play corner lights", name="corner lights") == (
        "HassTurnOn", {"name": ["play corner"], "domain": ["lights"]})
    assert read("HassTurnOn", "turn on play corner lights", area="play", name="corner lights") == (
        "HassTurnOn", {"name": ["play corner"], "domain": ["lights"]})
    # The word must fit the device: "corner fans" is no reading of the light "Play Corner".
    assert read("HassTurnOn", "turn on play corner fans", name="corner fans")[1] == {"name": ["corner fans"]}


def test_a_fan_mode_that_is_a_scene_turns_the_scene_on() -> None:
    assert read("HassClimateSetFanMode", "change to party mode", name="party mode")[0] == "HassTurnOn"


def test_a_percentage_goes_to_what_the_named_device_takes() -> None:
    assert read("HassLightSet", "set main valve to 100", name="main valve", position="100") == (
        "HassSetPosition", {"name": ["main valve"], "position": ["100"]})
    assert read("HassSetPosition", "set overhead light to 100%", name="overhead light", position="100") == (
        "HassLightSet", {"name": ["overhead light"], "brightness": ["100"]})
    assert read("HassLightSet", "set overhead light to 100%", name="overhead light", position="100") == (
        "HassLightSet", {"name": ["overhead light"], "brightness": ["100"]})


def test_mentions_finds_whole_names_overlapping_or_not() -> None:
    home = HomeNames.build([Device("Kitchen Light", "light.k", "light"), Device("Kitchen Light Strip", "light.s", "light"),
                            Device("Lamp", "light.l", "light"), Device("Trader Joe's", "todo.tj", "todo")], [])
    found = {(s, e, d.ident) for s, e, d in home.mentions("turn on the KITCHEN light strip, the lamps and trader joe's")}
    assert found == {(12, 25, "light.k"), (12, 31, "light.s"), (47, 59, "todo.tj")}  # not "lamp" in "lamps"
