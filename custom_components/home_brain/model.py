"""Loading the model folder off the event loop."""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant

from .nlu.model_folder import ModelFolderError
from .nlu.tagger import Tagger

__all__ = ["ModelFolderError", "Tagger", "async_load_tagger"]


async def async_load_tagger(hass: HomeAssistant, model_path: str) -> Tagger:
    """Load the tagger in the executor: reading and laying out weights blocks for ~100 ms."""
    return await hass.async_add_executor_job(Tagger.from_folder, Path(model_path))
