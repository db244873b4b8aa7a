"""Diagnostics: which model is loaded and how it is configured; never what people said."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from . import HomeBrainConfigEntry
from .const import CONF_MODEL_PATH, CONF_REMOTE_TAGGER_TOKEN
from .learning import learning_diagnostics
from .nlu.labels import parse_label


async def async_get_config_entry_diagnostics(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> dict[str, Any]:
    model_path = Path(entry.data[CONF_MODEL_PATH])

    def read_metrics() -> dict[str, Any] | None:
        try:
            return json.loads((model_path / "metrics.json").read_text())
        except (OSError, ValueError):
            return None

    tagger = entry.runtime_data.tagger
    return {
        "model": {
            "folder": model_path.name,
            "labels": len(tagger.labels),
            "intents": sorted({label.value for label in map(parse_label, tagger.labels) if label.kind == "INTENT"}),
            "metrics": await hass.async_add_executor_job(read_metrics),
        },
        "options": async_redact_data(dict(entry.options), {CONF_REMOTE_TAGGER_TOKEN}),
        "tagging": entry.runtime_data.tags.diagnostics(),
        # Turn counts and which model serves (and which it replaced): no texts.
        **learning_diagnostics(entry),
    }
