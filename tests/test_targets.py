"""Commands -> targets against real registries: exposure, fuzzy names, areas, ambiguity."""

from __future__ import annotations

import pytest

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from custom_components.home_brain.targets import TargetResolver, Unresolved, load_value_lists
from home_brain_nlu.commands import Command
from training.home import load_home

from .conftest import SMALL_HOME
from .said import command
from .simulated_home import async_build_home


@pytest.fixture
async def resolver(hass: HomeAssistant) -> TargetResolver:
    assert await async_setup_component(hass, "homeassistant", {})
    await async_build_home(hass, load_home(SMALL_HOME), hidden={"light.garage": "Garage Light"})
    hass.states.async_set("light.kitchen_2", "off", {"friendly_name": "Kitchen Light Two"})
    return TargetResolver(hass, await hass.async_add_executor_job(load_value_lists, "en"))


async def test_exact_and_fuzzy_names(resolver: TargetResolver) -> None:
    [call] = resolver.resolve(command("HassTurnOn", "turn on the bedroom lamp", name="bedroom lamp"), None)
    assert call.slots["name"] == {"value": "light.bedroom_lamp", "text": "bedroom lamp"}
    [call] = resolver.resolve(command("HassTurnOn", "turn on the coffee makers", name="coffee makers"), None)
    assert call.slots["name"]["value"] == "switch.coffee_maker"
    [call] = resolver.resolve(command("HassTurnOff", "turn off the kichen light", name="kichen light"), None)
    assert call.slots["name"]["value"] == "light.kitchen"
    [call] = resolver.resolve(command("HassTurnOn", "turn on the bedside lamp", name="bedside lamp"), None)
    assert call.slots["name"]["value"] == "light.bedroom_lamp"  # an alias


async def test_entities_not_exposed_are_never_candidates(resolver: TargetResolver) -> None:
    with pytest.raises(Unresolved) as err:
        resolver.resolve(command("HassTurnOn", "turn on the garage light", name="garage light"), None)
    assert err.value.reason == "unknown"


async def test_close_names_are_asked_about_not_guessed(resolver: TargetResolver) -> None:
    hass = resolver.hass
    hass.states.async_set("light.desk_lamp_left", "off", {"friendly_name": "Desk Lamp Left"})
    hass.states.async_set("light.desk_lamp_right", "off", {"friendly_name": "Desk Lamp Right"})
    from homeassistant.components.homeassistant.exposed_entities import async_expose_entity

    for entity_id in ("light.desk_lamp_left", "light.desk_lamp_right"):
        async_expose_entity(hass, "conversation", entity_id, True)
    resolver = TargetResolver(hass, resolver.value_lists)
    with pytest.raises(Unresolved) as err:
        resolver.resolve(command("HassTurnOn", "turn on the desk lamp", name="desk lamp"), None)
    assert err.value.reason == "ambiguous"
    assert err.value.candidates == ["light.desk_lamp_left", "light.desk_lamp_right"]


async def test_intent_restricts_the_domain(resolver: TargetResolver) -> None:
    # "living room" names a light and a TV; brightness only makes sense for the light.
    [call] = resolver.resolve(
        command("HassLightSet", "set living room light to 40%", name="living room light", brightness="40%"), None
    )
    assert call.slots["name"]["value"] == "light.living_room"
    assert call.slots["brightness"]["value"] == 40
    # A name that fits a device of another domain better is not fuzzily moved onto the
    # nearest light: the intent is what is wrong, and the turn must go elsewhere.
    with pytest.raises(Unresolved) as err:
        resolver.resolve(command("HassLightSet", "set living room tv to 40%", name="living room tv", brightness="40%"),
                         None)
    assert err.value.reason == "wrong_domain"


async def test_areas_floors_device_words_and_several_targets(resolver: TargetResolver) -> None:
    text = "turn off the lounge and bedroom lights"
    calls = resolver.resolve(command("HassTurnOff", text, area=["lounge", "bedroom"], domain="lights"), None)
    assert [c.slots["area"]["value"] for c in calls] == ["living_room", "bedroom"]
    assert all(c.slots["domain"] == {"value": ["light"]} for c in calls)
    [call] = resolver.resolve(command("HassTurnOn", "turn on the lights upstairs", floor="upstairs", domain="lights"), None)
    assert call.slots["floor"] == {"value": "first_floor"}
    [call] = resolver.resolve(command("HassTurnOff", "close the bedroom blinds", area="bedroom", device_class="blinds"), None)
    assert call.slots["device_class"] == {"value": ["blind"]}


