"""Words for binary-sensor device classes and their states ("is the phone battery low?").

Home Assistant's binary sensors are ``on``/``off``, but people ask in the words of the
device class: a battery is "low" (on) or "normal" (off), a leak sensor "wet" or "dry", a
phone "connected" or "disconnected". The English templates of the intents release we
build on carry only the open/closed and occupancy words, so this one table serves both
sides: ``training.extra_templates`` turns it into templates and slot lists (the words are
tagged ``device_class`` and ``state``), and the runtime (``targets.py``) turns a tagged
word back into the device class and the ``on``/``off`` state Home Assistant's
``HassGetState`` handler compares with.

Per class: ``nouns``, words that name the class ("batteries" -> battery; said before
"sensor(s)" for most); ``on``/``off``, state words; ``implied``, words that name the class
*and* mean ``on`` ("is the phone charging?" -> battery_charging, on).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BinarySensorClass:
    nouns: tuple[str, ...] = ()
    on: tuple[str, ...] = ()
    off: tuple[str, ...] = ()
    implied: tuple[str, ...] = ()


# Singular and plural are both listed: the runtime compares whole normalised texts.
BINARY_SENSOR_CLASSES: dict[str, BinarySensorClass] = {
    "battery": BinarySensorClass(("battery", "batteries"), ("low",), ("normal", "charged", "ok")),
    "battery_charging": BinarySensorClass(implied=("charging",)),
    "carbon_monoxide": BinarySensorClass(
        ("carbon monoxide", "co"), ("detected", "triggered", "on"), ("clear", "off")
    ),
    "cold": BinarySensorClass(implied=("cold", "freezing")),
    "connectivity": BinarySensorClass(
        (), ("connected", "online"), ("disconnected", "offline")
    ),
    "gas": BinarySensorClass(("gas",), ("detected", "triggered", "on"), ("clear", "off")),
    "heat": BinarySensorClass(implied=("hot", "overheating")),
    "lock": BinarySensorClass((), ("unlocked",), ("locked",)),
    "moisture": BinarySensorClass(
        ("water", "leak", "flood"), ("wet", "leaking", "detected"), ("dry",),
        implied=("flooded",),
    ),
    "motion": BinarySensorClass(("motion",), ("detected", "triggered", "on"), ("clear", "off")),
    "occupancy": BinarySensorClass(
        ("occupancy",), ("occupied", "detected", "triggered", "on"), ("empty", "clear", "unoccupied")
    ),
    "opening": BinarySensorClass(("opening", "openings"), ("open",), ("closed", "shut")),
    "plug": BinarySensorClass((), ("plugged in",), ("unplugged",)),
    "power": BinarySensorClass((), ("powered on", "powered"), ("powered off",)),
    "presence": BinarySensorClass((), ("home", "present"), ("away", "gone", "not home")),
    "problem": BinarySensorClass(implied=("problem", "problems")),
    "running": BinarySensorClass((), ("running",), ("stopped", "idle")),
    "safety": BinarySensorClass((), ("unsafe",), ("safe",)),
    "smoke": BinarySensorClass(("smoke",), ("detected", "triggered", "on"), ("clear", "off")),
    "sound": BinarySensorClass(("sound", "noise"), ("detected", "triggered", "on"), ("clear", "off")),
    "tamper": BinarySensorClass((), ("tampered", "tampered with"), ("clear",)),
    "update": BinarySensorClass(
        ("update", "updates"), ("available", "out of date"), ("up to date",)
    ),
    "vibration": BinarySensorClass((), ("vibrating", "shaking"), ("still",)),
}


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("?", " ").split())


def binary_sensor_class(text: str) -> str | None:
    """The device class a word names ("batteries" -> battery, "charging" -> battery_charging)."""
    said = _norm(text)
    for device_class, words in BINARY_SENSOR_CLASSES.items():
        if said in words.nouns or said in words.implied:
            return device_class
    return None


def implied_state(text: str) -> str | None:
    """``on`` when the class word itself says the state ("charging", "cold"), else None."""
    said = _norm(text)
    return "on" if any(said in w.implied for w in BINARY_SENSOR_CLASSES.values()) else None


def binary_sensor_state(text: str, device_class: str | None = None) -> str | None:
    """``on``/``off`` for a state word ("low" -> on), per ``device_class`` when known.

    Without a class, a word that means ``on`` for one class and ``off`` for another
    ("locked") gives None.
    """
    said = _norm(text)
    classes = (
        [BINARY_SENSOR_CLASSES[device_class]]
        if device_class in BINARY_SENSOR_CLASSES
        else list(BINARY_SENSOR_CLASSES.values())
    )
    values = {"on" for c in classes if said in c.on} | {"off" for c in classes if said in c.off}
    return values.pop() if len(values) == 1 else None


# State words other domains use too ("the kitchen light is on", "is the front door locked").
_SHARED_STATE_WORDS = frozenset({"on", "off", "open", "closed", "shut", "locked", "unlocked", "home", "away"})


def class_of_state(text: str) -> str | None:
    """The device class a state word alone names ("which devices are running?" -> running,
    "is the kitchen occupied?" -> occupancy): a word only one class uses, and no other domain."""
    said = _norm(text)
    found = {
        device_class
        for device_class, words in BINARY_SENSOR_CLASSES.items()
        if said in words.on or said in words.off
    }
    if len(found) != 1 or said in _SHARED_STATE_WORDS:
        return None
    return found.pop()


# Binary sensors whose states are Home Assistant's own open/closed words.
_OPENABLE_CLASSES = frozenset({"door", "garage_door", "window", "opening"})


def classes_with_state(text: str) -> frozenset[str]:
    """Every binary-sensor class that has the state word ("locked" -> lock, "open" -> door,
    window ...): of several devices sharing a name, the one the question can be about."""
    said = _norm(text)
    found = {c for c, words in BINARY_SENSOR_CLASSES.items() if said in words.on or said in words.off}
    if said in ("open", "closed", "shut"):
        found |= _OPENABLE_CLASSES
    return frozenset(found)

