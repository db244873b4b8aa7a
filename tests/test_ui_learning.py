"""The learning loop from the UI: export button, model select + install/rollback buttons
(admins only), reconfigure keeping the log, the "bundled" model path, translated errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from homeassistant import config_entries
from homeassistant.auth.const import GROUP_ID_USER
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, Unauthorized
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.entity_component import async_update_entity
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.home_brain.const import BUNDLED_MODEL, BUNDLED_MODEL_DIR, CONF_MODEL_PATH, DOMAIN
from training.home import load_home

from .conftest import SMALL_HOME
from .simulated_home import async_add_home_brain, async_build_home, async_setup_assist

INTEGRATION = Path(__file__).parent.parent / "custom_components" / "home_brain"


def entity_id(hass: HomeAssistant, platform: str, entry: MockConfigEntry, key: str) -> str:
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{entry.entry_id}_{key}")
    assert found is not None, key
    return found


async def say(hass: HomeAssistant, text: str) -> None:
    await conversation.async_converse(hass, text, None, Context(), language="en", agent_id="conversation.home_brain")


@pytest.fixture
async def entry(hass: HomeAssistant, small_home_model: Path, tmp_path: Path) -> MockConfigEntry:
    hass.config.config_dir = str(tmp_path / "config")
    await async_setup_assist(hass)
    await async_build_home(hass, load_home(SMALL_HOME))
    return await async_add_home_brain(hass, small_home_model)


@pytest.fixture
async def plain_user(hass: HomeAssistant) -> MockUser:
    """A user who may control devices but is no admin."""
    group = await hass.auth.async_get_group(GROUP_ID_USER)
    assert group is not None
    return MockUser(groups=[group]).add_to_hass(hass)


async def press(hass: HomeAssistant, button: str, user: MockUser) -> None:
    await hass.services.async_call(
        "button", "press", {"entity_id": button}, blocking=True, context=Context(user_id=user.id)
    )


async def test_export_button_writes_the_same_files_as_the_action(
    hass: HomeAssistant, entry: MockConfigEntry, hass_admin_user: MockUser, plain_user: MockUser
) -> None:
    await say(hass, "turn on the kitchen light")
    button = entity_id(hass, "button", entry, "export")
    with pytest.raises(Unauthorized):
        await press(hass, button, plain_user)
    exports = Path(hass.config.path("home_brain", "exports"))
    assert not exports.exists()

    await press(hass, button, hass_admin_user)
    [folder] = exports.iterdir()
    [turn] = [json.loads(line) for line in (folder / "turns.jsonl").read_text().splitlines()]
    assert turn["text"] == "turn on the kitchen light" and turn["handled_by"] == "home_brain"
    assert "light.kitchen" in (folder / "home.yaml").read_text()
    notification = hass.states.get(f"persistent_notification.{DOMAIN}_export_{entry.entry_id}")
    assert notification is None or str(folder) in notification.attributes.get("message", "")


async def test_install_and_roll_back_a_model_from_the_ui(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    small_home_model: Path,
    hass_admin_user: MockUser,
    plain_user: MockUser,
) -> None:
    models = Path(hass.config.path("home_brain", "models"))
    shutil.copytree(small_home_model, models / "retrained")
    shutil.copytree(small_home_model, models / "broken")
    (models / "broken" / "model.safetensors").write_bytes(b"\x00garbage" * 10)
    (models / "not_a_model").mkdir()
    select = entity_id(hass, "select", entry, "model_choice")
    install = entity_id(hass, "button", entry, "install_model")
    rollback = entity_id(hass, "button", entry, "rollback_model")
    model_sensor = entity_id(hass, "sensor", entry, "model")
    await async_update_entity(hass, select)
    assert hass.states.get(select).attributes["options"] == [BUNDLED_MODEL, "broken", "retrained"]
    old = entry.runtime_data.tagger

    async def choose(option: str, user: MockUser) -> None:
        await hass.services.async_call(
            "select", "select_option", {"entity_id": select, "option": option}, blocking=True,
            context=Context(user_id=user.id),
        )

    with pytest.raises(Unauthorized):
        await choose("retrained", plain_user)
    with pytest.raises(HomeAssistantError, match="Pick a model"):
        await press(hass, install, hass_admin_user)

    # A broken folder is refused; the old model serves on and a repair says why.
    await choose("broken", hass_admin_user)
    with pytest.raises(HomeAssistantError, match="kept its current model"):
        await press(hass, install, hass_admin_user)
    assert entry.runtime_data.tagger is old
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"model_failed_{entry.entry_id}")
    assert issue is not None and issue.translation_placeholders["folder"] == "broken"

    await choose("retrained", hass_admin_user)
    with pytest.raises(Unauthorized):
        await press(hass, install, plain_user)
    await press(hass, install, hass_admin_user)
    await hass.async_block_till_done()
    assert entry.runtime_data.tagger is not old
    assert entry.data[CONF_MODEL_PATH] == str(models / "retrained")
    assert hass.states.get(model_sensor).state == "retrained"
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"model_failed_{entry.entry_id}") is None
    await say(hass, "turn on the kitchen light")
    assert hass.states.get("light.kitchen").state == "on"

    with pytest.raises(Unauthorized):
        await press(hass, rollback, plain_user)
    await press(hass, rollback, hass_admin_user)
    await hass.async_block_till_done()
    assert entry.runtime_data.tagger is old
    assert entry.data[CONF_MODEL_PATH] == str(small_home_model)
    assert hass.states.get(model_sensor).state == "run"


async def test_reconfigure_changes_the_model_and_keeps_the_log(
    hass: HomeAssistant, entry: MockConfigEntry, small_home_model: Path, tmp_path: Path
) -> None:
    await say(hass, "turn on the kitchen light")
    other = tmp_path / "other_model"
    shutil.copytree(small_home_model, other)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM and result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_MODEL_PATH: str(tmp_path / "nope")})
    assert result["errors"] == {CONF_MODEL_PATH: "invalid_model"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_MODEL_PATH: str(other)})
    assert result["type"] is FlowResultType.ABORT and result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data[CONF_MODEL_PATH] == str(other)
    assert entry.runtime_data.learning.deployment.current.path == str(other)
    [turn] = entry.runtime_data.learning.log.turns()  # the log came through the reload
    assert turn["text"] == "turn on the kitchen light"
    assert entry.runtime_data.monitor.total == 1


@pytest.mark.skipif(not (BUNDLED_MODEL_DIR / "config.json").is_file(), reason="no bundled model")
async def test_the_bundled_model_is_stored_by_name_and_old_entries_migrate(hass: HomeAssistant) -> None:
    await async_setup_assist(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": config_entries.SOURCE_USER})
    [field] = result["data_schema"].schema
    assert field.default() == BUNDLED_MODEL
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_MODEL_PATH: str(BUNDLED_MODEL_DIR)})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_MODEL_PATH: BUNDLED_MODEL}
    await hass.async_block_till_done()
    # One Home Brain per home: a second flow is turned away.
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": config_entries.SOURCE_USER})
    assert result["type"] is FlowResultType.ABORT and result["reason"] == "single_instance_allowed"
    [created] = hass.config_entries.async_entries(DOMAIN)
    assert await hass.config_entries.async_remove(created.entry_id)

    # An entry of 1.1 holding the absolute path of an older install is migrated.
    old = MockConfigEntry(domain=DOMAIN, version=1, minor_version=1,
                          data={CONF_MODEL_PATH: "/old/config/custom_components/home_brain/model"})
    old.add_to_hass(hass)
    assert await hass.config_entries.async_setup(old.entry_id)
    assert old.data == {CONF_MODEL_PATH: BUNDLED_MODEL} and old.minor_version == 2
    assert hass.states.get(entity_id(hass, "sensor", old, "model")).state == BUNDLED_MODEL


async def test_user_visible_errors_are_translated(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(DOMAIN, "reload_model", {"rollback": True}, blocking=True, return_response=True)
    assert caught.value.translation_key == "no_previous_model"
    assert str(caught.value) == "Home Brain has no previous model to roll back to since it was loaded"

    # Every translation_key raised in the integration has its message, and vice versa.
    strings = json.loads((INTEGRATION / "translations" / "en.json").read_text())
    used = {key for path in INTEGRATION.glob("*.py") for key in re.findall(
        r'translation_key="(\w+)"', path.read_text())}
    issue_keys = {"model_folder", "model_failed", "fallback_share"}
    assert used - issue_keys <= set(strings["exceptions"]) | set(strings["issues"])
    assert set(strings["exceptions"]) <= used
    assert issue_keys <= set(strings["issues"])


def test_every_entity_and_action_has_a_name_and_an_icon() -> None:
    strings = json.loads((INTEGRATION / "translations" / "en.json").read_text())
    icons = json.loads((INTEGRATION / "icons.json").read_text())
    for platform, keys in strings["entity"].items():
        assert set(keys) == set(icons["entity"][platform]), platform
    assert set(strings["services"]) == set(icons["services"])


