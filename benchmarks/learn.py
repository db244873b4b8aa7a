"""``scripts/benchmark --learn FOLDER``: one round of the learning loop, measured end to end.

A learn folder is a state-based benchmark folder (format B, its home in ``_fixtures.yaml``)
whose tests also carry ``teach: [sentences]``: how the household asks for that change the
first time. The round runs in one process on a real ``hass`` with Home Brain loaded:

1. *teach*: each case's ``teach`` sentences go to Home Brain from the case's ``setup``; what
   it cannot do goes to its fallback, the teacher: Home Assistant's built-in agent
   (``--teacher builtin``) or ``--teacher oracle``, an agent that carries out the case's
   expected end state through Home Assistant's intents (standing in for a strong LLM
   fallback); the integration logs every turn, and the log is exported
   (``home_brain.export``);
2. *before*: Home Brain alone (no fallback) is judged on the cases' ``sentences`` — other
   wordings of the same requests, never taught — by the end state of the home;
3. *retrain*: ``python -m training all --logs EXPORT --from MODEL`` continues the model in
   use, and ``home_brain.reload_model`` deploys the result;
4. *after*: the same sentences again, with the new model.

The HA suite figures are the recognition scorer's (``training/ha_suite.py``) on the model
before and after, from the retraining's report. Prints ``learned: Home Brain NN.N% before,
NN.N% after`` and ``suite: NN.N% before, NN.N% after``; writes ``learn.md`` and ``learn.json``.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.components import conversation
from homeassistant.components.conversation import AssistantContent, ToolResultContent
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent, llm

from .cases import Case, HomeSpec, Suite, load_suite
from .judge import RIGHT, Truth, _changes, _hass_with_home, _judge, _no_fallback, _turn

TEACHERS = ("oracle", "builtin")
ORACLE_ID = "conversation.oracle"
_HOME_BRAIN_ID = "conversation.home_brain"
REPO = Path(__file__).resolve().parent.parent

# The expected end state of the case being taught, for the oracle teacher.
_EXPECTED: contextvars.ContextVar[tuple[Case, HomeSpec] | None] = contextvars.ContextVar("expected", default=None)

# state a device is asked to reach -> the intent that brings it there (Home Assistant's
# on/off handler opens covers and valves and locks locks for "on").
_STATE_INTENTS = {"on": "HassTurnOn", "off": "HassTurnOff", "open": "HassTurnOn", "closed": "HassTurnOff",
                  "locked": "HassTurnOn", "unlocked": "HassTurnOff"}


def teach_sentences(folder: Path) -> dict[tuple[str, str], list[str]]:
    """``{(file, sentence): teach sentences}`` for every test of the folder that has ``teach``."""
    from training.suite_reader import FIXTURES, read_yaml

    teach: dict[tuple[str, str], list[str]] = {}
    for path in sorted(p for p in folder.glob("*.yaml") if p.name != FIXTURES):
        data = read_yaml(path, path.name, lambda _message: None) or {}
        for test in data.get("tests") or []:
            said = test.get("teach") if isinstance(test, dict) else None
            if isinstance(said, list) and all(isinstance(s, str) for s in said):
                for sentence in test.get("sentences") or []:
                    teach[(path.name, sentence)] = [s for s in said if s.strip()]
    return teach


def oracle_plan(case: Case, home: HomeSpec) -> list[tuple[str, dict[str, Any]]]:
    """The intent call that brings the home to the case's expected end state (or []): by area
    and domain when the change is every device (several) of that domain in one area, as "the
    lights in the den" means, else by the one device's registry name."""
    changes = case.expect_changes or {}
    wanted = {entity_id: str(change.get("state")) for entity_id, change in changes.items()}
    if not wanted or any(state not in _STATE_INTENTS for state in wanted.values()) or len(set(wanted.values())) > 1:
        return []
    intent_type = _STATE_INTENTS[next(iter(wanted.values()))]
    devices = {d.entity_id: d for d in home.devices}
    if any(e not in devices for e in wanted):
        return []
    areas = {devices[e].area for e in wanted}
    domains = {e.split(".", 1)[0] for e in wanted}
    if len(areas) == 1 and len(domains) == 1 and None not in areas:
        area_id, domain = next(iter(areas)), next(iter(domains))
        if len(wanted) > 1 and set(wanted) == {e for e, d in devices.items()
                                               if d.area == area_id and e.startswith(domain + ".")}:
            area = next(a for a in home.areas if a.id == area_id)
            return [(intent_type, {"area": area.name, "domain": domain})]
    if len(wanted) == 1:
        return [(intent_type, {"name": devices[next(iter(wanted))].name})]
    return []


