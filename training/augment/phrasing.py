"""How people put a command about a device: noun first, goal state, verb last, politely, or
as a question.

- ``order``: "hallway plug off", "front door locked", "I'd like the blinds down", "the porch
  light should be on", "get the garage door closed": the goal word votes for the intent
  (HassTurnOn/HassTurnOff), request words around it are O.
- ``indirect``: the whole command wrapped in a request ("is it possible to ...", "do me a
  favour and ...", "any chance you could ...", tagged O) or turned into a question about the
  state ("is the porch light still on?", "did I leave the garage door open?", "did I forget
  to turn off the porch light?": HassGetState with the target and the state said).
- colloquial frames of whole commands that no word-for-word synonym gives: "give the den a
  clean", "crank the heating up to 22".

Frames are strings: ``{t}`` the target words (kept with their labels), ``{g}`` the goal or
state words, ``<...>`` words tagged O; every other word is a carrier word of the intent.
"""

from __future__ import annotations

import random
import re

from .draft import _INTENT, _TARGET_SLOTS, _Cmd, _Draft, _Pool, _Tok, _command_domain, _new_words
from .fragment import _place_preposition
from .frames import pick

# The word saying the state an on/off command brings about, by the target's domain.
GOALS: dict[str, dict[str | None, tuple[str, ...]]] = {
    "HassTurnOn": {"cover": ("open", "up"), "valve": ("open", "on"), "lock": ("locked",),
                   "scene": (), "script": (), None: ("on",)},
    "HassTurnOff": {"cover": ("closed", "down", "shut"), "valve": ("closed", "off", "shut"),
                    "lock": ("unlocked",), None: ("off",)},
}
# The state a question asks about (a `state` slot), by domain.
STATES: dict[str | None, tuple[str, ...]] = {
    "cover": ("open", "closed"), "valve": ("open", "closed"), "lock": ("locked", "unlocked"),
    "scene": (), "script": (), "climate": (), None: ("on", "off"),
}
# What one forgets to do to a device that is still in the wrong state.
FORGOT: dict[str | None, tuple[str, ...]] = {
    "cover": ("close", "shut"), "lock": ("lock",), "valve": ("close", "turn off"), None: ("turn off", "switch off"),
}

