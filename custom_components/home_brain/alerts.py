"""Home Brain's repair issues, made in this one place: a model folder setup cannot load, a
model that failed its smoke test, and a share of turns handed to the fallback agent that says
the model no longer fits the home. Each raises and clears itself.

Each is keyed by the entry, so two entries alert apart and removing an entry removes them all.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .model import model_folder


def folder_alert_id(entry: ConfigEntry) -> str:
    return f"model_folder_{entry.entry_id}"


def model_alert_id(entry: ConfigEntry) -> str:
    return f"model_failed_{entry.entry_id}"


def fallback_alert_id(entry: ConfigEntry) -> str:
    return f"fallback_share_{entry.entry_id}"


@callback
def _async_raise(
    hass: HomeAssistant, issue_id: str, severity: ir.IssueSeverity, key: str, placeholders: dict[str, str]
) -> None:
    # None is fixable from the repair itself: each says what the user does elsewhere.
    ir.async_create_issue(
        hass, DOMAIN, issue_id, is_fixable=False, severity=severity, translation_key=key,
        translation_placeholders=placeholders,
    )


@callback
def async_raise_folder_alert(hass: HomeAssistant, entry: ConfigEntry, path: str, error: str) -> None:
    """The entry's model folder cannot be loaded: the entry fails setup, so this is an error
    (the entry's own error is easy to miss; the repair says what is wrong and how to fix it)."""
    placeholders = {"title": entry.title, "path": str(model_folder(path)), "error": error}
    _async_raise(hass, folder_alert_id(entry), ir.IssueSeverity.ERROR, "model_folder", placeholders)


@callback
def async_clear_folder_alert(hass: HomeAssistant, entry: ConfigEntry) -> None:
    ir.async_delete_issue(hass, DOMAIN, folder_alert_id(entry))


@callback
def async_raise_model_alert(hass: HomeAssistant, entry: ConfigEntry, path: str, error: str) -> None:
    """A newly loaded model failed; the old one still serves, so this is a warning."""
    # The folder's name only: the full path may hold a user name, and repairs are shared.
    placeholders = {"title": entry.title, "folder": model_folder(path).name, "error": error}
    _async_raise(hass, model_alert_id(entry), ir.IssueSeverity.WARNING, "model_failed", placeholders)


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
    placeholders = {"title": entry.title, "share": f"{share:.0%}", "threshold": f"{threshold:.0%}",
                    "window": str(window)}
    _async_raise(hass, fallback_alert_id(entry), ir.IssueSeverity.WARNING, "fallback_share", placeholders)


@callback
def async_clear_alerts(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """The entry is gone: so are its alerts."""
    for issue_id in (folder_alert_id(entry), model_alert_id(entry), fallback_alert_id(entry)):
        ir.async_delete_issue(hass, DOMAIN, issue_id)
