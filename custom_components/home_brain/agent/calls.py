"""Calls of a turn: the ones an answer narrows to one device, and what a turn touched."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent

from ..actions import Outcome
from ..targets import TARGET_SLOTS, IntentCall


def touched(outcomes: list[Outcome]) -> tuple[str, ...]:
    """The entities a turn's calls acted on."""
    return tuple(dict.fromkeys(
        target.id for outcome in outcomes if outcome.response is not None
        for target in outcome.response.success_results
        if target.type == intent.IntentResponseTargetType.ENTITY and target.id))


def for_choice(plans: list[list[IntentCall]], index: int, choice: str, hass: HomeAssistant) -> list[IntentCall]:
    """The turn's calls with command ``index`` acting on ``choice`` alone."""
    state = hass.states.get(choice)
    calls: list[IntentCall] = []
    for number, plan in enumerate(plans):
        if number != index:
            calls += plan
            continue
        for intent_type in dict.fromkeys(call.intent for call in plan):
            first = next(call for call in plan if call.intent == intent_type)
            slots = {k: v for k, v in first.slots.items() if k not in TARGET_SLOTS}
            slots["name"] = {"value": choice, "text": state.name if state else choice}
            calls.append(IntentCall(intent_type, slots))
    return calls
