"""Constants for Home Brain."""

from __future__ import annotations

import logging
from pathlib import Path

DOMAIN = "home_brain"
LOGGER = logging.getLogger(__package__)

CONF_MODEL_PATH = "model_path"
# The assistant whose exposure settings say what Home Brain may act on (Assist's).
ASSISTANT = "conversation"

# The default English model ships inside the integration (HACS copies this folder whole).
BUNDLED_MODEL_DIR = Path(__file__).parent / "model"
CONF_CONFIDENCE_THRESHOLD = "confidence_threshold"
CONF_FALLBACK_AGENT = "fallback_agent"

# Below this the turn goes to the fallback agent: a wrong action is worse than a hand-off.
# From data (`python -m training calibrate`, docs/benchmarks.md): for the bundled model 90% of the
# turns acted on are right on the generator's held-out phrasings already at 0.1, but the held-out
# turns between 0.3 and 0.6 are right only about a third of the time, so they are handed over.
DEFAULT_CONFIDENCE_THRESHOLD = 0.5
DEFAULT_FALLBACK_AGENT = "conversation.home_assistant"

# Longer input is not a spoken command: it is refused rather than tagged in part.
MAX_INPUT_CHARS = 1000

# The interaction log (interaction_log.py): on by default because it is what lets a home
# teach its model; bounded so it can never grow without end on a small SD card.
CONF_LOG_INTERACTIONS = "log_interactions"
CONF_LOG_MAX_TURNS = "log_max_turns"
CONF_LOG_MAX_DAYS = "log_max_days"
DEFAULT_LOG_INTERACTIONS = True
DEFAULT_LOG_MAX_TURNS = 5000
DEFAULT_LOG_MAX_DAYS = 30

# The entry stores this instead of the bundled model's absolute path, which changes when
# HACS or a restore moves the integration folder (model.py resolves it).
BUNDLED_MODEL = "bundled"
# Where the select entity looks for installable model folders (each holds config.json).
MODELS_DIR = ("home_brain", "models")

# Monitoring (monitoring.py): shares, latencies and the fallback alert cover the last N turns.
CONF_MONITOR_WINDOW = "monitor_window"
CONF_FALLBACK_ALERT_SHARE = "fallback_alert_share"
DEFAULT_MONITOR_WINDOW = 100
# Above this share of turns handed over, the model no longer fits the home: a repair says so.
DEFAULT_FALLBACK_ALERT_SHARE = 0.5
# Fewer turns than this say nothing about a share: no alert from the first few sentences.
MIN_TURNS_FOR_ALERT = 20
# A tagger service (python -m home_brain_nlu.serve) that tags instead of the local model;
# the local model answers whenever it cannot (remote_tagger.py).
CONF_REMOTE_TAGGER_URL = "remote_tagger_url"
CONF_REMOTE_TAGGER_TOKEN = "remote_tagger_token"
