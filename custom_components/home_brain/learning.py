"""Learning from the home: an entry's interaction log and model deployment, set up together.

``__init__.py`` calls ``async_setup_learning`` once the model is loaded; the services
(``services.py``) and diagnostics reach both through ``entry.runtime_data.learning``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .const import CONF_MODEL_PATH
from .deploy import Deployment, read_model_info
from .interaction_log import InteractionLog


@dataclass(slots=True)
class Learning:
    """What one loaded entry keeps for learning: its turns and which model serves."""

    log: InteractionLog
    deployment: Deployment
    # The options the entry was loaded with: an update that changes neither them nor the
    # serving model (a model swap writing its path) needs no reload.
    options: dict[str, Any] = field(default_factory=dict)


async def async_setup_learning(hass: HomeAssistant, entry: ConfigEntry) -> Learning:
    """Load the entry's log and describe its model; flush the log when the entry unloads."""
    log = InteractionLog(hass, entry)
    await log.async_load()
    info = await hass.async_add_executor_job(read_model_info, entry.data[CONF_MODEL_PATH])
    learning = Learning(log, Deployment(info), dict(entry.options))
    entry.async_on_unload(log.async_flush)
    return learning


def async_update_needs_reload(entry: ConfigEntry) -> bool:
    """False when an entry update only recorded the model a swap already serves."""
    learning: Learning | None = getattr(getattr(entry, "runtime_data", None), "learning", None)
    if learning is None:
        return True
    return not (
        entry.data.get(CONF_MODEL_PATH) == learning.deployment.current.path and dict(entry.options) == learning.options
    )


async def async_remove_learning(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Delete the entry's stored log when the entry itself is deleted."""
    await InteractionLog(hass, entry).async_remove()


def learning_diagnostics(entry: ConfigEntry) -> dict[str, Any]:
    """Counts and model versions: never a word anyone said."""
    learning: Learning | None = getattr(getattr(entry, "runtime_data", None), "learning", None)
    if learning is None:
        return {}
    previous = learning.deployment.previous
    return {
        "interactions": learning.log.counts(),
        "deployment": {
            "current": learning.deployment.current.as_diagnostics(),
            "previous": previous[1].as_diagnostics() if previous is not None else None,
        },
    }
