"""Many turns at once: every one answered right, and inference never blocks the event loop."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.loop_lag import LoopLag
from home_brain_nlu.tags import TaggedWord
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant

from training.home import load_home

from .conftest import SMALL_HOME
from .simulated_home import async_add_home_brain, async_build_home, async_setup_assist

TURNS = 200
# The test model tags a sentence in ~1 ms, too little to tell a blocked loop from the loop's
# own work on 200 turns; the bundled model on a Raspberry Pi takes tens of ms. Each inference
# is made this slow, so inference on the loop would stall it for TURNS * this (10 s).
SLOW_INFERENCE_S = 0.05

# (sentence, what Home Brain answers, the one service call it makes or None)
MIX: list[tuple[str, str, tuple[str, str, dict[str, Any]] | None]] = [
    ("turn on the coffee maker", "Turned on the switch", ("switch", "turn_on", {"entity_id": ["switch.coffee_maker"]})),
    ("close the bedroom blinds", "Closing", ("cover", "close_cover", {"entity_id": ["cover.bedroom_blinds"]})),
    ("unlock the front door", "Unlocking", ("lock", "unlock", {"entity_id": ["lock.front_door"]})),
    ("set the thermostat to 21 degrees", "Temperature set to 21 degrees",
     ("climate", "set_temperature", {"entity_id": ["climate.thermostat"], "temperature": 21.0})),
    ("what is the state of the kitchen light", "Kitchen light is off", None),
]


def _key(call: tuple[str, str, dict[str, Any]]) -> tuple[str, str, str]:
    domain, service, data = call
    return domain, service, repr(sorted(data.items()))


class SlowTagger:
    """The real tagger, slowed down, noting which threads it runs on."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.threads: set[int] = set()
        self.passes = 0
        self.lock = threading.Lock()

    def tag(self, text: str) -> list[TaggedWord]:
        return self.tag_batch([text])[0]

    def tag_batch(self, texts: list[str]) -> list[list[TaggedWord]]:
        with self.lock:
            self.threads.add(threading.get_ident())
            self.passes += 1
        time.sleep(SLOW_INFERENCE_S)  # sleeping holds no GIL, like BLAS
        return self.inner.tag_batch(texts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def test_200_concurrent_turns(hass: HomeAssistant, small_home_model: Path) -> None:
    await async_setup_assist(hass)
    home = await async_build_home(hass, load_home(SMALL_HOME))
    entry = await async_add_home_brain(hass, small_home_model)
    hass.states.async_set("cover.bedroom_blinds", "open", hass.states.get("cover.bedroom_blinds").attributes)
    hass.states.async_set("lock.front_door", "unlocked", hass.states.get("lock.front_door").attributes)
    tagger = SlowTagger(entry.runtime_data.tagger)
    entry.runtime_data.tagger = tagger

    start = time.perf_counter()
    tagger.tag(MIX[0][0])
    one_inference_s = time.perf_counter() - start
    tagger.threads.clear()  # that one ran here, on purpose
    tagger.passes = 0

    loop = asyncio.get_running_loop()
    sentences = [MIX[n % len(MIX)] for n in range(TURNS)]
    async with LoopLag() as lag:
        started = time.perf_counter()
        results = await asyncio.gather(
            *(conversation.async_converse(hass, text, None, Context(), language="en", agent_id="conversation.home_brain")
              for text, _, _ in sentences)
        )
        took = time.perf_counter() - started

    assert [r.response.speech["plain"]["speech"] for r in results] == [speech for _, speech, _ in sentences]
    expected = Counter(_key(call) for _, _, call in sentences if call is not None)
    assert Counter(_key(call) for call in home.calls) == expected
    assert hass.states.get("light.kitchen").state == "off"  # asked about, never touched

    # Every inference ran on Home Brain's one inference thread, none on the loop, and turns
    # that arrived together shared forward passes...
    assert loop._thread_id not in tagger.threads  # noqa: SLF001 - the loop's own thread
    assert len(tagger.threads) == 1
    assert tagger.passes < TURNS / 4
    # ...so the loop never stalled for anything like the inferences' total.
    max_lag = lag.worst_s
    print(f"{TURNS} turns in {took:.2f} s; one inference {one_inference_s * 1000:.1f} ms; "
          f"max loop lag {max_lag * 1000:.1f} ms (inference on the loop: >= {TURNS * one_inference_s * 1000:.0f} ms)")
    assert max_lag < TURNS * one_inference_s / 5
