"""End to end: a model trained here, loaded through a config entry, acting in a real hass."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import pytest
from homeassistant.components import conversation
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent

from custom_components.home_brain.actions import async_run_calls
from custom_components.home_brain.const import (
    CONF_CONFIDENCE_THRESHOLD,
    CONF_FALLBACK_AGENT,
    DOMAIN,
)
from training.home import load_home

from .conftest import SMALL_HOME
from .simulated_home import (
    SimulatedHome,
    async_add_home_brain,
    async_build_home,
    async_setup_assist,
)

AGENT = "conversation.home_brain"


@pytest.fixture
async def home(hass: HomeAssistant, small_home_model: Path) -> SimulatedHome:
    await async_setup_assist(hass)
    sim = await async_build_home(hass, load_home(SMALL_HOME), hidden={"light.garage": "Garage Light"})
    await async_add_home_brain(hass, small_home_model)
    return sim


async def say(hass: HomeAssistant, text: str) -> conversation.ConversationResult:
    return await conversation.async_converse(hass, text, None, Context(), language="en", agent_id=AGENT)


async def test_turn_on_the_kitchen_light(hass: HomeAssistant, home: SimulatedHome) -> None:
    before = home.states()
    result = await say(hass, "turn on the kitchen light")
    assert home.calls == [("light", "turn_on", {"entity_id": ["light.kitchen"]})]
    assert hass.states.get("light.kitchen").state == "on"
    after = home.states()
    assert {k for k in after if after[k] != before[k]} == {"light.kitchen"}
    assert result.response.response_type == intent.IntentResponseType.ACTION_DONE
    # Home Assistant's own response template, as the built-in agent would say it.
    assert result.response.speech["plain"]["speech"] == "Turned on the light"


async def test_turn_off_the_bedroom_lamp(hass: HomeAssistant, home: SimulatedHome) -> None:
    hass.states.async_set("light.bedroom_lamp", "on", hass.states.get("light.bedroom_lamp").attributes)
    result = await say(hass, "turn off the bedroom lamp")
    assert result.response.speech["plain"]["speech"] == "Turned off the light"
    assert home.calls == [("light", "turn_off", {"entity_id": ["light.bedroom_lamp"]})]
    assert hass.states.get("light.bedroom_lamp").state == "off"
    assert hass.states.get("light.kitchen").state == "off"


async def test_entity_not_exposed_is_never_touched(hass: HomeAssistant, home: SimulatedHome) -> None:
    before = home.states()
    result = await say(hass, "turn on the garage light")
    assert home.calls == []
    assert home.states() == before
    assert result.response.speech["plain"]["speech"]  # the user still gets an answer


async def test_chatter_goes_to_the_fallback_agent(hass: HomeAssistant, home: SimulatedHome) -> None:
    before = home.states()
    result = await say(hass, "what is the meaning of life")
    assert home.calls == []
    assert home.states() == before
    assert result.response.speech["plain"]["speech"]


async def test_below_the_threshold_the_fallback_agent_acts(hass: HomeAssistant, home: SimulatedHome) -> None:
    [entry] = hass.config_entries.async_entries(DOMAIN)
    hass.config_entries.async_update_entry(
        entry, options={CONF_CONFIDENCE_THRESHOLD: 1.0, CONF_FALLBACK_AGENT: "conversation.home_assistant"}
    )
    await hass.async_block_till_done()  # the entry reloads with its new options
    # Both agents now say the same words, so watch Home Brain's own hands: it must not act.
    with patch("custom_components.home_brain.conversation.async_run_calls", wraps=async_run_calls) as run_calls:
        result = await say(hass, "turn on the kitchen light")
    run_calls.assert_not_called()
    assert hass.states.get("light.kitchen").state == "on"
    assert home.calls == [("light", "turn_on", {"entity_id": ["light.kitchen"]})]
    assert result.response.speech["plain"]["speech"]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x01", "a" * 100_000, "turn on the kitchen light " + "x" * 100_000],
    ids=["empty", "blank", "control", "100k", "command-then-100k"],
)
async def test_bad_input_gets_an_answer_and_moves_nothing(hass: HomeAssistant, home: SimulatedHome, text: str) -> None:
    before = home.states()
    result = await say(hass, text)
    assert home.calls == []
    assert home.states() == before
    assert result.response.speech["plain"]["speech"]


async def test_unload_frees_the_agent(hass: HomeAssistant, home: SimulatedHome) -> None:
    [entry] = hass.config_entries.async_entries(DOMAIN)
    assert hass.states.get(AGENT) is not None
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert conversation.async_get_agent(hass, AGENT) is None
    with pytest.raises(AttributeError):
        entry.runtime_data  # noqa: B018 - the model is gone with the entry
