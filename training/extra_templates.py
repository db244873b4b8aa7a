"""Sentence templates for what Home Assistant's English templates lack: sensor questions,
locking the doors of a place, turning every light on, starting and docking a vacuum the
way people ask for it, and asking an appliance for what it makes ("make me a coffee").

The ``home-assistant-intents`` release we generate from asks about binary sensors only
with open/closed and occupancy words, and about sensors only by bare name ("what is the
outside temperature"). People (and Home Assistant's own test suite) ask in the words of the
device class: "is the phone battery low?", "are any smoke detectors triggered?", "is there
any gas in the kitchen?", "what is the air pressure measured by the weather station?".

This module writes such templates in hassil's format, in our own words, from
``home_brain_nlu.sensor_words`` (the same table the runtime maps words back with) and
``SENSOR_QUANTITIES``, so ``generate.load_intents`` can merge them into HA's intents and
the walker fills them like any other template. Unlike HA's templates, the words that carry
the device class and the state are slot lists (``{hb_battery_class:device_class}``,
``{hb_battery_states:state}``), so they are tagged ``device_class`` and ``state`` and
their values are the class name and ``on``/``off``. A template that names an entity
requires an entity of that device class (``requires_context.device_class``); a home with
no such entity simply does not get it.

Sensor quantities ("air pressure", "humidity") are carrier words, not slots: the named
sensor already fixes what is measured.

It is *not* built from Home Assistant's intents test suite (a benchmark only).
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from home_brain_nlu.sensor_words import BINARY_SENSOR_CLASSES

from .home import Home
from .light_templates import light_intents
from .list_templates import list_intents

INTENT = "HassGetState"
LIST_PREFIX = "hb_"
# A template without {name} for one kind of device ("start cleaning") is generated only for a
# home that has one (``requires_context`` would also make hassil demand it of the sentence).
HOME_NEEDS_DOMAIN = "hb_home_needs_domain"
# How many times as often as one of HA's templates of the same intent a template is drawn.
TEMPLATE_WEIGHT = "hb_weight"
WHERE = "[<in> [<the>] {area}]"

# Classes people usually say with "sensor(s)"/"detector(s)" after the class word.
_WITH_SENSOR = frozenset(
    {"carbon_monoxide", "gas", "moisture", "motion", "occupancy", "smoke", "sound"}
)
# Classes that can be asked about as "is there (any) <noun> (detected) (in the kitchen)".
_THERE_IS = frozenset({"carbon_monoxide", "gas", "moisture", "motion", "occupancy", "smoke", "sound"})
# Groups of classes without a noun are asked about as devices or things.
_GROUP_NOUN = "(device|thing)[s]"
_IMPLIED_SUBJECT = {
    "battery_charging": "[the] batter(y|ies)",
    "problem": None,
}

# What a sensor of each device class measures, as people say it (hassil syntax).
SENSOR_QUANTITIES: dict[str, str] = {
    "temperature": "(temperature|temp)",
    "humidity": "[relative] humidity [level]",
    "battery": "(battery [level]|charge [level]|battery percentage)",
    "carbon_dioxide": "(co2|carbon dioxide) [(level|concentration)]",
    "carbon_monoxide": "(co|carbon monoxide) [(level|concentration)]",
    "power": "(power|power usage|power consumption|power draw|wattage)",
    "energy": "(energy|energy usage|energy consumption|amount of energy)",
    "energy_storage": "(stored energy|amount of energy stored|energy)",
    "illuminance": "(illuminance|light level|brightness level|brightness)",
    "pm25": "(pm2.5|pm 2.5|fine dust) [(level|concentration)]",
    "pm10": "pm10 [(level|concentration)]",
    "pm1": "pm1 [(level|concentration)]",
    "aqi": "(air quality [index]|aqi)",
    "precipitation": "(rainfall|rain|precipitation) [(amount|total)]",
    "precipitation_intensity": "(rainfall|rain|precipitation) (intensity|rate)",
    "moisture": "(moisture [level]|soil moisture)",
    "data_rate": "((download|upload) speed|data rate|bandwidth)",
    "data_size": "(size|file size|data size)",
    "pressure": "pressure",
    "atmospheric_pressure": "(air|atmospheric|barometric) pressure",
    "voltage": "voltage",
    "current": "(current|amperage|amount of current)",
    "frequency": "frequency",
    "power_factor": "power factor",
    "reactive_power": "reactive power",
    "gas": "(gas usage|gas consumption|amount of gas)",
    "water": "(water usage|water consumption|amount of water)",
    "volume": "(volume|amount)",
    "volume_storage": "(stored volume|volume|level)",
    "weight": "(weight|mass)",
    "distance": "(distance|mileage)",
    "speed": "speed",
    "wind_speed": "(wind speed|wind)",
    "duration": "(duration|time left|remaining time)",
    "date": "date",
    "signal_strength": "(signal strength|signal|rssi)",
    "sound_pressure": "(noise level|sound level|sound pressure|acoustic pressure)",
    "ozone": "(ozone|o3) [(level|concentration)]",
    "nitrogen_dioxide": "(no2|nitrogen dioxide) [(level|concentration)]",
    "volatile_organic_compounds": "(voc|vocs|volatile organic compounds) [(level|concentration)]",
    "monetary": "(price|cost)",
    "irradiance": "[solar] irradiance",
}


def _values(words: tuple[str, ...], out: str) -> list[dict[str, str]]:
    return [{"in": word, "out": out} for word in words]


def _block(sentences: list[str], device_class: str, domain: str, named: bool) -> dict[str, Any]:
    block: dict[str, Any] = {
        "sentences": sentences,
        # The class is said (a tagged slot list) or fixed by the named entity, so only the
        # domain is a template-fixed slot.
        "slots": {"domain": domain},
    }
    if named:
        block["requires_context"] = {"domain": domain, "device_class": device_class}
    return block


def _binary_sensor_blocks(lists: dict[str, Any]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    lists[f"{LIST_PREFIX}detected"] = {"values": _values(("detected",), "on")}
    for device_class, words in BINARY_SENSOR_CLASSES.items():
        cls = f"{LIST_PREFIX}{device_class}_class"
        states = f"{LIST_PREFIX}{device_class}_states"
        implied = f"{LIST_PREFIX}{device_class}_implied"
        if words.nouns:
            lists[cls] = {"values": _values(words.nouns, device_class)}
        if words.on or words.off:
            lists[states] = {"values": _values(words.on, "on") + _values(words.off, "off")}
        if words.implied:
            lists[implied] = {"values": _values(words.implied, device_class)}

        named: list[str] = []
        group: list[str] = []
        if words.on or words.off:
            state = f"{{{states}:state}}"
            noun = f"[{{{cls}:device_class}}]" if device_class == "battery" else ""
            named.append(f"<is> [<the>] {{name}} {noun} {state} {WHERE}")
            if words.nouns:
                suffix = " [(sensor|detector)[s]]" if device_class in _WITH_SENSOR else ""
                subject = f"{{{cls}:device_class}}{suffix}"
            else:
                subject = _GROUP_NOUN
            group += [
                f"<are_any> {subject} {state} {WHERE}",
                f"<are_all> {subject} {state} {WHERE}",
                f"<which> {subject} <is> {state} {WHERE}",
                f"<how_many> {subject} <is> {state} {WHERE}",
            ]
            if not words.nouns:
                group.append(f"is (anything|any device) {state} {WHERE}")
        if words.implied:
            said = f"{{{implied}:device_class}}"
            if device_class == "problem":
                named += [
                    f"(is|are) there [any] {said} with [<the>] {{name}}",
                    f"does [<the>] {{name}} have [(a|any)] {said}",
                ]
                group.append(f"(is|are) there [any] {said} {WHERE}")
            elif device_class == "moisture":
                group.append(f"<is> [<the>] {{area}} {said}")
            else:
                subject = _IMPLIED_SUBJECT.get(device_class) or "(thing|sensor|device)[s]"
                named.append(f"<is> [<the>] {{name}} {said} {WHERE}")
                group += [
                    f"<are_any> {subject} {said} {WHERE}",
                    f"<which> {subject} <is> {said} {WHERE}",
                    f"<how_many> {subject} <is> {said} {WHERE}",
                    f"is anything {said} {WHERE}",
                ]
        if device_class in _THERE_IS and words.nouns:
            group.append(
                f"is [there] [(any|a)] {{{cls}:device_class}} [{{{LIST_PREFIX}detected:state}}] "
                f"{WHERE}"
            )
        if device_class == "occupancy":
            group.append(f"<is> [<the>] {{area}} {{{states}:state}}")
        if named:
            blocks.append(_block(named, device_class, "binary_sensor", named=True))
        if group:
            blocks.append(_block(group, device_class, "binary_sensor", named=False))
    return blocks


def _sensor_blocks() -> list[dict[str, Any]]:
    blocks = []
    for device_class, quantity in SENSOR_QUANTITIES.items():
        q = f"({quantity})"
        blocks.append(
            _block(
                [
                    f"<what_is> the {q} (of|for|from|on|in) [<the>] {{name}}",
                    f"<what_is> the {q} (measured|indicated|reported|shown) by [<the>] {{name}}",
                    f"<what_is> [<the>] {{name}}['s] {q}",
                    f"how much {q} does [<the>] {{name}} (have|show)",
                ],
                device_class,
                "sensor",
                named=True,
            )
        )
    return blocks


def _lock_blocks(verb: str) -> list[dict[str, Any]]:
    """Locking every door of a place. HA's templates only lock a lock by its name, so a
    model that never saw "lock the kitchen doors" reads "doors" as door covers and would
    open them; here "doors" is carrier text and the verb says the domain
    (``vocabulary.domain_of_verb``)."""
    doors = "(door|doors|locks)"
    return [
        {
            "sentences": [
                f"{verb} [all] [<the>] {{area}} {doors}",
                f"{verb} [all] [<the>] {doors} <in> [<the>] {{area}}",
                f"{verb} [all] [<the>] {doors} (on|upstairs on|downstairs on) [<the>] {{floor}} [floor]",
                f"{verb} [all] [<the>] {{floor}} [floor] {doors}",
            ],
            "slots": {"domain": "lock"},
        },
        {
            "sentences": [f"{verb} (all|every|each) [<the>] {doors} [<everywhere>]",
                          f"{verb} [<the>] {doors} <everywhere>",
                          f"{verb} (up|up the house|up the home|the house|the home)"],
            "slots": {"domain": "lock"},
        },
    ]


def _lights_everywhere_block() -> dict[str, Any]:
    """Turning every light on: the mirror of HA's own "turn off all the lights
    [everywhere]" templates, which the release we build on has only for "off"."""
    return {
        "sentences": [
            "<turn> on <all> <light> [<everywhere>]",
            "<turn> <all> <light> on [<everywhere>]",
            "<turn> on [<the>] <light> <everywhere>",
            "<turn> [<the>] <light> on <everywhere>",
            "activate <all> <light> [<everywhere>]",
            "get every <light> on [<everywhere>]",
            "make sure <all> <light> <is> on [<everywhere>]",
            "(light up|illuminate) <everywhere>",
        ],
        "slots": {"domain": "light"},
    }


