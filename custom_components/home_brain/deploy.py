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
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.util import dt as dt_util

from .alerts import async_clear_model_alert, async_raise_model_alert
from .const import BUNDLED_MODEL, CONF_MODEL_PATH, DOMAIN, LOGGER
from .model import ModelFolderError, Tagger, model_folder, stored_model_path
from .nlu.commands import commands_from_tags
from .nlu.labels import parse_label
from .nlu.model_folder import weights_file

# A sentence every Home Brain model has seen the like of; the smoke test checks that the
# model runs and speaks the label schema, not that it gets this sentence right.
SMOKE_SENTENCE = "turn on the kitchen light"
# metrics.json headline figures shown in diagnostics (the per-intent tables are too long).
_HEADLINE = ("examples", "intent_accuracy", "slot_f1", "exact_match")


def model_changed_signal(entry: ConfigEntry) -> str:
    """Sent when another model starts serving (the model sensor and select follow it)."""
    return f"{DOMAIN}_model_changed_{entry.entry_id}"


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which model serves: where it came from and how good its trainer said it was."""

    path: str
    version: str
    metrics: dict[str, Any] | None
    loaded_at: str
    # When the weights were written (metrics.json's "trained_at", else the file's time), and
    # the whole-command exact match on Home Assistant's intents suite, when it was scored.
    trained: str | None = None
    suite_score: float | None = None

    @property
    def name(self) -> str:
        """A short name people recognise: "bundled", or the folder (its run's, for ".../model")."""
        if self.path == BUNDLED_MODEL:
            return BUNDLED_MODEL
        folder = model_folder(self.path)
        return folder.parent.name if folder.name == "model" and folder.parent.name else folder.name

    def as_diagnostics(self) -> dict[str, Any]:
        # The folder's name only: a path can hold a user name.
        return {"folder": model_folder(self.path).name, "version": self.version, "metrics": self.metrics,
                "loaded_at": self.loaded_at}


@dataclass(slots=True)
class Deployment:
    """The serving model's description, and the model it replaced (for a rollback)."""

    current: ModelInfo
    previous: tuple[Tagger, ModelInfo] | None = None


def read_model_info(path: str) -> ModelInfo:
    """Describe a model folder (blocking: reads metrics.json and hashes the weights)."""
    folder = model_folder(path)
    metrics: dict[str, Any] | None = None
    try:
        raw = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = None
    if isinstance(raw, dict):
        metrics = {key: raw[key] for key in _HEADLINE if key in raw}
    weights = weights_file(folder) or folder / "model.safetensors"
    version = raw.get("version") if isinstance(raw, dict) else None
    if not isinstance(version, str) or not version:
        # No version written by the trainer: the weights' hash tells two models apart.
        digest = hashlib.sha256()
        try:
            with weights.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    digest.update(chunk)
            version = f"sha256:{digest.hexdigest()[:12]}"
        except OSError:
            version = "unknown"
    trained = raw.get("trained_at") if isinstance(raw, dict) else None
    if not isinstance(trained, str):
        try:
            mtime = weights.stat().st_mtime
            trained = dt_util.utc_from_timestamp(mtime).date().isoformat()
        except OSError:
            trained = None
    suite = raw.get("ha_intents_suite") if isinstance(raw, dict) else None
    suite_score = suite.get("exact_match") if isinstance(suite, dict) else None
    return ModelInfo(
        path,
        version,
        metrics,
        dt_util.utcnow().isoformat(timespec="seconds"),
        trained,
        float(suite_score) if isinstance(suite_score, (int, float)) else None,
    )


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
    tagger = Tagger.from_folder(model_folder(path))
    smoke_test(tagger)
    return tagger, read_model_info(path)


async def async_reload_model(
    hass: HomeAssistant, entry: ConfigEntry, deployment: Deployment, model_path: str | None
) -> ModelInfo:
    """Swap in the model at ``model_path`` (default: the entry's folder) if it loads and passes.

    Raises HomeAssistantError and leaves the serving model alone when it does not.
    """
    path = stored_model_path(model_path) if model_path else str(entry.data[CONF_MODEL_PATH])
    try:
        tagger, info = await hass.async_add_executor_job(load_checked, path)
    except ModelFolderError as err:
        async_raise_model_alert(hass, entry, path, str(err))
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="model_not_loaded",
            translation_placeholders={"error": str(err)},
        ) from err
    except Exception as err:  # any failure of the new model must leave the old one serving
        LOGGER.debug("Model at %s failed its smoke test", path, exc_info=True)
        async_raise_model_alert(hass, entry, path, str(err))
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="model_failed_test",
            translation_placeholders={"error": str(err)},
        ) from err
    async_clear_model_alert(hass, entry)
    # No await from here on: a turn sees the old tagger or the new one, never a mix.
    runtime = entry.runtime_data
    deployment.previous = (runtime.tagger, deployment.current)
    runtime.tagger = tagger
    deployment.current = info
    LOGGER.info("Home Brain now serves the model in %s (%s)", path, info.version)
    _remember_path(hass, entry, path)
    async_dispatcher_send(hass, model_changed_signal(entry))
    return info


def async_rollback(hass: HomeAssistant, entry: ConfigEntry, deployment: Deployment) -> ModelInfo:
    """Serve the previous model again (a second rollback undoes the first)."""
    if deployment.previous is None:
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="no_previous_model")
    runtime = entry.runtime_data
    tagger, info = deployment.previous
    deployment.previous = (runtime.tagger, deployment.current)
    runtime.tagger = tagger
    deployment.current = info
    LOGGER.info("Home Brain rolled back to the model in %s (%s)", info.path, info.version)
    async_clear_model_alert(hass, entry)  # the model that failed no longer matters
    _remember_path(hass, entry, info.path)
    async_dispatcher_send(hass, model_changed_signal(entry))
    return info


def _remember_path(hass: HomeAssistant, entry: ConfigEntry, path: str) -> None:
    """Keep the serving folder in the entry, so a restart serves the same model.

    The update listener sees the entry already serves it and does not reload (which would
    drop the model kept for a rollback); see ``learning.async_update_needs_reload``.
    """
    if entry.data.get(CONF_MODEL_PATH) != path:
        hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_MODEL_PATH: path})
