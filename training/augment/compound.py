"""Lists of targets and several commands joined in one sentence."""

from __future__ import annotations

import random

from .draft import (
    _Draft,
    _INTENT,
    _Pool,
    _Tok,
    _is_single,
    _new_words,
    _spoken,
    _text_of,
)
from .frames import pick
from .chains import _chain, _join, _joiner, _pronoun, _target_list

_SHARED_NAME_INTENTS = frozenset({
    "HassTurnOn", "HassTurnOff", "HassLightSet", "HassSetPosition", "HassFanSetSpeed",
    "HassMediaPause", "HassMediaUnpause", "HassMediaPlayerMute", "HassMediaPlayerUnmute",
    "HassClimateSetTemperature", "HassSetVolume", "HassVacuumStart",
})
_SHARED_PLACE_INTENTS = frozenset({
    "HassTurnOn", "HassTurnOff", "HassLightSet", "HassSetPosition", "HassFanSetSpeed",
    "HassClimateSetTemperature", "HassVacuumCleanArea", "HassMediaPause", "HassGetState",
    "HassClimateGetTemperature",
})
# (joiner words, which of them are tagged sep; a comma alone is the separator in "A, B and C").
_TWO_JOINERS: tuple[tuple[str, str], ...] = (
    ("and also", "and also"), ("also", "also"), ("and after that", "and after that"),
    ("after that", "after that"), ("and then also", "and then also"), ("plus", "plus"),
)


def _shared_names(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if len(source.cmds) != 1:
        return None
    cmd = source.cmds[0]
    if cmd.intent not in _SHARED_NAME_INTENTS or len(cmd.slots.get("name", [])) != 1:
        return None
    if any(slot in cmd.slots for slot in ("area", "floor")):
        return None
    span = cmd.slots["name"][0]
    said = " ".join(_text_of(source, span).casefold().split())
    domain = pool.home.name_domain.get(said)
    if domain is None:
        return None
    others = [
        names for names in pool.home.names_by_domain.get(domain, [])
        if all(f" {n.casefold()} " not in f" {said} " and f" {said} " not in f" {n.casefold()} " for n in names)
    ]
    if not others:
        return None
    extra = rng.sample(others, min(len(others), 2 if rng.random() < 0.25 else 1))
    draft = source.copy()
    first, last = draft.span_range(span)
    with_the = first > 0 and draft.toks[first - 1].text.lower() == "the"
    label = _INTENT + cmd.intent
    new_id = draft.next_id()
    insert: list[_Tok] = []
    ids = [span]
    for k, names in enumerate(extra):
        # "A and B", "A, B and C": the list's commas and "and" are O, not separators.
        insert.append(_Tok(",", None, None, space=False) if k < len(extra) - 1 else _Tok("and"))
        if with_the and rng.random() < 0.75:
            insert.append(_Tok("the", label, new_id))
            new_id += 1
        insert += _new_words(_spoken(names, rng), "name", new_id)
        ids.append(new_id)
        new_id += 1
    draft.toks[last:last] = insert
    draft.cmds[0].slots["name"] = ids
    return draft


def _shared_places(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if len(source.cmds) != 1:
        return None
    cmd = source.cmds[0]
    if cmd.intent not in _SHARED_PLACE_INTENTS or "name" in cmd.slots:
        return None
    slots = [s for s in ("area", "floor") if s in cmd.slots]
    if len(slots) != 1 or len(cmd.slots[slots[0]]) != 1:
        return None
    slot = slots[0]
    span = cmd.slots[slot][0]
    said = " ".join(_text_of(source, span).casefold().split())
    places = pool.home.areas if slot == "area" else pool.home.floors
    others = [names for names in places if said not in (n.casefold() for n in names)]
    if not others:
        return None
    names = rng.choice(others)
    new_text = _spoken(names, rng)
    draft = source.copy()
    first, last = draft.span_range(span)
    label = _INTENT + cmd.intent
    following = draft.toks[last] if last < len(draft.toks) else None
    new_id = draft.next_id()
    insert = [_Tok("and")]
    if following is not None and following.label in ("domain", "device_class"):
        # "the kitchen and living room lights": the device word follows both places.
        if f"{new_text} {_text_of(draft, following.span)}".casefold() in pool.home.device_names:  # type: ignore[arg-type]
            return None
    elif first > 0 and draft.toks[first - 1].text.lower() == "the" and rng.random() < 0.7:
        insert.append(_Tok("the", label, new_id + 1))
    insert += _new_words(new_text, slot, new_id)
    draft.toks[last:last] = insert
    draft.cmds[0].slots[slot] = [span, new_id]
    return draft


def _several_commands(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if not _is_single(source) or len(pool.singles) < 3:
        return None
    if rng.random() < 0.65:
        others = pool.some_singles(rng, 2)
        pattern = rng.choices(
            (((",", ","), ("and then", "and then")),
             ((",", ","), (", and", "and")),
             (("then", "then"), ("and then", "and then")),
             (("and", "and"), ("and then", "and then")),
             ((",", ","), ("then", "then")),
             ((",", ","), ("and", "and"))),
            weights=(0.35, 0.15, 0.15, 0.1, 0.15, 0.1),
        )[0]
        joiners = [_joiner(*pattern[0]), _joiner(*pattern[1])]
    else:
        others = pool.some_singles(rng, 1)
        joiners = [_joiner(*pick(rng, _TWO_JOINERS))]
    return _join([source, *others], joiners)


# The compound mix: lists of names or places, chains of commands, pronouns (``chains.py``).
_COMPOUND_PARTS = ((_shared_names, 0.12), (_shared_places, 0.15), (_several_commands, 0.15),
                   (_target_list, 0.15), (_chain, 0.28), (_pronoun, 0.15))


def _aug_compound(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    make = rng.choices([f for f, _ in _COMPOUND_PARTS], weights=[w for _, w in _COMPOUND_PARTS])[0]
    return make(source, pool, rng)


