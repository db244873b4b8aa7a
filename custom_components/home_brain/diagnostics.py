"""Diagnostics: which model is loaded, how it is configured and how turns went; never what
people said, and no path (a folder's path can hold a user name)."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from . import HomeBrainConfigEntry
from .const import CONF_MODEL_PATH, CONF_REMOTE_TAGGER_TOKEN
from .learning import learning_diagnostics
from .model import model_folder
from .nlu.labels import parse_label

# The remote-tagger token other options may add is redacted with the path.
TO_REDACT = {CONF_MODEL_PATH, CONF_REMOTE_TAGGER_TOKEN, "token", "api_key"}


async def async_get_config_entry_diagnostics(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> dict[str, Any]:
    model_path = model_folder(entry.data[CONF_MODEL_PATH])

    def read_metrics() -> dict[str, Any] | None:
        try:
            metrics: dict[str, Any] = json.loads((model_path / "metrics.json").read_text())
        except (OSError, ValueError):
            return None
        return metrics

    tagger = entry.runtime_data.tagger
    monitor = entry.runtime_data.monitor
    return {
        "entry": {"data": async_redact_data(dict(entry.data), TO_REDACT), "version": entry.version,
                  "minor_version": entry.minor_version},
        "model": {
            "folder": model_path.name,
            "labels": len(tagger.labels),
            "intents": sorted({label.value for label in map(parse_label, tagger.labels) if label.kind == "INTENT"}),
            "metrics": await hass.async_add_executor_job(read_metrics),
        },
        "options": async_redact_data(dict(entry.options), TO_REDACT),
        "monitor": monitor.as_diagnostics() if monitor is not None else None,
        "tagging": entry.runtime_data.tags.diagnostics(),
        # Turn counts and which model serves (and which it replaced): no texts.
        **learning_diagnostics(entry),
    }
