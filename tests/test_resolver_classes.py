"""Classes of sentences the resolver reads as this home names things, in the maple home (not
a suite's): a name said with its place, a player where the user is, a vacuum switched on, a
device named by its own device word, state words in the device's kind, the home's shopping
list, several items at once, a place alias in another number.

Sentences go through the bundled model; each test checks which services ran on which
entities, and that nothing else moved."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry

from custom_components.home_brain.const import BUNDLED_MODEL_DIR
from custom_components.home_brain.targets import TargetResolver, Unresolved, load_value_lists

from .said import command
from .simulated_home import SimulatedHome
from .test_safety import Talk, home  # noqa: F401  (the maple home fixture)

pytestmark = pytest.mark.skipif(
    not (BUNDLED_MODEL_DIR / "config.json").is_file(), reason="no bundled model in this checkout"
)


async def test_a_name_in_two_rooms_said_with_its_room(hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    talk = Talk(hass, home)
    await talk.say("turn on the ceiling fan in the study")
    assert talk.moved() == [("fan", "turn_on", ["fan.study_ceiling_fan"])]


async def test_media_with_no_player_named_is_the_one_where_the_user_is(
        hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    talk = Talk(hass, home, "den")
    await talk.say("pause the music")
    assert talk.moved() == [("media_player", "media_pause", ["media_player.den_speaker"])]
    assert hass.states.get("media_player.study_radio").state == "playing"


@pytest.mark.parametrize(
    ("text", "service"),
    [("turn on the roomba", "start"), ("turn off the roomba", "return_to_base"),
     ("turn on the vacuum", "start")],
)
async def test_a_vacuum_switched_on_or_off_starts_or_goes_home(
        hass: HomeAssistant, home: SimulatedHome, text: str, service: str) -> None:  # noqa: F811
    """Vacuums have no on and off in Home Assistant; "the vacuum" is the home's only one,
    wherever the user speaks (it goes where it is sent, not where it is docked)."""
    talk = Talk(hass, home, "study")
    await talk.say(text)
    assert talk.moved() == [("vacuum", service, ["vacuum.robot_vacuum"])]


async def test_a_device_named_by_its_device_word_opens_at_once(hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    talk = Talk(hass, home)
    await talk.say("open the garage door")
    assert talk.moved() == [("cover", "open_cover", ["cover.garage_door"])]


async def test_a_yes_no_question_answers_in_the_devices_own_states(
        hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    hass.states.async_set("cover.garage_door", "open", hass.states.get("cover.garage_door").attributes)
    talk = Talk(hass, home)
    assert (await talk.say("is the garage door open")).startswith("Yes")
    assert talk.moved() == []


async def test_the_shopping_list_is_the_homes_list_called_shopping(
        hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    talk = Talk(hass, home)
    await talk.say("put bread on my shopping list")
    assert ("bread", "needs_action") in home.devices["todo.groceries"].contents()
    assert all(item != "bread" for item, _ in home.devices["todo.chores"].contents())


async def test_two_things_added_are_two_items(hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    talk = Talk(hass, home)
    await talk.say("add bread and butter to the chores list")
    items = home.devices["todo.chores"].contents()
    assert ("bread", "needs_action") in items
    assert ("butter", "needs_action") in items


async def test_a_place_alias_said_in_another_number(hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    """The garden is also called "Outdoors": "the outdoor lights" are its lights."""
    talk = Talk(hass, home, "study")
    await talk.say("turn on the outdoor lights")
    assert talk.moved() == [("light", "turn_on", ["light.path_lights"])]


async def test_a_floor_read_as_an_area_is_the_floor(hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    """The model cannot know this home made "upstairs" a floor, not a room."""
    resolver = TargetResolver(hass, await hass.async_add_executor_job(load_value_lists, "en"))
    said = "turn on the upstairs lights"
    [call] = resolver.resolve(command("HassTurnOn", said, "turn on the", area="upstairs", domain="lights"), None, said)
    assert call.slots["floor"] == {"value": "top_level"}
    assert "area" not in call.slots


async def test_switched_on_with_no_device_and_no_place_names_nothing(
        hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    """ "get the cleaning on" read as a bare "turn on": not the lights of the room the user is in."""
    resolver = TargetResolver(hass, await hass.async_add_executor_job(load_value_lists, "en"))
    said = "get the cleaning on"
    with pytest.raises(Unresolved):
        resolver.resolve(command("HassTurnOn", said, "get the cleaning on"), "den", said)
    # A place and no device is still the place's lights.
    said = "turn the den on"
    [call] = resolver.resolve(command("HassTurnOn", said, "turn the on", area="den"), "den", said)
    assert call.slots["domain"] == {"value": ["light"]}


async def test_a_misspelt_device_word_is_read_or_nothing_moves(
        hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    """A device word with a slip ("lighgs") is the device word; one that reads as nothing
    ("fajs") must not leave "everything in the den" as the command."""
    resolver = TargetResolver(hass, await hass.async_add_executor_job(load_value_lists, "en"))
    said = "turn off the lighgs in the den"
    calls = resolver.resolve(command("HassTurnOff", said, "turn off the in the", domain="lighgs", area="den"), "den", said)
    assert all(call.slots["domain"] == {"value": ["light"]} for call in calls)
    said = "turn off the fajs in the den"
    with pytest.raises(Unresolved):
        resolver.resolve(command("HassTurnOff", said, "turn off the in the", domain="fajs", area="den"), "den", said)


async def test_a_name_said_with_its_kind_after_it(hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    """ "the study heater plug": the heater is a plug (a switch of class outlet); "the study
    heater light" names no light, so nothing is chosen for it."""
    resolver = TargetResolver(hass, await hass.async_add_executor_job(load_value_lists, "en"))
    said = "turn off the study heater plug"
    [call] = resolver.resolve(command("HassTurnOff", said, "turn off the", name="study heater plug"), "den", said)
    assert call.slots["name"]["value"] == "switch.study_heater"
    said = "turn on the night light lamp"
    [call] = resolver.resolve(command("HassTurnOn", said, "turn on the", name="night light lamp"), "den", said)
    assert call.slots["name"]["value"] == "light.night_light"
    said = "turn off the den heater light"
    with pytest.raises(Unresolved):
        resolver.resolve(command("HassTurnOff", said, "turn off the", name="den heater light"), "den", said)
    said = "turn off the workshop switch plug"  # a switch of no class "outlet" said as a plug: still it
    [call] = resolver.resolve(command("HassTurnOff", said, "turn off the", name="workshop switch plug"), "den", said)
    assert call.slots["name"]["value"] == "switch.workshop_switch"


async def test_a_title_that_may_be_a_place_of_the_home_is_not_played(
        hass: HomeAssistant, home: SimulatedHome) -> None:  # noqa: F811
    """With a room called "Play Room", "play room lights off" may be a command to its lights:
    the turn is handed over, not played as a title; other titles still play."""
    area_registry.async_get(hass).async_create("Play Room")
    resolver = TargetResolver(hass, await hass.async_add_executor_job(load_value_lists, "en"))
    said = "play room lights off"
    with pytest.raises(Unresolved):
        resolver.resolve(command("HassMediaSearchAndPlay", said, "play", search_query="room lights off"), "den", said)
    said = "play the room by the sea"
    assert resolver.resolve(command("HassMediaSearchAndPlay", said, "play", search_query="the room by the sea"),
                            "den", said)
