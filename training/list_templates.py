"""To-do list requests in the verbs people use beside Home Assistant's "check off" / "complete"
("cross bins off the chores list", "tick off milk on my shopping list", "take eggs off the
list"), in hassil's format; ``extra_templates`` merges them. Our own words, not built from Home
Assistant's intents test suite."""

from __future__ import annotations

from typing import Any

# Ticking an item off a list, in the verbs people use beside HA's "check off" / "complete".
_TICK = "(cross|tick|strike|mark)"
_DONE = "(done|complete|completed|finished|bought)"


def _list_blocks(item: str, where: str) -> list[str]:
    return [
        f"{_TICK} {item} off [my|the] {where}",
        f"{_TICK} off {item} (from|on|in) [my|the] {where}",
        f"mark {item} as {_DONE} (on|in) [my|the] {where}",
    ]


def list_intents() -> dict[str, Any]:
    """ "cross bins off the chores list", "tick off milk on my shopping list", "take eggs off
    the list": the same requests as HA's templates, in the verbs its templates lack."""
    named = "{name} [list]"
    item = "{todo_list_item:item}"
    shopping_item = "{shopping_list_item:item}"
    todo = {"domain": ["todo"]}
    return {
        "HassListCompleteItem": {"data": [{"sentences": _list_blocks(item, named), "requires_context": todo}]},
        "HassShoppingListCompleteItem": {"data": [{"sentences": _list_blocks(shopping_item, "[shopping] list")}]},
        "HassListRemoveItem": {"data": [{"sentences": [f"take {item} (off|out of) [my|the] {named}"],
                                         "requires_context": todo}]},
    }