# Where a robot vacuum cleans: "clean the flat", "hoover the floors" (the whole home, no area).
_HOME_WORDS = "(house|home|flat|apartment|place|floors|carpets|carpet|rugs)"
_CLEANING = "(cleaning|cleanup|clean up|vacuuming|hoovering)"


def _vacuum_start_blocks() -> list[dict[str, Any]]:
    """Starting a vacuum. HA's templates only "start the {name}" (and clean a floor), so
    "turn on the robot vacuum", "start house cleaning" or "clean the flat" were read as
    other intents or not at all; a request with no name is for the home's vacuum (the
    resolver asks when there are several)."""
    return [
        {
            "sentences": [
                f"(start|begin|do) [<the>] [(house|home|floor)] {_CLEANING} [now]",
                f"get [<the>] [(house|home)] {_CLEANING} (going|started|done)",
                f"(clean|vacuum|hoover) (the|my|our) {_HOME_WORDS} [now]",
                f"time to (clean|vacuum|hoover) [(the|my|our) {_HOME_WORDS}]",
            ],
            "metadata": {HOME_NEEDS_DOMAIN: "vacuum"},
        },
        {
            # "turn on the robot vacuum" stays HassTurnOn, as for every device (the resolver
            # starts a vacuum turned on); these are the verbs only a vacuum takes.
            "sentences": [
                "(send|set) [<the>] {name} (off|out) [to clean]",
                "(start|run) [<the>] {name} (cleaning|vacuuming|hoovering) [now]",
                "(have|let|get) [<the>] {name} (clean|do its thing|do a clean|start cleaning)",
            ],
            "requires_context": {"domain": ["vacuum"]},
        },
    ]


