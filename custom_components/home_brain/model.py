"""Loading the model folder off the event loop, and where the entry's model lives."""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant

from .const import BUNDLED_MODEL, BUNDLED_MODEL_DIR
from .nlu.model_folder import ModelFolderError
from .nlu.tagger import Tagger

__all__ = ["ModelFolderError", "Tagger", "async_load_tagger", "model_folder", "stored_model_path"]


def model_folder(stored: str) -> Path:
    """The folder an entry's stored model path names ("bundled": the one shipped here)."""
    return BUNDLED_MODEL_DIR if stored == BUNDLED_MODEL else Path(stored).expanduser()


def stored_model_path(path: str | Path) -> str:
    """What an entry stores for ``path``: "bundled" for the shipped model, else the path."""
    folder = Path(path).expanduser()
    if str(path) == BUNDLED_MODEL or _is_bundled(folder):
        return BUNDLED_MODEL
    return str(folder)


def _is_bundled(folder: Path) -> bool:
    # Also an older install's copy of the integration (HACS keeps the folder's name).
    if folder == BUNDLED_MODEL_DIR:
        return True
    return folder.parts[-3:] == ("custom_components", "home_brain", "model")


async def async_load_tagger(hass: HomeAssistant, model_path: str) -> Tagger:
    """Load the tagger in the executor: reading and laying out weights blocks for ~100 ms."""
    return await hass.async_add_executor_job(Tagger.from_folder, model_folder(model_path))
