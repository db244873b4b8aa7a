"""The safety policy: whether resolved calls may run, or the user must say more first.

Doing nothing is better than doing the wrong thing. Over the devices each command would
really move (matched as Home Assistant's own handlers match them), in this order:

1. A singular device word with no name and no place ("open the blind") is one device: the
   one in the speaker's area. Several there, or none there and several in the home: ask
   which. None there and one elsewhere: confirm that one. Never the whole home. A vacuum or
   mower goes where it is sent: the speaker's area does not narrow it (``targets`` adds none),
   so "the vacuum" is the home's only one, and several are asked about.
2. A plural device word, "all", or a verb alone with no place ("turn off the lights", "light
   up") is the speaker's area when it is known (``targets`` adds it), the whole home when the
   home was said ("everywhere") or no area is known: Home Assistant's own reading, except
   when words of the sentence were left unread ("lights on in the snug", a room the home does
   not know): those words may be the place, so the turn is handed over instead.
3. Opening what keeps people out (unlock a lock, disarm an alarm, open a cover or valve of
   class door, garage, gate or water/gas) runs at once only for one device that was named by
   its name or alias (or the one device of a named place), in a plainly worded command. Several
   devices, a device word alone, a pronoun, or a command wrapped in other words: confirm first
   ("Unlock all 3 locks?").
4. Closing them (lock, close) acts on several devices only when the scope was said (a place,
   "all", "every", the whole home); otherwise ask which.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import intent

from ..const import ASSISTANT
from ..nlu.commands import Command
from ..nlu.intents import ACTING_INTENTS, ON_OFF_INTENTS, facts
from .areas import entity_area_id
from .scope import Scope

# Covers and valves whose opening lets people (or water) in.
SECURITY_CLASSES = frozenset({"door", "garage", "gate", "water", "gas"})
_VERBS = {("lock", "open"): "Unlock", ("lock", "close"): "Lock", ("alarm_control_panel", "open"): "Disarm"}


@dataclass(frozen=True, slots=True)
class Plan:
    """One command, its scope, and the intent calls the resolver made of it."""

    command: Command
    scope: Scope
    calls: list[Any]  # targets.IntentCall
    satellite_area_id: str | None


@dataclass(frozen=True, slots=True)
class Act:
    """Run every call."""


@dataclass(frozen=True, slots=True)
class HandOver:
    """Not for Home Brain to guess: the fallback agent gets the turn."""


@dataclass(frozen=True, slots=True)
class AskWhich:
    """Ask which of ``candidates`` (entity ids) the command at ``index`` meant."""

    index: int
    word: str
    candidates: list[str]


@dataclass(frozen=True, slots=True)
class Confirm:
    """Ask "yes or no?" before running every call; with ``only``, (command index, entity id):
    that command acts on that one device instead (the one elsewhere "Do you mean ...?" offers)."""

    question: str
    only: tuple[int, str] | None = None


type Decision = Act | AskWhich | Confirm | HandOver


def _device_class(state: State) -> str | None:
    value = state.attributes.get("device_class")
    return value if isinstance(value, str) else None


def direction(intent_type: str, state: State, slots: dict[str, Any]) -> str | None:
    """ "open" or "close" when ``intent_type`` moves a device that keeps people out, else None."""
    if state.domain == "alarm_control_panel":
        return "open"
    if state.domain == "lock":
        return {"HassTurnOff": "open", "HassTurnOn": "close"}.get(intent_type)
    if state.domain in ("cover", "valve") and _device_class(state) in SECURITY_CLASSES:
        if intent_type == "HassSetPosition":
            return "open" if (slots.get("position", {}).get("value") or 0) > 0 else "close"
        return {"HassTurnOn": "open", "HassTurnOff": "close"}.get(intent_type)
    return None


def matched_states(hass: HomeAssistant, intent_type: str, slots: dict[str, Any],
                   keep_area: bool = True) -> list[State]:
    """The exposed entities a call would act on, matched as Home Assistant's handler matches them."""
    name = slots.get("name", {}).get("value")
    domains = set(slots["domain"]["value"]) if "domain" in slots else (
        None if intent_type in ON_OFF_INTENTS else facts(intent_type).domains)
    constraints = intent.MatchTargetsConstraints(
        name=None if name == "all" else name,
        area_name=slots.get("area", {}).get("value") if keep_area else None,
        floor_name=slots.get("floor", {}).get("value"),
        domains=domains,
        device_classes=set(slots["device_class"]["value"]) if "device_class" in slots else None,
        assistant=ASSISTANT,
    )
    if not constraints.has_constraints:
        return []
    preferences = intent.MatchTargetsPreferences(area_id=slots.get("preferred_area_id", {}).get("value"))
    result = intent.async_match_targets(hass, constraints, preferences)
    return list(result.states) if result.is_match else []


