"""``python -m home_brain_nlu.serve``: the tagger as an HTTP service, for a bigger model elsewhere.

    python -m home_brain_nlu.serve --model DIR --port 8765 --token-file /run/secrets/home_brain_tokens

- ``POST /v1/tag`` with ``Authorization: Bearer <token>`` and ``{"texts": ["turn on the light", ...]}``
  answers ``{"model": NAME, "labels": N, "results": [[{"text", "start", "end", "label",
  "confidence"}, ...], ...]}``: one list of tagged words per text, as ``Tagger.tag_batch`` gives.
- ``GET /healthz``: 200 while serving, 503 once shutting down (a load balancer stops sending).
- ``GET /metrics``: Prometheus text (requests by path and status, latency, texts per request,
  sentences per forward pass). Counts only, never text, so it needs no token.

Stateless: any number of replicas can stand behind any load balancer. Requests go through one
worker thread, and the texts of requests that arrive together share one forward pass. SIGTERM
or SIGINT stops accepting connections, lets requests in flight finish (``--shutdown-timeout``)
and then exits.

aiohttp is imported here only: the rest of the NLU core needs numpy, tokenizers and safetensors.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from aiohttp import web

from .model_folder import ModelFolderError
from .tagger import Tagger
from .tags import TaggedWord

_LOGGER = logging.getLogger(__name__)

TAG_PATH = "/v1/tag"
DEFAULT_MAX_BODY = 256 * 1024  # bytes of one request body
DEFAULT_MAX_TEXTS = 64  # texts in one request
DEFAULT_MAX_CHARS = 1000  # characters in one text (the integration refuses longer input too)
MAX_BATCH = 32  # sentences in one forward pass: more gains little and delays the first answer
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64)


class Histogram:
    """A Prometheus histogram: cumulative bucket counts, sum and count."""

    def __init__(self, buckets: Sequence[float]) -> None:
        self.buckets = tuple(buckets)
        self.counts = [0] * len(self.buckets)
        self.sum = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                self.counts[i] += 1
        self.sum += value
        self.count += 1

    def render(self, name: str) -> list[str]:
        lines = [f'{name}_bucket{{le="{bound:g}"}} {n}' for bound, n in zip(self.buckets, self.counts, strict=True)]
        return [*lines, f'{name}_bucket{{le="+Inf"}} {self.count}', f"{name}_sum {self.sum:.6f}", f"{name}_count {self.count}"]


class Metrics:
    """What /metrics reports (event-loop only, so no locking)."""

    def __init__(self) -> None:
        self.requests: dict[tuple[str, int], int] = defaultdict(int)
        self.latency = Histogram(LATENCY_BUCKETS)
        self.texts_per_request = Histogram(SIZE_BUCKETS)
        self.forward_batch = Histogram(SIZE_BUCKETS)

    def render(self) -> str:
        out = ["# HELP home_brain_requests_total HTTP requests by path and status.",
               "# TYPE home_brain_requests_total counter"]
        out += [f'home_brain_requests_total{{path="{path}",status="{status}"}} {n}'
                for (path, status), n in sorted(self.requests.items())]
        for name, help_text, histogram in (
            ("home_brain_tag_seconds", f"Latency of successful {TAG_PATH} requests.", self.latency),
            ("home_brain_texts_per_request", f"Texts in one {TAG_PATH} request.", self.texts_per_request),
            ("home_brain_forward_batch_size", "Sentences tagged in one forward pass.", self.forward_batch),
        ):
            out += [f"# HELP {name} {help_text}", f"# TYPE {name} histogram", *histogram.render(name)]
        return "\n".join(out) + "\n"


class BatchingTagger:
    """One worker thread; the texts of requests waiting together go through one forward pass."""

    def __init__(self, tagger: Tagger, metrics: Metrics) -> None:
        self.tagger = tagger
        self._metrics = metrics
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="home_brain_serve")
        self._waiting: list[tuple[list[str], asyncio.Future[list[list[TaggedWord]]]]] = []
        self._worker: asyncio.Task[None] | None = None

    async def tag(self, texts: list[str]) -> list[list[TaggedWord]]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[list[TaggedWord]]] = loop.create_future()
        self._waiting.append((texts, future))
        if self._worker is None or self._worker.done():
            self._worker = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting:
            batch: list[tuple[list[str], asyncio.Future[list[list[TaggedWord]]]]] = []
            size = 0
            while self._waiting and (not batch or size + len(self._waiting[0][0]) <= MAX_BATCH):
                batch.append(self._waiting.pop(0))
                size += len(batch[-1][0])
            texts = [text for request, _ in batch for text in request]
            self._metrics.forward_batch.observe(len(texts))
            try:
                results = await loop.run_in_executor(self._executor, self.tagger.tag_batch, texts)
            except Exception as err:  # noqa: BLE001 - every waiting request gets the error
                for _, future in batch:
                    if not future.done():
                        future.set_exception(err)
                continue
            start = 0
            for request, future in batch:
                if not future.done():
                    future.set_result(results[start : start + len(request)])
                start += len(request)

    def close(self) -> None:
        self._executor.shutdown(wait=True)


_TAGGER: web.AppKey[BatchingTagger] = web.AppKey("tagger", BatchingTagger)
_METRICS: web.AppKey[Metrics] = web.AppKey("metrics", Metrics)
_STATE: web.AppKey[dict[str, Any]] = web.AppKey("state", dict)


def read_tokens(path: Path) -> list[bytes]:
    """Accepted bearer tokens: one per line (several, to rotate one without downtime)."""
    tokens = [line.strip().encode() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not tokens:
        raise ValueError(f"{path} holds no token")
    if any(len(token) < 16 for token in tokens):
        raise ValueError(f"{path}: tokens must be at least 16 characters (e.g. `openssl rand -hex 32`)")
    return tokens


def _authorized(request: web.Request, tokens: Sequence[bytes]) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    candidate = given.strip().encode()
    # Every token compared, in constant time each: neither timing nor early exit tells which matched.
    return sum(hmac.compare_digest(candidate, token) for token in tokens) > 0


def _error(status: int, message: str, **headers: str) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


def make_app(
    tagger: Tagger,
    tokens: Sequence[bytes],
    *,
    model_name: str = "model",
    max_body: int = DEFAULT_MAX_BODY,
    max_texts: int = DEFAULT_MAX_TEXTS,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> web.Application:
    """The service's aiohttp application (tests run it in-process)."""
    if not tokens:
        raise ValueError("the service needs at least one token")

    @web.middleware
    async def count(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        path = request.match_info.route.resource.canonical if request.match_info.route.resource else "other"
        try:
            response = await handler(request)
        except web.HTTPException as err:  # 404/405/413 raised by aiohttp itself
            request.app[_METRICS].requests[(path, err.status)] += 1
            raise
        request.app[_METRICS].requests[(path, response.status)] += 1
        return response

    async def tag(request: web.Request) -> web.Response:
        start = time.perf_counter()
        if not _authorized(request, tokens):
            return _error(401, "missing or wrong bearer token", **{"WWW-Authenticate": 'Bearer realm="home_brain"'})
        if request.app[_STATE]["draining"]:
            return _error(503, "shutting down")
        try:
            body = await request.json()
        except web.HTTPRequestEntityTooLarge:
            return _error(413, f"request body over {max_body} bytes")
        except ValueError:
            return _error(400, 'body must be JSON: {"texts": ["...", ...]}')
        texts = body.get("texts") if isinstance(body, dict) else None
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            return _error(400, 'body must be {"texts": [string, ...]}')
        if len(texts) > max_texts:
            return _error(413, f"at most {max_texts} texts per request")
        if any(len(text) > max_chars for text in texts):
            return _error(413, f"at most {max_chars} characters per text")
        request.app[_METRICS].texts_per_request.observe(len(texts))
        results = await request.app[_TAGGER].tag(texts) if texts else []
        request.app[_METRICS].latency.observe(time.perf_counter() - start)
        return web.json_response({
            "model": model_name,
            "labels": len(tagger.labels),
            "results": [[asdict(word) for word in words] for words in results],
        })

    async def healthz(request: web.Request) -> web.Response:
        if request.app[_STATE]["draining"]:
            return web.json_response({"status": "shutting down"}, status=503)
        return web.json_response({"status": "ok", "model": model_name, "labels": len(tagger.labels)})

    async def metrics(request: web.Request) -> web.Response:
        return web.Response(text=request.app[_METRICS].render(), content_type="text/plain",
                            headers={"X-Content-Type-Options": "nosniff"})

    async def on_shutdown(app: web.Application) -> None:
        app[_STATE]["draining"] = True

    async def on_cleanup(app: web.Application) -> None:
        await asyncio.get_running_loop().run_in_executor(None, app[_TAGGER].close)

    app = web.Application(client_max_size=max_body, middlewares=[count])
    app[_METRICS] = Metrics()
    app[_TAGGER] = BatchingTagger(tagger, app[_METRICS])
    app[_STATE] = {"draining": False}
    app.router.add_post(TAG_PATH, tag)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.on_shutdown.append(on_shutdown)
    app.on_cleanup.append(on_cleanup)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m home_brain_nlu.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, type=Path, help="model folder (as the integration loads)")
    parser.add_argument("--token-file", required=True, type=Path,
                        help="file with the accepted bearer tokens, one per line")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--max-body", type=int, default=DEFAULT_MAX_BODY, help="bytes per request body")
    parser.add_argument("--max-texts", type=int, default=DEFAULT_MAX_TEXTS, help="texts per request")
    parser.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, help="characters per text")
    parser.add_argument("--shutdown-timeout", type=float, default=10.0,
                        help="seconds requests in flight get to finish on SIGTERM (default 10)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        tokens = read_tokens(args.token_file)
        tagger = Tagger.from_folder(args.model)
    except (OSError, ValueError, ModelFolderError) as err:
        print(f"error: {err}")
        return 1
    app = make_app(tagger, tokens, model_name=args.model.resolve().name, max_body=args.max_body,
                   max_texts=args.max_texts, max_chars=args.max_chars)
    _LOGGER.info("serving %s (%d labels) on %s:%d", args.model, len(tagger.labels), args.host, args.port)
    web.run_app(app, host=args.host, port=args.port, shutdown_timeout=args.shutdown_timeout,
                print=None, access_log=None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
