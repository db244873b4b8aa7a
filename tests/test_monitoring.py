"""Monitoring: sensors after real turns and after a restart, the fallback alert, trace events."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components import conversation
from homeassistant.components.conversation.trace import async_clear_traces, async_get_traces
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.home_brain.const import (
    CONF_CONFIDENCE_THRESHOLD,
    CONF_FALLBACK_ALERT_SHARE,
    CONF_MONITOR_WINDOW,
    DOMAIN,
)
from training.home import load_home

from .conftest import SMALL_HOME
from .simulated_home import async_add_home_brain, async_build_home, async_setup_assist

AGENT = "conversation.home_brain"


async def say(hass: HomeAssistant, text: str) -> conversation.ConversationResult:
    return await conversation.async_converse(hass, text, None, Context(), language="en", agent_id=AGENT)


def state(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> Any:
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{entry.entry_id}_{key}")
    assert entity_id is not None, key
    return hass.states.get(entity_id)


def home_brain_details() -> list[dict[str, Any]]:
    """Home Brain's trace events of the traces kept (a handed-over turn has the fallback's too)."""
    return [
        event["data"]
        for trace in async_get_traces()
        for event in trace.as_dict()["events"]
        if event["event_type"] == "agent_detail" and "home_brain" in (event["data"] or {})
    ]


@pytest.fixture
async def entry(hass: HomeAssistant, small_home_model: Path) -> MockConfigEntry:
    await async_setup_assist(hass)
    await async_build_home(hass, load_home(SMALL_HOME))
    return await async_add_home_brain(hass, small_home_model)


async def test_sensors_count_turns_and_survive_a_restart(
    hass: HomeAssistant, entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    assert state(hass, entry, "turns_total").state == "0"
    assert state(hass, entry, "handled_share").state == "unknown"

    await say(hass, "turn on the kitchen light")  # Home Brain acts
    assert hass.states.get("light.kitchen").state == "on"
    await say(hass, "who wrote the play hamlet")  # not a home command: handed over
    await say(hass, "   ")  # refused
    await say(hass, "turn off the kitchen light")
    await hass.async_block_till_done()

    assert state(hass, entry, "turns_total").state == "4"
    assert state(hass, entry, "turns_today").state == "4"
    assert float(state(hass, entry, "handled_share").state) == 50.0
    assert float(state(hass, entry, "fallback_share").state) == 25.0
    assert float(state(hass, entry, "refused_share").state) == 25.0
    assert float(state(hass, entry, "clarify_share").state) == 0.0
    p50, p95 = float(state(hass, entry, "latency_p50").state), float(state(hass, entry, "latency_p95").state)
    assert 0 < p50 <= p95
    assert state(hass, entry, "turns_total").attributes["by_outcome"] == {
        "home_brain": 2, "fallback": 1, "clarify": 0, "refused": 1}
    model = state(hass, entry, "model")
    assert model.state == "run"  # runs/<name>/model is named for its run
    assert model.attributes["version"] and model.attributes["trained"]
    assert 0 <= model.attributes["dev_exact_match"] <= 100

    # Restart: the entry unloads (its counts are written) and loads again.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert hass_storage[f"{DOMAIN}.stats.{entry.entry_id}"]["data"]["total"] == 4
    assert state(hass, entry, "turns_total").state == "4"
    assert float(state(hass, entry, "handled_share").state) == 50.0
    await say(hass, "turn on the kitchen light")
    assert state(hass, entry, "turns_total").state == "5"

    # Removing the entry removes its counts.
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert f"{DOMAIN}.stats.{entry.entry_id}" not in hass_storage


async def test_a_burst_of_turns_updates_the_sensors_once_it_ends(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Turns that overlap are all counted, and the sensors are written when the burst ends,
    not once per turn (eight state writes a turn cost a burst more than understanding it)."""
    total = state(hass, entry, "turns_total").entity_id
    writes: list[str] = []
    hass.bus.async_listen("state_changed", lambda event: writes.append(event.data["new_state"].state)
                          if event.data["entity_id"] == total else None)
    texts = ["turn on the kitchen light", "turn off the kitchen light", "who wrote the play hamlet"] * 8
    await asyncio.gather(*(say(hass, text) for text in texts))
    await hass.async_block_till_done()
    assert state(hass, entry, "turns_total").state == str(len(texts))
    assert float(state(hass, entry, "fallback_share").state) == pytest.approx(100 / 3, abs=0.1)
    assert writes[-1] == str(len(texts))
    assert len(writes) < len(texts) / 4  # once at the end (and once a second on a slow machine)

    await say(hass, "turn on the kitchen light")  # a turn alone is told at once
    assert state(hass, entry, "turns_total").state == str(len(texts) + 1)