async def test_area_plus_device_word_that_is_a_device_name_means_the_device(resolver: TargetResolver) -> None:
    [call] = resolver.resolve(command("HassTurnOff", "turn off the kitchen light", area="kitchen", domain="light"), None)
    assert call.slots["name"]["value"] == "light.kitchen"
    assert "area" not in call.slots
    [call] = resolver.resolve(command("HassTurnOff", "turn off the bedroom lamp", area="bedroom", domain="lamp"), None)
    assert call.slots["name"]["value"] == "light.bedroom_lamp"
    assert "domain" not in call.slots


async def test_satellite_area_fills_in_and_no_target_is_refused(resolver: TargetResolver) -> None:
    [call] = resolver.resolve(command("HassTurnOn", "turn on the lights", domain="lights"), "bedroom")
    assert call.slots["area"] == {"value": "bedroom"}
    with pytest.raises(Unresolved) as err:
        resolver.resolve(command("HassTurnOn", "turn on"), None)
    assert err.value.reason == "missing"


async def test_values_are_parsed_or_refused(resolver: TargetResolver) -> None:
    [call] = resolver.resolve(
        command("HassLightSet", "set kitchen light to red", name="kitchen light", color="red"), None
    )
    assert call.slots["color"]["value"] == "red"
    with pytest.raises(Unresolved):
        resolver.resolve(command("HassLightSet", "kitchen light to banana", name="kitchen light", brightness="banana"), None)


async def test_area_and_device_word_read_as_a_name_are_split_back(resolver: TargetResolver) -> None:
    text = "turn on the kitchen and living room lights"
    calls = resolver.resolve(command("HassTurnOn", text, area="kitchen", name="living room lights"), None)
    assert [c.slots["area"]["value"] for c in calls] == ["kitchen", "living_room"]
    assert all(c.slots["domain"] == {"value": ["light"]} and "name" not in c.slots for c in calls)
    # "bedroom lamps": area + device word, as Home Assistant's own templates read it.
    [call] = resolver.resolve(command("HassTurnOn", "turn on the bedroom lamps", name="bedroom lamps"), None)
    assert (call.slots["area"], call.slots["domain"]) == ({"value": "bedroom"}, {"value": ["light"]})
    # A real device's name is left alone.
    [call] = resolver.resolve(command("HassTurnOn", "turn on the living room light", name="living room light"), None)
    assert call.slots["name"]["value"] == "light.living_room"


async def test_binary_sensor_class_and_state_words(resolver: TargetResolver) -> None:
    """Class words of binary sensors resolve to the class, domain binary_sensor and on/off."""
    [call] = resolver.resolve(
        command("HassGetState", "are any batteries low", device_class="batteries", state="low"), None
    )
    assert call.slots["device_class"] == {"value": ["battery"]}
    assert call.slots["domain"] == {"value": ["binary_sensor"]}
    assert call.slots["state"]["value"] == "on"
    [call] = resolver.resolve(
        command("HassGetState", "is there any carbon monoxide in the kitchen",
                device_class="carbon monoxide", area="kitchen"), None
    )
    assert call.slots["device_class"] == {"value": ["carbon_monoxide"]}
    assert "state" not in call.slots
    # "charging" names the class and says the state; "blinds" is still a cover class.
    [call] = resolver.resolve(command("HassGetState", "are any batteries charging", device_class="charging"), None)
    assert call.slots["device_class"] == {"value": ["battery_charging"]}
    assert call.slots["state"]["value"] == "on"
    [call] = resolver.resolve(command("HassGetState", "are any blinds open", device_class="blinds", state="open"), None)
    assert call.slots["domain"] == {"value": ["cover"]}
    with pytest.raises(Unresolved):
        resolver.resolve(command("HassGetState", "are any bananas low", device_class="bananas", state="low"), None)


async def test_a_place_with_no_device_means_its_lights(resolver: TargetResolver) -> None:
    # Switching the TV, thermostat and blinds because a room was named would surprise anyone.
    [call] = resolver.resolve(command("HassTurnOn", "light up the living room", area="living room"), None)
    assert call.slots["domain"]["value"] == ["light"]
    assert "name" not in call.slots


async def test_brightness_words_are_home_assistants_values(resolver: TargetResolver) -> None:
    for said, value in (("max", 100), ("the lowest", 1)):
        [call] = resolver.resolve(
            command("HassLightSet", f"set the bedroom lamp to {said}", name="bedroom lamp", brightness=said), None
        )
        assert call.slots["brightness"]["value"] == value
    with pytest.raises(Unresolved):
        resolver.resolve(command("HassLightSet", "set the bedroom lamp to loud", name="bedroom lamp",
                                 brightness="loud"), None)


