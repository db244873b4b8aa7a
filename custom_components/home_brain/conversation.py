"""The Home Brain conversation agent: text -> tags -> commands -> targets -> action -> reply."""

from __future__ import annotations

from typing import Literal, override

from homeassistant.components import conversation
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import HomeBrainConfigEntry
from .actions import async_run_calls
from .const import (
    CONF_CONFIDENCE_THRESHOLD,
    CONF_FALLBACK_AGENT,
    DEFAULT_CONFIDENCE_THRESHOLD,
    DEFAULT_FALLBACK_AGENT,
    DOMAIN,
    LOGGER,
    MAX_INPUT_CHARS,
)
from .nlu.commands import commands_from_tags
from .reply import clarification_for, response_for
from .targets import IntentCall, TargetResolver, Unresolved


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HomeBrainConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the agent."""
    async_add_entities([HomeBrainConversationEntity(entry)])


def _satellite_area_id(hass: HomeAssistant, user_input: conversation.ConversationInput) -> str | None:
    """The area of the device the user spoke to, if Home Assistant knows it."""
    device_id = user_input.device_id
    if user_input.satellite_id and (entry := er.async_get(hass).async_get(user_input.satellite_id)):
        if entry.area_id:
            return entry.area_id
        device_id = entry.device_id
    if device_id and (device := dr.async_get(hass).async_get(device_id)):
        return device.area_id
    return None


class HomeBrainConversationEntity(conversation.ConversationEntity, conversation.AbstractConversationAgent):
    """Understands commands with the entry's local model; hands the rest to a fallback agent."""

    _attr_has_entity_name = True
    _attr_name = None
    _attr_supported_features = conversation.ConversationEntityFeature.CONTROL

    def __init__(self, entry: HomeBrainConfigEntry) -> None:
        self.entry = entry
        self._attr_unique_id = entry.entry_id
        self._attr_device_info = dr.DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.title,
            manufacturer="Home Brain",
            entry_type=dr.DeviceEntryType.SERVICE,
        )

    @property
    @override
    def supported_languages(self) -> list[str] | Literal["*"]:
        return ["en"]

    @override
    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        conversation.async_set_agent(self.hass, self.entry, self)

    @override
    async def async_will_remove_from_hass(self) -> None:
        conversation.async_unset_agent(self.hass, self.entry)
        await super().async_will_remove_from_hass()

    @override
    async def _async_handle_message(
        self, user_input: conversation.ConversationInput, chat_log: conversation.ChatLog
    ) -> conversation.ConversationResult:
        text = " ".join(user_input.text.split())
        if not text:
            return self._say(user_input, chat_log, "I didn't catch anything. What should I do?")
        if len(text) > MAX_INPUT_CHARS:
            # Nobody speaks a command this long; acting on a part of it could do what no one asked.
            return self._say(user_input, chat_log, "That is too long for me to act on. Please say one command at a time.")

        tagger = self.entry.runtime_data.tagger
        # Inference takes milliseconds of pure CPU: never on the event loop.
        words = await self.hass.async_add_executor_job(tagger.tag, text)
        commands = commands_from_tags(text, words)
        threshold = self.entry.options.get(CONF_CONFIDENCE_THRESHOLD, DEFAULT_CONFIDENCE_THRESHOLD)
        if not commands or min(c.confidence for c in commands) < threshold:
            LOGGER.debug("Not confident (%s); handing over", [(c.intent, c.confidence) for c in commands])
            return await self._fallback(user_input, chat_log)

        resolver = TargetResolver(self.hass, self.entry.runtime_data.value_lists)
        satellite_area = _satellite_area_id(self.hass, user_input)
        calls: list[IntentCall] = []
        try:
            for command in commands:
                calls += resolver.resolve(command, satellite_area)
        except Unresolved as problem:
            if problem.reason == "ambiguous":
                names = {ident: state.name for ident in problem.candidates if (state := self.hass.states.get(ident))}
                return self._say(user_input, chat_log, clarification_for(problem, names))
            LOGGER.debug("Unresolved %s; handing over", problem)
            return await self._fallback(user_input, chat_log)

        outcomes = await async_run_calls(self.hass, calls, user_input, chat_log)
        return self._finish(user_input, chat_log, response_for(outcomes, user_input.language))

    def _say(
        self, user_input: conversation.ConversationInput, chat_log: conversation.ChatLog, speech: str
    ) -> conversation.ConversationResult:
        response = intent.IntentResponse(language=user_input.language)
        response.async_set_speech(speech)
        return self._finish(user_input, chat_log, response, continue_conversation=True)

    def _finish(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        response: intent.IntentResponse,
        continue_conversation: bool = False,
    ) -> conversation.ConversationResult:
        speech = response.speech.get("plain", {}).get("speech", "")
        chat_log.async_add_assistant_content_without_tools(
            conversation.AssistantContent(agent_id=user_input.agent_id, content=speech)
        )
        return conversation.ConversationResult(
            response=response,
            conversation_id=chat_log.conversation_id,
            continue_conversation=continue_conversation,
        )

    async def _fallback(
        self, user_input: conversation.ConversationInput, chat_log: conversation.ChatLog
    ) -> conversation.ConversationResult:
        """Let the configured agent answer; it runs inside this turn's chat session."""
        agent_id = self.entry.options.get(CONF_FALLBACK_AGENT, DEFAULT_FALLBACK_AGENT)
        if agent_id in (self.entity_id, self.entry.entry_id):
            agent_id = DEFAULT_FALLBACK_AGENT  # never hand a turn to ourselves
        return await conversation.async_converse(
            self.hass,
            user_input.text,
            chat_log.conversation_id,
            user_input.context,
            language=user_input.language,
            agent_id=agent_id,
            device_id=user_input.device_id,
            satellite_id=user_input.satellite_id,
        )

