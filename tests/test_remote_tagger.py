"""The integration tagging through a tagger service, and with its local model when that fails."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.home_brain.const import (
    CONF_CONFIDENCE_THRESHOLD,
    CONF_MODEL_PATH,
    CONF_REMOTE_TAGGER_TOKEN,
    CONF_REMOTE_TAGGER_URL,
    DOMAIN,
)
from custom_components.home_brain.diagnostics import async_get_config_entry_diagnostics
from home_brain_nlu.serve import make_app
from home_brain_nlu.tagger import Tagger
from training.home import load_home

from .conftest import SMALL_HOME
from .simulated_home import SimulatedHome, async_add_home_brain, async_build_home, async_setup_assist

TOKEN = "remote-token-0123456789abcdef"
pytestmark = pytest.mark.usefixtures("socket_enabled")  # the service listens on loopback


@pytest.fixture
async def service(small_home_model: Path) -> AsyncIterator[TestServer]:
    """The real tagger service, serving the same small model, on a loopback port."""
    server = TestServer(make_app(Tagger.from_folder(small_home_model), [TOKEN.encode()]))
    await server.start_server()
    yield server
    await server.close()


@pytest.fixture
async def home(hass: HomeAssistant) -> SimulatedHome:
    await async_setup_assist(hass)
    return await async_build_home(hass, load_home(SMALL_HOME))


async def say(hass: HomeAssistant, text: str) -> conversation.ConversationResult:
    return await conversation.async_converse(hass, text, None, Context(), language="en",
                                             agent_id="conversation.home_brain")


async def _metrics(service: TestServer) -> str:
    from aiohttp import ClientSession

    async with ClientSession() as session, session.get(service.make_url("/metrics")) as response:
        return await response.text()


async def test_turns_are_tagged_by_the_service(
    hass: HomeAssistant, home: SimulatedHome, service: TestServer, small_home_model: Path
) -> None:
    entry = await async_add_home_brain(hass, small_home_model, **{
        CONF_REMOTE_TAGGER_URL: str(service.make_url("/")), CONF_REMOTE_TAGGER_TOKEN: TOKEN})
    await say(hass, "turn on the kitchen light")
    assert home.calls == [("light", "turn_on", {"entity_id": ["light.kitchen"]})]
    assert 'home_brain_requests_total{path="/v1/tag",status="200"} 1' in await _metrics(service)
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["tagging"] == {"remote_tagger": True, "remote_turns": 1, "local_fallback_turns": 0,
                                      "last_remote_error": None}
    assert TOKEN not in repr(diagnostics)  # the token is redacted


@pytest.mark.parametrize("failure", ["wrong token", "service down", "garbage reply"])
async def test_failing_service_falls_back_to_the_local_model(
    hass: HomeAssistant, home: SimulatedHome, service: TestServer, small_home_model: Path,
    caplog: pytest.LogCaptureFixture, failure: str,
) -> None:
    url, token = str(service.make_url("/")), TOKEN
    garbage: TestServer | None = None
    if failure == "wrong token":
        token = "not-the-token-0123456789"
    elif failure == "service down":
        url = str(service.make_url("/"))
        await service.close()
    else:  # a reply whose words do not index the sentence: never cut slot values from it
        async def reply(request: web.Request) -> web.Response:
            words = [{"text": "garage", "start": 0, "end": 6, "label": "B-name", "confidence": 0.99}]
            return web.json_response({"results": [words]})

        app = web.Application()
        app.router.add_post("/v1/tag", reply)
        garbage = TestServer(app)
        await garbage.start_server()
        url = str(garbage.make_url("/"))
    try:
        entry = await async_add_home_brain(hass, small_home_model, **{
            CONF_REMOTE_TAGGER_URL: url, CONF_REMOTE_TAGGER_TOKEN: token})
        with caplog.at_level(logging.WARNING):
            await say(hass, "turn on the kitchen light")
            await say(hass, "turn off the kitchen light")
    finally:
        if garbage is not None:
            await garbage.close()
    # The local model answered both turns; the failure was logged once, not per turn.
    assert home.calls == [("light", "turn_on", {"entity_id": ["light.kitchen"]}),
                          ("light", "turn_off", {"entity_id": ["light.kitchen"]})]
    warnings = [r for r in caplog.records if "Remote tagger failed" in r.getMessage()]
    assert len(warnings) == 1
    tagging = (await async_get_config_entry_diagnostics(hass, entry))["tagging"]
    assert tagging["remote_turns"] == 0 and tagging["local_fallback_turns"] == 2
    assert tagging["last_remote_error"]


@pytest.mark.usefixtures("conversation_ready")
async def test_options_flow_sets_and_checks_the_remote_tagger(hass: HomeAssistant, model_dir: Path) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_MODEL_PATH: str(model_dir)},
                            options={CONF_CONFIDENCE_THRESHOLD: 0.5})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    base = {CONF_CONFIDENCE_THRESHOLD: 0.5, "fallback_agent": "conversation.home_assistant"}
    for given, error in (
        ({CONF_REMOTE_TAGGER_URL: "ftp://tagger:8765", CONF_REMOTE_TAGGER_TOKEN: TOKEN}, {CONF_REMOTE_TAGGER_URL: "invalid_url"}),
        ({CONF_REMOTE_TAGGER_URL: "tagger.local"}, {CONF_REMOTE_TAGGER_URL: "invalid_url"}),
        ({CONF_REMOTE_TAGGER_URL: "http://tagger.local:8765"}, {CONF_REMOTE_TAGGER_TOKEN: "token_required"}),
    ):
        result = await hass.config_entries.options.async_init(entry.entry_id)
        result = await hass.config_entries.options.async_configure(result["flow_id"], {**base, **given})
        assert result["type"] is FlowResultType.FORM and result["errors"] == error
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**base, CONF_REMOTE_TAGGER_URL: "http://tagger.local:8765", CONF_REMOTE_TAGGER_TOKEN: TOKEN})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.runtime_data.tags.remote is not None  # reloaded with the service
