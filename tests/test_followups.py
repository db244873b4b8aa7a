"""Ambiguity follow-ups: "which one?" is answered in the next turn of the same conversation."""

from __future__ import annotations

from pathlib import Path

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant

from benchmarks.cases import Device
from custom_components.home_brain.clarify import (
    Candidate,
    PendingQuestion,
    PendingQuestions,
    StillAmbiguous,
    pick_candidate,
)
from custom_components.home_brain.conversation import HomeBrainConversationEntity
from custom_components.home_brain.targets import Unresolved
from training.home import load_home

from .conftest import SMALL_HOME
from .simulated_home import (
    SimulatedHome,
    async_add_home_brain,
    async_build_home,
    async_setup_assist,
)

AGENT = "conversation.home_brain"
LAMPS = ("light.bedroom_lamp", "light.lounge_lamp")
QUESTION = "Which bedroom lamp do you mean: Bedroom Lamp in the Bedroom or Bedroom Lamp in the Living Room?"


@pytest.fixture
async def home(hass: HomeAssistant, small_home_model: Path) -> SimulatedHome:
    """The small home plus a second lamp called "Bedroom Lamp" that stands in the living room."""
    await async_setup_assist(hass)
    lounge_lamp = Device("light.lounge_lamp", "Bedroom Lamp", (), "living_room", "on", {})
    sim = await async_build_home(hass, load_home(SMALL_HOME), extra=[lounge_lamp])
    sim.reset({"light.bedroom_lamp": {"state": "on"}})

    await async_add_home_brain(hass, small_home_model)
    return sim


async def say(hass: HomeAssistant, text: str, conversation_id: str | None = None) -> conversation.ConversationResult:
    return await conversation.async_converse(hass, text, conversation_id, Context(), language="en", agent_id=AGENT)


def agent(hass: HomeAssistant) -> HomeBrainConversationEntity:
    return hass.data["entity_components"]["conversation"].get_entity(AGENT)


async def ask_about_the_lamps(hass: HomeAssistant, home: SimulatedHome) -> str:
    before = home.states()
    result = await say(hass, "turn off the bedroom lamp")
    assert result.response.speech["plain"]["speech"] == QUESTION
    assert result.continue_conversation
    assert home.calls == []
    assert home.states() == before
    assert result.conversation_id
    return result.conversation_id


@pytest.mark.parametrize(
    ("answer", "meant"),
    [
        ("the one in the living room", "light.lounge_lamp"),
        ("the living room one", "light.lounge_lamp"),
        ("lounge", "light.lounge_lamp"),  # the area's alias
        ("the one in the bedroom", "light.bedroom_lamp"),
        ("bedroom", "light.bedroom_lamp"),
        ("the bedside lamp", "light.bedroom_lamp"),  # a name only one of them has
        ("the first one", "light.bedroom_lamp"),
        ("the second one", "light.lounge_lamp"),
        ("upstairs", "light.bedroom_lamp"),  # the floor of its area
    ],
)
async def test_the_answer_completes_the_command(
    hass: HomeAssistant, home: SimulatedHome, answer: str, meant: str
) -> None:
    conversation_id = await ask_about_the_lamps(hass, home)
    result = await say(hass, answer, conversation_id)
    assert home.calls == [("light", "turn_off", {"entity_id": [meant]})]
    assert hass.states.get(meant).state == "off"
    [other] = set(LAMPS) - {meant}
    assert hass.states.get(other).state == "on"
    assert result.response.speech["plain"]["speech"] == "Turned off the light"
    assert not result.continue_conversation

    # The question is answered and forgotten: the same words again are an ordinary turn.
    assert len(agent(hass)._pending) == 0  # noqa: SLF001 - the store is what is under test


