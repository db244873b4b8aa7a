"""The Home Brain conversation agent: text -> tags -> commands -> targets -> action -> reply."""

from __future__ import annotations

from typing import Literal, override

from homeassistant.components import conversation
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import HomeBrainConfigEntry
from .actions import async_run_calls
from .clarify import (
    PendingQuestion,
    PendingQuestions,
    StillAmbiguous,
    describe_candidates,
    pick_candidate,
)
from .const import (
    CONF_CONFIDENCE_THRESHOLD,
    CONF_FALLBACK_AGENT,
    DEFAULT_CONFIDENCE_THRESHOLD,
    DEFAULT_FALLBACK_AGENT,
    DOMAIN,
    LOGGER,
    MAX_INPUT_CHARS,
)
from .interaction_log import note_turn, recorded
from .nlu.commands import Command, commands_from_tags
from .nlu.home_names import normalize
from .reply import IntentResponses, clarification_for, load_responses, response_for
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


def _area_of(hass: HomeAssistant, ident: str) -> ar.AreaEntry | None:
    """An entity's area (its own, else its device's), to tell same-named devices apart."""
    if (entry := er.async_get(hass).async_get(ident)) is None:
        return None
    area_id = entry.area_id
    if area_id is None and entry.device_id and (device := dr.async_get(hass).async_get(entry.device_id)):
        area_id = device.area_id
    return ar.async_get(hass).async_get_area(area_id) if area_id else None


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
        # "Which one do you mean?" questions waiting for their answer, by conversation id.
        self._pending = PendingQuestions()
        self._responses: IntentResponses = {}

    @property
    @override
    def supported_languages(self) -> list[str] | Literal["*"]:
        return ["en"]

    @override
    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        # Home Assistant's own response templates; reading them is file I/O, so off the loop.
        self._responses = await self.hass.async_add_executor_job(load_responses, "en")
        conversation.async_set_agent(self.hass, self.entry, self)

    @override
    async def async_will_remove_from_hass(self) -> None:
        conversation.async_unset_agent(self.hass, self.entry)
        await super().async_will_remove_from_hass()

    @override
    @recorded  # every turn lands in the entry's interaction log
    async def _async_handle_message(
        self, user_input: conversation.ConversationInput, chat_log: conversation.ChatLog
    ) -> conversation.ConversationResult:
        text = " ".join(user_input.text.split())
        if not text:
            return self._say(user_input, chat_log, "I didn't catch anything. What should I do?")
        if len(text) > MAX_INPUT_CHARS:
            # Nobody speaks a command this long; acting on a part of it could do what no one asked.
            return self._say(user_input, chat_log, "That is too long for me to act on. Please say one command at a time.")

        if (question := self._pending.pop(chat_log.conversation_id)) is not None:
            answered = await self._async_answer(question, text, user_input, chat_log)
            if answered is not None:
                return answered

        # Inference takes milliseconds of pure CPU: never on the event loop.
        words = await self.entry.runtime_data.tags.tag(text)
        commands = commands_from_tags(text, words)
        note_turn(words=words, commands=commands)
        threshold = self.entry.options.get(CONF_CONFIDENCE_THRESHOLD, DEFAULT_CONFIDENCE_THRESHOLD)
        if not commands or min(c.confidence for c in commands) < threshold:
            LOGGER.debug("Not confident (%s); handing over", [(c.intent, c.confidence) for c in commands])
            return await self._fallback(user_input, chat_log)

        satellite_area = _satellite_area_id(self.hass, user_input)
        return await self._async_act(commands, {}, satellite_area, text, user_input, chat_log)

    async def _async_act(
        self,
        commands: list[Command],
        chosen: dict[tuple[str, str], str],
        satellite_area: str | None,
        text: str,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        follow_up: bool = False,
    ) -> conversation.ConversationResult:
        """Resolve, act and answer; ask which one when a name fits several devices."""
        resolver = TargetResolver(self.hass, self.entry.runtime_data.value_lists)
        resolver.chosen.update(chosen)
        calls: list[IntentCall] = []
        try:
            for command in commands:
                calls += resolver.resolve(command, satellite_area, text)
        except Unresolved as problem:
            if problem.reason == "ambiguous":
                return self._ask(commands, problem, resolver, satellite_area, text, user_input, chat_log)
            if follow_up:
                # The answer is ours to act on; the fallback agent never saw the question.
                LOGGER.debug("Unresolved %s after an answer", problem)
                return self._say(user_input, chat_log, "Sorry, I can no longer find that device.", done=True)
            LOGGER.debug("Unresolved %s; handing over", problem)
            return await self._fallback(user_input, chat_log)

        outcomes = await async_run_calls(self.hass, calls, user_input, chat_log)
        return self._finish(
            user_input, chat_log, response_for(outcomes, user_input.language, self.hass, text, self._responses)
        )

    def _ask(
        self,
        commands: list[Command],
        problem: Unresolved,
        resolver: TargetResolver,
        satellite_area: str | None,
        text: str,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
    ) -> conversation.ConversationResult:
        """Ask which candidate was meant, and remember the command until the answer comes."""
        candidates = describe_candidates(self.hass, resolver, problem)
        names = {ident: state.name for ident in problem.candidates if (state := self.hass.states.get(ident))}
        areas = {ident: area.name for ident in problem.candidates if (area := _area_of(self.hass, ident))}
        question = clarification_for(problem, names, areas)
        self._pending.put(
            chat_log.conversation_id,
            PendingQuestion(
                commands=commands,
                problem=problem,
                candidates=candidates,
                chosen=dict(resolver.chosen),
                satellite_area_id=satellite_area,
                text=text,
                question=question,
            ),
        )
        return self._say(user_input, chat_log, question)

    async def _async_answer(
        self,
        question: PendingQuestion,
        text: str,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
    ) -> conversation.ConversationResult | None:
        """Complete the command asked about, or None when ``text`` is no answer to it."""
        try:
            choice = pick_candidate(text, question.candidates)
        except StillAmbiguous:
            self._pending.put(chat_log.conversation_id, question)  # ask again, same question
            return self._say(user_input, chat_log, question.question)
        if choice is None:
            return None
        chosen = question.chosen | {(question.problem.slot, normalize(question.problem.text)): choice}
        return await self._async_act(
            question.commands, chosen, question.satellite_area_id, question.text, user_input, chat_log, follow_up=True
        )

    def _say(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        speech: str,
        done: bool = False,
    ) -> conversation.ConversationResult:
        """Speak without acting; unless ``done``, the user is expected to say more."""
        response = intent.IntentResponse(language=user_input.language)
        response.async_set_speech(speech)
        return self._finish(user_input, chat_log, response, continue_conversation=not done)

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