def _vacuum_dock_blocks() -> list[dict[str, Any]]:
    """Sending a vacuum home: HA's templates only "return the {name} [to base]"."""
    return [
        {
            "sentences": [
                "(send|take) [<the>] {name} (home|back [home]|back to [its] (base|dock|charger))",
                "(dock|park) [<the>] {name}",
            ],
            "requires_context": {"domain": ["vacuum"]},
        },
        {"sentences": [f"(stop|finish|end) [<the>] {_CLEANING}"], "metadata": {HOME_NEEDS_DOMAIN: "vacuum"}},
    ]


# What appliances are named after ("Coffee Machine", "Espresso Maker", "Ice Maker"): asking for
# the product asks the appliance to make it, and the product word is the part of its name said.
APPLIANCE_PRODUCTS = ("coffee", "espresso", "tea", "popcorn", "ice", "bread", "soda", "cappuccino", "latte")


def appliance_products(home: Home) -> list[str]:
    """The products the home's appliances are named after ("coffee" for "Coffee Maker"):
    the values of the template list below, filled per home by the generator."""
    found = {
        words[0] for entity in home.entities for name in entity.names
        if len(words := name.casefold().split()) >= 2 and words[0] in APPLIANCE_PRODUCTS
    }
    return sorted(found)


def _appliance_product_block(lists: dict[str, Any]) -> dict[str, Any]:
    """ "make me a coffee", "brew some coffee", "coffee time": the appliance is switched on;
    the product word is tagged as the (part of the) name it is, so the resolver finds the
    "Coffee Machine" by it and asks when two appliances share it. The list's values are
    the home's own products (``appliance_products``): empty here, filled by the generator."""
    product = f"{{{LIST_PREFIX}product:name}}"
    lists[f"{LIST_PREFIX}product"] = {"values": []}
    amount = "[(a|an|some|a cup of|a pot of|a mug of|my [morning]|our)]"
    return {
        "metadata": {TEMPLATE_WEIGHT: 6},  # 4 phrasings among HassTurnOn's ~110 would be too rare to learn
        "sentences": [
            f"(make|brew|prepare|fix|pour|start) [(me|us)] {amount} {product} [now]",
            f"(i would like|i'd like|i want|i need|i fancy) {amount} {product} [now]",
            f"(it's|its|it is) {product} time",
            f"[(get|put)] {amount} {product} (going|on) [now]",
        ],
    }


