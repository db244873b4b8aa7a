"""Light commands in everyday shapes that Home Assistant's English templates lack.

- A colour change said with the colour the lights have now: "change the lights from blue to
  white". The colour they change from is a carrier word, not the ``color`` slot: only the
  colour after "to" is what to set.
- A place's lights before the value: "set the living room lights to red", "make the kitchen
  lamps blue" (HA's templates say "the living room to red" or "the lights in the living
  room to red").
- The lights of the room the user is in, said as "the room light" or "this room's lights"
  (HA's ``<here>`` only says "in this room" after the device).

Written in hassil's format like ``extra_templates`` (which merges them), in our own words;
not built from Home Assistant's intents test suite.
"""

from __future__ import annotations

from typing import Any

# The colours a light is said to be changed from: carrier words, so a literal alternative.
_FROM_COLOUR = "(white|warm white|red|orange|yellow|green|blue|purple|pink|turquoise)"
_COLOUR_WORD = "[colo[u]r[s]]"
_CHANGE = "(<set>|switch)"
# "the room light", "this room's lamps": the lights of the room the user is in.
_ROOM = "(the|this) room[[']s]"


def _colour_blocks() -> list[dict[str, Any]]:
    light = {"domain": "light"}
    return [
        {
            "sentences": [
                f"<set> [<the>] {{area}} <light> {_COLOUR_WORD} [to] {{color}}",
                f"{_CHANGE} [(<all>|<the>)] {{area}} <light> {_COLOUR_WORD} from {_FROM_COLOUR} to {{color}}",
                f"{_CHANGE} [(<all>|<the>)] <light> {_COLOUR_WORD} <in> [<the>] {{area}} from {_FROM_COLOUR} to {{color}}",
            ],
            "slots": light,
        },
        {
            "sentences": [
                f"{_CHANGE} [(<all>|<the>)] <light> {_COLOUR_WORD} from {_FROM_COLOUR} to {{color}} [<here>]",
                f"{_CHANGE} {_ROOM} <light> {_COLOUR_WORD} [from {_FROM_COLOUR}] to {{color}}",
                f"(make|turn) {_ROOM} <light> {{color}}",
            ],
            "slots": light,
            "requires_context": {"area": {"slot": True}},
        },
        {
            "sentences": [
                f"{_CHANGE} [<the>] {{name}} {_COLOUR_WORD} from {_FROM_COLOUR} to {{color}}",
            ],
            "requires_context": {"domain": ["light"]},
        },
    ]


def _room_block(state: str) -> dict[str, Any]:
    """ "turn the room light off": the lights where the user is (HassTurnOn/Off)."""
    return {
        "sentences": [
            f"<turn> {_ROOM} <light> {state}",
            f"<turn> {state} {_ROOM} <light>",
            f"{_ROOM} <light> {state} [please]",
        ],
        "slots": {"domain": "light"},
        "requires_context": {"area": {"slot": True}},
    }


def light_intents() -> dict[str, list[dict[str, Any]]]:
    """The blocks above by intent, for ``extra_templates.extra_intents``."""
    return {
        "HassLightSet": _colour_blocks(),
        "HassTurnOn": [_room_block("on")],
        "HassTurnOff": [_room_block("(off|out)")],
    }
