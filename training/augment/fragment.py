"""Word-order fragments: targets first, the carrier cut to the key word."""

from __future__ import annotations

import random

from home_brain_nlu.values import parse_number

from .draft import _Cmd, _Draft, _INTENT, _Pool, _Tok, _command_domain, _new_words


# Key words that still vote for the intent once the rest of the carrier words are gone,
# by the domain of the target (None: any other, e.g. lights, switches, fans, media).
_FRAGMENT_KEYS: dict[str, dict[str | None, tuple[str, ...]]] = {
    "HassTurnOn": {"cover": ("open", "up"), "valve": ("open", "on"), "lock": (), "scene": (),
                   "script": (), "climate": ("on",), None: ("on",)},
    "HassTurnOff": {"cover": ("close", "down", "shut"), "valve": ("off", "close", "shut"),
                    "lock": (), None: ("off",)},
    "HassMediaPause": {None: ("pause",)},
    "HassMediaUnpause": {None: ("resume", "unpause")},
    "HassMediaNext": {None: ("next", "skip", "next track")},
    "HassMediaPrevious": {None: ("previous", "back", "previous track")},
    "HassMediaPlayerMute": {None: ("mute",)},
    "HassMediaPlayerUnmute": {None: ("unmute",)},
    "HassVacuumStart": {None: ("start", "go")},
    "HassVacuumReturnToBase": {None: ("dock", "home", "back to base")},
    "HassLawnMowerStartMowing": {None: ("start", "mow")},
    "HassLawnMowerDock": {None: ("dock", "home")},
}
# Intents whose fragments carry a value: (value slot, words before the value, units).
_VALUE_FRAGMENTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "HassLightSet": ("brightness", ("to", "brightness", "brightness to", "at"), ("%", "percent")),
    "HassSetPosition": ("position", ("to", "", "at"), ("%", "percent")),
    "HassFanSetSpeed": ("percentage", ("to", "speed", "speed to", "at"), ("%", "percent")),
    "HassSetVolume": ("volume_level", ("volume", "volume to", "volume at"), ("%", "percent", "")),
    "HassClimateSetTemperature": ("temperature", ("to", "", "at"), ("degrees", "°", "")),
}
_COLOR_FRAGMENT = ("to", "")


def _place_preposition(place: str, slot: str) -> list[str]:
    words = place.casefold().split()
    if words in (["upstairs"], ["downstairs"], ["outside"], ["inside"]):
        return []
    return ["on", "the"] if slot == "floor" and words[-1] in ("floor", "level", "storey") else ["in", "the"]


def _aug_fragment(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if len(source.cmds) != 1:
        return None
    cmd = source.cmds[0]
    intent = cmd.intent
    if any(len(v) != 1 for v in cmd.slots.values()):
        return None
    places = [s for s in ("area", "floor") if s in cmd.slots]
    devices = [s for s in ("name", "domain", "device_class") if s in cmd.slots]
    others = [s for s in cmd.slots if s not in places and s not in devices]
    if len(places) > 1:
        return None

    def slot_words(slot: str) -> list[_Tok]:
        return source.span_words(cmd.slots[slot][0])

    # Devices in the order they were said.
    devices.sort(key=lambda s: source.span_range(cmd.slots[s][0])[0])
    device_words = [w for s in devices for w in slot_words(s)]
    place_slot = places[0] if places else None
    place_words = slot_words(place_slot) if place_slot else []
    place_text = " ".join(w.text for w in place_words)
    device_text = " ".join(w.text for w in device_words)
    label = _INTENT + intent
    next_id = source.next_id()

    def carrier(text: str, attach: bool = False) -> list[_Tok]:
        words = _new_words(text, label, next_id)
        if words and attach:
            words[0].space = False
        return words

    # Someone who says "kitchen light" in a home with a Kitchen Light means the device.
    area_then_device_ok = not (
        place_text and device_text
        and (f"{place_text} {device_text}".casefold() in pool.home.device_names
             or f" {place_text.casefold()} " in f" {device_text.casefold()} ")
    )

    if intent in _FRAGMENT_KEYS and not others:
        if not device_words:
            return None
        domain = _command_domain(source, cmd, pool.home)
        keys = _FRAGMENT_KEYS[intent].get(domain, _FRAGMENT_KEYS[intent].get(None, ()))
        if not keys:
            return None
        key_text = rng.choice(keys)
        key = carrier(key_text)
        preposition = _place_preposition(place_text, place_slot or "area")
        place_last = place_words and (not area_then_device_ok or rng.random() < 0.4)
        if place_last and preposition[:1] == [key_text.split()[-1]]:
            if not area_then_device_ok:  # "light on on the first floor"
                return None
            place_last = False
        if place_last:
            # "lights off in the kitchen"
            toks = device_words + key + carrier(" ".join(preposition)) + place_words
        elif place_words:
            toks = place_words + device_words + key  # "kitchen lights off"
        else:
            toks = device_words + key  # "garage door up"
    elif intent in _VALUE_FRAGMENTS or (intent == "HassLightSet" and others == ["color"]):
        if intent == "HassLightSet" and others == ["color"]:
            value_slot, befores, units = "color", _COLOR_FRAGMENT, ("",)
        else:
            value_slot, befores, units = _VALUE_FRAGMENTS[intent]
        if others != [value_slot] or not area_then_device_ok:
            return None
        value_words = slot_words(value_slot)
        numeric = parse_number(" ".join(w.text for w in value_words)) is not None
        before = rng.choice(befores)
        unit = rng.choice(units) if numeric and value_slot != "color" else ""
        if intent == "HassLightSet" and value_slot == "brightness" and not numeric:
            before = "to"
        if not before and not unit:
            before = befores[0] or "to"
        target = place_words + device_words
        if target and not device_words and intent in ("HassFanSetSpeed", "HassSetPosition"):
            # "bedroom 50%" is the bedroom lights (Home Assistant reads it so): a fan speed or
            # a cover position needs a word for the device.
            if intent == "HassSetPosition":
                return None
            before = rng.choice(("fan speed", "fan speed to", "fans to", "fan to"))
        if not target:
            if intent not in ("HassSetVolume", "HassClimateSetTemperature"):
                return None
            if intent == "HassClimateSetTemperature" and before in ("", "to", "at"):
                before = rng.choice(("temperature", "temperature to", "heat to", "temp"))
        toks = target + carrier(before) + value_words
        if unit:
            toks += carrier(unit, attach=unit in ("%", "°"))
    elif intent == "HassStartTimer" and len(others) == 1 and others[0] in ("hours", "minutes", "seconds") and not places + devices:
        value_words = slot_words(others[0])
        value = parse_number(" ".join(w.text for w in value_words))
        if value is None or value < 1 or value != int(value):
            return None
        unit = others[0][:-1] if value == 1 else others[0]
        toks = carrier(rng.choice(("timer", "timer for", "countdown"))) + value_words + carrier(unit)
    else:
        return None

    if not any(t.label == label for t in toks):
        return None
    toks[0].space = True
    new_slots = {slot: list(ids) for slot, ids in cmd.slots.items()}
    return _Draft(toks, [_Cmd(intent, new_slots, dict(cmd.context))])


