"""The learning loop as buttons: export for training, install the picked model, roll back.

Each does what its action does (``services.py``), and like the actions only for admins.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components import persistent_notification
from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import HomeBrainConfigEntry
from .const import DOMAIN
from .deploy import async_reload_model, async_rollback
from .entity import HomeBrainEntity, async_require_admin
from .services import async_export


@dataclass(frozen=True, kw_only=True)
class HomeBrainButtonDescription(ButtonEntityDescription):
    press_fn: Callable[[HomeAssistant, HomeBrainConfigEntry], Awaitable[None]]


async def _export(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> None:
    result = await async_export(hass, [entry])
    # A button has no answer of its own: the notification says where the files went.
    persistent_notification.async_create(
        hass,
        f"Exported {result['turns']} turns and {result['entities']} entities to `{result['path']}`. "
        "Give that folder to `python -m training --logs` to retrain the model for your home.",
        title="Home Brain: export for training",
        notification_id=f"{DOMAIN}_export_{entry.entry_id}",
    )


async def _install(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> None:
    learning = entry.runtime_data.learning
    choice = entry.runtime_data.model_choice
    if learning is None or choice is None:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_model_chosen")
    await async_reload_model(hass, entry, learning.deployment, choice)


async def _rollback(hass: HomeAssistant, entry: HomeBrainConfigEntry) -> None:
    learning = entry.runtime_data.learning
    if learning is None:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_loaded_entry")
    async_rollback(hass, entry, learning.deployment)


BUTTONS = (
    HomeBrainButtonDescription(key="export", entity_category=EntityCategory.CONFIG, press_fn=_export),
    HomeBrainButtonDescription(key="install_model", entity_category=EntityCategory.CONFIG, press_fn=_install),
    HomeBrainButtonDescription(key="rollback_model", entity_category=EntityCategory.CONFIG, press_fn=_rollback),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    async_add_entities(HomeBrainButton(entry, description) for description in BUTTONS)


class HomeBrainButton(HomeBrainEntity, ButtonEntity):
    entity_description: HomeBrainButtonDescription

    def __init__(self, entry: HomeBrainConfigEntry, description: HomeBrainButtonDescription) -> None:
        super().__init__(entry, description.key)
        self.entity_description = description

    @override
    async def async_press(self) -> None:
        await async_require_admin(self.hass, self._context)
        await self.entity_description.press_fn(self.hass, self.entry)
