"""To-do lists: Home Assistant's shopping list intents in a home whose list is called so,
several items said at once, and an item already on the list."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from homeassistant.components.todo import TodoItemStatus
from homeassistant.components.todo.const import DATA_COMPONENT as TODO_COMPONENT
from homeassistant.core import HomeAssistant

from ..nlu.commands import Command, SlotValue
from ..nlu.home_names import normalize
from .values import Unresolved

# Home Assistant's shopping list intents, as the to-do list intents of a list called so.
_SHOPPING_LIST_INTENTS = {"HassShoppingListAddItem": "HassListAddItem",
                          "HassShoppingListCompleteItem": "HassListCompleteItem"}
_SHOPPING_LIST_NAMES = frozenset({"shopping", "shopping list"})
# "add eggs, milk and bread": the items of a list said, each added by itself. People list
# several things this way; a dish called "x and y" split in two still reads right on the list.
_ITEM_JOINS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)


def items_said(text: str) -> list[str]:
    return [item for part in _ITEM_JOINS.split(text) if (item := part.strip())] or [text]


def check_not_listed(hass: HomeAssistant, slots: dict[str, dict[str, Any]]) -> None:
    """Adding what the list already holds, not yet done, would write it twice: a careful
    person says so instead (and "mark eggs as done" misread as adding eggs moves nothing)."""
    component = hass.data.get(TODO_COMPONENT)
    entity = component.get_entity(str(slots.get("name", {}).get("value"))) if component else None
    said = normalize(str(slots["item"]["value"]))
    for item in (entity.todo_items or ()) if entity is not None else ():
        if item.status == TodoItemStatus.NEEDS_ACTION and normalize(item.summary or "") == said:
            raise Unresolved("item", str(slots["item"]["value"]), "already_listed")


def shopping_list_of_this_home(names: list[tuple[str, str, str]], command: Command) -> Command:
    """ "put milk on my shopping list": Home Assistant's shopping list intents, in a home
    whose to-do list is called "Shopping" (or "Shopping List"), are meant for that list
    (the shopping list integration's own list is such a to-do list)."""
    intent_type = _SHOPPING_LIST_INTENTS.get(command.intent)
    if intent_type is None or "name" in command.slots:
        return command
    lists = {e: n for n, e, d in names if d == "todo" and n in _SHOPPING_LIST_NAMES}
    if len(lists) != 1:
        return command
    [name] = lists.values()
    return replace(command, intent=intent_type,
                   slots={**command.slots, "name": [SlotValue(name, 0, 0, command.confidence)]})
