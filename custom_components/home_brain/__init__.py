"""Home Brain: a conversation agent built on a small local token-classification model."""

from __future__ import annotations

from dataclasses import dataclass, field

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .alerts import async_clear_alerts, async_clear_folder_alert, async_raise_folder_alert
from .const import CONF_MODEL_PATH, CONF_REMOTE_TAGGER_TOKEN, CONF_REMOTE_TAGGER_URL, DOMAIN, LOGGER
from .inference import InferenceQueue
from .learning import Learning, async_remove_learning, async_setup_learning, async_update_needs_reload
from .model import ModelFolderError, Tagger, async_load_tagger, stored_model_path
from .monitoring import Monitor, async_remove_monitor, async_setup_monitor
from .remote_tagger import RemoteTagger, TagSource
from .resolve.snapshot import NamesCache
from .services import async_setup_services
from .targets import ValueLists, load_value_lists

PLATFORMS = [Platform.BUTTON, Platform.CONVERSATION, Platform.SELECT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


@dataclass
class HomeBrainData:
    """What a loaded entry holds: the model, Home Assistant's value lists (colours...), and
    the exposed names, cached until the registries change (resolve/snapshot.py)."""

    tagger: Tagger
    value_lists: ValueLists
    names: NamesCache
    # The interaction log and model deployment (learning.py); set right after loading.
    learning: Learning | None = None
    # Turn counts, shares and latency for the sensors and the fallback alert (monitoring.py).
    monitor: Monitor | None = None
    # The model folder picked in the "Model to install" select (stored form, see model.py).
    model_choice: str | None = None
    # Where turns get their tags: one worker, concurrent sentences batched (inference.py).
    inference: InferenceQueue = field(init=False)
    # The remote tagger service when one is set in the options, else the queue (remote_tagger.py).
    tags: TagSource = field(init=False)

    def __post_init__(self) -> None:
        self.inference = InferenceQueue(lambda: self.tagger)
        self.tags = TagSource(self.inference)


type HomeBrainConfigEntry = ConfigEntry[HomeBrainData]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, whatever the number of entries."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> bool:
    """Load the model and add the conversation agent."""
    try:
        tagger = await async_load_tagger(hass, entry.data[CONF_MODEL_PATH])
    except ModelFolderError as err:
        async_raise_folder_alert(hass, entry, entry.data[CONF_MODEL_PATH], str(err))
        # Not retried: a broken folder stays broken until the user fixes it and reloads.
        raise ConfigEntryError(
            translation_domain=DOMAIN, translation_key="model_folder", translation_placeholders={"error": str(err)}
        ) from err
    async_clear_folder_alert(hass, entry)
    LOGGER.debug("Loaded model from %s (%d labels)", entry.data[CONF_MODEL_PATH], len(tagger.labels))
    value_lists = await hass.async_add_executor_job(load_value_lists, "en")
    entry.runtime_data = HomeBrainData(tagger, value_lists, NamesCache(hass))
    entry.async_on_unload(entry.runtime_data.names.async_listen())
    if url := entry.options.get(CONF_REMOTE_TAGGER_URL):
        entry.runtime_data.tags.remote = RemoteTagger(
            async_get_clientsession(hass), url, entry.options.get(CONF_REMOTE_TAGGER_TOKEN, "")
        )
    entry.runtime_data.learning = await async_setup_learning(hass, entry)
    entry.runtime_data.monitor = await async_setup_monitor(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    return True


async def async_remove_entry(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> None:
    """A removed entry's model is nobody's problem any more."""
    async_clear_alerts(hass, entry)
    await async_remove_learning(hass, entry)  # what people said goes with the entry
    await async_remove_monitor(hass, entry)


async def async_migrate_entry(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> bool:
    """1.1 -> 1.2: the bundled model is stored as "bundled", not as this machine's path."""
    if entry.version > 1:
        return False  # a newer Home Brain wrote this entry; do not guess
    if entry.minor_version < 2:
        data = {**entry.data, CONF_MODEL_PATH: stored_model_path(entry.data[CONF_MODEL_PATH])}
        hass.config_entries.async_update_entry(entry, data=data, minor_version=2)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> bool:
    """Remove the agent and stop its inference thread; dropping runtime_data frees the model's arrays."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        entry.runtime_data.inference.close()
        await hass.async_add_executor_job(entry.runtime_data.inference.wait_closed)
    return unloaded


async def _async_update_listener(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> None:
    if not async_update_needs_reload(entry):
        return  # reload_model only recorded the folder it already serves
    await hass.config_entries.async_reload(entry.entry_id)
