"""Config and options flow: pick a model folder; tune the threshold and fallback agent."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.core import callback
from homeassistant.helpers import selector

from .const import (
    BUNDLED_MODEL_DIR,
    CONF_CONFIDENCE_THRESHOLD,
    CONF_FALLBACK_AGENT,
    CONF_LOG_INTERACTIONS,
    CONF_LOG_MAX_DAYS,
    CONF_LOG_MAX_TURNS,
    CONF_MODEL_PATH,
    CONF_REMOTE_TAGGER_TOKEN,
    CONF_REMOTE_TAGGER_URL,
    DEFAULT_CONFIDENCE_THRESHOLD,
    DEFAULT_FALLBACK_AGENT,
    DEFAULT_LOG_INTERACTIONS,
    DEFAULT_LOG_MAX_DAYS,
    DEFAULT_LOG_MAX_TURNS,
    DOMAIN,
    LOGGER,
)
from .model import ModelFolderError, async_load_tagger


class HomeBrainConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add Home Brain with a model folder."""

    VERSION = 1

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            path = str(Path(user_input[CONF_MODEL_PATH]).expanduser())
            try:
                await async_load_tagger(self.hass, path)
            except ModelFolderError as err:
                errors[CONF_MODEL_PATH] = "invalid_model"
                placeholders["error"] = str(err)
            except Exception:  # noqa: BLE001 - a flow must answer, not crash
                LOGGER.exception("Unexpected error loading model from %s", path)
                errors["base"] = "unknown"
            else:
                return self.async_create_entry(title="Home Brain", data={CONF_MODEL_PATH: path})
        bundled = await self.hass.async_add_executor_job((BUNDLED_MODEL_DIR / "config.json").is_file)
        default = str(BUNDLED_MODEL_DIR) if bundled else vol.UNDEFINED
        return self.async_show_form(
            step_id="user",
            data_schema=vol.Schema({vol.Required(CONF_MODEL_PATH, default=default): selector.TextSelector()}),
            errors=errors,
            description_placeholders=placeholders or {"error": ""},
        )

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        return HomeBrainOptionsFlow()


class HomeBrainOptionsFlow(OptionsFlow):
    """How sure the model must be before it acts, and who answers when it is not."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = _remote_tagger_errors(user_input)
            if not errors:
                return self.async_create_entry(data=user_input)
        options = user_input if user_input is not None else self.config_entry.options
        return self.async_show_form(
            step_id="init",
            errors=errors,
            data_schema=vol.Schema(
                {
                    vol.Required(
                        CONF_CONFIDENCE_THRESHOLD,
                        default=options.get(CONF_CONFIDENCE_THRESHOLD, DEFAULT_CONFIDENCE_THRESHOLD),
                    ): selector.NumberSelector(
                        selector.NumberSelectorConfig(min=0.0, max=1.0, step=0.05, mode=selector.NumberSelectorMode.SLIDER)
                    ),
                    vol.Required(
                        CONF_FALLBACK_AGENT,
                        default=options.get(CONF_FALLBACK_AGENT, DEFAULT_FALLBACK_AGENT),
                    ): selector.ConversationAgentSelector(),
                    # Optional with a suggested value: an entry saved before these existed,
                    # or a caller that leaves them out, keeps the defaults of const.py.
                    vol.Optional(
                        CONF_LOG_INTERACTIONS,
                        description={"suggested_value": options.get(CONF_LOG_INTERACTIONS, DEFAULT_LOG_INTERACTIONS)},
                    ): selector.BooleanSelector(),
                    vol.Optional(
                        CONF_LOG_MAX_TURNS,
                        description={"suggested_value": options.get(CONF_LOG_MAX_TURNS, DEFAULT_LOG_MAX_TURNS)},
                    ): selector.NumberSelector(
                        selector.NumberSelectorConfig(min=100, max=100_000, step=100, mode=selector.NumberSelectorMode.BOX)
                    ),
                    vol.Optional(
                        CONF_LOG_MAX_DAYS,
                        description={"suggested_value": options.get(CONF_LOG_MAX_DAYS, DEFAULT_LOG_MAX_DAYS)},
                    ): selector.NumberSelector(
                        selector.NumberSelectorConfig(
                            min=1, max=365, step=1, mode=selector.NumberSelectorMode.BOX, unit_of_measurement="days"
                        )
                    ),
                    vol.Optional(
                        CONF_REMOTE_TAGGER_URL,
                        description={"suggested_value": options.get(CONF_REMOTE_TAGGER_URL)},
                    ): selector.TextSelector(selector.TextSelectorConfig(type=selector.TextSelectorType.URL)),
                    vol.Optional(
                        CONF_REMOTE_TAGGER_TOKEN,
                        description={"suggested_value": options.get(CONF_REMOTE_TAGGER_TOKEN)},
                    ): selector.TextSelector(selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)),
                }
            ),
        )


def _remote_tagger_errors(user_input: dict[str, Any]) -> dict[str, str]:
    """A remote tagger needs an http(s) URL and its token; no URL means the local model only."""
    url = (user_input.get(CONF_REMOTE_TAGGER_URL) or "").strip()
    if not url:
        return {}
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return {CONF_REMOTE_TAGGER_URL: "invalid_url"}
    if not (user_input.get(CONF_REMOTE_TAGGER_TOKEN) or "").strip():
        return {CONF_REMOTE_TAGGER_TOKEN: "token_required"}
    return {}
