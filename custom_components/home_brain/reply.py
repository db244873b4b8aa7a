"""Actions -> reply: one plain sentence for everything a turn did."""

from __future__ import annotations

from homeassistant.helpers import intent

from .actions import Outcome
from .targets import Unresolved

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


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _target_names(response: intent.IntentResponse) -> list[str]:
    names = [t.name for t in response.success_results if t.type == intent.IntentResponseTargetType.ENTITY]
    if not names:
        names = [t.name for t in response.success_results]
    if not names:
        names = [state.name for state in response.matched_states]
    return names


def _sentence(outcome: Outcome) -> str:
    response = outcome.response
    if response is None:
        if outcome.error == "no_target":
            return "I couldn't find a device to do that with."
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


def reply_for(outcomes: list[Outcome]) -> str:
    """What to say after running ``outcomes``: one sentence each, repeats merged."""
    sentences: list[str] = []
    for outcome in outcomes:
        sentence = _sentence(outcome)
        if sentence not in sentences:
            sentences.append(sentence)
    return " ".join(sentences) or "Done."


def response_for(outcomes: list[Outcome], language: str) -> intent.IntentResponse:
    """One intent response for the whole turn: every target, every state, one sentence."""
    response = intent.IntentResponse(language=language)
    done = [o.response for o in outcomes if o.response is not None]
    if not done:
        response.async_set_error(intent.IntentResponseErrorCode.NO_VALID_TARGETS, reply_for(outcomes))
        return response
    response.async_set_results(
        success_results=[t for r in done for t in r.success_results],
        failed_results=[t for r in done for t in r.failed_results],
    )
    response.async_set_states([s for r in done for s in r.matched_states])
    if any(r.response_type == intent.IntentResponseType.QUERY_ANSWER for r in done):
        response.response_type = intent.IntentResponseType.QUERY_ANSWER
    response.async_set_speech(reply_for(outcomes))
    return response


def clarification_for(problem: Unresolved, names: dict[str, str]) -> str:
    """Ask which one, instead of guessing between several matching targets."""
    options = _join([names.get(c, c) for c in problem.candidates]).replace(" and ", " or ")
    return f"Which {problem.text} do you mean: {options}?"