async def _oracle(self: Any, user_input: conversation.ConversationInput, chat_log: conversation.ChatLog) -> Any:
    """A fallback that carries out the expected end state, recorded as an agent's tool calls."""
    response = intent.IntentResponse(language=user_input.language)
    expected = _EXPECTED.get()
    plan = oracle_plan(*expected) if expected else []
    if not plan:
        response.async_set_error(intent.IntentResponseErrorCode.NO_INTENT_MATCH, "The oracle has no plan.")
    for intent_type, values in plan:
        tool = llm.ToolInput(tool_name=intent_type, tool_args=values, external=True)
        chat_log.async_add_assistant_content_without_tools(
            AssistantContent(agent_id=ORACLE_ID, content=None, tool_calls=[tool]))
        error = False
        try:
            response = await intent.async_handle(
                self.hass, "oracle", intent_type, {k: {"value": v} for k, v in values.items()}, user_input.text,
                user_input.context, user_input.language, assistant=conversation.DOMAIN,
                device_id=user_input.device_id)
        except intent.IntentError as err:
            error = True
            response = intent.IntentResponse(language=user_input.language)
            response.async_set_error(intent.IntentResponseErrorCode.FAILED_TO_HANDLE, str(err))
        chat_log.async_add_assistant_content_without_tools(ToolResultContent(
            agent_id=ORACLE_ID, tool_call_id=tool.id, tool_name=intent_type,
            result=llm.ToolResult(data=llm.IntentResponseDict(response), error=error)))
    return conversation.ConversationResult(response=response, conversation_id=chat_log.conversation_id)


@dataclass(slots=True)
class Round:
    """What one round found."""

    taught: list[dict[str, Any]] = field(default_factory=list)  # per teach sentence
    before: list[dict[str, Any]] = field(default_factory=list)  # per test sentence
    after: list[dict[str, Any]] = field(default_factory=list)
    export: str = ""
    retrain_seconds: float = 0.0
    suite: dict[str, Any] | None = None
    retrain_out: str = ""

    @staticmethod
    def share(verdicts: list[dict[str, Any]]) -> float:
        return sum(v["passed"] for v in verdicts) / max(1, len(verdicts))


async def _judge_cases(hass: HomeAssistant, home: Any, cases: list[Case]) -> list[dict[str, Any]]:
    """Home Brain alone on each case, judged by the end state."""
    from custom_components.home_brain.conversation import HomeBrainConversationEntity

    verdicts = []
    with patch.object(HomeBrainConversationEntity, "_fallback", _no_fallback):
        for case in cases:
            home.reset(case.setup)
            before = home.snapshot()
            _, speech = await _turn(hass, _HOME_BRAIN_ID, case.sentence, home.satellites.get(case.area or ""))
            await hass.async_block_till_done()
            truth = Truth(expected=case.expect_changes, ignore=case.ignore_changes, speech=case.expect_speech)
            outcome, why = _judge(truth, _changes(before, home.snapshot()), [], speech)
            verdicts.append({"sentence": case.sentence, "file": case.file, "passed": outcome == RIGHT,
                             "outcome": outcome, "why": why, "speech": speech})
    return verdicts


# What the household says when Home Brain did the wrong thing: the turn before is then
# undone (training/undone.py), and the teacher puts the home right; that fix labels the
# sentence only where its words hold it.
CORRECTION = "no, that's wrong"