def _position_share_blocks(lists: dict[str, Any]) -> list[dict[str, Any]]:
    """ "open the study blind halfway": a share of the way is a position (``nlu.values``
    reads "halfway" as 50), which HA's templates only take as a number."""
    lists[f"{LIST_PREFIX}share"] = {"values": [{"in": w, "out": w} for w in (
        "halfway", "half way", "half", "a quarter", "a quarter of the way", "three quarters",
        "three quarters of the way", "half of the way")]}
    share = f"{{{LIST_PREFIX}share:position}}"
    return [
        {
            "sentences": [
                f"(<open>|<close>|raise|lower) [<the>] {{name}} {share} [(open|closed|up|down)]",
                f"(put|set|move) [<the>] {{name}} {share} [(open|closed|up|down)]",
            ],
            "requires_context": {"domain": ["cover"]},
        },
        {
            "sentences": [
                f"(<open>|<close>|raise|lower) [<the>] {{area}} {{cover_classes:device_class}} {share}",
                f"(<open>|<close>|raise|lower) [<the>] {{cover_classes:device_class}} {share} [<in> [<the>] {{area}}]",
            ],
            "metadata": {HOME_NEEDS_DOMAIN: "cover"},
        },
    ]


@functools.cache
def extra_intents() -> dict[str, Any]:
    """The extra templates as a hassil intents dict (``intents`` and ``lists``)."""
    lists: dict[str, Any] = {}
    data = _binary_sensor_blocks(lists) + _sensor_blocks()
    intents = {
        INTENT: {"data": data},
        "HassTurnOn": {"data": [*_lock_blocks("lock"), _lights_everywhere_block(), _appliance_product_block(lists)]},
        "HassTurnOff": {"data": _lock_blocks("unlock")},
        "HassVacuumStart": {"data": _vacuum_start_blocks()},
        "HassVacuumReturnToBase": {"data": _vacuum_dock_blocks()},
        "HassSetPosition": {"data": _position_share_blocks(lists)},
        **list_intents(),
    }
    for intent, blocks in light_intents().items():
        intents.setdefault(intent, {"data": []})["data"].extend(blocks)
    return {"language": "en", "intents": intents, "lists": lists}


def merge_into(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of HA's intents dict with the extra templates and lists added."""
    merged = copy.deepcopy(data)
    extra = extra_intents()
    merged.setdefault("lists", {}).update(copy.deepcopy(extra["lists"]))
    for intent, spec in extra["intents"].items():
        target = merged.setdefault("intents", {}).setdefault(intent, {"data": []})
        target["data"] = [*target.get("data", []), *copy.deepcopy(spec["data"])]
    return merged
