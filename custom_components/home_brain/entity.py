"""What Home Brain's helper entities (sensors, buttons, select) share: the entry's device,
and the admin check of the buttons and select."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import Unauthorized, UnknownUser
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.entity import Entity

from .const import DOMAIN


def device_info(entry: ConfigEntry) -> dr.DeviceInfo:
    """The one service device an entry shows, with the agent and its diagnostics under it."""
    return dr.DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        manufacturer="Home Brain",
        entry_type=dr.DeviceEntryType.SERVICE,
    )


class HomeBrainEntity(Entity):
    """An entity of one entry, named by its translation key under the entry's device."""

    _attr_has_entity_name = True

    def __init__(self, entry: ConfigEntry, key: str) -> None:
        self.entry = entry
        self._attr_translation_key = key
        self._attr_unique_id = f"{entry.entry_id}_{key}"
        self._attr_device_info = device_info(entry)


async def async_require_admin(hass: HomeAssistant, context: Context | None) -> None:
    """Refuse a non-admin user, as ``async_register_admin_service`` does for the actions:
    the export holds what everyone said, and a model decides what happens to devices.
    Automations and scripts (no user) may."""
    if context is None or context.user_id is None:
        return
    user = await hass.auth.async_get_user(context.user_id)
    if user is None:
        raise UnknownUser(context=context)
    if not user.is_admin:
        raise Unauthorized(context=context)
