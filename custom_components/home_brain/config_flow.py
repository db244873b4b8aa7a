"""Config and options flow: pick a model folder; tune the threshold and fallback agent."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import probatio as vol

from homeassistant.config_entries import SOURCE_RECONFIGURE, ConfigEntry, ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.core import callback
from homeassistant.helpers import selector

from .const import (
    BUNDLED_MODEL,
    CONF_CONFIDENCE_THRESHOLD,
    CONF_FALLBACK_ALERT_SHARE,
    CONF_MONITOR_WINDOW,
    CONF_FALLBACK_AGENT,
    CONF_LOG_INTERACTIONS,
    CONF_LOG_MAX_DAYS,
    CONF_LOG_MAX_TURNS,
    CONF_MODEL_PATH,
    CONF_REMOTE_TAGGER_TOKEN,
    CONF_REMOTE_TAGGER_URL,
    DEFAULT_CONFIDENCE_THRESHOLD,
    DEFAULT_FALLBACK_AGENT,
    DEFAULT_FALLBACK_ALERT_SHARE,
    DEFAULT_LOG_INTERACTIONS,
    DEFAULT_LOG_MAX_DAYS,
    DEFAULT_LOG_MAX_TURNS,
    DEFAULT_MONITOR_WINDOW,
    DOMAIN,
    LOGGER,
)
from .model import ModelFolderError, async_load_tagger, stored_model_path


class HomeBrainConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add Home Brain with a model folder."""

    VERSION = 1
    # 1.2: the bundled model is stored as "bundled" (migrated in __init__.async_migrate_entry).
    MINOR_VERSION = 2

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        return await self._async_model_step("user", user_input, BUNDLED_MODEL)

    async def async_step_reconfigure(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Another model folder for the same entry: its interaction log and counts stay."""
        entry = self._get_reconfigure_entry()
        return await self._async_model_step("reconfigure", user_input, entry.data[CONF_MODEL_PATH])

    async def _async_model_step(
        self, step_id: str, user_input: dict[str, Any] | None, default: str
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"error": ""}
        if user_input is not None:
            path = stored_model_path(str(user_input[CONF_MODEL_PATH]).strip())
            try:
                await async_load_tagger(self.hass, path)
            except ModelFolderError as err:
                errors[CONF_MODEL_PATH] = "invalid_model"
                placeholders["error"] = str(err)
            except Exception:  # noqa: BLE001 - a flow must answer, not crash
                LOGGER.exception("Unexpected error loading model from %s", path)
                errors["base"] = "unknown"
            else:
                if self.source == SOURCE_RECONFIGURE:
                    # Reloads the entry with the new folder; the stores keyed by entry id stay.
                    return self.async_update_reload_and_abort(
                        self._get_reconfigure_entry(), data_updates={CONF_MODEL_PATH: path}
                    )
                return self.async_create_entry(title="Home Brain", data={CONF_MODEL_PATH: path})
            default = str(user_input[CONF_MODEL_PATH])
        return self.async_show_form(
            step_id=step_id,
            data_schema=vol.Schema({vol.Required(CONF_MODEL_PATH, default=default): selector.TextSelector()}),
            errors=errors,
            description_placeholders=placeholders,
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
                    # Monitoring (monitoring.py): the window of the shares, latencies and alert.
                    vol.Optional(
                        CONF_MONITOR_WINDOW,
                        description={"suggested_value": options.get(CONF_MONITOR_WINDOW, DEFAULT_MONITOR_WINDOW)},
                    ): selector.NumberSelector(
                        selector.NumberSelectorConfig(min=10, max=10_000, step=10, mode=selector.NumberSelectorMode.BOX)
                    ),
                    vol.Optional(
                        CONF_FALLBACK_ALERT_SHARE,
                        description={
                            "suggested_value": options.get(CONF_FALLBACK_ALERT_SHARE, DEFAULT_FALLBACK_ALERT_SHARE)
                        },
                    ): selector.NumberSelector(
                        selector.NumberSelectorConfig(min=0.05, max=1.0, step=0.05, mode=selector.NumberSelectorMode.SLIDER)
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
