"""Actions -> reply: one spoken answer for everything a turn did.

Where Home Assistant's language data has a response template for the intent (the
``responses`` of ``home-assistant-intents``, the sentences the built-in agent speaks), the
reply is that template rendered the way the built-in agent renders it, so switching agents
does not change how the home talks. Our own sentences cover what has no template, a template
that cannot be rendered, and every error.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from home_assistant_intents import get_intents

from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import TemplateError
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import floor_registry as fr
from homeassistant.helpers import intent, template

from .actions import Outcome
from .const import LOGGER
from .targets import Unresolved

# intent -> response key -> jinja template
type IntentResponses = dict[str, dict[str, str]]

_DONE_VERBS = {
    "HassTurnOn": "Turned on",
    "HassTurnOff": "Turned off",
    "HassLightSet": "Set",
    "HassSetPosition": "Set",
    "HassClimateSetTemperature": "Set",
    "HassFanSetSpeed": "Set",
    "HassSetVolume": "Set the volume of",
    "HassMediaPause": "Paused",
    "HassMediaUnpause": "Resumed",
    "HassMediaNext": "Skipped to the next item on",
    "HassMediaPrevious": "Went back on",
    "HassMediaPlayerMute": "Muted",
    "HassMediaPlayerUnmute": "Unmuted",
    "HassVacuumStart": "Started",
    "HassVacuumReturnToBase": "Sent home",
    "HassLawnMowerStartMowing": "Started",
    "HassLawnMowerDock": "Docked",
}
_SETTING_SLOTS = ("brightness", "color", "temperature", "position", "percentage", "volume_level")
_UNITS = {"brightness": "%", "position": "%", "percentage": "%", "volume_level": "%", "temperature": "°"}
# Turn on/off of these domains has its own response in the language data ("Opening", "Locking").
_DOMAIN_RESPONSES = ("cover", "valve", "lock", "scene", "script")
# The list intents answer with a key named after what they did, not "default".
_ITEM_RESPONSES = {
    "HassListAddItem": "item_added",
    "HassShoppingListAddItem": "item_added",
    "HassListCompleteItem": "item_completed",
    "HassShoppingListCompleteItem": "item_completed",
    "HassListRemoveItem": "item_deleted",
}
_SENTENCE_END = (".", "!", "?")


@cache
def load_responses(language: str) -> IntentResponses:
    """The language's intent response templates. Reads a large JSON file: call in the executor."""
    data = get_intents(language) or {}
    responses: IntentResponses = data.get("responses", {}).get("intents", {})
    return responses


