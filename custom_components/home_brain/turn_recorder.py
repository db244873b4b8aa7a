"""Recording a turn: each turn handled becomes one record of the interaction log.

Record schema (version 1); ``home_brain.export`` writes one record per line of
``turns.jsonl`` exactly like this, and ``training/`` reads it::

    {
      "version": 1,
      "time": "2026-10-12T18:04:05.123+00:00",   # ISO 8601, UTC, when the turn began
      "language": "en",
      "device_id": "abc123" | null,             # the device the user spoke to
      "satellite_id": "assist_satellite.kitchen" | null,
      "conversation_id": "01J..." | null,       # turns of one conversation share it
      "text": "turn on the kitchen light",      # as said/typed (cut at 1000 characters)
      "words": [                                # the tagger's output; [] when nothing was tagged
        {"text": "turn", "start": 0, "end": 4, "label": "INTENT:HassTurnOn", "confidence": 0.98},
        {"text": "kitchen", "start": 12, "end": 19, "label": "B-name", "confidence": 0.91},
        ...
      ],                                        # start/end: character offsets into "text"
      "commands": [                             # words grouped into commands (nlu/commands.py)
        {"intent": "HassTurnOn", "slots": {"name": "kitchen light"}, "confidence": 0.93}
      ],                                        # a slot said several times: a list of texts
      "calls": [                                # intent calls Home Brain ran, in order
        {"intent": "HassTurnOn", "slots": {"name": "light.kitchen", "domain": ["light"]},
         "success": true, "error": null}        # error: "no_target" | "failed" | "no_result"
      ],                                        #   | an IntentResponseErrorCode value | null
      "handled_by": "home_brain",               # "home_brain" | "fallback" | "clarify" | "refused"
      "reply": "Turned on Kitchen Light.",      # the speech the user got
      "latency_ms": 42.5,                       # from receiving the text to the reply
      "fallback": {                             # null unless handled_by == "fallback"
        "agent_id": "conversation.home_assistant",
        "intent": "HassTurnOn" | null,          # its first tool call / intent, null if none
        "slots": {"name": "Kitchen Light"},     # that call's arguments (values, not texts)
        "targets": ["light.kitchen"],           # entity ids it matched or acted on
        "response_type": "action_done",         # "action_done" | "query_answer" | "error"
        "success": true                         # response_type != "error"
      }
    }

``handled_by``: ``fallback`` when the turn went to the fallback agent; ``home_brain`` when
Home Brain ran at least one intent call itself (also when it completed a command after a
"which one?" answer: then ``words`` and ``commands`` are empty, the answer was not tagged);
``refused`` for input it does not read (blank, or over 1000 characters); ``clarify`` when it
neither acted nor handed on but asked back (several devices matched the name).

Nothing here may block the event loop or break a turn: records are plain dicts made on the
loop in microseconds, serialised in the executor, and any error while recording is logged
and swallowed.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Coroutine, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.components.conversation import (
    AssistantContent,
    ChatLog,
    ConversationInput,
    ConversationResult,
    ToolResultContent,
)
from homeassistant.helpers import intent, llm
from homeassistant.util import dt as dt_util

from .const import LOGGER, MAX_INPUT_CHARS
from .interaction_log import RECORD_VERSION, HandledBy, InteractionLog, Record
from .nlu.commands import Command
from .nlu.tags import TaggedWord

if TYPE_CHECKING:
    from .conversation import HomeBrainConversationEntity


@dataclass(slots=True)
class TurnNotes:
    """What the agent tells the recorder in the middle of a turn (the rest is read after)."""

    words: list[TaggedWord] | None = None
    commands: list[Command] | None = None
    handled_by: HandledBy | None = None


_CURRENT_TURN: ContextVar[TurnNotes | None] = ContextVar("home_brain_turn", default=None)


def note_turn(
    *,
    words: list[TaggedWord] | None = None,
    commands: list[Command] | None = None,
    handled_by: HandledBy | None = None,
) -> None:
    """Tell the recorder about the turn being handled; a no-op outside a recorded turn."""
    notes = _CURRENT_TURN.get()
    if notes is None:
        return
    if words is not None:
        notes.words = words
    if commands is not None:
        notes.commands = commands
    if handled_by is not None:
        notes.handled_by = handled_by


type _Handler = Callable[
    [HomeBrainConversationEntity, ConversationInput, ChatLog], Coroutine[Any, Any, ConversationResult]
]


def recorded(handler: _Handler) -> _Handler:
    """Wrap the agent's ``_async_handle_message`` so every turn lands in the entry's log.

    Most of a record is read after the turn from the chat log, which both Home Brain
    (``actions.py``) and the built-in agent fill with a ``ToolInput`` per intent call and a
    ``ToolResultContent`` per result; only the tagger's words and commands are noted
    during the turn (``note_turn``), because nothing else keeps them.
    """

    @functools.wraps(handler)
    async def wrapper(
        agent: HomeBrainConversationEntity, user_input: ConversationInput, chat_log: ChatLog
    ) -> ConversationResult:
        runtime = getattr(agent.entry, "runtime_data", None)
        learning = getattr(runtime, "learning", None)
        log: InteractionLog | None = learning.log if learning is not None and learning.log.enabled else None
        # The monitor counts every turn, also with the log off: counts hold no text.
        monitor = getattr(runtime, "monitor", None)
        if log is None and monitor is None:
            return await handler(agent, user_input, chat_log)
        notes = TurnNotes()
        token = _CURRENT_TURN.set(notes)
        began, started = dt_util.utcnow(), time.monotonic()
        first_new = len(chat_log.content)
        if monitor is not None:
            monitor.async_turn_started()
        try:
            try:
                result = await handler(agent, user_input, chat_log)
            finally:
                _CURRENT_TURN.reset(token)
            latency_ms = (time.monotonic() - started) * 1000
            try:
                record = build_record(user_input, chat_log.content[first_new:], result, notes, began, latency_ms)
                if log is not None:
                    log.async_add(record)
                if monitor is not None:
                    monitor.async_record(record["handled_by"], latency_ms)
            except Exception:  # noqa: BLE001 - a log must never cost the user their answer
                LOGGER.exception("Could not record a turn")
            return result
        finally:
            if monitor is not None:
                monitor.async_turn_ended()

    return wrapper


def build_record(
    user_input: ConversationInput,
    new_content: Iterable[Any],
    result: ConversationResult,
    notes: TurnNotes,
    began: datetime,
    latency_ms: float,
) -> Record:
    """One turn as a version-1 record (see the module docstring)."""
    own_agent = user_input.agent_id
    tools: list[tuple[str, llm.ToolInput]] = []  # (agent id, call) in order
    results: dict[str, llm.ToolResult] = {}
    fallback_agent: str | None = None
    for content in new_content:
        if isinstance(content, AssistantContent):
            if content.agent_id != own_agent and fallback_agent is None:
                fallback_agent = content.agent_id
            tools.extend((content.agent_id, call) for call in content.tool_calls or [])
        elif isinstance(content, ToolResultContent):
            results[content.tool_call_id] = content.result

    calls = [_call(tool, results.get(tool.id)) for agent_id, tool in tools if agent_id == own_agent]
    words = notes.words or []
    handled_by: HandledBy
    if notes.handled_by is not None:
        handled_by = notes.handled_by
    elif fallback_agent is not None:
        handled_by = "fallback"
    elif calls:
        handled_by = "home_brain"
    elif not (said := " ".join(user_input.text.split())) or len(said) > MAX_INPUT_CHARS:
        handled_by = "refused"  # the agent answers such input without reading it
    else:
        handled_by = "clarify"  # neither acted nor handed on: it asked back

    fallback = None
    if handled_by == "fallback":
        foreign = [tool for agent_id, tool in tools if agent_id != own_agent]
        fallback = _fallback(fallback_agent, foreign[0] if foreign else None, result.response)

    return {
        "version": RECORD_VERSION,
        "time": began.isoformat(timespec="milliseconds"),
        "language": user_input.language,
        "device_id": user_input.device_id,
        "satellite_id": user_input.satellite_id,
        # Training reads a correction ("no, turn it back on") as undoing the turn before it.
        "conversation_id": result.conversation_id,
        "text": user_input.text[:MAX_INPUT_CHARS],
        "words": [
            {"text": w.text, "start": w.start, "end": w.end, "label": w.label, "confidence": round(w.confidence, 4)}
            for w in words
        ],
        "commands": [
            {
                "intent": c.intent,
                "slots": {
                    name: values[0].text if len(values) == 1 else [v.text for v in values]
                    for name, values in c.slots.items()
                },
                "confidence": round(c.confidence, 4),
            }
            for c in notes.commands or []
        ],
        "calls": calls,
        "handled_by": handled_by,
        "reply": str(result.response.speech.get("plain", {}).get("speech", "")),
        "latency_ms": round(latency_ms, 1),
        "fallback": fallback,
    }


def _call(tool: llm.ToolInput, result: llm.ToolResult | None) -> Record:
    data: Any = result.data if result is not None else {}
    error: str | None = None
    if isinstance(data, dict):
        if isinstance(reason := data.get("error"), str):
            error = reason  # actions.py: "no_target" / "failed"
        elif data.get("response_type") == intent.IntentResponseType.ERROR.value:
            error = str((data.get("data") or {}).get("code", "error"))
    if result is None:
        error = "no_result"
    elif result.error and error is None:
        error = "failed"
    return {"intent": tool.tool_name, "slots": _jsonable(tool.tool_args), "success": error is None, "error": error}


def _fallback(agent_id: str | None, tool: llm.ToolInput | None, response: intent.IntentResponse) -> Record:
    """What the fallback agent did: its call as it recorded it, else its response's intent."""
    name: str | None = tool.tool_name if tool is not None else None
    slots: dict[str, Any] = dict(tool.tool_args) if tool is not None else {}
    if tool is None and response.intent is not None:
        name = response.intent.intent_type
        slots = {key: slot.get("value") for key, slot in response.intent.slots.items() if isinstance(slot, dict)}
    targets: list[str] = []
    for target in response.success_results:
        if target.type == intent.IntentResponseTargetType.ENTITY and target.id and target.id not in targets:
            targets.append(target.id)
    for state in response.matched_states:
        if state.entity_id not in targets:
            targets.append(state.entity_id)
    return {
        "agent_id": agent_id,
        "intent": name,
        "slots": _jsonable(slots),
        "targets": targets,
        "response_type": response.response_type.value,
        "success": response.response_type != intent.IntentResponseType.ERROR,
    }


def _jsonable(value: Any) -> Any:
    """Slot values as JSON: sets and tuples become lists, anything odd becomes its text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