def _unique(states: Iterable[State]) -> list[State]:
    return list({s.entity_id: s for s in states}.values())


def _what(states: list[State], word: str | None) -> str:
    """ "the Hall Door", "all 3 gates": what a confirmation names."""
    if len(states) == 1:
        return f"the {states[0].name}"
    classes = {_device_class(s) or s.domain for s in states}
    noun = word if word and word.endswith("s") else (f"{next(iter(classes))}s" if len(classes) == 1 else "devices")
    return f"all {len(states)} {noun.replace('_', ' ')}"


def _question(intent_type: str, states: list[State], word: str | None) -> str:
    domain = states[0].domain
    verb = _VERBS.get((domain, "open")) if intent_type == "HassTurnOff" or domain == "alarm_control_panel" else None
    verb = verb or ("Open" if intent_type in ("HassTurnOn", "HassSetPosition") else "Do that to")
    return f"{verb} {_what(states, word)}?"


def _areas(hass: HomeAssistant, states: list[State]) -> set[str | None]:
    return {entity_area_id(hass, s.entity_id) for s in states}


def _review(hass: HomeAssistant, index: int, plan: Plan, wrapped: bool, unread: bool = False) -> Decision:
    command, scope = plan.command, plan.scope
    if command.intent not in ACTING_INTENTS or not plan.calls:
        return Act()
    states = _unique(s for call in plan.calls for s in matched_states(hass, call.intent, call.slots))
    said_where = scope.named or scope.place
    from_satellite = not said_where and plan.satellite_area_id is not None and not scope.everywhere
    # What the question calls them: the word said, else their one kind ("Which lock ...?").
    word = scope.device_word or (states[0].domain.replace("_", " ") if len({s.domain for s in states}) == 1
                                 else "device")
    if not said_where and not scope.pronoun and scope.device_word is not None and not scope.widened:
        # Rule 1: one device, the one here; never every such device in the home.
        if from_satellite and not states:
            states = _unique(s for call in plan.calls
                             for s in matched_states(hass, call.intent, call.slots, keep_area=False))
            if len(states) == 1:
                return Confirm(_question(command.intent, states, word) if direction(
                    command.intent, states[0], plan.calls[0].slots) else f"Do you mean the {states[0].name}?",
                    (index, states[0].entity_id))
        if len(states) > 1:
            return AskWhich(index, word, sorted(s.entity_id for s in states))
    if (unread and not said_where and not scope.everywhere and plan.satellite_area_id is None
            and len(_areas(hass, states)) > 1):
        # Rule 2's exception: the whole home was not said, and words were left unread.
        return HandOver()
    directions = {direction(command.intent, s, plan.calls[0].slots) for s in states}
    if "open" in directions:
        # Rule 3: one named device, plainly asked for, or a yes first.
        if len(states) == 1 and said_where and not scope.pronoun and not wrapped:
            return Act()
        return Confirm(_question(command.intent, [s for s in states if direction(
            command.intent, s, plan.calls[0].slots) == "open"], scope.device_word))
    if "close" in directions and len(states) > 1 and not (
            scope.named or scope.place or scope.every or scope.everywhere):
        # Rule 4: several to lock or close, and nobody said which (each named one was asked for).
        return AskWhich(index, word, sorted(s.entity_id for s in states))
    return Act()


def review(hass: HomeAssistant, plans: list[Plan], wrapped: bool, unread: bool = False) -> Decision:
    """What to do with a turn's commands: act on all of them, or ask/confirm first. One
    command that needs an answer holds back the whole turn: doing half of it is a surprise.
    ``unread``: the model left words of the sentence unexplained."""
    confirms: list[Confirm] = []
    for index, plan in enumerate(plans):
        decision = _review(hass, index, plan, wrapped, unread)
        if isinstance(decision, AskWhich | HandOver):
            return decision
        if isinstance(decision, Confirm):
            confirms.append(decision)
    if len(confirms) == 1:
        return confirms[0]
    if confirms:
        # Several questions in one: "Unlock all 3 locks and open the Side Gate?" (a "Do you
        # mean ...?" among them keeps its own calls, which find nothing: it is asked, not done).
        questions = [c.question.rstrip("?") for c in confirms]
        return Confirm(" and ".join([questions[0], *(q[0].lower() + q[1:] for q in questions[1:])]) + "?")
    return Act()
