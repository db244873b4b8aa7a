"""How long Home Assistant's event loop is kept from running while something happens.

A probe asks to wake every 5 ms and records how late each wake-up comes: a turn that runs a
forward pass on the loop shows up as a stall of that length. Shared by
`scripts/bench_load.py` and `tests/test_load.py`.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

PERIOD_S = 0.005


class LoopLag:
    """``async with LoopLag() as lag: ...``; then ``lag.worst_s``."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._stop = asyncio.Event()
        self._probe: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._stop.is_set():
            asked = loop.time()
            await asyncio.sleep(PERIOD_S)
            self.lags.append(loop.time() - asked - PERIOD_S)

    async def __aenter__(self) -> Self:
        self._probe = asyncio.get_running_loop().create_task(self._run())
        await asyncio.sleep(4 * PERIOD_S)  # the probe is running before what is measured starts
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        self._stop.set()
        if self._probe is not None:
            await self._probe

    @property
    def worst_s(self) -> float:
        return max(self.lags, default=0.0)
