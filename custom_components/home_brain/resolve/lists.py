"""To-do lists: Home Assistant's shopping list intents in a home whose list is called so,
and several items said at once."""

from __future__ import annotations

import re
from dataclasses import replace

from ..nlu.commands import Command, SlotValue

# Home Assistant's shopping list intents, as the to-do list intents of a list called so.
_SHOPPING_LIST_INTENTS = {"HassShoppingListAddItem": "HassListAddItem",
                          "HassShoppingListCompleteItem": "HassListCompleteItem"}
_SHOPPING_LIST_NAMES = frozenset({"shopping", "shopping list"})
# "add eggs, milk and bread": the items of a list said, each added by itself. People list
# several things this way; a dish called "x and y" split in two still reads right on the list.
_ITEM_JOINS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)


def items_said(text: str) -> list[str]:
    return [item for part in _ITEM_JOINS.split(text) if (item := part.strip())] or [text]


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
