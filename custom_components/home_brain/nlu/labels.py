"""The token-classification label schema shared by training and the runtime.

Each token gets one label:
- ``O``: filler that belongs to no command ("please").
- ``SEP``: a word that joins two commands ("and", "then", "and then").
- ``INTENT:<Intent>``: a carrier word of a command ("turn", "on", "the", "set ... to").
  A command's intent is the vote of its carrier words, so split phrasings
  ("turn the light on") and word-order fragments ("kitchen light off") both work.
- ``B-<slot>`` / ``I-<slot>``: a slot value span ("kitchen light" -> B-name I-name).

Commands are the stretches between ``SEP`` words (see ``commands.py``). The label list of a
model lives in its ``config.json`` (``id2label``), so a model may know more or fewer intents
than the defaults below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OUTSIDE = "O"
SEPARATOR = "SEP"
INTENT_PREFIX = "INTENT:"

# Slot names as Home Assistant's intents use them, so a command's slots can be handed to
# `intent.async_handle` unchanged once resolved.
SLOTS: tuple[str, ...] = (
    "name",
    "area",
    "floor",
    "domain",
    "device_class",
    "state",
    "brightness",
    "color",
    "temperature",
    "position",
    "percentage",
    "fan_mode",
    "volume_level",
    "volume_step",
    "hours",
    "minutes",
    "seconds",
    "start_hours",
    "start_minutes",
    "start_seconds",
    "item",
    "message",
    "search_query",
    "media_class",
    "conversation_command",
)

LabelKind = Literal["O", "SEP", "INTENT", "B", "I"]


@dataclass(frozen=True, slots=True)
class Label:
    """A parsed label: its kind and, for intents and slots, the intent or slot name."""

    kind: LabelKind
    value: str = ""


def build_labels(intents: list[str] | tuple[str, ...], slots: tuple[str, ...] = SLOTS) -> list[str]:
    """The label list for a model that knows these intents and slots, in a stable order."""
    labels = [OUTSIDE, SEPARATOR]
    for slot in slots:
        labels += [f"B-{slot}", f"I-{slot}"]
    labels += [f"{INTENT_PREFIX}{intent}" for intent in sorted(intents)]
    return labels


def parse_label(label: str) -> Label:
    """Parse a label string; raises ValueError for a string outside the schema."""
    if label == OUTSIDE:
        return Label("O")
    if label == SEPARATOR:
        return Label("SEP")
    if label.startswith(INTENT_PREFIX) and len(label) > len(INTENT_PREFIX):
        return Label("INTENT", label[len(INTENT_PREFIX) :])
    if label[:2] in ("B-", "I-") and len(label) > 2:
        return Label(label[0], label[2:])  # type: ignore[arg-type]
    raise ValueError(f"not a Home Brain label: {label!r}")
