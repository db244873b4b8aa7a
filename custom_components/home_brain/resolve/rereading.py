"""Slots re-read as this home names things, before any is resolved: the model cannot know
which of two readings a home made true (a place that is a floor here, a "place" that is a
device's name, a device word that ends a misheard name)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..nlu.commands import Command, SlotValue
from ..nlu.home_names import normalize
from ..nlu.intents import INTENT_DOMAINS
from .match import PART_OF_NAME, SAME_SOUND, SAME_WORDS, score
from .snapshot import Names
from .values import FUZZY_MIN_SCORE, Unresolved

# The resolver's lookup of the one entity a name says (``TargetResolver.entity``).
type EntityLookup = Callable[[str, frozenset[str] | None], str]


def places_of_the_other_kind(command: Command, names: Names) -> Command:
    """ "all the outdoor lights" read with "outdoor" as an area in a home whose outside is a
    floor (alias "Outdoors"): a place that names no area but a floor is that floor, and the
    converse; the model cannot know which of the two this home made it."""
    slots = {k: list(vs) for k, vs in command.slots.items()}
    for slot, known, other, others in (("area", names.areas, "floor", names.floors),
                                       ("floor", names.floors, "area", names.areas)):
        for value in command.slots.get(slot, []):
            said = normalize(value.text)
            if max((score(said, n) for n, _ in known), default=0.0) >= FUZZY_MIN_SCORE:
                continue
            if max((score(said, n) for n, _ in others), default=0.0) >= SAME_WORDS:
                slots[slot].remove(value)
                slots.setdefault(other, []).append(value)
    return replace(command, slots={k: vs for k, vs in slots.items() if vs})


def places_that_are_names(command: Command, names: Names, entity: EntityLookup) -> Command:
    """ "close the left blnd" read with "left blnd" as a floor: a place that names no area or
    floor but is a device's whole name, or one typo or sound away from it, is that device. A
    part of a name is not enough ("the garage" with no such room is not the Garage Door)."""
    moved: list[tuple[str, SlotValue]] = []
    for slot, known in (("area", names.areas), ("floor", names.floors)):
        for value in command.slots.get(slot, []):
            said = normalize(value.text)
            if any(score(said, name) >= FUZZY_MIN_SCORE for name, _ in known):
                continue
            try:
                ident = entity(value.text, INTENT_DOMAINS.get(command.intent))
            except Unresolved:
                continue
            if max(score(said, n) for n, e, _ in names.entities if e == ident) > PART_OF_NAME:
                moved.append((slot, value))
    if not moved:
        return command
    slots = {k: [v for v in vs if (k, v) not in moved] for k, vs in command.slots.items()}
    slots["name"] = sorted([*slots.get("name", []), *(v for _, v in moved)], key=lambda v: v.start)
    return replace(command, slots={k: vs for k, vs in slots.items() if vs})


def device_word_ending_a_name(command: Command, text: str, names: Names, entity: EntityLookup) -> Command:
    """ "turn on the nite lite" read as a device word "lite" after the verb's words: the
    word with the untagged words before it, when they are a device's whole name misspelt or
    misheard, is that device (speech-to-text writes names as it hears them)."""
    if "name" in command.slots:
        return command
    tagged = [(v.start, v.end) for values in command.slots.values() for v in values]
    for value in command.slots.get("domain", []):
        words = list(re.finditer(r"\S+", text[: value.start]))
        for count in range(1, min(3, len(words)) + 1):
            start = words[-count].start()
            if any(s < value.start and e > start for s, e in tagged if (s, e) != (value.start, value.end)):
                break  # another slot's words: not this name's
            said = text[start:value.end]
            try:
                ident = entity(said, INTENT_DOMAINS.get(command.intent))
            except Unresolved:
                continue
            best = max(score(normalize(said), n) for n, e, _ in names.entities if e == ident)
            if best >= SAME_SOUND and best != PART_OF_NAME and best < SAME_WORDS:
                slots = {k: [v for v in vs if v is not value] for k, vs in command.slots.items()}
                slots["name"] = [SlotValue(said, start, value.end, value.confidence)]
                return replace(command, slots={k: vs for k, vs in slots.items() if vs})
    return command


def check_title_is_no_place(command: Command, text: str, names: Names) -> None:
    """ "play room lights off" in a home with a "Play Room" (or a light called "Play Corner"):
    the verb and the title's first words name a place or a device of this home, so the words
    may as well be a command to it. Raises Unresolved (the turn is handed over) rather than
    play a title that may be none."""
    titles = command.slots.get("search_query", [])
    if not titles:
        return  # every other command: no set of the home's names to build on each turn
    places = {name for name, _ in (*names.areas, *names.floors)} | {name for name, _, _ in names.entities}
    for value in titles:
        before = text[: value.start].casefold().split()
        title = value.text.casefold().split()
        if not before or not title or title[0] in ("the", "a", "an", "my", "some"):
            continue  # "play the room by the sea": a title said as one
        for size in range(1, len(title) + 1):
            if normalize(f"{before[-1]} {' '.join(title[:size])}") in places:
                raise Unresolved("search_query", value.text, "ambiguous")
