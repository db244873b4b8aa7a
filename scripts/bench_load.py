#!/usr/bin/env python3
"""Turn latency under load: N concurrent turns through Home Brain and the built-in agent.

Sets up a Home Assistant (the test harness's, in memory) with the small test home
(`training/homes/small.yaml`, simulated devices), Home Brain on a model folder (default: the
bundled model) and the built-in agent, then fires N turns at once at each agent and prints
p50/p95 turn latency, wall time and the event loop's worst stall (a 5 ms probe), with Home
Brain's figures as ratios of the built-in agent's. Figures, not pass/fail.

    python scripts/bench_load.py                     # 200 turns, bundled model
    python scripts/bench_load.py --turns 500 --model runs/my_home/model
    python scripts/bench_load.py --blas-threads 1    # pin OpenBLAS (threadpoolctl) first
    python scripts/bench_load.py --no-tag-cache      # every turn through the model
    python scripts/bench_load.py --distinct          # every turn a sentence neither agent has heard
    python scripts/bench_load.py --no-split          # long passes on one thread (inference.SPLIT_FROM)

Both agents keep what they understood of a sentence (the built-in agent's intent cache, Home
Brain's tag cache), and the warm-up says every sentence once, so by default the concurrent
turns measure everything but understanding; `--no-tag-cache` turns Home Brain's off (the
built-in agent's stays on, and the turns repeat 8 sentences, which Home Brain tags once per
pass). `--distinct` gives every turn, the lone ones included, its own sentence (a brightness,
a temperature) that neither agent has heard before: both understand every turn from scratch.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SENTENCES = [
    "turn on the kitchen light",
    "turn off the bedroom lamp",
    "close the bedroom blinds",
    "unlock the front door",
    "set the thermostat to 21 degrees",
    "what is the state of the kitchen light",
    "turn on the coffee maker",
    "set the bedroom lamp to 50%",
]


def distinct_sentences(count: int) -> list[str]:
    """`count` different commands for the small home, mixed (the same for both agents)."""
    pool = [f"set the {light} to {level}%" for level in range(1, 101)
            for light in ("kitchen light", "bedroom lamp", "living room light")]
    pool += [f"set the thermostat to {degrees} degrees" for degrees in range(10, 31)]
    random.Random(7).shuffle(pool)
    if count > len(pool):
        raise SystemExit(f"--distinct has {len(pool)} sentences, fewer than the {count} asked")
    return pool[:count]


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


async def _run(hass, agent_id: str, turns: int, distinct: bool) -> dict[str, float]:
    from homeassistant.components import conversation
    from homeassistant.core import Context
    from homeassistant.helpers import intent

    from benchmarks.loop_lag import LoopLag

    acted: list[bool] = []

    async def turn(text: str) -> float:
        start = time.perf_counter()
        result = await conversation.async_converse(hass, text, None, Context(), language="en", agent_id=agent_id)
        acted.append(result.response.response_type is not intent.IntentResponseType.ERROR)
        return time.perf_counter() - start

    # Warm up (template and intent caches, first executor threads) outside the measurement.
    for text in SENTENCES:
        await turn(text)
    lone = len(SENTENCES) * 3
    said = distinct_sentences(lone + turns) if distinct else [SENTENCES[n % len(SENTENCES)] for n in range(lone + turns)]
    single = [await turn(text) for text in said[:lone]]
    acted.clear()
    async with LoopLag() as lag:
        started = time.perf_counter()
        latencies = await asyncio.gather(*(turn(text) for text in said[lone:]))
        wall = time.perf_counter() - started
    return {
        "single_p50": statistics.median(single) * 1000,
        "p50": _pct(latencies, 50) * 1000,
        "p95": _pct(latencies, 95) * 1000,
        "wall": wall * 1000,
        "max_lag": lag.worst_s * 1000,
        "answered": float(sum(acted)),
    }


async def main(args: argparse.Namespace) -> None:
    from homeassistant import loader
    from homeassistant.setup import async_setup_component
    from pytest_homeassistant_custom_component.common import MockConfigEntry, async_test_home_assistant

    from custom_components.home_brain.const import CONF_CONFIDENCE_THRESHOLD, CONF_MODEL_PATH, DOMAIN
    from tests.simulated_home import async_build_home
    from training.home import load_home

    with tempfile.TemporaryDirectory() as config_dir:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # find custom_components/ on sys.path
            for component in ("homeassistant", "conversation", "intent"):
                assert await async_setup_component(hass, component, {})
            await async_build_home(hass, load_home(REPO / "training" / "homes" / "small.yaml"))
            entry = MockConfigEntry(
                domain=DOMAIN, title="Home Brain", data={CONF_MODEL_PATH: str(args.model)},
                options={CONF_CONFIDENCE_THRESHOLD: args.threshold},
            )
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()

            results = {}
            for name, agent_id in (("built-in", "conversation.home_assistant"), ("home_brain", "conversation.home_brain")):
                results[name] = await _run(hass, agent_id, args.turns, args.distinct)
            await hass.async_stop(force=True)

    ours, theirs = results["home_brain"], results["built-in"]
    print(f"{args.turns} concurrent turns, model {args.model}, blas threads {args.blas_threads or 'default'}, "
          f"tag cache {'off' if args.no_tag_cache else 'on'}, long passes {'whole' if args.no_split else 'halved'}, "
          f"{'a new sentence every turn' if args.distinct else f'{len(SENTENCES)} sentences said again'}")
    print(f"{'':>22}{'built-in':>12}{'home brain':>12}{'ratio':>8}")
    for key, label in (("single_p50", "one turn alone p50 ms"), ("p50", "turn p50 ms"), ("p95", "turn p95 ms"),
                       ("wall", "all turns ms"), ("max_lag", "max loop lag ms")):
        ratio = ours[key] / theirs[key] if theirs[key] else float("nan")
        print(f"{label:>22}{theirs[key]:>12.1f}{ours[key]:>12.1f}{ratio:>8.2f}")
    print(f"{'turns answered':>22}{theirs['answered']:>12.0f}{ours['answered']:>12.0f}   (not an error reply)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--model", type=Path, default=REPO / "custom_components" / "home_brain" / "model")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--blas-threads", type=int, default=0, help="limit OpenBLAS threads (0: leave as is)")
    parser.add_argument("--no-tag-cache", action="store_true", help="Home Brain tags every turn with the model")
    parser.add_argument("--distinct", action="store_true", help="every turn a sentence neither agent has heard")
    parser.add_argument("--no-split", action="store_true", help="long passes on one thread, not two halves")
    arguments = parser.parse_args()
    from custom_components.home_brain import inference

    if arguments.no_tag_cache:
        inference.CACHE_SIZE = 0
    if arguments.no_split:
        inference.SPLIT_FROM = 0
    if arguments.blas_threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=arguments.blas_threads, user_api="blas")
    asyncio.run(main(arguments))
