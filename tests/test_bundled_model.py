"""The default English model shipped with the integration, acting in a home it never saw."""

from __future__ import annotations

import pytest
from homeassistant import config_entries
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.home_brain.const import (
    BUNDLED_MODEL_DIR,
    CONF_MODEL_PATH,
    DOMAIN,
)
from training.home import load_home

from .conftest import SMALL_HOME
from .simulated_home import SimulatedHome, async_build_home, async_setup_assist

pytestmark = pytest.mark.skipif(
    not (BUNDLED_MODEL_DIR / "config.json").is_file(), reason="no bundled model in this checkout"
)


@pytest.fixture
async def home(hass: HomeAssistant) -> SimulatedHome:
    """The small test home (not the one the model was trained on), set up through the config flow."""
    await async_setup_assist(hass)
    sim = await async_build_home(hass, load_home(SMALL_HOME))
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": config_entries.SOURCE_USER})
    # The form offers the bundled model; the user just confirms it.
    [field] = result["data_schema"].schema
    assert field.default() == "bundled"  # stored by name, not by this machine's path
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_MODEL_PATH: field.default()})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    return sim


async def say(hass: HomeAssistant, text: str) -> conversation.ConversationResult:
    return await conversation.async_converse(hass, text, None, Context(), language="en", agent_id="conversation.home_brain")


@pytest.mark.parametrize(
    ("text", "calls"),
    [
        ("turn on the kitchen light", [("light", "turn_on", {"entity_id": ["light.kitchen"]})]),
        ("turn on the kichen light", [("light", "turn_on", {"entity_id": ["light.kitchen"]})]),
        ("please switch off the bedroom lamp", [("light", "turn_off", {"entity_id": ["light.bedroom_lamp"]})]),
        ("unlock the front door", [("lock", "unlock", {"entity_id": ["lock.front_door"]})]),
        (
            "turn on the kitchen and living room lights",
            [("light", "turn_on", {"entity_id": ["light.kitchen"]}),
             ("light", "turn_on", {"entity_id": ["light.living_room"]})],
        ),
        (
            "set the bedroom lamp to fifty percent and close the bedroom blinds",
            [("light", "turn_on", {"entity_id": ["light.bedroom_lamp"], "brightness_pct": 50}),
             ("cover", "close_cover", {"entity_id": ["cover.bedroom_blinds"]})],
        ),
    ],
)
async def test_commands_act_on_the_right_devices(
    hass: HomeAssistant, home: SimulatedHome, text: str, calls: list[tuple[str, str, dict]]
) -> None:
    hass.states.async_set("cover.bedroom_blinds", "open", hass.states.get("cover.bedroom_blinds").attributes)
    result = await say(hass, text)
    assert home.calls == calls
    assert result.response.response_type.value == "action_done"


async def test_chit_chat_moves_nothing(hass: HomeAssistant, home: SimulatedHome) -> None:
    before = home.states()
    await say(hass, "tell me a joke")
    assert home.calls == []
    assert home.states() == before
