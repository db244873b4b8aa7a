"""Admin actions: ``home_brain.export`` (turns + home snapshot for training) and
``home_brain.reload_model`` (deploy a retrained model, or roll back).

Both are admin-only: the export holds what everyone in the home said, and a model decides
what happens to devices. They are registered once, in ``async_setup``, and act on the loaded
entry (or the one named by ``config_entry_id`` when there are several).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import probatio as vol
import yaml

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER
from .deploy import ModelInfo, async_reload_model, async_rollback
from .home_snapshot import async_home_snapshot
from .learning import Learning

SERVICE_EXPORT = "export"
SERVICE_RELOAD_MODEL = "reload_model"
ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_MODEL_PATH = "model_path"
ATTR_ROLLBACK = "rollback"

EXPORT_DIR = ("home_brain", "exports")
TURNS_FILE = "turns.jsonl"
HOME_FILE = "home.yaml"

_EXPORT_SCHEMA = vol.Schema({vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string})
_RELOAD_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(ATTR_MODEL_PATH): cv.string,
        vol.Optional(ATTR_ROLLBACK, default=False): cv.boolean,
    }
)


def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions (once per Home Assistant, not per entry)."""
    async_register_admin_service(
        hass, DOMAIN, SERVICE_EXPORT, _async_export, _EXPORT_SCHEMA, SupportsResponse.OPTIONAL
    )
    async_register_admin_service(
        hass, DOMAIN, SERVICE_RELOAD_MODEL, _async_reload_model, _RELOAD_SCHEMA, SupportsResponse.OPTIONAL
    )


def _loaded_entries(hass: HomeAssistant, call: ServiceCall) -> list[ConfigEntry]:
    entries = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED and getattr(entry.runtime_data, "learning", None) is not None
    ]
    if (wanted := call.data.get(ATTR_CONFIG_ENTRY_ID)) is not None:
        entries = [entry for entry in entries if entry.entry_id == wanted]
    if not entries:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_loaded_entry")
    return entries


def _learning(entry: ConfigEntry) -> Learning:
    learning: Learning = entry.runtime_data.learning
    return learning


async def _async_export(call: ServiceCall) -> ServiceResponse:
    return await async_export(call.hass, _loaded_entries(call.hass, call))


async def async_export(hass: HomeAssistant, entries: list[ConfigEntry]) -> dict[str, Any]:
    """Write the entries' turns and the home snapshot; the action and the button share this."""
    turns = sorted(
        (turn for entry in entries for turn in _learning(entry).log.turns()),
        key=lambda turn: str(turn.get("time", "")),
    )
    home = async_home_snapshot(hass)  # registries are read on the loop; files written off it
    root = Path(hass.config.path(*EXPORT_DIR))
    stamp = dt_util.utcnow().strftime("%Y%m%dT%H%M%SZ")
    try:
        folder = await hass.async_add_executor_job(_write_export, root, stamp, turns, home)
    except OSError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="export_failed",
            translation_placeholders={"folder": str(root), "error": str(err)},
        ) from err
    LOGGER.info("Exported %d turns and %d entities to %s", len(turns), len(home["entities"]), folder)
    return {"path": str(folder), "turns": len(turns), "entities": len(home["entities"])}


def _write_export(root: Path, stamp: str, turns: list[dict[str, Any]], home: dict[str, Any]) -> Path:
    """Write turns.jsonl and home.yaml into a new folder named by the UTC time (blocking)."""
    root.mkdir(parents=True, exist_ok=True)
    folder = root / stamp
    suffix = 1
    while True:  # two exports in one second get their own folders, never a mix
        try:
            folder.mkdir()
            break
        except FileExistsError:
            suffix += 1
            folder = root / f"{stamp}-{suffix}"
    with (folder / TURNS_FILE).open("w", encoding="utf-8") as out:
        for turn in turns:
            out.write(json.dumps(turn, ensure_ascii=False, sort_keys=False) + "\n")
    (folder / HOME_FILE).write_text(
        yaml.safe_dump(home, sort_keys=False, allow_unicode=True, default_flow_style=False), encoding="utf-8"
    )
    return folder


async def _async_reload_model(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    entries = _loaded_entries(hass, call)
    if len(entries) > 1:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="several_entries")
    entry = entries[0]
    deployment = _learning(entry).deployment
    if call.data[ATTR_ROLLBACK]:
        if ATTR_MODEL_PATH in call.data:
            raise ServiceValidationError(translation_domain=DOMAIN, translation_key="path_and_rollback")
        info = async_rollback(hass, entry, deployment)
    else:
        info = await async_reload_model(hass, entry, deployment, call.data.get(ATTR_MODEL_PATH))
    previous = deployment.previous[1] if deployment.previous is not None else None
    return {"model": _describe(info), "previous": _describe(previous) if previous is not None else None}


def _describe(info: ModelInfo) -> dict[str, Any]:
    # The caller is an admin who chose the folder: the full path is no secret to them.
    return {"path": info.path, "version": info.version, "metrics": info.metrics, "loaded_at": info.loaded_at}