ORDER_FRAMES: tuple[str, ...] = (
    "{t} {g}", "the {t} {g}", "{t} {g} <now>", "{t} {g} <right now>", "<ok> {t} {g}", "<so> {t} {g}",
    "<I want> the {t} {g}", "<I'd like> the {t} {g}", "<I need> the {t} {g}", "<I want> {t} {g}",
    "get the {t} {g}", "make the {t} {g}", "have the {t} {g}", "<can I have> the {t} {g}",
    "<let's have> the {t} {g}", "<can you> get the {t} {g}", "<could you> get the {t} {g}",
    "the {t} should be {g}", "the {t} {be} to be {g}", "make sure the {t} {is} {g}",
    "<please> {t} {g}", "{t} {g} <please>", "<hey> {t} {g}", "{t} {g} <thanks>", "{t} {g} <for me>",
    "<I'd like the> {t} {g} <please>", "<would love the> {t} {g}", "<time to have the> {t} {g}",
    "<we need the> {t} {g}", "<let's get the> {t} {g}", "<and> {t} {g}",
)
REQUEST_FRAMES: tuple[str, ...] = (
    "<is it possible to>", "<do me a favour and>", "<do me a favor and>", "<any chance you could>",
    "<would you be able to>", "<I was wondering if you could>", "<it would be great if you could>",
    "<be a dear and>", "<I'd like you to>", "<could you possibly>", "<would you kindly>",
    "<can you go ahead and>", "<mind if you>", "<if you could>", "<I'd love it if you could>",
    "<can I get you to>", "<could I ask you to>", "<you can>", "<just>", "<quickly>",
    "<would you mind if you>", "<can you just>", "<would it be possible to>", "<please can you>",
)
QUESTION_FRAMES: tuple[str, ...] = (
    "{is} the {t} {g}", "{is} the {t} {g} <at the moment>", "{is} the {t} still {g}", "{is} the {t} {g} right now",
    "did I leave the {t} {g}", "did someone leave the {t} {g}", "have I left the {t} {g}",
    "<can you> check if the {t} {is} {g}", "check whether the {t} {is} {g}", "<tell me> if the {t} {is} {g}",
    "<do you know> if the {t} {is} {g}", "{is} the {t} {g} <or not>", "<quick question,> {is} the {t} {g}",
    "<just checking,> {is} the {t} {g}", "<any idea> if the {t} {is} {g}", "{is} the {t} currently {g}",
    # Adverbs around the state are not the state ("is the lamp already on").
    "{is} the {t} already {g}", "{is} the {t} {g} now", "{is} the {t} {g} yet", "{is} the {t} really {g}",
    "{is} the {t} actually {g}", "{is} the {t} definitely {g}", "{is} the {t} {g} by any chance",
    "{is} the {t} {g} at all", "{is} the {t} {g} still", "{is} the {t} turned {g}", "{is} the {t} switched {g}",
    "{is} the {t} still {g} <at the moment>", "{is} the {t} {g} as we speak",
)
FORGOT_FRAMES: tuple[str, ...] = (
    "did I forget to {f} the {t}", "did I remember to {f} the {t}", "did anyone {f} the {t}",
    "did I {f} the {t}", "<I think> I forgot to {f} the {t}", "have I forgotten to {f} the {t}",
)
# Whole colloquial commands: (intent, needed slot, frames with {v} the slot's words).
COLLOQUIAL: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("HassVacuumCleanArea", "area", ("give the {v} a clean", "give the {v} a hoover", "give the {v} a vacuum",
                                     "hoover the {v}", "do the {v} floor", "run the hoover in the {v}",
                                     "get the {v} vacuumed", "the {v} needs a clean", "clean up the {v}",
                                     "tidy up the {v}", "send the robot to the {v}")),
    ("HassClimateSetTemperature", "temperature", (
        "crank the heating up to {v}", "bump the heat up to {v}", "whack the heating up to {v}",
        "turn the heating up to {v}", "turn the heat down to {v}", "put the heating on {v}",
        "make it {v} in here", "heat the place to {v}", "I want it {v} in here", "warm it up to {v}",
        "cool it down to {v}", "knock the heating down to {v}", "thermostat on {v}", "heating to {v}")),
)


def _is_plural(words: list[_Tok]) -> bool:
    last = words[-1].text.lower() if words else ""
    return last.endswith("s") and not last.endswith("ss")


def frame_words(frame: str, label: str, span: int, fills: dict[str, list[_Tok]]) -> list[_Tok]:
    """A frame's words: ``{x}`` filled from ``fills``, ``<...>`` tagged O, the rest carriers."""
    words: list[_Tok] = []
    for piece in re.findall(r"<[^>]*>|\{\w+\}|[^\s<{]+", frame):
        if piece.startswith("{"):
            words += [_Tok(t.text, t.label, t.span, True) for t in fills[piece[1:-1]]]
        elif piece.startswith("<"):
            for word in piece[1:-1].split():
                if word.endswith(",") and len(word) > 1:
                    words += [_Tok(word[:-1]), _Tok(",", space=False)]
                else:
                    words.append(_Tok(word))
        else:
            words += _new_words(piece, label, span)
    return words


def _target(source: _Draft, pool: _Pool, rng: random.Random) -> tuple[_Cmd, list[_Tok], str | None] | None:
    """The one on/off-able device a single command is about, as noun-first target words."""
    if len(source.cmds) != 1:
        return None
    cmd = source.cmds[0]
    if not cmd.slots or set(cmd.slots) - set(_TARGET_SLOTS) or any(len(v) != 1 for v in cmd.slots.values()):
        return None
    devices = [s for s in ("name", "domain", "device_class") if s in cmd.slots]
    places = [s for s in ("area", "floor") if s in cmd.slots]
    if not devices or len(places) > 1:
        return None

    def words(slot: str) -> list[_Tok]:
        return source.span_words(cmd.slots[slot][0])

    devices.sort(key=lambda s: source.span_range(cmd.slots[s][0])[0])
    device = [w for s in devices for w in words(s)]
    if not places:
        return cmd, device, _command_domain(source, cmd, pool.home)
    place = words(places[0])
    joined = " ".join(t.text for t in place + device).casefold()
    place_text = " ".join(t.text for t in place).casefold()
    device_text = " ".join(t.text for t in device).casefold()
    if joined in pool.home.device_names or f" {place_text} " in f" {device_text} " or rng.random() < 0.3:
        # "lights in the kitchen": never "kitchen light" where that is a device's own name.
        preposition = [_Tok(w) for w in _place_preposition(place_text, places[0])]
        toks = device + preposition + place
    else:
        toks = place + device
    return cmd, toks, _command_domain(source, cmd, pool.home)


