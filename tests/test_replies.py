"""Replies: Home Assistant's own response templates where they exist, our sentences elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent

from custom_components.home_brain.actions import Outcome
from custom_components.home_brain.reply import load_responses, reply_for
from custom_components.home_brain.targets import IntentCall
from training.home import load_home

from .conftest import SMALL_HOME
from .simulated_home import (
    SimulatedHome,
    async_add_home_brain,
    async_build_home,
    async_setup_assist,
)

AGENT = "conversation.home_brain"
BUILT_IN = "conversation.home_assistant"


@pytest.fixture
async def home(hass: HomeAssistant, small_home_model: Path) -> SimulatedHome:
    await async_setup_assist(hass)
    sim = await async_build_home(hass, load_home(SMALL_HOME))
    await async_add_home_brain(hass, small_home_model)
    return sim


async def say(hass: HomeAssistant, text: str, agent_id: str = AGENT) -> conversation.ConversationResult:
    return await conversation.async_converse(hass, text, None, Context(), language="en", agent_id=agent_id)


def restore(hass: HomeAssistant, states: dict[str, tuple[str, dict]]) -> None:
    for entity_id, (state, attributes) in states.items():
        hass.states.async_set(entity_id, state, attributes)


@pytest.mark.parametrize(
    ("text", "speech", "calls"),
    [
        ("turn on the kitchen light", "Turned on the light", [("light", "turn_on", {"entity_id": ["light.kitchen"]})]),
        ("close the bedroom blinds", "Closing", [("cover", "close_cover", {"entity_id": ["cover.bedroom_blinds"]})]),
        ("unlock the front door", "Unlocking", [("lock", "unlock", {"entity_id": ["lock.front_door"]})]),
        ("turn on the coffee maker", "Turned on the switch", [("switch", "turn_on", {"entity_id": ["switch.coffee_maker"]})]),
        ("turn off the lights in the living room", "Turned off the lights",
         [("light", "turn_off", {"entity_id": ["light.living_room"]})]),
        ("set the bedroom lamp to 50%", "Brightness set",
         [("light", "turn_on", {"entity_id": ["light.bedroom_lamp"], "brightness_pct": 50})]),
        ("set the thermostat to 21 degrees", "Temperature set to 21 degrees",
         [("climate", "set_temperature", {"entity_id": ["climate.thermostat"], "temperature": 21.0})]),
        ("is the front door locked", "Yes", []),
        ("what is the state of the bedroom lamp", "Bedroom lamp is off", []),
        ("are any lights on", "Yes, Kitchen Light and Living Room Light", []),
    ],
)
async def test_replies_are_home_assistants_own(
    hass: HomeAssistant, home: SimulatedHome, text: str, speech: str, calls: list
) -> None:
    """Home Brain says what the built-in agent says for the same sentence, and does the same."""
    hass.states.async_set("light.kitchen", "on", hass.states.get("light.kitchen").attributes)
    hass.states.async_set("light.living_room", "on", hass.states.get("light.living_room").attributes)
    hass.states.async_set("cover.bedroom_blinds", "open", hass.states.get("cover.bedroom_blinds").attributes)
    before = home.states()

    ours = await say(hass, text)
    assert home.calls == calls
    moved = {k for k, v in home.states().items() if v != before[k]}
    assert moved <= {entity_id for _, _, data in calls for entity_id in data["entity_id"]}
    assert ours.response.speech["plain"]["speech"] == speech

    restore(hass, before)
    home.calls.clear()
    theirs = await say(hass, text, BUILT_IN)
    assert home.calls == calls
    assert theirs.response.speech["plain"]["speech"] == speech


async def test_a_compound_command_gets_one_joined_reply(hass: HomeAssistant, home: SimulatedHome) -> None:
    hass.states.async_set("light.kitchen", "on", hass.states.get("light.kitchen").attributes)
    hass.states.async_set("cover.bedroom_blinds", "open", hass.states.get("cover.bedroom_blinds").attributes)
    result = await say(hass, "turn off the kitchen light and close the bedroom blinds")
    assert home.calls == [
        ("light", "turn_off", {"entity_id": ["light.kitchen"]}),
        ("cover", "close_cover", {"entity_id": ["cover.bedroom_blinds"]}),
    ]
    assert result.response.response_type == intent.IntentResponseType.ACTION_DONE
    assert result.response.speech["plain"]["speech"] == "Turned off the light. Closing."
    assert {t.id for t in result.response.success_results} == {"light.kitchen", "cover.bedroom_blinds"}


# Unit level: outcomes built by hand, rendered with the real templates.


def _done(hass: HomeAssistant, *entity_ids: str, query: bool = False) -> intent.IntentResponse:
    response = intent.IntentResponse(language="en")
    response.response_type = intent.IntentResponseType.QUERY_ANSWER if query else intent.IntentResponseType.ACTION_DONE
    states = [hass.states.get(e) for e in entity_ids]
    response.async_set_results(
        [intent.IntentResponseTarget(type=intent.IntentResponseTargetType.ENTITY, name=s.name, id=s.entity_id)
         for s in states]
    )
    response.async_set_states(states)
    return response


@pytest.fixture
async def responses(hass: HomeAssistant) -> dict:
    return await hass.async_add_executor_job(load_responses, "en")


async def test_errors_are_our_own_clear_sentences(hass: HomeAssistant, responses: dict) -> None:
    hass.states.async_set("light.kitchen", "on", {"friendly_name": "Kitchen Light"})
    turned_on = Outcome(IntentCall("HassTurnOn", {"name": {"value": "light.kitchen", "text": "kitchen light"}}),
                        _done(hass, "light.kitchen"))
    missing = Outcome(IntentCall("HassTurnOff", {"name": {"value": "light.garage", "text": "garage light"}}),
                      error="no_target")
    failed = Outcome(IntentCall("HassTurnOff", {"area": {"value": "kitchen"}}), error="failed")
    assert reply_for([missing], hass, "", responses) == (
        "Sorry, I couldn't find a device called garage light that can do that."
    )
    assert reply_for([failed], hass, "", responses) == "Sorry, I couldn't do that."
    # A compound that half worked says both halves.
    assert reply_for([turned_on, missing], hass, "", responses) == (
        "Turned on the light. Sorry, I couldn't find a device called garage light that can do that."
    )


async def test_without_a_usable_template_our_sentence_is_used(hass: HomeAssistant, responses: dict) -> None:
    # A domain the template has no word for ("Turned on None"), an intent without templates,
    # and a template that fails to render all fall back to our own words.
    hass.states.async_set("gizmo.thing", "on", {"friendly_name": "Thing"})
    call = IntentCall("HassTurnOn", {"name": {"value": "gizmo.thing", "text": "thing"}})
    assert reply_for([Outcome(call, _done(hass, "gizmo.thing"))], hass, "", responses) == "Turned on Thing."
    call = IntentCall("HassMadeUp", {"name": {"value": "gizmo.thing", "text": "thing"}})
    assert reply_for([Outcome(call, _done(hass, "gizmo.thing"))], hass, "", responses) == "Done."
    broken = {"HassTurnOn": {"default": "{{ states('x') | no_such_filter }}"}}
    call = IntentCall("HassTurnOn", {"name": {"value": "gizmo.thing", "text": "thing"}})
    assert reply_for([Outcome(call, _done(hass, "gizmo.thing"))], hass, "", broken) == "Turned on Thing."


async def test_state_questions_pick_the_matching_response(hass: HomeAssistant, responses: dict) -> None:
    for entity_id, name, state in (("light.a", "Lamp A", "on"), ("light.b", "Lamp B", "off"), ("light.c", "Lamp C", "on")):
        hass.states.async_set(entity_id, state, {"friendly_name": name})

    def asked(text: str, slots: dict) -> str:
        response = intent.IntentResponse(language="en")
        response.response_type = intent.IntentResponseType.QUERY_ANSWER
        response.async_set_states([hass.states.get("light.a"), hass.states.get("light.c")], [hass.states.get("light.b")])
        return reply_for([Outcome(IntentCall("HassGetState", slots), response)], hass, text, responses)

    lights_on = {"domain": {"value": ["light"], "text": "lights"}, "state": {"value": "on", "text": "on"}}
    assert asked("which lights are on", lights_on) == "Lamp A and Lamp C"
    assert asked("how many lights are on", lights_on) == "2"
    assert asked("are all the lights on", lights_on) == "No, Lamp B is not on"
    assert asked("are any lights on", lights_on) == "Yes, Lamp A and Lamp C"
