"""The token-classification label schema shared by training and the runtime.

Each token gets one label:
- ``O``: filler that belongs to no command ("please").
- ``SEP``: a word that joins two commands ("and", "then", "and then").
- ``INTENT:<Intent>``: a carrier word of a command ("turn", "on", "the", "set ... to").
  A command's intent is the vote of its carrier words, so split phrasings
  ("turn the light on") and word-order fragments ("kitchen light off") both work.
- ``B-<slot>`` / ``I-<slot>``: a slot value span ("kitchen light" -> B-name I-name).

Commands are the stretches between ``SEP`` words (see ``commands.py``).

Every fact said is kept: a word that names a kind of device is the device (``B-domain``), not
a carrier word, even where it is also a verb, unless it acts as the verb (``device_words``):
"office switch off", "turn the switch off", "lock the lock", "fan on" all name the device. The
training data are labelled by this rule and the commands reader applies it to what the model
says, so a device word the model tags as a carrier is not lost. The label list of a
model lives in its ``config.json`` (``id2label``), so a model may know more or fewer intents
than the defaults below.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .vocabulary import domain_of_word

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


@lru_cache(maxsize=512)  # a model has a few dozen labels, read ~40 times a turn; Label is frozen
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


# Device words that are verbs too: "switch off ...", "lock the door", "light up the hall".
VERB_DEVICE_WORDS = frozenset({"switch", "lock", "light", "vacuum"})
# Words that make a device word describe something else: "fan mode", "tv show", "light level".
_NOT_A_DEVICE_BEFORE = frozenset({"mode", "modes", "show", "shows", "level", "levels", "sensor", "sensors"})
# Words after which a device word is the thing named, never the verb ("the switch", "my lock").
_DETERMINERS = frozenset({"the", "a", "an", "my", "our", "your", "this", "that", "these", "those", "all", "every",
                          "both", "each", "any"})


def device_words(words: list[str], kinds: list[LabelKind], names: list[bool] | None = None) -> list[tuple[int, int]]:
    """Where carrier words of one command name a device: [start, end) word ranges.

    ``words``: the command's words; ``kinds``: their label kinds. A carrier word (or two, as
    in "garage door") that names a kind of device is the device, except a word that is also a
    verb ("switch", "lock", "light", "vacuum") said as the verb: before any slot word of its
    command and not after a determiner ("switch off the office switch": the first is the verb),
    and a word that describes something else ("fan mode", "tv show"). People words ("anyone")
    are left alone: "did anyone lock ..." asks about the lock. ``names``: which words are a
    device name's; a device word right after a name ends that name ("stealth mode script") and
    is left to the home's names to read.
    """
    found: list[tuple[int, int]] = []
    slot_seen = False
    i = 0
    while i < len(words):
        # A device word before it does not count: the rule must read its own output the same.
        if kinds[i] in ("B", "I") and domain_of_word(words[i]) is None:
            slot_seen = True
        if kinds[i] != "INTENT":
            i += 1
            continue
        size = next((n for n in (2, 1) if i + n <= len(words) and all(k == "INTENT" for k in kinds[i : i + n])
                     and domain_of_word(" ".join(words[i : i + n])) not in (None, "person")), 0)
        if not size:
            i += 1
            continue
        word = words[i].casefold()
        if names is not None and i > 0 and names[i - 1]:
            i += size
            continue
        if i + size < len(words) and words[i + size].casefold() in _NOT_A_DEVICE_BEFORE:
            i += size
            continue
        after_determiner = i > 0 and words[i - 1].casefold() in _DETERMINERS
        if size == 1 and word in VERB_DEVICE_WORDS and not slot_seen and not after_determiner:
            i += 1  # the verb
            continue
        found.append((i, i + size))
        i += size
    # A device word that is the command's only carrier word says its intent too ("fans 50%").
    if sum(b - a for a, b in found) == sum(kind == "INTENT" for kind in kinds):
        return []
    return found
