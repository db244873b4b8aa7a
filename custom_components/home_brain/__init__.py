"""Home Brain: a conversation agent built on a small local token-classification model."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError

from .const import CONF_MODEL_PATH, LOGGER
from .model import ModelFolderError, Tagger, async_load_tagger
from .targets import ValueLists, load_value_lists

PLATFORMS = [Platform.CONVERSATION]


@dataclass
class HomeBrainData:
    """What a loaded entry holds: the model, and Home Assistant's value lists (colours...)."""

    tagger: Tagger
    value_lists: ValueLists


type HomeBrainConfigEntry = ConfigEntry[HomeBrainData]


async def async_setup_entry(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> bool:
    """Load the model and add the conversation agent."""
    try:
        tagger = await async_load_tagger(hass, entry.data[CONF_MODEL_PATH])
    except ModelFolderError as err:
        # Not retried: a broken folder stays broken until the user fixes it and reloads.
        raise ConfigEntryError(f"Home Brain cannot load its model: {err}") from err
    LOGGER.debug("Loaded model from %s (%d labels)", entry.data[CONF_MODEL_PATH], len(tagger.labels))
    value_lists = await hass.async_add_executor_job(load_value_lists, "en")
    entry.runtime_data = HomeBrainData(tagger, value_lists)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    return True


async def async_unload_entry(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> bool:
    """Remove the agent; dropping runtime_data frees the model's arrays."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def _async_update_listener(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> None:
    await hass.config_entries.async_reload(entry.entry_id)
