"""A broken model folder raises a repair issue that says what to do; a fix clears it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.home_brain.const import CONF_MODEL_PATH, DOMAIN

# Every test here sets up a Home Brain entry, which needs the conversation integration.
pytestmark = pytest.mark.usefixtures("conversation_ready")

TRANSLATIONS = Path(__file__).parent.parent / "custom_components" / "home_brain" / "translations" / "en.json"


def _issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"model_folder_{entry.entry_id}")


async def test_corrupt_model_raises_a_repair_that_a_fix_clears(
    hass: HomeAssistant, model_dir: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.safetensors"
    shutil.copy(model_dir / "model.safetensors", good)
    (model_dir / "model.safetensors").write_bytes(b"\x00garbage" * 10)
    entry = MockConfigEntry(domain=DOMAIN, title="Home Brain", data={CONF_MODEL_PATH: str(model_dir)})
    entry.add_to_hass(hass)

    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    issue = _issue(hass, entry)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.ERROR
    assert not issue.is_fixable
    assert issue.translation_key == "model_folder"
    assert issue.translation_placeholders["path"] == str(model_dir)
    assert "model.safetensors" in issue.translation_placeholders["error"]
    # The text the user reads exists and uses exactly these placeholders.
    text = json.loads(TRANSLATIONS.read_text())["issues"]["model_folder"]
    for placeholder in issue.translation_placeholders:
        assert f"{{{placeholder}}}" in text["description"]

    shutil.copy(good, model_dir / "model.safetensors")
    assert await hass.config_entries.async_reload(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED
    assert _issue(hass, entry) is None


async def test_missing_model_folder_raises_a_repair(hass: HomeAssistant, tmp_path: Path) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_MODEL_PATH: str(tmp_path / "gone")})
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    issue = _issue(hass, entry)
    assert issue is not None
    assert "gone" in issue.translation_placeholders["error"]

    # Removing the entry removes its repair with it.
    assert await hass.config_entries.async_remove(entry.entry_id)
    assert _issue(hass, entry) is None