def _join(names: list[str], last: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {last} " + names[-1]


def _target_names(response: intent.IntentResponse) -> list[str]:
    names = [t.name for t in response.success_results if t.type == intent.IntentResponseTargetType.ENTITY]
    if not names:
        names = [t.name for t in response.success_results]
    if not names:
        names = [state.name for state in response.matched_states]
    return names


def _own_sentence(outcome: Outcome) -> str:
    """Our own words for an outcome: every error, and successes without a usable template."""
    response = outcome.response
    if response is None:
        said = outcome.call.slots.get("name", {}).get("text")
        if outcome.error == "no_target":
            if said:
                return f"Sorry, I couldn't find a device called {said} that can do that."
            return "Sorry, I couldn't find a device to do that with."
        return "Sorry, I couldn't do that."
    if speech := response.speech.get("plain", {}).get("speech"):
        return str(speech)
    if response.response_type == intent.IntentResponseType.ERROR:
        return "Sorry, I couldn't do that."
    names = _target_names(response)
    if response.response_type == intent.IntentResponseType.QUERY_ANSWER:
        states = response.matched_states
        if not states:
            return "Nothing matched."
        return " ".join(f"{state.name} is {state.state}." for state in states)
    verb = _DONE_VERBS.get(outcome.call.intent)
    if verb is None or not names:
        return "Done."
    setting = next((s for s in _SETTING_SLOTS if s in outcome.call.slots), None)
    sentence = f"{verb} {_join(names)}"
    if setting is not None:
        value = outcome.call.slots[setting]["value"]
        sentence += f" to {value}{_UNITS.get(setting, '')}"
    return sentence + "."


def _response_key(outcome: Outcome, text: str, templates: dict[str, str]) -> str | None:
    """Which of the intent's responses the built-in agent would have picked for this sentence.

    The built-in agent reads the key off the sentence template that matched; we have no
    template, so we read it off what the call targeted and what it reached.
    """
    call, response = outcome.call, outcome.response
    assert response is not None
    slots = call.slots
    states = [*response.matched_states, *response.unmatched_states]
    domains = {state.domain for state in states}
    key: str | None
    if call.intent in ("HassTurnOn", "HassTurnOff"):
        if "device_class" in slots and domains <= {"cover"}:
            key = "cover_device_class"
        elif "name" not in slots and domains == {"light"}:
            key = "lights_area" if "area" in slots else "lights_floor" if "floor" in slots else "light_all"
        elif "name" not in slots and domains == {"fan"}:
            key = "fans_area" if "area" in slots else "fan_all"
        elif len(domains) == 1 and (domain := next(iter(domains))) in _DOMAIN_RESPONSES:
            key = domain
        else:
            key = "default"
    elif call.intent == "HassGetState":
        words = set(re.findall(r"[a-z]+", text.casefold()))
        if domains == {"person"}:
            key = "where"
        elif "state" not in slots:
            key = "one" if "name" in slots else "default"
        elif "name" in slots:
            key = "one_yesno"
        elif "how" in words and "many" in words:
            key = "how_many"
        elif words & {"which", "what"}:
            key = "which"
        elif words & {"all", "every", "everything"}:
            key = "all"
        else:
            key = "any"
    elif call.intent == "HassLightSet":
        key = next((s for s in ("brightness", "color", "temperature") if s in slots), "default")
    elif call.intent == "HassSetPosition":
        key = "cover_device_class" if "device_class" in slots and "name" not in slots else "default"
    elif call.intent in _ITEM_RESPONSES:
        key = _ITEM_RESPONSES[call.intent]
    elif call.intent == "HassCancelAllTimers":
        key = "area" if "area" in slots else "default"
    elif call.intent == "HassStartTimer":
        key = "command" if "conversation_command" in slots else "default"
    else:
        key = "default"
    if key not in templates:
        key = "default" if "default" in templates else (next(iter(templates)) if len(templates) == 1 else None)
    return key


def _speech_slots(hass: HomeAssistant, slots: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Slots as the built-in agent hands them to templates: what was said, by name.

    A resolved device is spoken by its own name (the user may have said it with a typo);
    areas and floors, which we resolved to ids, by their registry names.
    """
    speech: dict[str, Any] = {}
    for name, slot in slots.items():
        value = slot.get("value")
        if name == "name" and isinstance(value, str) and (state := hass.states.get(value)) is not None:
            speech[name] = state.name
        elif name == "area" and (area := ar.async_get(hass).async_get_area(str(value))) is not None:
            speech[name] = area.name
        elif name == "floor" and (floor := fr.async_get(hass).async_get_floor(str(value))) is not None:
            speech[name] = floor.name
        elif "text" in slot:
            speech[name] = slot["text"]
        elif isinstance(value, list):
            speech[name] = " ".join(str(v).replace("_", " ") for v in value)
        else:
            speech[name] = value
    return speech


def _rendered(
    hass: HomeAssistant, outcome: Outcome, text: str, responses: IntentResponses
) -> str | None:
    """The intent's response template rendered as the built-in agent renders it, if usable."""
    response = outcome.response
    if response is None or response.response_type == intent.IntentResponseType.ERROR:
        return None
    if response.speech.get("plain", {}).get("speech"):
        return None  # the handler spoke for itself (timers, lists)
    templates = responses.get(outcome.call.intent)
    if not templates or (key := _response_key(outcome, text, templates)) is None:
        return None
    first: State | None = next(iter([*response.matched_states, *response.unmatched_states]), None)
    try:
        speech = template.Template(templates[key], hass).async_render(
            {
                "slots": _speech_slots(hass, outcome.call.slots) | response.speech_slots,
                "state": template.TemplateState(hass, first) if first is not None else None,
                "query": {
                    "matched": [template.TemplateState(hass, s) for s in response.matched_states],
                    "unmatched": [template.TemplateState(hass, s) for s in response.unmatched_states],
                },
            },
            parse_result=False,
        )
    except TemplateError as err:
        LOGGER.debug("Response %s/%s did not render: %s", outcome.call.intent, key, err)
        return None
    speech = " ".join(str(speech).split())
    # "Turned on None": a domain the template has no word for. Our own sentence is better.
    if not speech or re.search(r"\bNone\b", speech):
        return None
    return speech


def _join_speech(parts: list[str]) -> str:
    """One answer for a compound command: each part once, each a sentence.

    A single part is said as is, as the built-in agent says it; parts are joined the way the
    built-in agent joins the answers of a coordinated command (``gazetteer.join_speech``).
    """
    parts = [p.strip() for p in parts if p.strip()]
    if len(set(parts)) == 1:
        return parts[0]
    sentences: list[str] = []
    for part in parts:
        sentence = part if part.endswith(_SENTENCE_END) else f"{part}."
        if sentence not in sentences:
            sentences.append(sentence)
    return " ".join(sentences)


def reply_for(
    outcomes: list[Outcome],
    hass: HomeAssistant | None = None,
    text: str = "",
    responses: IntentResponses | None = None,
) -> str:
    """What to say after running ``outcomes``: one sentence each, repeats merged.

    Without ``hass`` and ``responses`` only our own sentences are used.
    """
    parts: list[str] = []
    for outcome in outcomes:
        speech = _rendered(hass, outcome, text, responses) if hass is not None and responses else None
        parts.append(speech or _own_sentence(outcome))
    return _join_speech(parts) or "Done."


def response_for(
    outcomes: list[Outcome],
    language: str,
    hass: HomeAssistant | None = None,
    text: str = "",
    responses: IntentResponses | None = None,
) -> intent.IntentResponse:
    """One intent response for the whole turn: every target, every state, one answer."""
    response = intent.IntentResponse(language=language)
    done = [o.response for o in outcomes if o.response is not None]
    speech = reply_for(outcomes, hass, text, responses)
    if not done:
        response.async_set_error(intent.IntentResponseErrorCode.NO_VALID_TARGETS, speech)
        return response
    response.async_set_results(
        success_results=[t for r in done for t in r.success_results],
        failed_results=[t for r in done for t in r.failed_results],
    )
    response.async_set_states(
        [s for r in done for s in r.matched_states], [s for r in done for s in r.unmatched_states]
    )
    if any(r.response_type == intent.IntentResponseType.QUERY_ANSWER for r in done):
        response.response_type = intent.IntentResponseType.QUERY_ANSWER
    response.async_set_speech(speech)
    return response


def clarification_for(problem: Unresolved, names: dict[str, str], areas: dict[str, str] | None = None) -> str:
    """Ask which one, instead of guessing between several matching targets.

    Candidates that share a name are told apart by their area ("Lamp in the Bedroom").
    """
    areas = areas or {}
    labels = [names.get(c, c) for c in problem.candidates]
    options = []
    for candidate, label in zip(problem.candidates, labels, strict=True):
        if labels.count(label) > 1 and (area := areas.get(candidate)):
            label = f"{label} in the {area}"
        options.append(label)
    return f"Which {problem.text} do you mean: {_join(options, 'or')}?"