async def test_the_fallback_alert_rises_and_clears(hass: HomeAssistant, small_home_model: Path) -> None:
    await async_setup_assist(hass)
    await async_build_home(hass, load_home(SMALL_HOME))
    entry = await async_add_home_brain(
        hass, small_home_model, **{CONF_MONITOR_WINDOW: 20, CONF_FALLBACK_ALERT_SHARE: 0.5}
    )
    issues = ir.async_get(hass)
    issue_id = f"fallback_share_{entry.entry_id}"
    for _ in range(10):
        await say(hass, "who wrote the play hamlet")
    for _ in range(9):
        await say(hass, "turn on the kitchen light")
    assert issues.async_get_issue(DOMAIN, issue_id) is None  # 19 turns: too few to judge
    await say(hass, "who wrote the play hamlet")  # 11 of 20 handed over
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None and issue.translation_key == "fallback_share"
    assert issue.translation_placeholders == {"title": "Home Brain", "share": "55%", "threshold": "50%", "window": "20"}
    for _ in range(2):
        await say(hass, "turn off the kitchen light")  # the oldest fallbacks leave the window
    assert issues.async_get_issue(DOMAIN, issue_id) is None


async def test_a_turn_explains_itself_in_the_conversation_trace(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    async_clear_traces()
    await say(hass, "turn on the kitchen light")
    details = home_brain_details()
    understood = next(d for d in details if d.get("home_brain") == "understood")
    assert [t["word"] for t in understood["tags"]] == ["turn", "on", "the", "kitchen", "light"]
    assert all(0 <= t["confidence"] <= 1 for t in understood["tags"])
    assert understood["commands"][0]["intent"] == "HassTurnOn"
    targets = next(d for d in details if d.get("home_brain") == "targets")
    assert targets["calls"][0]["intent"] == "HassTurnOn"
    assert targets["calls"][0]["slots"]["name"]["value"]

    async_clear_traces()
    await say(hass, "who wrote the play hamlet")
    details = home_brain_details()
    handed = next(d for d in details if d.get("home_brain") == "handed_over")
    assert handed["reason"] in ("low_confidence", "nothing_understood", "unresolved")

    async_clear_traces()
    await say(hass, "   ")
    details = home_brain_details()
    assert {"home_brain": "refused", "reason": "empty"} in details


async def test_a_low_threshold_turn_traces_why_it_was_handed_over(hass: HomeAssistant, small_home_model: Path) -> None:
    await async_setup_assist(hass)
    await async_build_home(hass, load_home(SMALL_HOME))
    await async_add_home_brain(hass, small_home_model, **{CONF_CONFIDENCE_THRESHOLD: 1.01})
    async_clear_traces()
    await say(hass, "turn on the kitchen light")
    assert hass.states.get("light.kitchen").state == "on"  # the built-in agent did it
    details = home_brain_details()
    handed = next(d for d in details if d.get("home_brain") == "handed_over")
    assert handed == {"home_brain": "handed_over", "reason": "low_confidence", "threshold": 1.01}


async def test_a_question_back_is_counted_and_traced(hass: HomeAssistant, small_home_model: Path) -> None:
    """Two lamps called "Bedroom Lamp": Home Brain asks, and the trace says between which."""
    await async_setup_assist(hass)
    await async_build_home(hass, load_home(SMALL_HOME))
    entity_reg = er.async_get(hass)
    entity_reg.async_get_or_create("light", "simulated", "lounge_lamp", suggested_object_id="lounge_lamp",
                                   original_name="Bedroom Lamp")
    living_room = ar.async_get(hass).async_get_area_by_name("Living Room")
    assert living_room is not None
    entity_reg.async_update_entity("light.lounge_lamp", aliases=[er.COMPUTED_NAME], area_id=living_room.id)
    attributes = dict(hass.states.get("light.bedroom_lamp").attributes)
    hass.states.async_set("light.lounge_lamp", "on", attributes)
    hass.states.async_set("light.bedroom_lamp", "on", attributes)
    async_expose_entity(hass, "conversation", "light.lounge_lamp", True)
    entry = await async_add_home_brain(hass, small_home_model)

    async_clear_traces()
    result = await say(hass, "turn off the bedroom lamp")
    assert result.response.speech["plain"]["speech"].startswith("Which bedroom lamp")
    asked = next(d for d in home_brain_details() if d["home_brain"] == "asked")
    assert sorted(asked["candidates"]) == ["light.bedroom_lamp", "light.lounge_lamp"]
    assert asked["slot"] == "name" and asked["question"] == result.response.speech["plain"]["speech"]
    assert float(state(hass, entry, "clarify_share").state) == 100.0
