"""Which model folder the "Install model" button installs: the bundled model, or a folder
under ``<config>/home_brain/models/`` (where a trained model is copied to be offered here).

The list is read from disk off the event loop, once a minute and when the select loads.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import override

from homeassistant.components.select import SelectEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import HomeBrainConfigEntry
from .const import BUNDLED_MODEL, MODELS_DIR
from .entity import HomeBrainEntity, async_require_admin

SCAN_INTERVAL = timedelta(minutes=1)
PARALLEL_UPDATES = 1


def find_model_folders(root: Path) -> dict[str, str]:
    """Option label -> stored model path, bundled first (blocking: lists a folder)."""
    found = {BUNDLED_MODEL: BUNDLED_MODEL}
    try:
        children = sorted(root.iterdir())
    except OSError:
        return found
    for child in children:
        if child.name != BUNDLED_MODEL and (child / "config.json").is_file():
            found[child.name] = str(child)
    return found


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    async_add_entities([ModelFolderSelect(entry)], update_before_add=True)


class ModelFolderSelect(HomeBrainEntity, SelectEntity):
    """Picks the folder; installing it is the button's job, after its smoke test."""

    _attr_entity_category = EntityCategory.CONFIG
    _attr_should_poll = True

    def __init__(self, entry: HomeBrainConfigEntry) -> None:
        super().__init__(entry, "model_choice")
        self._folders: dict[str, str] = {BUNDLED_MODEL: BUNDLED_MODEL}
        self._attr_options = list(self._folders)
        self._attr_current_option = None

    async def async_update(self) -> None:
        root = Path(self.hass.config.path(*MODELS_DIR))
        self._folders = await self.hass.async_add_executor_job(find_model_folders, root)
        self._attr_options = list(self._folders)
        if self._attr_current_option not in self._folders:
            self._attr_current_option = None
            self.entry.runtime_data.model_choice = None

    @override
    async def async_select_option(self, option: str) -> None:
        await async_require_admin(self.hass, self._context)
        self._attr_current_option = option
        self.entry.runtime_data.model_choice = self._folders[option]
        self.async_write_ha_state()