async def test_an_answer_that_fits_both_asks_again(hass: HomeAssistant, home: SimulatedHome) -> None:
    conversation_id = await ask_about_the_lamps(hass, home)
    result = await say(hass, "the lamp", conversation_id)
    assert result.response.speech["plain"]["speech"] == QUESTION
    assert result.continue_conversation
    assert home.calls == []
    result = await say(hass, "the living room one", conversation_id)
    assert home.calls == [("light", "turn_off", {"entity_id": ["light.lounge_lamp"]})]


async def test_a_new_command_instead_of_an_answer_is_a_normal_turn(hass: HomeAssistant, home: SimulatedHome) -> None:
    conversation_id = await ask_about_the_lamps(hass, home)
    result = await say(hass, "turn on the kitchen light", conversation_id)
    assert home.calls == [("light", "turn_on", {"entity_id": ["light.kitchen"]})]
    assert result.response.speech["plain"]["speech"] == "Turned on the light"
    assert all(hass.states.get(lamp).state == "on" for lamp in LAMPS)


async def test_an_answer_belongs_to_its_own_conversation(hass: HomeAssistant, home: SimulatedHome) -> None:
    conversation_id = await ask_about_the_lamps(hass, home)
    # In a fresh conversation nothing was asked: whatever the model makes of these words,
    # it is not the answer (the lounge lamp is not turned off)...
    other = await say(hass, "the living room one")
    assert other.conversation_id != conversation_id
    assert ("light", "turn_off", {"entity_id": ["light.lounge_lamp"]}) not in home.calls
    # ...and the question is still open where it was asked.
    home.calls.clear()
    hass.states.async_set("light.bedroom_lamp", "on", hass.states.get("light.bedroom_lamp").attributes)
    await say(hass, "the one in the bedroom", conversation_id)
    assert home.calls == [("light", "turn_off", {"entity_id": ["light.bedroom_lamp"]})]


# The store and the answer reader on their own.


def _candidates() -> list[Candidate]:
    return [
        Candidate("light.desk_left", frozenset({"desk lamp left"}), frozenset({"desk", "lamp", "left"}),
                  frozenset({"office"}), "light"),
        Candidate("light.desk_right", frozenset({"desk lamp right"}), frozenset({"desk", "lamp", "right"}),
                  frozenset({"office"}), "light"),
        Candidate("switch.desk_fan", frozenset({"desk fan"}), frozenset({"desk", "fan"}),
                  frozenset({"office"}), "switch"),
    ]


@pytest.mark.parametrize(
    ("answer", "meant"),
    [("desk lamp right", "light.desk_right"), ("the left one", "light.desk_left"), ("right", "light.desk_right"),
     ("the last one", "switch.desk_fan"), ("the switch", "switch.desk_fan"), ("2nd", "light.desk_right"),
     ("turn on the kitchen light", None), ("what time is it", None), ("", None), ("the one", None)],
)
def test_reading_answers(answer: str, meant: str | None) -> None:
    assert pick_candidate(answer, _candidates()) == meant


@pytest.mark.parametrize("answer", ["the lamp", "the desk one", "the office one", "the fifth one"])
def test_answers_that_do_not_decide(answer: str) -> None:
    with pytest.raises(StillAmbiguous):
        pick_candidate(answer, _candidates())


def _question() -> PendingQuestion:
    return PendingQuestion([], Unresolved("name", "desk lamp", "ambiguous", ["a", "b"]), _candidates(), {}, None,
                           "turn on the desk lamp", "Which desk lamp?")


def test_pending_questions_expire_and_are_bounded() -> None:
    now = [1000.0]
    store = PendingQuestions(ttl=300, max_size=3, clock=lambda: now[0])
    store.put("c1", _question())
    now[0] += 299
    assert store.pop("c1") is not None
    assert store.pop("c1") is None  # answered once

    store.put("c2", _question())
    now[0] += 301
    assert store.pop("c2") is None  # too late: the user has moved on

    for n in range(10):
        store.put(f"many{n}", _question())
    assert len(store) == 3
    assert store.pop("many0") is None
    assert store.pop("many9") is not None
