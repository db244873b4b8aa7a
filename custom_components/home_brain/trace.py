"""What Home Brain made of a turn, in Assist's debug view (the conversation trace).

Each step adds one ``agent_detail`` event with a ``home_brain`` key naming the step: the
tags and commands, the targets chosen, and why the turn was handed over, asked back or
refused. Outside a traced turn (a direct call of the agent) these are no-ops.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from homeassistant.components.conversation import ConversationTraceEventType, async_conversation_trace_append

from .nlu.commands import Command
from .nlu.tags import TaggedWord


def _append(step: str, **data: Any) -> None:
    async_conversation_trace_append(ConversationTraceEventType.AGENT_DETAIL, {"home_brain": step, **data})


def trace_understood(words: Sequence[TaggedWord], commands: Sequence[Command], threshold: float) -> None:
    """The model's tags with confidences, and the commands made of them."""
    _append(
        "understood",
        tags=[{"word": w.text, "label": w.label, "confidence": round(w.confidence, 3)} for w in words],
        commands=[
            {
                "intent": c.intent,
                "slots": {name: [v.text for v in values] for name, values in c.slots.items()},
                "confidence": round(c.confidence, 3),
            }
            for c in commands
        ],
        threshold=threshold,
    )


def trace_targets(calls: Iterable[Any]) -> None:
    """The intent calls about to run, with the targets the resolver chose."""
    _append("targets", calls=[{"intent": call.intent, "slots": call.slots} for call in calls])


def trace_handed_over(reason: str, **detail: Any) -> None:
    """Why the fallback agent gets this turn: ``low_confidence``, ``nothing_understood``,
    or ``unresolved`` (a name that matches nothing exposed, with the slot and words)."""
    _append("handed_over", reason=reason, **detail)


def trace_asked(slot: str, text: str, candidates: Sequence[str], question: str) -> None:
    """Several devices fit equally well: the question, and which ones it is between."""
    _append("asked", slot=slot, text=text, candidates=list(candidates), question=question)


def trace_confirm(question: str, calls: Iterable[Any]) -> None:
    """A security action not plainly asked for: the yes/no question and what "yes" would run."""
    _append("confirm", question=question, calls=[{"intent": call.intent, "slots": call.slots} for call in calls])


def trace_refused(reason: str) -> None:
    """Input Home Brain does not read (``empty``, ``too_long``)."""
    _append("refused", reason=reason)
