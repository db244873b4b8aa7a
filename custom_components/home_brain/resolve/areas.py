"""The one entity -> area lookup: an entity's own area, else its device's (as Home Assistant
itself reads it when it matches targets by area)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er


def entity_area_id(hass: HomeAssistant, entity_id: str) -> str | None:
    """The area ``entity_id`` stands in, or None."""
    if (entry := er.async_get(hass).async_get(entity_id)) is None:
        return None
    if entry.area_id is not None:
        return entry.area_id
    if entry.device_id and (device := dr.async_get(hass).async_get(entry.device_id)):
        return device.area_id
    return None
