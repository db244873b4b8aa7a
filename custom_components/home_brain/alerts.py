"""Repairs that raise and clear themselves: a model that failed its smoke test, and a share
of turns handed to the fallback agent that says the model no longer fits the home.

Each is keyed by the entry, so two entries alert apart and removing an entry removes both.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .model import model_folder


def model_alert_id(entry: ConfigEntry) -> str:
    return f"model_failed_{entry.entry_id}"


def fallback_alert_id(entry: ConfigEntry) -> str:
    return f"fallback_share_{entry.entry_id}"


@callback
def async_raise_model_alert(hass: HomeAssistant, entry: ConfigEntry, path: str, error: str) -> None:
    """A newly loaded model failed; the old one still serves, so this is a warning."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        model_alert_id(entry),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="model_failed",
        # The folder's name only: the full path may hold a user name, and repairs are shared.
        translation_placeholders={"title": entry.title, "folder": model_folder(path).name, "error": error},
    )


@callback
def async_clear_model_alert(hass: HomeAssistant, entry: ConfigEntry) -> None:
    ir.async_delete_issue(hass, DOMAIN, model_alert_id(entry))


@callback
def async_update_fallback_alert(
    hass: HomeAssistant, entry: ConfigEntry, share: float | None, threshold: float, window: int
) -> None:
    """Raise the alert while ``share`` (None: too few turns to tell) is above ``threshold``."""
    if share is None or share <= threshold:
        ir.async_delete_issue(hass, DOMAIN, fallback_alert_id(entry))
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        fallback_alert_id(entry),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="fallback_share",
        translation_placeholders={
            "title": entry.title,
            "share": f"{share:.0%}",
            "threshold": f"{threshold:.0%}",
            "window": str(window),
        },
    )


@callback
def async_clear_alerts(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """The entry is gone: so are its alerts."""
    for issue_id in (model_alert_id(entry), fallback_alert_id(entry)):
        ir.async_delete_issue(hass, DOMAIN, issue_id)
