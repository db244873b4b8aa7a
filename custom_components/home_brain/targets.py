"""Commands -> targets: resolve slot texts against this home's registries.

Only entities exposed to Assist are ever candidates. Names match exactly (case and
punctuation aside) or, failing that, fuzzily when exactly one entity is clearly closest;
anything else is reported as unresolved so the caller can ask or hand the turn over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from homeassistant.core import HomeAssistant

from .nlu.commands import RESTATED_STATE, Command
from .nlu.home_names import normalize
from .nlu.intents import (
    ACTING_INTENTS,
    AREA_FROM_CONTEXT,
    FREE_NAME_INTENTS,
    INTENT_DOMAINS,
    INTENT_FOR_DOMAIN,
    INTENT_SETTINGS,
    NEEDS_TARGET,
    ON_OFF_INTENTS,
    ROAMING_DOMAINS,
    SETTINGS,
    facts,
)
from .nlu.sensor_words import class_of_state, classes_with_state, implied_state
from .nlu.vocabulary import domain_of_verb, domain_of_word, kind_ending_a_name
from .resolve.areas import entity_area_id
from .resolve.lists import items_said, shopping_list_of_this_home
from .resolve.rereading import check_title_is_no_place, device_word_ending_a_name, places_of_the_other_kind, places_that_are_names
from .resolve.match import score
from .resolve.scope import PRONOUN, says_everywhere
from .resolve.snapshot import Names, async_build_names
from .resolve.values import (
    FUZZY_MARGIN,
    FUZZY_MIN_SCORE,
    Unresolved,
    ValueLists,
    device_class_of_word,
    domain_of_misspelt_word,
    load_value_lists,
    slot_value,
)

__all__ = ["FUZZY_MARGIN", "TARGET_SLOTS", "IntentCall", "TargetResolver", "Unresolved", "ValueLists",
           "load_value_lists"]

TARGET_SLOTS = ("name", "area", "floor", "domain", "device_class")


@dataclass
class IntentCall:
    """One call of a Home Assistant intent handler, with slots in its format."""

    intent: str
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)


def _class_said_by_state(command: Command) -> str | None:
    """ "which devices are running?": the state word is the only word for the device class;
    without it the question would be about everything that is on."""
    states = command.slots.get("state", [])
    if command.intent != "HassGetState" or len(states) != 1:
        return None
    if any(slot in command.slots for slot in ("name", "domain", "device_class")):
        return None
    return class_of_state(states[0].text)


def _roams(domains: set[str] | frozenset[str]) -> bool:
    return bool(domains) and domains <= ROAMING_DOMAINS


class TargetResolver:
    """Resolves command slots against one snapshot of the registries and exposure settings."""

    def __init__(self, hass: HomeAssistant, value_lists: ValueLists, names: Names | None = None) -> None:
        self.hass = hass
        self.value_lists = value_lists
        # The exposed names (resolve/snapshot.py): cached by the entry, or read now.
        names = names if names is not None else async_build_names(hass)
        self.snapshot = names
        self.names = names.entities
        self.spoken_names = names.spoken
        self.areas = names.areas
        self.floors = names.floors
        self.home_names = names.home_names
        # Answers to "which one do you mean?": (slot, normalised text) -> the id the user chose.
        self.chosen: dict[tuple[str, str], str] = {}
        # The area of the device the user speaks to, while a command is resolved.
        self.satellite_area_id: str | None = None
        # Whether the command just resolved stood for earlier targets ("it", "them").
        self.used_previous = False
        # The command just resolved, as this home's names read it (what the safety policy judges).
        self.read: Command | None = None

    def _device_class_of(self, entity_id: str) -> str | None:
        state = self.hass.states.get(entity_id)
        device_class = state.attributes.get("device_class") if state is not None else None
        return device_class if isinstance(device_class, str) else None

    def _best(self, slot: str, text: str, candidates: list[tuple[str, str]],
              within: frozenset[str] = frozenset()) -> str:
        """The single id whose name is (nearly) what was said; raises Unresolved otherwise."""
        said = normalize(text)
        if (chosen := self.chosen.get((slot, said))) is not None and any(i == chosen for _, i in candidates):
            return chosen
        scored: dict[str, float] = {}
        for name, ident in candidates:
            scored[ident] = max(scored.get(ident, 0.0), score(said, name))
        if not scored:
            raise Unresolved(slot, text, "unknown")
        best = max(scored.values())
        if best < FUZZY_MIN_SCORE:
            raise Unresolved(slot, text, "unknown")
        # A name said exactly is that device, however close another name is ("Sliding Door"
        # next to "Sliding Doors", "Heat pump SO2 sensor" next to "Heat pump CO2 sensor").
        margin = 0.0 if best == 1.0 else FUZZY_MARGIN
        close = sorted(ident for ident, score in scored.items() if score >= best - margin)
        if len(close) > 1 and within:
            # "the ceiling light in the nursery": of the devices so called, the one in the place said.
            said_there = [ident for ident in close if entity_area_id(self.hass, ident) in within]
            close = said_there if len(said_there) == 1 else close
        if len(close) > 1 and slot == "name" and self.satellite_area_id is not None:
            # "turn on the heater" with a heater in every room: the one where the user is, as
            # Home Assistant prefers the satellite's area among devices of the same name.
            here = [ident for ident in close if entity_area_id(self.hass, ident) == self.satellite_area_id]
            close = here if len(here) == 1 else close
        if len(close) > 1:
            raise Unresolved(slot, text, "ambiguous", close)
        return close[0]

    def entity(self, text: str, domains: frozenset[str] | None,
               kinds: frozenset[tuple[str, str | None]] = frozenset(), within: frozenset[str] = frozenset()) -> str:
        """The entity called ``text``; of several so called, those of the (device class,
        domain) ``kinds`` said ("is the phone battery low?": the battery binary sensor)."""
        try:
            return self._entity(text, domains, kinds, within)
        except Unresolved as err:
            # People say the kind of device after its name ("the wemo plug socket", "the desk
            # lamp light"): a name that is no device's is the device named by the words before
            # that kind word, when the device is of that kind.
            split = kind_ending_a_name(text) if err.reason == "unknown" else None
            if split is None or (domains is not None and split[1] not in domains):
                raise
            rest, domain, device_class = split
            try:
                ident = self._entity(rest, frozenset({domain}), kinds, within)
            except Unresolved:
                raise err from None
            if device_class is not None and self._device_class_of(ident) not in (device_class, None):
                raise
            return ident

    def _entity(self, text: str, domains: frozenset[str] | None,
                kinds: frozenset[tuple[str, str | None]], within: frozenset[str]) -> str:
        candidates = [(n, e) for n, e, d in self.names if domains is None or d in domains]
        said = normalize(text)
        namesakes = [(n, e) for n, e in candidates if n == said]
        if kinds and len({e for _, e in namesakes}) > 1:
            fits_checks: tuple[Callable[[str], bool], ...] = (
                lambda e: (self._device_class_of(e), e.split(".")[0]) in kinds,
                lambda e: self._device_class_of(e) in {c for c, _ in kinds},
            )
            for fits in fits_checks:
                if of_kind := [(n, e) for n, e in namesakes if fits(e)]:
                    candidates = of_kind
                    break
        if domains is not None and said:
            allowed = max((score(said, n) for n, _ in candidates), default=0.0)
            if any(score(said, n) > allowed for n, _, d in self.names if d not in domains):
                # The name fits a device this intent cannot act on better than any it can:
                # the intent is wrong ("pause the living room tv" read as a light command),
                # and the nearest light is not what was meant.
                raise Unresolved("name", text, "wrong_domain")
        return self._best("name", text, candidates, within)

    def area(self, text: str) -> str:
        return self._best("area", text, self.areas)

    def floor(self, text: str) -> str:
        return self._best("floor", text, self.floors)

    def resolve(self, command: Command, satellite_area_id: str | None, text: str = "",
                previous: tuple[str, ...] = ()) -> list[IntentCall]:
        """The intent calls that carry out ``command`` (said in ``text``): one per named target.
        ``previous``: what the command before it (or the conversation's last turn) acted on,
        which "it" and "them" stand for. Small passes, in order: the words re-read as this
        home names things, the slots checked, the values and targets resolved, the calls made."""
        self.satellite_area_id = satellite_area_id
        command = self._without_restated_state(self.home_names.apply(command, text))
        command = self.read = shopping_list_of_this_home(self.names, command)
        self.used_previous = bool(previous) and not command.slots.keys() & set(TARGET_SLOTS) and bool(
            PRONOUN.search(text.casefold()))
        if self.used_previous:
            return self._for_previous(command, previous)
        command = places_of_the_other_kind(command, self.snapshot)
        command = places_that_are_names(command, self.snapshot, self.entity)
        command = self.read = device_word_ending_a_name(command, text, self.snapshot, self.entity)
        check_title_is_no_place(command, text, self.snapshot)
        verb_domain = domain_of_verb(command.carrier) if "domain" not in command.slots else None
        lock_states = self.value_lists.get("lock_states", {})
        lock_question = (command.intent == "HassGetState" and "name" not in command.slots
                         and any(normalize(v.text) in lock_states for v in command.slots.get("state", [])))
        self._check_said_enough(command, text, bool(previous), satellite_area_id is not None,
                                verb_domain is not None or lock_question)
        base, domains, kinds = self._base_slots(command, verb_domain, lock_question)
        targets_something = verb_domain is not None or lock_question or any(
            slot in command.slots for slot in ("name", "domain", "device_class"))
        if command.intent in ON_OFF_INTENTS and not targets_something:
            # "light up the living room", "first floor off": a place and no device means its
            # lights, as Home Assistant's own templates read it; never every device in the room.
            # No place said either ("get the cleaning on"): nothing was named, not the lights here.
            if not {"area", "floor"} & set(command.slots) and verb_domain is None:
                raise Unresolved("name", command.carrier, "unknown")
            base["domain"] = {"value": ["light"]}
            targets_something = True
        if satellite_area_id is not None:
            # Same name in two rooms: the one where the user is speaking wins; "what is the
            # temperature?" reads the thermostat of that room. The built-in agent passes it to
            # every intent too.
            base["preferred_area_id"] = {"value": satellite_area_id}

        areas = [self.area(v.text) for v in command.slots.get("area", [])]
        floors = [self.floor(v.text) for v in command.slots.get("floor", [])]
        name_slots = [{"value": value.text, "text": value.text} if command.intent in FREE_NAME_INTENTS else
                      {"value": self.entity(value.text, domains, kinds, frozenset(areas)), "text": value.text}
                      for value in command.slots.get("name", [])]
        named_domains = {str(n["value"]).split(".")[0] for n in name_slots} if (
            command.intent not in FREE_NAME_INTENTS) else set()
        kind = named_domains or set(base.get("domain", {}).get("value", []))
        if "state" in base and "state" in command.slots:
            # "is the garage door open": open as that device's kind says it (a cover's "open",
            # not a door sensor's "on").
            base["state"]["value"] = self._value("state", base["state"]["text"], frozenset(kind))
        intent_type = self._intent_for_kind(command.intent, kind, base)
        calls = self._calls(intent_type, base, name_slots, areas, floors,
                            [v.text for v in command.slots.get("item", [])])
        # "turn on the lights" (or "lights to 50%") from a satellite: the lights of its area;
        # "... everywhere", "... in the whole house": all of them, as the built-in agent reads it.
        if (
            satellite_area_id is not None
            and not says_everywhere(command.carrier, self.value_lists)
            and not name_slots
            and not areas
            and not floors
            and (targets_something or command.intent in NEEDS_TARGET or command.intent in AREA_FROM_CONTEXT)
            and command.intent not in FREE_NAME_INTENTS
            and not _roams(kind or facts(intent_type).domains or set())
        ):
            for call in calls:
                call.slots["area"] = {"value": satellite_area_id}
        return calls

    @staticmethod
    def _check_said_enough(command: Command, text: str, before: bool, from_satellite: bool,
                           kind_said: bool) -> None:
        """Raises Unresolved for a command that names nothing it could act on, or that carries a
        setting its intent does not take (a misreading)."""
        if (command.intent in ACTING_INTENTS and not before and (pronoun := PRONOUN.search(text.casefold()))
                and not command.slots.keys() & {*TARGET_SLOTS, "domain", "device_class"}):
            # "open it" with nothing said before it names nothing: the room's devices would be a
            # guess. (Questions keep their "it": "what time is it", "how warm is it".)
            raise Unresolved("name", pronoun.group(0), "missing")
        if (command.intent in NEEDS_TARGET and not from_satellite and not kind_said
                and not any(slot in command.slots for slot in TARGET_SLOTS)
                and _class_said_by_state(command) is None):
            raise Unresolved("name", "", "missing")
        for slot in SETTINGS.intersection(command.slots) - INTENT_SETTINGS.get(command.intent, frozenset()):
            raise Unresolved(slot, command.slots[slot][0].text, "not_for_intent")

    def _base_slots(self, command: Command, verb_domain: str | None, lock_question: bool) -> tuple[
            dict[str, dict[str, Any]], frozenset[str] | None, frozenset[tuple[str, str | None]]]:
        """The slots every call of the command shares (settings, domain, device class, state),
        the domains its names may be of, and the (device class, domain) kinds said."""
        base: dict[str, dict[str, Any]] = {}
        domains = INTENT_DOMAINS.get(command.intent)
        for slot, values in command.slots.items():
            if slot in TARGET_SLOTS:
                continue
            said = values[0].text
            base[slot] = {"value": self._value(slot, said), "text": said}
        if domain_values := command.slots.get("domain"):
            read = [domain_of_word(v.text) or domain_of_misspelt_word(v.text) for v in domain_values]
            if None in read:
                # A device word we cannot read ("fajs") is no licence to act on every device there.
                raise Unresolved("domain", domain_values[read.index(None)].text, "unknown")
            found = {d for d in read if d}
            if found:
                domains = frozenset(found) if domains is None else domains & found
                base["domain"] = {"value": sorted(found)}
        if verb_domain is not None:
            # "lock the kitchen doors", "light up the hallway": the verb names the domain.
            domains = frozenset({verb_domain}) if domains is None else domains & {verb_domain}
            base["domain"] = {"value": [verb_domain]}
        # What kind of device a named one must be, when several share the name.
        kinds: frozenset[tuple[str, str | None]] = frozenset(
            (found, "binary_sensor") for v in command.slots.get("state", []) for found in classes_with_state(v.text))
        if device_classes := command.slots.get("device_class"):
            classes = [self._device_class(v.text) for v in device_classes]
            kinds = frozenset(classes)
            if verb_domain is not None and all(domain != verb_domain for _, domain in classes):
                # The doors of "lock the kitchen doors" are its locks, not door covers.
                raise Unresolved("device_class", device_classes[0].text, "not_for_intent")
            base["device_class"] = {"value": [value for value, _ in classes]}
            if "name" not in command.slots:
                # A named device has its own domain ("the phone battery" may be a sensor's
                # battery level as well as a low-battery binary sensor).
                base.setdefault("domain", {"value": sorted({domain for _, domain in classes})})
            # "is the phone charging?", "are any things cold?": the class word says the state.
            if "state" not in base and any(implied_state(v.text) for v in device_classes):
                base["state"] = {"value": "on", "text": device_classes[0].text}
        if lock_question:
            # "are any doors unlocked?": doors that are locked or not are locks.
            base.pop("device_class", None)
            base["domain"] = {"value": ["lock"]}
            domains = frozenset({"lock"})
        if (state_class := _class_said_by_state(command)) is not None:
            base["device_class"] = {"value": [state_class]}
            base["domain"] = {"value": ["binary_sensor"]}
        return base, domains, kinds

    @staticmethod
    def _intent_for_kind(intent_type: str, kinds: set[str], base: dict[str, dict[str, Any]]) -> str:
        """ "turn on the roomba": the intent Home Assistant has for that kind of device (a
        vacuum starts, it has no on and off), when every target is of the one kind."""
        wanted = INTENT_FOR_DOMAIN.get(intent_type, {})
        if intent_type not in ON_OFF_INTENTS or len(kinds) != 1 or SETTINGS & base.keys():
            return intent_type
        return wanted.get(next(iter(kinds)), intent_type)

    def _calls(self, intent_type: str, base: dict[str, dict[str, Any]], name_slots: list[dict[str, Any]],
               areas: list[str], floors: list[str], said_items: list[str]) -> list[IntentCall]:
        """One call per name, area and floor said (and per item: "add eggs and milk", "add
        soap, towels and bleach" tagged as three items)."""
        items: list[dict[str, Any] | None] = [None]
        if intent_type == "HassListAddItem" and "item" in base:
            items = [{"value": item, "text": item} for said in said_items for item in items_said(said)]
        calls: list[IntentCall] = []
        name_options: list[dict[str, Any] | None] = [*name_slots] or [None]
        area_options: list[str | None] = [*areas] or [None]
        floor_options: list[str | None] = [*floors] or [None]
        for name_slot in name_options:
            for area_id in area_options:
                for floor_id in floor_options:
                    for item in items:
                        slots = dict(base)
                        if name_slot is not None:
                            slots["name"] = name_slot
                        if area_id is not None:
                            slots["area"] = {"value": area_id}
                        if floor_id is not None:
                            slots["floor"] = {"value": floor_id}
                        if item is not None:
                            slots["item"] = item
                        calls.append(IntentCall(intent_type, slots))
        return calls

    def _for_previous(self, command: Command, previous: tuple[str, ...]) -> list[IntentCall]:
        """ "dim it to 30", "turn them off": the same devices as before, each by its entity id."""
        for slot in SETTINGS.intersection(command.slots) - INTENT_SETTINGS.get(command.intent, frozenset()):
            raise Unresolved(slot, command.slots[slot][0].text, "not_for_intent")
        base = {slot: {"value": self._value(slot, values[0].text), "text": values[0].text}
                for slot, values in command.slots.items()}
        domains = INTENT_DOMAINS.get(command.intent)
        return [IntentCall(command.intent, base | {"name": {"value": entity_id, "text": state.name}})
                for entity_id in previous
                if (state := self.hass.states.get(entity_id)) is not None
                and (domains is None or state.domain in domains)]

    @staticmethod
    def _without_restated_state(command: Command) -> Command:
        """ "all lights on in here" tagged with a state "on": the state is what the intent
        does, not a filter; the opposite state means the command was misread."""
        if command.intent not in RESTATED_STATE or "state" not in command.slots:
            return command
        for value in command.slots["state"]:
            if normalize(value.text) != RESTATED_STATE[command.intent]:
                raise Unresolved("state", value.text, "not_for_intent")
        return replace(command, slots={k: vs for k, vs in command.slots.items() if k != "state"})

    def _value(self, slot: str, text: str, kinds: frozenset[str] = frozenset()) -> Any:
        return slot_value(self.value_lists, slot, text, kinds)

    def _device_class(self, text: str) -> tuple[str, str]:
        return device_class_of_word(self.value_lists, text)