async def _say(hass: HomeAssistant, sentence: str, device_id: str | None,
               conversation_id: str | None = None) -> conversation.ConversationResult:
    return await conversation.async_converse(hass, sentence, conversation_id, Context(), language="en",
                                             agent_id=_HOME_BRAIN_ID, device_id=device_id)


async def _teach(hass: HomeAssistant, home: Any, suite: Suite, cases: list[tuple[Case, str]],
                 teacher: str, entry: Any) -> list[dict[str, Any]]:
    """Say each teach sentence; where Home Brain itself did the wrong thing, correct it."""
    from custom_components.home_brain.conversation import HomeBrainConversationEntity

    taught = []
    oracle = patch.object(HomeBrainConversationEntity, "_fallback", _oracle) if teacher == "oracle" \
        else contextlib.nullcontext()
    with oracle:
        for case, sentence in cases:
            home.reset(case.setup)
            before = home.snapshot()
            device_id = home.satellites.get(case.area or "")
            truth = Truth(expected=case.expect_changes, ignore=case.ignore_changes, speech=case.expect_speech)
            token = _EXPECTED.set((case, suite.homes[case.home]))
            try:
                result = await _say(hass, sentence, device_id)
                await hass.async_block_till_done()
                speech = result.response.speech.get("plain", {}).get("speech", "")
                outcome, why = _judge(truth, _changes(before, home.snapshot()), [], speech)
                passed = outcome == RIGHT
                handled_by = entry.runtime_data.learning.log.turns()[-1]["handled_by"]
                corrected = not passed and handled_by == "home_brain"
                if corrected:
                    await _say(hass, CORRECTION, device_id, result.conversation_id)
                    await hass.async_block_till_done()
            finally:
                _EXPECTED.reset(token)
            taught.append({"sentence": sentence, "handled_by": handled_by, "passed": passed, "why": why,
                           "corrected": corrected,
                           "speech": result.response.speech.get("plain", {}).get("speech", "")})
    return taught


def retrain_command(export: Path, model: Path, out: Path, suite: Path | None, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "training", "all", "--logs", str(export), "--from", str(model), "--out", str(out),
            "--quiet", "--suite", str(suite) if suite else "none",
            # every taught sentence is learned: the cases' own sentences are the held-out test
            "--log-holdout", "0", *extra]


async def async_learn(folder: Path, model: Path, teacher: str, out: Path, suite: Path | None,
                      retrain_args: list[str], threshold: float | None = None) -> Round:
    """Run one round (see the module docstring)."""
    from homeassistant.auth.const import GROUP_ID_ADMIN

    from custom_components.home_brain.const import DOMAIN

    if teacher not in TEACHERS:
        raise ValueError(f"unknown teacher {teacher!r}; choose from {TEACHERS}")
    learn_suite = load_suite(folder)
    teach = teach_sentences(folder)
    tests = [c for c in learn_suite.cases if c.expect_changes is not None]
    lessons = [(c, s) for c in tests for s in teach.get((c.file, c.sentence), [])]
    # One teach list per test, however many sentences the test has.
    lessons = list({(c.file, s, c.home): (c, s) for c, s in lessons}.values())
    if not tests or not lessons:
        raise ValueError(f"{folder}: no state-based cases with 'teach' sentences")
    if len({c.home for c in tests}) > 1:
        raise ValueError(f"{folder}: a learn folder has one home (its _fixtures.yaml); sub-homes are not supported")
    out.mkdir(parents=True, exist_ok=True)
    result = Round()
    async with _hass_with_home(learn_suite, tests[0].home, model, [], threshold) as (hass, home):
        entry = hass.config_entries.async_entries(DOMAIN)[0]
        admin = await hass.auth.async_create_user("benchmark", group_ids=[GROUP_ID_ADMIN])
        context = Context(user_id=admin.id)
        result.taught = await _teach(hass, home, learn_suite, lessons, teacher, entry)
        response = await hass.services.async_call(DOMAIN, "export", {}, blocking=True, return_response=True,
                                                  context=context)
        export = out / "export"
        shutil.rmtree(export, ignore_errors=True)
        shutil.copytree(response["path"], export)
        result.export = str(export)
        result.before = await _judge_cases(hass, home, tests)

        retrain = out / "retrain"
        shutil.rmtree(retrain, ignore_errors=True)
        command = retrain_command(export, model, retrain, suite, retrain_args)
        start = time.monotonic()
        done = await hass.async_add_executor_job(lambda: subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, check=False))
        result.retrain_seconds = time.monotonic() - start
        (out / "retrain.log").write_text(done.stdout + done.stderr)
        if done.returncode != 0:
            raise RuntimeError(f"retraining failed ({' '.join(command)}):\n{done.stderr[-3000:]}")
        result.retrain_out = str(retrain)
        await hass.services.async_call(DOMAIN, "reload_model", {"model_path": str(retrain / "model")},
                                       blocking=True, return_response=True, context=context)
        result.after = await _judge_cases(hass, home, tests)
    report = json.loads((retrain / "before_after.json").read_text())
    result.suite = next((row for name, row in report["sets"].items() if "suite" in name), None)
    return result


