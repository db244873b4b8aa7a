"""Targets -> actions: run each intent call through Home Assistant's own intent handlers,
so the right service runs per domain and only exposed entities can be touched."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.conversation import (
    AssistantContent,
    ChatLog,
    ConversationInput,
    ToolResultContent,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent, llm
from homeassistant.util.json import JsonObjectType

from .const import ASSISTANT, DOMAIN, LOGGER
from .targets import IntentCall


@dataclass
class Outcome:
    """What one intent call did: its response, or why it failed."""

    call: IntentCall
    response: intent.IntentResponse | None = None
    error: str | None = None


async def async_run_calls(
    hass: HomeAssistant, calls: list[IntentCall], user_input: ConversationInput, chat_log: ChatLog
) -> list[Outcome]:
    """Run the calls in order; each is recorded in the chat log as the built-in agent does."""
    outcomes: list[Outcome] = []
    for call in calls:
        tool_input = llm.ToolInput(
            tool_name=call.intent,
            tool_args={name: slot["value"] for name, slot in call.slots.items()},
            external=True,
        )
        chat_log.async_add_assistant_content_without_tools(
            AssistantContent(agent_id=user_input.agent_id, content=None, tool_calls=[tool_input])
        )
        outcome = Outcome(call)
        try:
            outcome.response = await intent.async_handle(
                hass,
                DOMAIN,
                call.intent,
                call.slots,
                user_input.text,
                user_input.context,
                user_input.language,
                assistant=ASSISTANT,
                device_id=user_input.device_id,
                satellite_id=user_input.satellite_id,
                conversation_agent_id=user_input.agent_id,
            )
        except intent.MatchFailedError as err:
            outcome.error = "no_target"
            LOGGER.debug("No target for %s %s: %s", call.intent, call.slots, err)
        except intent.IntentError as err:
            # UnknownIntent, InvalidSlotInfo, IntentHandleError: the sentence asked for
            # something this home cannot do; say so instead of failing the turn.
            outcome.error = "failed"
            LOGGER.debug("Intent %s failed: %s", call.intent, err)
        result: JsonObjectType = (
            llm.IntentResponseDict(outcome.response)
            if outcome.response is not None
            else {"error": outcome.error}
        )
        chat_log.async_add_assistant_content_without_tools(
            ToolResultContent(
                agent_id=user_input.agent_id,
                tool_call_id=tool_input.id,
                tool_name=tool_input.tool_name,
                result=llm.ToolResult(data=result, error=outcome.error is not None),
            )
        )
        outcomes.append(outcome)
    return outcomes
