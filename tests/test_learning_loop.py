"""Learning from the home: the interaction log, the export for training, and model reloads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from homeassistant.components import conversation
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, Unauthorized
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.home_brain.const import (
    CONF_CONFIDENCE_THRESHOLD,
    CONF_FALLBACK_AGENT,
    CONF_LOG_INTERACTIONS,
    CONF_LOG_MAX_TURNS,
    CONF_MODEL_PATH,
    DOMAIN,
)
from custom_components.home_brain.diagnostics import async_get_config_entry_diagnostics
from custom_components.home_brain.interaction_log import storage_key
from training.home import load_home

from .conftest import E2E_CONFIDENCE_THRESHOLD, SMALL_HOME
from .simulated_home import async_add_home_brain, async_build_home, async_setup_assist
from .tiny_bert import make_tiny_bert

AGENT = "conversation.home_brain"


async def _setup(hass: HomeAssistant, model: Path, **options: Any) -> MockConfigEntry:
    await async_setup_assist(hass)
    await async_build_home(hass, load_home(SMALL_HOME), hidden={"light.garage": "Garage Light"})
    entry = await async_add_home_brain(hass, model, **options)
    return entry


@pytest.fixture
async def entry(hass: HomeAssistant, small_home_model: Path) -> MockConfigEntry:
    return await _setup(hass, small_home_model)


async def say(hass: HomeAssistant, text: str) -> conversation.ConversationResult:
    return await conversation.async_converse(hass, text, None, Context(), language="en", agent_id=AGENT)


def turns(entry: MockConfigEntry) -> list[dict[str, Any]]:
    return entry.runtime_data.learning.log.turns()


async def test_a_turn_is_recorded_with_every_field(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await say(hass, "turn on the kitchen light")
    assert hass.states.get("light.kitchen").state == "on"
    [turn] = turns(entry)
    assert set(turn) == {"version", "time", "language", "device_id", "satellite_id", "conversation_id", "text",
                         "words", "commands", "calls", "handled_by", "reply", "latency_ms", "fallback"}
    assert turn["conversation_id"] == result.conversation_id
    assert turn["version"] == 1
    assert abs((dt_util.utcnow() - dt_util.parse_datetime(turn["time"])).total_seconds()) < 60
    assert (turn["language"], turn["device_id"], turn["satellite_id"]) == ("en", None, None)
    assert turn["text"] == "turn on the kitchen light"
    assert [w["text"] for w in turn["words"]] == ["turn", "on", "the", "kitchen", "light"]
    for word in turn["words"]:
        assert turn["text"][word["start"] : word["end"]] == word["text"]
        assert 0.0 <= word["confidence"] <= 1.0 and word["label"]
    [command] = turn["commands"]
    assert command["intent"] == "HassTurnOn"
    assert command["slots"] == {"name": "kitchen light"}
    assert 0.0 < command["confidence"] <= 1.0
    [call] = turn["calls"]
    assert call["intent"] == "HassTurnOn" and call["success"] is True and call["error"] is None
    assert call["slots"]["name"]  # the resolved value handed to Home Assistant
    assert turn["handled_by"] == "home_brain"
    assert turn["reply"] == result.response.speech["plain"]["speech"]
    assert turn["latency_ms"] > 0
    assert turn["fallback"] is None
    json.dumps(turn)  # a record is plain JSON


async def test_a_fallback_turn_records_what_the_fallback_agent_did(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(
        entry, options={CONF_CONFIDENCE_THRESHOLD: 1.0, CONF_FALLBACK_AGENT: "conversation.home_assistant"}
    )
    await hass.async_block_till_done()
    result = await say(hass, "turn on the kitchen light")
    assert hass.states.get("light.kitchen").state == "on"
    [turn] = turns(entry)
    assert turn["handled_by"] == "fallback"
    assert turn["calls"] == []
    assert turn["commands"][0]["intent"] == "HassTurnOn"  # what Home Brain thought, unsure
    assert turn["reply"] == result.response.speech["plain"]["speech"]
    fallback = turn["fallback"]
    assert fallback["agent_id"] == "conversation.home_assistant"
    assert fallback["intent"] == "HassTurnOn"
    assert fallback["slots"]["name"] == "Kitchen Light"
    assert fallback["targets"] == ["light.kitchen"]
    assert (fallback["response_type"], fallback["success"]) == ("action_done", True)


async def test_blank_input_is_recorded_as_refused(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await say(hass, "   ")
    [turn] = turns(entry)
    assert (turn["handled_by"], turn["words"], turn["commands"], turn["calls"]) == ("refused", [], [], [])


async def test_the_log_keeps_only_the_newest_turns(hass: HomeAssistant, small_home_model: Path) -> None:
    entry = await _setup(hass, small_home_model, **{CONF_LOG_MAX_TURNS: 2})
    for text in ("turn on the kitchen light", "turn off the kitchen light", "turn on the bedroom lamp"):
        await say(hass, text)
    assert [t["text"] for t in turns(entry)] == ["turn off the kitchen light", "turn on the bedroom lamp"]


async def test_logging_off_records_nothing_and_forgets(
    hass: HomeAssistant, hass_storage: dict[str, Any], small_home_model: Path
) -> None:
    entry = await _setup(hass, small_home_model)
    await say(hass, "turn on the kitchen light")
    assert await hass.config_entries.async_reload(entry.entry_id)
    assert storage_key(entry.entry_id) in hass_storage
    hass.config_entries.async_update_entry(
        entry, options={CONF_CONFIDENCE_THRESHOLD: E2E_CONFIDENCE_THRESHOLD, CONF_LOG_INTERACTIONS: False}
    )
    await hass.async_block_till_done()
    await say(hass, "turn off the kitchen light")
    assert hass.states.get("light.kitchen").state == "off"  # the agent works as before
    assert turns(entry) == []
    assert storage_key(entry.entry_id) not in hass_storage


async def test_turns_survive_a_reload(hass: HomeAssistant, hass_storage: dict[str, Any], entry: MockConfigEntry) -> None:
    await say(hass, "turn on the kitchen light")
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    stored = hass_storage[storage_key(entry.entry_id)]["data"]["turns"]
    assert [t["text"] for t in stored] == ["turn on the kitchen light"]
    assert [t["text"] for t in turns(entry)] == ["turn on the kitchen light"]


async def test_removing_the_entry_deletes_its_log(
    hass: HomeAssistant, hass_storage: dict[str, Any], entry: MockConfigEntry
) -> None:
    await say(hass, "turn on the kitchen light")
    assert await hass.config_entries.async_reload(entry.entry_id)
    assert storage_key(entry.entry_id) in hass_storage
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert storage_key(entry.entry_id) not in hass_storage


async def test_export_writes_turns_and_the_exposed_home(
    hass: HomeAssistant, entry: MockConfigEntry, hass_admin_user: MockUser, tmp_path: Path
) -> None:
    hass.config.config_dir = str(tmp_path)
    await say(hass, "turn on the kitchen light")
    await say(hass, "what is the meaning of life")
    response = await hass.services.async_call(
        DOMAIN, "export", {}, blocking=True, return_response=True, context=Context(user_id=hass_admin_user.id)
    )
    folder = Path(response["path"])
    assert folder.parent == tmp_path / "home_brain" / "exports"
    lines = (folder / "turns.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert response["turns"] == len(records) == 2
    assert [r["text"] for r in records] == ["turn on the kitchen light", "what is the meaning of life"]
    assert all(r["version"] == 1 for r in records)

    # The snapshot is a home file training reads, with only the exposed entities.
    exported = load_home(folder / "home.yaml")
    expected = load_home(SMALL_HOME)
    assert sorted(e.entity_id for e in exported.entities) == sorted(e.entity_id for e in expected.entities)
    assert response["entities"] == len(expected.entities)
    assert "light.garage" not in (folder / "home.yaml").read_text(encoding="utf-8")
    names = {e.entity_id: (e.name, set(e.aliases), e.device_class) for e in exported.entities}
    for entity in expected.entities:
        assert names[entity.entity_id] == (entity.name, set(entity.aliases), entity.device_class)
    area_names = {a.id: a.name for a in exported.areas}
    for entity in expected.entities:
        if entity.area is not None:
            assert area_names[next(e for e in exported.entities if e.entity_id == entity.entity_id).area] == (
                expected.area(entity.area).name
            )
    assert sorted(f.name for f in exported.floors) == sorted(f.name for f in expected.floors)
    assert yaml.safe_load((folder / "home.yaml").read_text())["language"] == "en"


async def test_export_is_for_admins_only(
    hass: HomeAssistant, entry: MockConfigEntry, hass_read_only_user: MockUser, tmp_path: Path
) -> None:
    hass.config.config_dir = str(tmp_path)
    await say(hass, "turn on the kitchen light")
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN, "export", {}, blocking=True, return_response=True, context=Context(user_id=hass_read_only_user.id)
        )
    assert not (tmp_path / "home_brain").exists()


async def test_diagnostics_count_turns_but_show_no_text(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await say(hass, "turn on the kitchen light")
    await say(hass, "   ")
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    counts = diagnostics["interactions"]
    assert counts["turns"] == 2
    assert counts["handled_by"] == {"home_brain": 1, "refused": 1}
    assert "kitchen" not in json.dumps(diagnostics, default=str).lower()
    current = diagnostics["deployment"]["current"]
    assert current["folder"] == "model" and current["version"]
    assert current["metrics"]["exact_match"] >= 0
    assert diagnostics["deployment"]["previous"] is None


async def _reload_model(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    return await hass.services.async_call(DOMAIN, "reload_model", data, blocking=True, return_response=True)


async def test_a_broken_model_is_refused_and_the_old_one_keeps_serving(
    hass: HomeAssistant, entry: MockConfigEntry, small_home_model: Path, tmp_path: Path
) -> None:
    old = entry.runtime_data.tagger
    broken = tmp_path / "broken"
    shutil.copytree(small_home_model, broken)
    (broken / "model.safetensors").write_bytes(b"\x00garbage" * 10)
    with pytest.raises(HomeAssistantError, match="kept its current model"):
        await _reload_model(hass, model_path=str(broken))
    # Loads, but speaks no intent: the smoke test refuses it.
    no_intents = make_tiny_bert(tmp_path / "no_intents", ["O", "B-name", "I-name"], ["kitchen", "light"])
    with pytest.raises(HomeAssistantError, match="knows no intents"):
        await _reload_model(hass, model_path=str(no_intents))
    with pytest.raises(HomeAssistantError, match="no previous model"):
        await _reload_model(hass, rollback=True)
    assert entry.runtime_data.tagger is old
    assert entry.data[CONF_MODEL_PATH] == str(small_home_model)
    await say(hass, "turn on the kitchen light")
    assert hass.states.get("light.kitchen").state == "on"


async def test_a_good_model_is_swapped_in_and_rolled_back(
    hass: HomeAssistant, entry: MockConfigEntry, small_home_model: Path, tmp_path: Path
) -> None:
    old = entry.runtime_data.tagger
    learning = entry.runtime_data.learning
    new_folder = tmp_path / "retrained"
    shutil.copytree(small_home_model, new_folder)
    response = await _reload_model(hass, model_path=str(new_folder))
    await hass.async_block_till_done()
    assert response["model"]["path"] == str(new_folder)
    assert response["previous"]["path"] == str(small_home_model)
    new = entry.runtime_data.tagger
    assert new is not old
    # Swapped in place, not by reloading the entry (which would forget the rollback).
    assert entry.state is ConfigEntryState.LOADED and entry.runtime_data.learning is learning
    assert entry.data[CONF_MODEL_PATH] == str(new_folder)  # a restart serves the new model
    await say(hass, "turn on the kitchen light")
    assert hass.states.get("light.kitchen").state == "on"
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["deployment"]["current"]["folder"] == "retrained"
    assert diagnostics["deployment"]["previous"]["folder"] == "model"

    response = await _reload_model(hass, rollback=True)
    await hass.async_block_till_done()
    assert entry.runtime_data.tagger is old
    assert response["model"]["path"] == str(small_home_model)
    assert entry.data[CONF_MODEL_PATH] == str(small_home_model)
    assert entry.runtime_data.learning is learning

    # The default folder is the entry's own: retrain into it, then reload.
    response = await _reload_model(hass)
    assert response["model"]["path"] == str(small_home_model)
    assert entry.runtime_data.tagger not in (old, new)