def headlines(result: Round) -> list[str]:
    lines = [f"learned: Home Brain {Round.share(result.before):.1%} before, {Round.share(result.after):.1%} after "
             f"({len(result.after)} sentences never taught)"]
    if result.suite:
        lines.append(f"suite: {result.suite['before']['exact_match']:.1%} before, "
                     f"{result.suite['after']['exact_match']:.1%} after (HA intents suite, recognition, "
                     f"{result.suite['after']['examples']} sentences)")
    else:
        lines.append("suite: not measured (no HA suite folder)")
    return lines


def write_report(result: Round, out: Path, folder: Path, teacher: str, command: str) -> None:
    handled = Counter(t["handled_by"] for t in result.taught)
    corrected = sum(t["corrected"] for t in result.taught)
    summary = {
        "folder": str(folder), "teacher": teacher, "command": command,
        "learned_before": Round.share(result.before), "learned_after": Round.share(result.after),
        "suite": result.suite, "retrain_seconds": round(result.retrain_seconds, 1),
        "teach": {"sentences": len(result.taught), "handled_by": dict(handled),
                  "home_reached_expected_state": sum(t["passed"] for t in result.taught),
                  "corrected": corrected},
        "taught": result.taught, "before": result.before, "after": result.after, "export": result.export,
        "retrain": result.retrain_out,
    }
    (out / "learn.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    lines = [f"# Learning loop: {folder.name}", "", f"`{command}`", "", *[f"- {h}" for h in headlines(result)],
             f"- teach: {len(result.taught)} sentences ({', '.join(f'{k} {v}' for k, v in sorted(handled.items()))}), "
             f"teacher `{teacher}`; the home reached the expected state after {summary['teach']['home_reached_expected_state']}; "
             f"{corrected} wrong action(s) of Home Brain corrected with \"{CORRECTION}\" (learned only from the "
             "teacher's fix, when the sentence's words hold it)",
             f"- retraining (`python -m training all --from`, whole subprocess): {result.retrain_seconds:.0f} s; "
             f"its report: `{result.retrain_out}/report.md`", "",
             "| sentence | before | after | after: why not |", "|---|---|---|---|"]
    for before, after in zip(result.before, result.after, strict=True):
        lines.append(f"| {before['sentence']} | {'pass' if before['passed'] else 'fail'} | "
                     f"{'pass' if after['passed'] else 'fail'} | {after['why'].replace('|', '/')} |")
    (out / "learn.md").write_text("\n".join(lines) + "\n")


def run(folder: Path, model: Path, teacher: str, out: Path, suite: Path | None, retrain_args: list[str],
        command: str, threshold: float | None = None) -> int:
    import asyncio

    result = asyncio.run(async_learn(folder, model, teacher, out, suite, retrain_args, threshold))
    write_report(result, out, folder, teacher, command)
    for line in headlines(result):
        print(line)
    print(f"retraining took {result.retrain_seconds:.0f} s; report: {out / 'learn.md'}")
    return 0


__all__ = ["TEACHERS", "async_learn", "headlines", "oracle_plan", "run", "teach_sentences",
           "write_report"]
