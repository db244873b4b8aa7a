"""Deploying a new model into a running entry, and rolling it back.

A retrained model is loaded off the loop and tried on one sentence before it serves; only
then is it swapped in, in one step on the event loop, so a turn always sees either the old
tagger or the new one. The previous tagger stays in memory for a rollback: a model that
loads and tags but behaves worse in the home is undone in one action, without a restart.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from .const import CONF_MODEL_PATH, LOGGER
from .model import ModelFolderError, Tagger
from .nlu.commands import commands_from_tags
from .nlu.labels import parse_label
from .nlu.model_folder import weights_file

# A sentence every Home Brain model has seen the like of; the smoke test checks that the
# model runs and speaks the label schema, not that it gets this sentence right.
SMOKE_SENTENCE = "turn on the kitchen light"
# metrics.json headline figures shown in diagnostics (the per-intent tables are too long).
_HEADLINE = ("examples", "intent_accuracy", "slot_f1", "exact_match")


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which model serves: where it came from and how good its trainer said it was."""

    path: str
    version: str
    metrics: dict[str, Any] | None
    loaded_at: str

    def as_diagnostics(self) -> dict[str, Any]:
        # The folder's name only: a path can hold a user name.
        return {"folder": Path(self.path).name, "version": self.version, "metrics": self.metrics,
                "loaded_at": self.loaded_at}


@dataclass(slots=True)
class Deployment:
    """The serving model's description, and the model it replaced (for a rollback)."""

    current: ModelInfo
    previous: tuple[Tagger, ModelInfo] | None = None


def read_model_info(path: str) -> ModelInfo:
    """Describe a model folder (blocking: reads metrics.json and hashes the weights)."""
    folder = Path(path)
    metrics: dict[str, Any] | None = None
    try:
        raw = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = None
    if isinstance(raw, dict):
        metrics = {key: raw[key] for key in _HEADLINE if key in raw}
    version = raw.get("version") if isinstance(raw, dict) else None
    if not isinstance(version, str) or not version:
        # No version written by the trainer: the weights' hash tells two models apart.
        digest = hashlib.sha256()
        try:
            with (weights_file(folder) or folder / "model.safetensors").open("rb") as weights:
                while chunk := weights.read(1 << 20):
                    digest.update(chunk)
            version = f"sha256:{digest.hexdigest()[:12]}"
        except OSError:
            version = "unknown"
    return ModelInfo(path, version, metrics, dt_util.utcnow().isoformat(timespec="seconds"))


def smoke_test(tagger: Tagger) -> None:
    """Tag one sentence; raise ValueError when the model's output is not sane."""
    labels = tagger.labels
    parsed = [parse_label(label) for label in labels]  # ValueError for a foreign schema
    if not any(label.kind == "INTENT" for label in parsed):
        raise ValueError("the model knows no intents")
    words = tagger.tag(SMOKE_SENTENCE)
    if not words:
        raise ValueError(f"the model tagged nothing in {SMOKE_SENTENCE!r}")
    for word in words:
        if word.label not in labels:
            raise ValueError(f"the model gave an unknown label {word.label!r}")
        if not (math.isfinite(word.confidence) and 0.0 <= word.confidence <= 1.0):
            raise ValueError(f"the model gave a confidence of {word.confidence} (weights damaged?)")
    commands_from_tags(SMOKE_SENTENCE, words)


def load_checked(path: str) -> tuple[Tagger, ModelInfo]:
    """Load, smoke-test and describe a model folder (blocking: run it in the executor)."""
    tagger = Tagger.from_folder(Path(path))
    smoke_test(tagger)
    return tagger, read_model_info(path)


async def async_reload_model(
    hass: HomeAssistant, entry: ConfigEntry, deployment: Deployment, model_path: str | None
) -> ModelInfo:
    """Swap in the model at ``model_path`` (default: the entry's folder) if it loads and passes.

    Raises HomeAssistantError and leaves the serving model alone when it does not.
    """
    path = str(Path(model_path).expanduser()) if model_path else entry.data[CONF_MODEL_PATH]
    try:
        tagger, info = await hass.async_add_executor_job(load_checked, path)
    except ModelFolderError as err:
        raise HomeAssistantError(f"Home Brain kept its current model; the new one cannot be loaded: {err}") from err
    except Exception as err:  # noqa: BLE001 - any failure of the new model must leave the old one serving
        LOGGER.debug("Model at %s failed its smoke test", path, exc_info=True)
        raise HomeAssistantError(f"Home Brain kept its current model; the new one failed its test: {err}") from err
    # No await from here on: a turn sees the old tagger or the new one, never a mix.
    runtime = entry.runtime_data
    deployment.previous = (runtime.tagger, deployment.current)
    runtime.tagger = tagger
    deployment.current = info
    LOGGER.info("Home Brain now serves the model in %s (%s)", path, info.version)
    _remember_path(hass, entry, path)
    return info


def async_rollback(hass: HomeAssistant, entry: ConfigEntry, deployment: Deployment) -> ModelInfo:
    """Serve the previous model again (a second rollback undoes the first)."""
    if deployment.previous is None:
        raise HomeAssistantError("Home Brain has no previous model to roll back to since it was loaded.")
    runtime = entry.runtime_data
    tagger, info = deployment.previous
    deployment.previous = (runtime.tagger, deployment.current)
    runtime.tagger = tagger
    deployment.current = info
    LOGGER.info("Home Brain rolled back to the model in %s (%s)", info.path, info.version)
    _remember_path(hass, entry, info.path)
    return info


def _remember_path(hass: HomeAssistant, entry: ConfigEntry, path: str) -> None:
    """Keep the serving folder in the entry, so a restart serves the same model.

    The update listener sees the entry already serves it and does not reload (which would
    drop the model kept for a rollback); see ``learning.async_update_needs_reload``.
    """
    if entry.data.get(CONF_MODEL_PATH) != path:
        hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_MODEL_PATH: path})
