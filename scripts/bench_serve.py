#!/usr/bin/env python3
"""Throughput and latency of the tagger service over loopback at 1, 8 and 64 concurrent clients.

Starts ``python -m home_brain_nlu.serve`` on the model folder (default: the bundled one) in
its own process, then each client posts one sentence per request, back to back, for
``--seconds``. Prints requests per second and p50/p95 request latency per concurrency.

    python scripts/bench_serve.py [--model DIR] [--seconds 10] [--clients 1 8 64]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
SENTENCES = [
    "turn on the kitchen light",
    "set the bedroom lamp to fifty percent",
    "what is the temperature in the living room",
    "close the garage door",
    "turn off all the lights upstairs",
    "add milk to my shopping list",
]


async def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            if process.poll() is not None:
                raise SystemExit("the service exited; see its output above")
            try:
                async with session.get(url + "/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the service did not start within 30 s")


async def _load(url: str, token: str, clients: int, seconds: float) -> tuple[int, list[float]]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=clients)
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def client(n: int) -> None:
            i = n
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                async with session.post(url + "/v1/tag", json={"texts": [SENTENCES[i % len(SENTENCES)]]}) as response:
                    await response.read()
                    if response.status != 200:
                        raise SystemExit(f"HTTP {response.status}")
                latencies.append(time.perf_counter() - start)
                i += 1

        await asyncio.gather(*(client(n) for n in range(clients)))
    return len(latencies), latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=REPO / "custom_components" / "home_brain" / "model")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 64])
    args = parser.parse_args()

    token = secrets.token_hex(32)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.NamedTemporaryFile("w", suffix=".tokens") as token_file:
        token_file.write(token + "\n")
        token_file.flush()
        process = subprocess.Popen(
            [sys.executable, "-m", "home_brain_nlu.serve", "--model", str(args.model), "--port", str(port),
             "--token-file", token_file.name],
            env=os.environ | {"PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            asyncio.run(_wait_ready(url, process))
            asyncio.run(_load(url, token, 4, 1.0))  # warm-up
            print(f"model: {args.model}   {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
            for clients in args.clients:
                count, latencies = asyncio.run(_load(url, token, clients, args.seconds))
                ms = sorted(x * 1000 for x in latencies)
                print(f"  {clients:3d} clients: {count / args.seconds:7.1f} requests/s   "
                      f"p50 {statistics.median(ms):7.1f} ms   p95 {ms[int(0.95 * (len(ms) - 1))]:7.1f} ms")
        finally:
            process.terminate()
            process.wait(30)


if __name__ == "__main__":
    main()