def _fills(target: list[_Tok], goal: list[_Tok]) -> dict[str, list[_Tok]]:
    plural = _is_plural([t for t in target if t.label is not None])
    return {"t": target, "g": goal, "is": [_Tok("are" if plural else "is")], "be": [_Tok("need" if plural else "needs")]}


def _aug_order(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    found = _target(source, pool, rng)
    if found is None or found[0].intent not in GOALS:
        return None
    cmd, target, domain = found
    goals = GOALS[cmd.intent].get(domain, GOALS[cmd.intent][None])
    if not goals:
        return None
    label, span = _INTENT + cmd.intent, source.next_id()
    goal = _new_words(pick(rng, goals), label, span)
    fills = _fills(target, goal)
    fills["is"] = _new_words(fills["is"][0].text, label, span)
    fills["be"] = _new_words(fills["be"][0].text, label, span)
    toks = frame_words(pick(rng, ORDER_FRAMES), label, span, fills)
    toks[0].space = True
    return _Draft(toks, [_Cmd(cmd.intent, {k: list(v) for k, v in cmd.slots.items()}, dict(cmd.context))])


def _question(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    found = _target(source, pool, rng)
    if found is None or found[0].intent not in GOALS:
        return None
    cmd, target, domain = found
    label, span = _INTENT + "HassGetState", source.next_id()
    slots = {k: list(v) for k, v in cmd.slots.items()}
    if rng.random() < 0.25:
        verbs = FORGOT.get(domain, FORGOT[None]) if domain not in ("scene", "script", "climate") else ()
        if not verbs:
            return None
        fills = {"t": target, "f": _new_words(pick(rng, verbs), label, span)}
        toks = frame_words(pick(rng, FORGOT_FRAMES), label, span, fills)
    else:
        states = STATES.get(domain, STATES[None])
        if not states:
            return None
        state_id = span + 1
        fills = _fills(target, _new_words(rng.choice(states), "state", state_id))
        fills["is"] = _new_words(fills["is"][0].text, label, span)
        toks = frame_words(pick(rng, QUESTION_FRAMES), label, span, fills)
        slots["state"] = [state_id]
    toks[0].space = True
    if rng.random() < 0.7:
        toks.append(_Tok("?", space=False))
    return _Draft(toks, [_Cmd("HassGetState", slots, {})])


def _request(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if len(source.cmds) != 1 or not (source.toks[0].label or "").startswith(_INTENT):
        return None  # only a command said verb first can follow "is it possible to ..."
    draft = source.copy()
    words = frame_words(pick(rng, REQUEST_FRAMES), "", 0, {})
    draft.toks[0:0] = words
    draft.toks[len(words)].text = draft.toks[len(words)].text.lower()
    if rng.random() < 0.4:
        draft.toks.append(_Tok("?", space=False))
    return draft


def _colloquial(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if len(source.cmds) != 1:
        return None
    cmd = source.cmds[0]
    for intent, slot, frames in COLLOQUIAL:
        if cmd.intent == intent and set(cmd.slots) == {slot} and len(cmd.slots[slot]) == 1:
            first, last = source.span_range(cmd.slots[slot][0])
            value = [_Tok(t.text, t.label, t.span, t.space) for t in source.toks[first:last]]
            if slot == "temperature" and last < len(source.toks) and source.toks[last].text in ("degrees", "°"):
                unit = source.toks[last]
                value.append(_Tok(unit.text, _INTENT + intent, source.next_id(), unit.space))
            toks = frame_words(pick(rng, frames), _INTENT + intent, source.next_id(), {"v": value})
            toks[0].space = True
            return _Draft(toks, [_Cmd(intent, {slot: list(cmd.slots[slot])}, dict(cmd.context))])
    return None


def _aug_indirect(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    make = rng.choices((_request, _question, _colloquial), weights=(0.4, 0.45, 0.15))[0]
    return make(source, pool, rng)


INDIRECT_PARTS = ((_request, 0.4), (_question, 0.45), (_colloquial, 0.15))
