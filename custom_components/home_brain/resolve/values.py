"""Slot values: the words said for a setting, a state, a colour or a device class, read as
the values Home Assistant's intents take, from Home Assistant's own word lists (loaded once,
in the executor); a typo of one of their words is that word when it is clearly the closest."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from hassil.parse_expression import parse_sentence
from hassil.sample import sample_expression
from home_assistant_intents import get_intents

from ..nlu.en import singular
from ..nlu.home_names import normalize
from ..nlu.sensor_words import BINARY_SENSOR_CLASSES, binary_sensor_class, binary_sensor_state
from ..nlu.values import parse_number, parse_share
from ..nlu.vocabulary import WORD_TO_DOMAIN
from .match import closest
from .scope import EXPANSION_RULES

FUZZY_MIN_SCORE = 0.8
# Two candidates closer than this are too close to call: asking beats guessing.
FUZZY_MARGIN = 0.05

# Every word that names a binary sensor's class, for typos of them.
BINARY_SENSOR_WORDS = frozenset(w for c in BINARY_SENSOR_CLASSES.values() for w in (*c.nouns, *c.implied))
INTEGER_SLOTS = frozenset({"brightness", "position", "percentage", "volume_level", "volume_step",
                           "hours", "minutes", "seconds", "start_hours", "start_minutes", "start_seconds"})
FLOAT_SLOTS = frozenset({"temperature"})
PERCENT_SLOTS = frozenset({"brightness", "position", "percentage", "volume_level"})
TEXT_SLOTS = frozenset({"item", "message", "search_query", "conversation_command", "media_class", "fan_mode"})
# Which of Home Assistant's state lists speaks of each domain's states ("open": a cover's
# "open", a door sensor's "on").
_STATE_LISTS = {"cover": "cover_", "valve": "cover_", "lock": "lock_", "binary_sensor": "bs_",
                "light": "on_off_", "switch": "on_off_", "fan": "on_off_"}


class Unresolved(Exception):
    """A slot that names nothing in this home, or more than one thing."""

    def __init__(self, slot: str, text: str, reason: str, candidates: list[str] | None = None) -> None:
        super().__init__(f"{slot} {text!r}: {reason}")
        self.slot = slot
        self.text = text
        self.reason = reason  # "unknown", "ambiguous", "invalid", "wrong_domain"...
        self.candidates = candidates or []


type ValueLists = dict[str, dict[str, str]]


@cache
def load_value_lists(language: str) -> ValueLists:
    """Home Assistant's value lists (colours, states, cover classes) as said-text -> value.

    Reads the intents package's data files: call it in the executor.
    """
    lists = (get_intents(language) or {}).get("lists", {})
    result: dict[str, dict[str, str]] = {}
    for list_name, spec in lists.items():
        table: dict[str, str] = {}
        for value in spec.get("values", []):
            if isinstance(value, str):
                table[normalize(value)] = value
                continue
            for said in sample_expression(parse_sentence(value["in"]).expression):
                table.setdefault(normalize(said), str(value["out"]))
        if table:
            result[list_name] = table
    # The phrases of the rules that say "the whole home" and "here" ("<everywhere>"), as lists.
    rules = (get_intents(language) or {}).get("expansion_rules", {})
    for rule in EXPANSION_RULES:
        if rule in rules:
            phrases = sample_expression(parse_sentence(rules[rule]).expression)
            result[f"<{rule}>"] = {said: said for phrase in phrases if (said := " ".join(phrase.casefold().split()))}
    return result


def _closest(said: str, words: Iterable[str]) -> str | None:
    return closest(said, words, FUZZY_MIN_SCORE, FUZZY_MARGIN)


def domain_of_misspelt_word(said: str) -> str | None:
    """The domain of the device word a slip stands for ("lighgs" -> light, "fns" -> fan), as
    for every other slot's words: clearly the closest; else None."""
    word = _closest(" ".join(said.casefold().split()), WORD_TO_DOMAIN)
    return None if word is None else WORD_TO_DOMAIN[word]


def _list_value(slot: str, text: str, tables: ValueLists, lists: tuple[str, ...]) -> str:
    said = normalize(text)
    for list_name in lists:
        if (value := tables.get(list_name, {}).get(said)) is not None:
            return value
    words = {word: table[word] for list_name in lists for table in [tables.get(list_name, {})] for word in table}
    if (word := _closest(said, words)) is not None:
        return words[word]
    raise Unresolved(slot, text, "invalid")


def slot_value(value_lists: ValueLists, slot: str, text: str, kinds: frozenset[str] = frozenset()) -> Any:
    """The value Home Assistant takes for ``slot`` said as ``text``; ``kinds``: the domains of
    the devices it is about (a state word is read in their words first)."""
    if slot in INTEGER_SLOTS or slot in FLOAT_SLOTS:
        # "half", "three quarters" of a percentage slot are shares of 100.
        share = parse_share(text) if slot in PERCENT_SLOTS else None
        number = float(share) if share is not None else parse_number(text)
        if number is None:
            # "max", "the lowest": Home Assistant's word lists for the slot (brightness_level).
            word_lists = tuple(name for name in value_lists if name.startswith(f"{slot}_"))
            said = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
            number = parse_number(_list_value(slot, said, value_lists, word_lists))
        if number is None:
            raise Unresolved(slot, text, "invalid")
        return round(number) if slot in INTEGER_SLOTS else number
    if slot == "color":
        return _list_value(slot, text, value_lists, ("color",))
    if slot == "media_class":
        # "tv show" -> tv_show, the value Home Assistant's media search takes.
        try:
            return _list_value(slot, text, value_lists, ("media_class",))
        except Unresolved:
            return text
    if slot == "state":
        states = tuple(name for name in value_lists if name.endswith("_states"))
        if len(kinds) == 1 and (prefix := _STATE_LISTS.get(next(iter(kinds)))) is not None:
            try:
                return _list_value(slot, text, value_lists, tuple(n for n in states if n.startswith(prefix)))
            except Unresolved:
                pass  # not a word of that kind's states: read as any device's
        try:
            return _list_value(slot, text, value_lists, states)
        except Unresolved:
            # A binary sensor's state in its class's words: "low" (battery) -> on.
            if (value := binary_sensor_state(normalize(text))) is not None:
                return value
            raise
    return text


def device_class_of_word(value_lists: ValueLists, text: str) -> tuple[str, str]:
    """(device class, domain) of a class word: a cover class, else a binary sensor's."""
    try:
        return _list_value("device_class", text, value_lists, ("cover_classes",)), "cover"
    except Unresolved:
        said = normalize(text)
        if (found := binary_sensor_class(said) or binary_sensor_class(singular(said))) is not None:
            return found, "binary_sensor"
        if (word := _closest(said, BINARY_SENSOR_WORDS)) is not None and (found := binary_sensor_class(word)):
            return found, "binary_sensor"
        raise
