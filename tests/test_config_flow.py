"""Config and options flow, a broken model folder, diagnostics."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.home_brain.const import (
    CONF_CONFIDENCE_THRESHOLD,
    CONF_FALLBACK_AGENT,
    CONF_MODEL_PATH,
    DOMAIN,
)
from custom_components.home_brain.diagnostics import async_get_config_entry_diagnostics

# Every test here sets up a Home Brain entry, which needs the conversation integration.
pytestmark = pytest.mark.usefixtures("conversation_ready")


async def test_user_flow_refuses_a_bad_folder_then_accepts_a_model(
    hass: HomeAssistant, model_dir: Path, tmp_path: Path
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": config_entries.SOURCE_USER})
    assert result["type"] is FlowResultType.FORM

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_MODEL_PATH: str(tmp_path / "nope")})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_MODEL_PATH: "invalid_model"}
    assert "nope" in result["description_placeholders"]["error"]

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_MODEL_PATH: str(model_dir)})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_MODEL_PATH: str(model_dir)}
    await hass.async_block_till_done()
    assert hass.states.get("conversation.home_brain") is not None


async def test_options_flow(hass: HomeAssistant, model_dir: Path) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_MODEL_PATH: str(model_dir)})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_CONFIDENCE_THRESHOLD: 0.8, CONF_FALLBACK_AGENT: "conversation.home_assistant"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options == {CONF_CONFIDENCE_THRESHOLD: 0.8, CONF_FALLBACK_AGENT: "conversation.home_assistant"}
    assert entry.state is ConfigEntryState.LOADED


async def test_corrupt_model_is_a_clear_error_and_a_fix_recovers(hass: HomeAssistant, model_dir: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.safetensors"
    shutil.copy(model_dir / "model.safetensors", good)
    (model_dir / "model.safetensors").write_bytes(b"\x00garbage" * 10)
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_MODEL_PATH: str(model_dir)})
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert "model.safetensors" in entry.reason
    assert hass.states.get("conversation.home_brain") is None

    shutil.copy(good, model_dir / "model.safetensors")
    assert await hass.config_entries.async_reload(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED


async def test_diagnostics_describe_the_model_not_the_user(hass: HomeAssistant, model_dir: Path) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_MODEL_PATH: str(model_dir)}, options={CONF_CONFIDENCE_THRESHOLD: 0.7})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["model"]["intents"] == ["HassTurnOff", "HassTurnOn"]
    assert diagnostics["model"]["folder"] == "model"  # the folder's name, not the path
    assert str(model_dir.parent) not in repr(diagnostics)
    assert diagnostics["options"] == {CONF_CONFIDENCE_THRESHOLD: 0.7}
