"""The household's own names for devices, rooms and floors, learned from its logs.

A fallback turn whose device, area or floor value was not said by any of its registry names
was placed on the words Home Brain heard as a name (``from_logs.project.project_fallback``):
"the big light" for ``light.living_room_lamp``. Those words become a learned alias of that
one entity/area/floor in the model folder's ``aliases.json``, which the runtime reads as an
extra alias; the user's registry is never written. A room the model did not hear as a slot at
all ("lights on in the snug": "snug" read as a carrier word) is found where it was said as a
place (``unread_places``), and a device so read where it was said after an article
(``unread_names``: "turn on the nook"). A nickname that is already a name of
something else in the home is left out: it would make that name ambiguous.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from home_brain_nlu.en import BEFORE_A_PLACE, NOT_A_PLACE, PLACE_WORDS
from home_brain_nlu.labels import parse_label
from home_brain_nlu.learned_aliases import LearnedAliases

from .home import Home


# The runtime's reading of a place said in words it did not know (resolve/scope.py's
# unread_words, on the same word lists): "in the snug" with "snug" read as no slot is why it
# handed the turn over, so what the fallback then did to one area says what "snug" is.
def unread_places(words: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Character spans of the words said as a place ("in the snug", "at the play room") that
    Home Brain read as no slot: each a run of such words after a place word and an article."""
    ordered = sorted(words, key=lambda w: w["start"])

    def unread(word: dict[str, Any]) -> bool:
        return _unread(word, _fold(str(word.get("text"))).strip(".,!?"))

    spans: list[tuple[int, int]] = []
    for i, word in enumerate(ordered):
        if _fold(str(word.get("text"))) not in PLACE_WORDS:
            continue
        j = i + 1
        while j < len(ordered) and _fold(str(ordered[j].get("text"))) in BEFORE_A_PLACE:
            j += 1
        k = j
        while k < len(ordered) and unread(ordered[k]):
            k += 1
        if k > j:
            spans.append((ordered[j]["start"], ordered[k - 1]["end"]))
    return spans


# Words after a device's name that are not part of it ("turn the nook off", "the nook please").
_AFTER_A_NAME = frozenset({"on", "off", "please", "now", "up", "down"})
# A device is named after a definite article or a possessive ("for a bit" names nothing).
_BEFORE_A_NAME = frozenset({"the", "my", "our"})


def unread_names(words: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Character spans of the words said as a device ("turn on the nook", "switch the nook off")
    that Home Brain read as no slot: the run of such words after the last article, when only
    words like "off" or "please" follow it. What the fallback then did to one device says
    what they are."""
    ordered = sorted(words, key=lambda w: w["start"])
    folded = [_fold(str(w.get("text"))).strip(".,!?") for w in ordered]
    articles = [i for i, text in enumerate(folded) if text in _BEFORE_A_NAME]
    if not articles:
        return []
    if articles[-1] > 0 and folded[articles[-1] - 1] in PLACE_WORDS:
        return []  # "... in the snug": a place (unread_places), not a device
    j = articles[-1] + 1
    k = j
    while k < len(ordered) and folded[k] not in _AFTER_A_NAME and _unread(ordered[k], folded[k]):
        k += 1
    if k == j or any(text not in _AFTER_A_NAME for text in folded[k:]):
        return []
    return [(ordered[j]["start"], ordered[k - 1]["end"])]


def _unread(word: dict[str, Any], folded: str) -> bool:
    try:
        kind = parse_label(str(word.get("label"))).kind
    except ValueError:
        return False
    return kind in ("O", "INTENT") and folded not in NOT_A_PLACE


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _owner(slot: str, value: str, targets: list[str], home: Home) -> str | None:
    """The id of the one thing the fallback's value means (None when not exactly one)."""
    folded = _fold(value)
    if slot == "name":
        if len(targets) == 1:
            return targets[0]
        found = {e.entity_id for e in home.entities
                 if e.entity_id == value or any(_fold(n) == folded for n in e.names)}
    elif slot == "area":
        found = {a.id for a in home.areas if a.id == value or any(_fold(n) == folded for n in a.names)}
    else:
        found = {f.id for f in home.floors if f.id == value or any(_fold(n) == folded for n in f.names)}
    return found.pop() if len(found) == 1 else None


def learned_aliases(examples: list[dict[str, Any]], home: Home,
                    previous: LearnedAliases | None = None) -> LearnedAliases:
    """``previous`` plus each nickname of ``examples`` that names exactly one thing."""
    tables: dict[str, dict[str, list[str]]] = {"entities": defaultdict(list), "areas": defaultdict(list),
                                               "floors": defaultdict(list)}
    for kind in tables:
        for key, names in (getattr(previous, kind) if previous else {}).items():
            tables[kind][key] += names
    taken: dict[str, str] = {}  # folded name -> "kind:id" of what the registry calls so
    for entity in home.entities:
        for name in entity.names:
            taken.setdefault(_fold(name), f"entities:{entity.entity_id}")
    for kind, places in (("areas", home.areas), ("floors", home.floors)):
        for place in places:
            for name in place.names:
                taken.setdefault(_fold(name), f"{kind}:{place.id}")
    kind_of = {"name": "entities", "area": "areas", "floor": "floors"}
    for example in examples:
        for nick in example.get("nicknames") or []:
            kind = kind_of.get(nick.get("slot"))
            said = " ".join(str(nick.get("said", "")).split())
            owner = _owner(nick["slot"], str(nick.get("value", "")), list(nick.get("targets") or []), home) \
                if kind else None
            if kind is None or owner is None or not said:
                continue
            if taken.get(_fold(said), f"{kind}:{owner}") != f"{kind}:{owner}":
                continue  # already another thing's name
            if _fold(said) not in {_fold(n) for n in tables[kind][owner]}:
                tables[kind][owner].append(said)
    return LearnedAliases(**{kind: {k: tuple(v) for k, v in table.items() if v} for kind, table in tables.items()})