async def test_a_full_device_name_said_wins_over_a_split_reading(resolver: TargetResolver) -> None:
    from homeassistant.components.homeassistant.exposed_entities import async_expose_entity

    hass = resolver.hass
    for entity_id, name in (("cover.curtain_left", "Curtain Left"), ("cover.curtain_right", "Curtain Right")):
        hass.states.async_set(entity_id, "open", {"friendly_name": name, "device_class": "curtain"})
        async_expose_entity(hass, "conversation", entity_id, True)
    resolver = TargetResolver(hass, resolver.value_lists)
    text = "close the curtain left"
    # The model read "curtain" as a device class and "left" as part of the verb: every curtain.
    [call] = resolver.resolve(command("HassTurnOff", text, device_class="curtain"), None, text)
    assert call.slots["name"]["value"] == "cover.curtain_left"
    assert "device_class" not in call.slots
    # Without the sentence (or with no device of that full name), the reading stands.
    [call] = resolver.resolve(command("HassTurnOff", "close the curtains", device_class="curtains"), None,
                              "close the curtains")
    assert "name" not in call.slots


async def test_only_switchable_devices_are_turned_on(resolver: TargetResolver) -> None:
    from homeassistant.components.homeassistant.exposed_entities import async_expose_entity

    hass = resolver.hass
    for entity_id in ("cover.sliding_door", "binary_sensor.sliding_door"):
        hass.states.async_set(entity_id, "off", {"friendly_name": "Sliding Door"})
        async_expose_entity(hass, "conversation", entity_id, True)
    resolver = TargetResolver(hass, resolver.value_lists)
    [call] = resolver.resolve(command("HassTurnOn", "open sliding door", name="sliding door"), None)
    assert call.slots["name"]["value"] == "cover.sliding_door"
    # A question may be about either: that one is still asked back.
    with pytest.raises(Unresolved) as err:
        resolver.resolve(command("HassGetState", "is the sliding door open", name="sliding door"), None)
    assert err.value.reason == "ambiguous"


async def test_typos_in_class_state_and_colour_words(resolver: TargetResolver) -> None:
    [call] = resolver.resolve(command("HassGetState", "are any battteries low", device_class="battteries",
                                      state="low"), None)
    assert call.slots["device_class"]["value"] == ["battery"]
    [call] = resolver.resolve(command("HassGetState", "are the blinds closd", device_class="blinds", state="closd"),
                              None)
    assert call.slots["state"]["value"] == "closed"
    [call] = resolver.resolve(command("HassLightSet", "make the bedroom lamp purpel", name="bedroom lamp",
                                      color="purpel"), None)
    assert call.slots["color"]["value"] == "purple"
    # Nothing close: still refused, never guessed.
    with pytest.raises(Unresolved):
        resolver.resolve(command("HassLightSet", "make the bedroom lamp zzq", name="bedroom lamp", color="zzq"), None)


async def test_a_setting_the_intent_does_not_take_is_a_misreading(resolver: TargetResolver) -> None:
    # "50" read as a position in a light command, with no device to say what it is: acting
    # would turn the lights on and set nothing.
    with pytest.raises(Unresolved) as err:
        resolver.resolve(command("HassLightSet", "set the bedroom to 50%", area="bedroom", position="50"), None)
    assert err.value.reason == "not_for_intent"
    # A named lamp takes a percentage as its brightness, whatever the model called it.
    [call] = resolver.resolve(
        command("HassLightSet", "set the bedroom lamp to 50%", name="bedroom lamp", position="50"), None,
        "set the bedroom lamp to 50%")
    assert call.slots["brightness"]["value"] == 50 and "position" not in call.slots


async def test_the_temperature_here_is_the_satellites_room(resolver: TargetResolver) -> None:
    [call] = resolver.resolve(command("HassClimateGetTemperature", "what is the temperature"), "living_room")
    assert call.slots["area"]["value"] == "living_room"
    [call] = resolver.resolve(command("HassClimateGetTemperature", "what is the temperature"), None)
    assert "area" not in call.slots


async def test_a_state_word_of_one_class_asks_about_that_class(resolver: TargetResolver) -> None:
    # Without the class, "which devices are running?" would list everything that is on.
    [call] = resolver.resolve(command("HassGetState", "which devices are running?", state="running"), None)
    assert call.slots["device_class"] == {"value": ["running"]}
    assert call.slots["domain"] == {"value": ["binary_sensor"]}
    assert call.slots["state"]["value"] == "on"
    # A word several classes use names no class, and so no target: handed over, not guessed.
    with pytest.raises(Unresolved):
        resolver.resolve(command("HassGetState", "is anything detected?", state="detected"), None)


