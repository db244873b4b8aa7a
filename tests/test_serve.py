"""The tagger service: bearer auth, limits, the local tagger's schema, metrics, graceful exit."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import asdict
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from home_brain_nlu.labels import build_labels
from home_brain_nlu.serve import make_app, read_tokens
from home_brain_nlu.tagger import Tagger

from .conftest import REPO
from .tiny_bert import make_tiny_bert

TOKEN = "s3cret-token-0123456789abcdef"
OTHER_TOKEN = "rotated-token-abcdef0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# The service listens on loopback: the Home Assistant test plugin blocks sockets unless asked.
pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_bert(tmp_path_factory.mktemp("serve") / "model", build_labels(["HassTurnOn", "HassTurnOff"]),
                          ["turn", "on", "off", "the", "kitchen", "light"], seed=2, init_std=0.3)


@pytest.fixture
async def client(model: Path) -> AsyncIterator[TestClient]:
    app = make_app(Tagger.from_folder(model), [TOKEN.encode(), OTHER_TOKEN.encode()], max_body=4096,
                   max_texts=4, max_chars=100)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": f"Basic {TOKEN}"},
     {"Authorization": "Bearer "}, {"Authorization": f"Bearer {TOKEN}x"}],
)
async def test_tag_refuses_without_the_right_token(client: TestClient, headers: dict[str, str]) -> None:
    response = await client.post("/v1/tag", json={"texts": ["turn on the kitchen light"]}, headers=headers)
    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "results" not in await response.json()


async def test_tag_answers_what_the_local_tagger_says(client: TestClient, model: Path) -> None:
    texts = ["turn on the kitchen light", "", "turn off the light"]
    for token in (TOKEN, OTHER_TOKEN):  # every listed token is accepted (rotation)
        response = await client.post("/v1/tag", json={"texts": texts}, headers={"Authorization": f"Bearer {token}"})
        assert response.status == 200
        body = await response.json()
        local = Tagger.from_folder(model).tag_batch(texts)
        assert body["results"] == [[asdict(word) for word in words] for words in local]
        assert body["results"][1] == [] and body["results"][0][0]["text"] == "turn"


async def test_concurrent_requests_share_forward_passes(client: TestClient) -> None:
    texts = [f"turn on the kitchen light {i}" for i in range(12)]
    responses = await asyncio.gather(*(client.post("/v1/tag", json={"texts": [t]}, headers=AUTH) for t in texts))
    bodies = [await r.json() for r in responses]
    assert [b["results"][0][-1]["text"] for b in bodies] == [str(i) for i in range(12)]
    metrics = await (await client.get("/metrics")).text()
    assert 'home_brain_requests_total{path="/v1/tag",status="200"} 12' in metrics
    assert "home_brain_texts_per_request_count 12" in metrics
    passes = int(next(line.split()[1] for line in metrics.splitlines() if line.startswith("home_brain_forward_batch_size_count")))
    assert passes < 12  # requests waiting together went through one pass
    assert 'home_brain_tag_seconds_bucket{le="+Inf"} 12' in metrics


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"texts": ["a"] * 5}, 413),  # more texts than --max-texts
        ({"texts": ["a" * 101]}, 413),  # a text over --max-chars
        ({"texts": ["a " * 2100]}, 413),  # a body over --max-body
        ({"texts": "turn on the light"}, 400),
        ({"texts": [1, 2]}, 400),
        (["turn on"], 400),
        ("not json", 400),
    ],
)
async def test_limits_and_bad_bodies(client: TestClient, body: object, status: int) -> None:
    if body == "not json":
        response = await client.post("/v1/tag", data=b"{not json", headers=AUTH)
    else:
        response = await client.post("/v1/tag", json=body, headers=AUTH)
    assert response.status == status
    assert "error" in await response.json()


async def test_health_and_metrics_need_no_token(client: TestClient) -> None:
    health = await client.get("/healthz")
    assert health.status == 200 and (await health.json())["status"] == "ok"
    await client.post("/v1/tag", json={"texts": ["x"]})
    metrics = await client.get("/metrics")
    assert metrics.status == 200
    assert 'home_brain_requests_total{path="/v1/tag",status="401"} 1' in await metrics.text()


def test_token_file_must_hold_real_tokens(tmp_path: Path) -> None:
    path = tmp_path / "tokens"
    path.write_text("\n\n")
    with pytest.raises(ValueError, match="no token"):
        read_tokens(path)
    path.write_text("short\n")
    with pytest.raises(ValueError, match="at least 16"):
        read_tokens(path)
    path.write_text(f"{TOKEN}\n{OTHER_TOKEN}\n")
    assert read_tokens(path) == [TOKEN.encode(), OTHER_TOKEN.encode()]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_cli_serves_and_stops_gracefully_on_sigterm(model: Path, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text(TOKEN + "\n")
    port = _free_port()
    process = subprocess.Popen(  # noqa: ASYNC220 - the service under test runs in its own process
        [sys.executable, "-m", "home_brain_nlu.serve", "--model", str(model), "--port", str(port),
         "--token-file", str(tokens)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=os.environ | {"PYTHONPATH": str(REPO)},
    )
    try:
        async with aiohttp.ClientSession() as session:
            deadline = time.monotonic() + 30
            while True:
                try:
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise
                    await asyncio.sleep(0.2)
            async with session.post(f"http://127.0.0.1:{port}/v1/tag", json={"texts": ["turn on the light"]},
                                    headers=AUTH) as response:
                assert response.status == 200
        process.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(process.wait, 20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
