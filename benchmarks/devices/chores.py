"""Chores: robot vacuums, lawn mowers, to-do lists (after Home Assistant's demo devices)."""

from __future__ import annotations

import uuid
from typing import Any

from homeassistant.components.lawn_mower import LawnMowerActivity, LawnMowerEntity, LawnMowerEntityFeature
from homeassistant.components.todo import (
    TodoItem,
    TodoItemStatus,
    TodoListEntity,
    TodoListEntityFeature,
)
from homeassistant.components.vacuum import StateVacuumEntity, VacuumActivity, VacuumEntityFeature

from .base import Simulated, every_feature


class SimulatedVacuum(Simulated, StateVacuumEntity):
    """demo.vacuum (StateDemoVacuum); every area of the home is one segment it can clean."""

    features = VacuumEntityFeature

    full_features = every_feature(VacuumEntityFeature)

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_activity = VacuumActivity(state) if state in {a.value for a in VacuumActivity} \
            else VacuumActivity.DOCKED
        self._cleaning: list[str] = list(attributes.get("cleaning_areas") or [])
        self._attr_fan_speed_list = ["min", "medium", "high", "max"]
        self._attr_fan_speed = attributes.get("fan_speed", "medium")

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        return {"cleaning_areas": list(self._cleaning)} if self._cleaning else {}

    def _set(self, activity: VacuumActivity, areas: list[str] | None = None) -> None:
        self._attr_activity, self._cleaning = activity, areas or []
        self.async_write_ha_state()

    async def async_start(self) -> None:
        self._set(VacuumActivity.CLEANING, self._cleaning if self.activity == VacuumActivity.CLEANING else [])

    async def async_pause(self) -> None:
        if self.activity == VacuumActivity.CLEANING:
            self._set(VacuumActivity.PAUSED, self._cleaning)

    async def async_stop(self, **kwargs: Any) -> None:
        self._set(VacuumActivity.IDLE)

    async def async_return_to_base(self, **kwargs: Any) -> None:
        self._set(VacuumActivity.RETURNING)

    async def async_clean_spot(self, **kwargs: Any) -> None:
        self._set(VacuumActivity.CLEANING)

    async def async_locate(self, **kwargs: Any) -> None:
        pass

    async def async_set_fan_speed(self, fan_speed: str, **kwargs: Any) -> None:
        self._attr_fan_speed = fan_speed
        self.async_write_ha_state()

    async def async_get_segments(self) -> list[Any]:
        from homeassistant.components.vacuum import Segment
        from homeassistant.helpers import area_registry as ar

        return [Segment(id=a.id, name=a.name) for a in ar.async_get(self.hass).async_list_areas()]

    async def async_clean_segments(self, segment_ids: list[str], **kwargs: Any) -> None:
        self._set(VacuumActivity.CLEANING, sorted(segment_ids))

class SimulatedLawnMower(Simulated, LawnMowerEntity):
    """LawnMowerEntity (demo has none): mowing, docked, paused."""

    features = LawnMowerEntityFeature

    full_features = every_feature(LawnMowerEntityFeature)

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_activity = LawnMowerActivity(state) if state in {a.value for a in LawnMowerActivity} \
            else LawnMowerActivity.DOCKED

    def _set(self, activity: LawnMowerActivity) -> None:
        self._attr_activity = activity
        self.async_write_ha_state()

    async def async_start_mowing(self) -> None:
        self._set(LawnMowerActivity.MOWING)

    async def async_dock(self) -> None:
        self._set(LawnMowerActivity.DOCKED)

    async def async_pause(self) -> None:
        self._set(LawnMowerActivity.PAUSED)

class SimulatedTodoList(Simulated, TodoListEntity):
    """A to-do list (demo has none; like local_todo): items to add, complete, rename, remove.
    It starts with the home's ``items`` for it, or the suite's list items."""

    features = TodoListEntityFeature

    full_features = (TodoListEntityFeature.CREATE_TODO_ITEM | TodoListEntityFeature.UPDATE_TODO_ITEM
                     | TodoListEntityFeature.DELETE_TODO_ITEM)

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_todo_items = [TodoItem(summary=str(s), uid=uuid.uuid4().hex, status=TodoItemStatus.NEEDS_ACTION)
                                 for s in attributes.get("items") or []]

    async def async_create_todo_item(self, item: TodoItem) -> None:
        self._attr_todo_items = [*(self._attr_todo_items or []),
                                 TodoItem(summary=item.summary, uid=uuid.uuid4().hex, status=item.status)]
        self.async_write_ha_state()

    async def async_update_todo_item(self, item: TodoItem) -> None:
        self._attr_todo_items = [item if i.uid == item.uid else i for i in self._attr_todo_items or []]
        self.async_write_ha_state()

    async def async_delete_todo_items(self, uids: list[str]) -> None:
        self._attr_todo_items = [i for i in self._attr_todo_items or [] if i.uid not in uids]
        self.async_write_ha_state()

    def contents(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(((i.summary or "").casefold(), str(i.status)) for i in self._attr_todo_items or []))