async def test_a_verb_that_names_the_domain(resolver: TargetResolver) -> None:
    # "lock the kitchen doors": the locks of the kitchen, never its door covers.
    text = "lock the kitchen doors"
    [call] = resolver.resolve(command("HassTurnOn", text, "lock the doors", area="kitchen"), None, text)
    assert call.slots["domain"] == {"value": ["lock"]}
    misread = command("HassTurnOn", text, "lock the", area="kitchen", device_class="doors")
    with pytest.raises(Unresolved):
        resolver.resolve(misread, None, text)
    # "lock front door" names a lock; "light up" alone means the lights here.
    [call] = resolver.resolve(command("HassTurnOn", "lock front door", "lock", name="front door"), None,
                              "lock front door")
    assert call.slots["name"]["value"] == "lock.front_door" and call.slots["domain"] == {"value": ["lock"]}
    [call] = resolver.resolve(Command("HassTurnOn", {}, 0.9, "light up"), "kitchen", "light up")
    assert call.slots["domain"] == {"value": ["light"]} and call.slots["area"] == {"value": "kitchen"}
    # Without a satellite, "light up" means every light, as Home Assistant's suite reads it;
    # "the entire home" means every light even from a satellite.
    [call] = resolver.resolve(Command("HassTurnOn", {}, 0.9, "light up"), None, "light up")
    assert call.slots["domain"] == {"value": ["light"]} and "area" not in call.slots
    for satellite in (None, "kitchen"):
        [call] = resolver.resolve(Command("HassTurnOn", {}, 0.9, "illuminate the entire home"), satellite,
                                  "illuminate the entire home")
        assert call.slots["domain"] == {"value": ["light"]} and "area" not in call.slots


async def test_a_state_that_restates_the_intent_is_dropped(resolver: TargetResolver) -> None:
    text = "all lights on in the kitchen"
    [call] = resolver.resolve(command("HassTurnOn", text, domain="lights", state="on", area="kitchen"), None, text)
    assert "state" not in call.slots and call.slots["domain"] == {"value": ["light"]}
    opposite = command("HassTurnOff", text, domain="lights", state="on", area="kitchen")
    with pytest.raises(Unresolved):
        resolver.resolve(opposite, None, text)


async def test_locked_or_unlocked_doors_are_locks(resolver: TargetResolver) -> None:
    [call] = resolver.resolve(command("HassGetState", "are any doors unlocked?", state="unlocked"), None)
    assert call.slots["domain"] == {"value": ["lock"]} and "device_class" not in call.slots
    text = "which doors are locked in the kitchen"
    [call] = resolver.resolve(command("HassGetState", text, device_class="doors", state="locked", area="kitchen"), None)
    assert call.slots["domain"] == {"value": ["lock"]} and "device_class" not in call.slots


async def test_of_devices_sharing_a_name_the_state_word_picks_one(resolver: TargetResolver) -> None:
    from homeassistant.components.homeassistant.exposed_entities import async_expose_entity

    hass = resolver.hass
    for entity_id, device_class in (("binary_sensor.phone_presence", "presence"), ("binary_sensor.phone_plug", "plug"),
                                    ("binary_sensor.pet_door", "door"), ("binary_sensor.pet_door_lock", "lock")):
        name = "Phone" if "phone" in entity_id else "Pet Door"
        hass.states.async_set(entity_id, "off", {"friendly_name": name, "device_class": device_class})
        async_expose_entity(hass, "conversation", entity_id, True)
    resolver = TargetResolver(hass, resolver.value_lists)
    for text, name, state, entity_id in (
        ("is the phone home?", "phone", "home", "binary_sensor.phone_presence"),
        ("is the phone unplugged?", "phone", "unplugged", "binary_sensor.phone_plug"),
        ("is the pet door open?", "pet door", "open", "binary_sensor.pet_door"),
        ("is the pet door locked?", "pet door", "locked", "binary_sensor.pet_door_lock"),
    ):
        [call] = resolver.resolve(command("HassGetState", text, name=name, state=state), None, text)
        assert call.slots["name"]["value"] == entity_id, text
    # A word no class of theirs has leaves the question open: Home Brain asks.
    with pytest.raises(Unresolved) as err:
        resolver.resolve(command("HassGetState", "is the phone on?", name="phone", state="on"), None)
    assert err.value.reason == "ambiguous"
