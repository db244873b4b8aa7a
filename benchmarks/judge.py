"""Truth, turns and verdicts: run each case through each agent and compare end states.

Truth for a format A case is what Home Assistant does when the expected intent and slots
are handled directly (``intent.async_handle``, the speaker's satellite as device): the
entities that change and how. Where nothing changes (questions, "never mind") the truth is
the intent, its answer type and the entities it matched. A case whose truth cannot be
computed (the handler refuses: a timer with no timer device, an item not on the list) is
skipped for every agent and counted. Format B cases bring their truth (``expect_changes``).

An agent passes when, from the same starting state, the home ends where the truth says:
the same entities change to the same states and attributes and nothing else moves; for
no-change truths, it ran the same intent, with the same answer type and matched entities.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock, patch

from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component

from .cases import Case, Suite
from .simulated_home import SimulatedHome, State, async_build_home

BUILTIN = "built-in"
HOME_BRAIN = "Home Brain"
HOME_BRAIN_FALLBACK = "Home Brain + fallback"
AGENTS = (HOME_BRAIN, BUILTIN, HOME_BRAIN_FALLBACK)
_BUILTIN_ID = conversation.HOME_ASSISTANT_AGENT
_HOME_BRAIN_ID = "conversation.home_brain"
# A sentence nobody means, to load each agent's data before the timed turns.
_WARM_UP = "what time is it"


@dataclass(frozen=True, slots=True)
class Handled:
    """One intent an agent (or the truth) ran, as Home Assistant answered it."""

    intent: str
    response_type: str
    matched: frozenset[str]


@dataclass(slots=True)
class Truth:
    changes: dict[str, State] | None = None  # format A: entity -> end state
    handled: Handled | None = None  # format A where nothing changes
    expected: dict[str, dict[str, Any]] | None = None  # format B
    ignore: tuple[str, ...] = ()


@dataclass(slots=True)
class Verdict:
    case: Case
    agent: str
    passed: bool
    latency_ms: float
    speech: str
    why: str = ""
    ran_expected_intent: bool = False


@dataclass(slots=True)
class Run:
    """Everything one benchmark run found, per agent."""

    verdicts: list[Verdict] = field(default_factory=list)
    skipped: list[tuple[Case, str]] = field(default_factory=list)


class _IntentRecorder:
    """Wraps ``intent.async_handle`` to see which intents a turn ran, whoever ran them."""

    def __init__(self) -> None:
        self.handled: list[Handled] = []
        self._original = intent.async_handle

    async def __call__(self, *args: Any, **kwargs: Any) -> intent.IntentResponse:
        response = await self._original(*args, **kwargs)
        intent_type = args[2] if len(args) > 2 else kwargs["intent_type"]
        self.handled.append(_handled(intent_type, response))
        return response

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        with patch.object(intent, "async_handle", self):
            yield


def _handled(intent_type: str, response: intent.IntentResponse) -> Handled:
    ids = {s.entity_id for s in (*response.matched_states, *response.unmatched_states)}
    ids |= {t.id for t in response.success_results if t.type == intent.IntentResponseTargetType.ENTITY and t.id}
    return Handled(intent_type, str(response.response_type.value), frozenset(ids))


def _changes(before: dict[str, State], after: dict[str, State]) -> dict[str, State]:
    return {k: v for k, v in after.items() if before.get(k) != v}


async def _truth(hass: HomeAssistant, home: SimulatedHome, case: Case) -> Truth | str:
    """The truth for ``case``, or why there is none."""
    if case.expect_changes is not None:
        return Truth(expected=case.expect_changes, ignore=case.ignore_changes)
    assert case.intent is not None
    home.reset()
    before = home.snapshot()
    slots = {name: {"value": value, "text": str(value)} for name, value in case.slots.items()
             if not (name == "name" and value == "all")}  # HA's templates fix name "all" for "every"
    try:
        response = await intent.async_handle(
            hass, "benchmark", case.intent, slots, case.sentence, Context(), "en",
            assistant=conversation.DOMAIN, device_id=home.satellites.get(case.area or ""),
        )
    except intent.IntentError as err:
        return f"{type(err).__name__}: {err}"
    except Exception as err:  # noqa: BLE001 - a handler's own failure only means: no truth here
        return f"{type(err).__name__}: {err}"
    await hass.async_block_till_done()
    if response.response_type == intent.IntentResponseType.ERROR:
        return f"error response: {response.error_code}"
    changes = _changes(before, home.snapshot())
    if changes:
        return Truth(changes=changes)
    return Truth(handled=_handled(case.intent, response))


def _plain(value: Any) -> Any:
    return [_plain(v) for v in value] if isinstance(value, (tuple, list)) else value


def _judge(truth: Truth, changes: dict[str, State], handled: list[Handled]) -> tuple[bool, str]:
    if truth.expected is not None:
        moved = {k for k in changes if k not in truth.ignore}
        if moved != set(truth.expected):
            return False, f"changed {sorted(moved)}, expected {sorted(truth.expected)}"
        for entity_id, want in truth.expected.items():
            state, attributes = changes[entity_id][0], dict(changes[entity_id][1])
            if "state" in want and str(want["state"]) != state:
                return False, f"{entity_id} is {state}, expected {want['state']}"
            for key, value in (want.get("attributes") or {}).items():
                # Home Assistant keeps colours as tuples, the suite's YAML writes lists.
                if _plain(attributes.get(key)) != _plain(value):
                    return False, f"{entity_id}.{key} is {attributes.get(key)!r}, expected {value!r}"
        return True, ""
    if truth.changes is not None:
        if changes == truth.changes:
            return True, ""
        if set(changes) != set(truth.changes):
            return False, f"changed {sorted(changes)}, expected {sorted(truth.changes)}"
        return False, "; ".join(_difference(k, changes[k], truth.changes[k]) for k in sorted(changes)
                                if changes[k] != truth.changes[k])
    if changes:
        return False, f"changed {sorted(changes)}, expected no change"
    if truth.handled in handled:
        return True, ""
    return False, f"ran {[(h.intent, sorted(h.matched)) for h in handled]}, expected " \
                  f"{truth.handled.intent if truth.handled else None} on {sorted(truth.handled.matched) if truth.handled else []}"


def _difference(entity_id: str, got: State, want: State) -> str:
    parts = [f"state {got[0]!r}, expected {want[0]!r}"] if got[0] != want[0] else []
    got_attributes, want_attributes = dict(got[1]), dict(want[1])
    parts += [f"{key} {got_attributes.get(key)!r}, expected {want_attributes.get(key)!r}"
              for key in sorted(set(got_attributes) | set(want_attributes))
              if got_attributes.get(key) != want_attributes.get(key)]
    return f"{entity_id}: " + ", ".join(parts)


async def _turn(hass: HomeAssistant, agent_id: str, sentence: str, device_id: str | None) -> tuple[float, str]:
    start = time.perf_counter()
    result = await conversation.async_converse(hass, sentence, None, Context(), language="en",
                                               agent_id=agent_id, device_id=device_id)
    elapsed = (time.perf_counter() - start) * 1000
    speech = result.response.speech.get("plain", {}).get("speech", "")
    return elapsed, speech


async def _no_fallback(self: Any, user_input: conversation.ConversationInput, chat_log: Any) -> Any:
    """Home Brain alone: what it cannot handle is simply not done."""
    response = intent.IntentResponse(language=user_input.language)
    response.async_set_error(intent.IntentResponseErrorCode.NO_INTENT_MATCH, "Not understood.")
    return conversation.ConversationResult(response=response, conversation_id=chat_log.conversation_id)


@contextlib.asynccontextmanager
async def _hass_with_home(suite: Suite, home_key: str, model: Path | None, list_items: list[str],
                          threshold: float | None) -> AsyncIterator[tuple[HomeAssistant, SimulatedHome]]:
    from pytest_homeassistant_custom_component.common import MockConfigEntry, async_test_home_assistant

    from homeassistant import loader

    with tempfile.TemporaryDirectory(prefix="home-brain-benchmark-") as config_dir:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            try:
                hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # let custom_components/home_brain load
                hass.http = MagicMock()  # the intent integration registers a view; nothing serves it here
                for component in ("homeassistant", "conversation", "intent"):
                    assert await async_setup_component(hass, component, {}), component
                home = await async_build_home(hass, suite.homes[home_key], list_items)
                if model is not None:
                    from custom_components.home_brain.const import CONF_CONFIDENCE_THRESHOLD, CONF_MODEL_PATH, DOMAIN

                    options = {} if threshold is None else {CONF_CONFIDENCE_THRESHOLD: threshold}
                    entry = MockConfigEntry(domain=DOMAIN, title="Home Brain", data={CONF_MODEL_PATH: str(model)},
                                            options=options)
                    entry.add_to_hass(hass)
                    assert await hass.config_entries.async_setup(entry.entry_id), "Home Brain did not load"
                await hass.async_block_till_done()
                yield hass, home
            finally:
                await hass.async_stop(force=True)


async def async_run(suite: Suite, agents: tuple[str, ...], model: Path | None,
                    threshold: float | None = None, progress: Any = None) -> Run:
    """Judge every case of ``suite`` for each agent."""
    from custom_components.home_brain.conversation import HomeBrainConversationEntity

    run = Run()
    list_items = sorted({str(c.slots["item"]) for c in suite.cases
                         if c.intent and c.intent.endswith("CompleteItem") and "item" in c.slots})
    agent_ids = {HOME_BRAIN: _HOME_BRAIN_ID, HOME_BRAIN_FALLBACK: _HOME_BRAIN_ID, BUILTIN: _BUILTIN_ID}
    for home_key in dict.fromkeys(c.home for c in suite.cases):
        cases = [c for c in suite.cases if c.home == home_key]
        async with _hass_with_home(suite, home_key, model if set(agents) - {BUILTIN} else None,
                                   list_items, threshold) as (hass, home):
            recorder = _IntentRecorder()
            for agent in agents:
                await _turn(hass, agent_ids[agent], _WARM_UP, None)
            for case in cases:
                truth = await _truth(hass, home, case)
                if isinstance(truth, str):
                    run.skipped.append((case, truth))
                    continue
                for agent in agents:
                    home.reset(case.setup)
                    before = home.snapshot()
                    recorder.handled.clear()
                    alone = patch.object(HomeBrainConversationEntity, "_fallback", _no_fallback) \
                        if agent == HOME_BRAIN else contextlib.nullcontext()
                    with recorder.installed(), alone:
                        latency, speech = await _turn(hass, agent_ids[agent], case.sentence,
                                                      home.satellites.get(case.area or ""))
                    await hass.async_block_till_done()
                    passed, why = _judge(truth, _changes(before, home.snapshot()), list(recorder.handled))
                    ran = any(h.intent == case.intent for h in recorder.handled)
                    run.verdicts.append(Verdict(case, agent, passed, latency, speech, why, ran))
                if progress is not None:
                    progress()
    return run
