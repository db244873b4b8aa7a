"""Text -> tags off the event loop, one forward pass at a time, concurrent sentences batched.

Home Assistant's shared executor would run every concurrent turn's forward pass in its own
thread; on a 2-4 core machine those passes (each wanting all cores for its matrix products)
thrash, and 200 turns at once took minutes. One worker thread instead runs one pass at a
time, and what arrives meanwhile goes into the next pass as a batch, which costs about half
as much per sentence as one sentence alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from .nlu.tagger import Tagger
from .nlu.tags import TaggedWord

MAX_BATCH = 32  # longer batches gain little per sentence and delay the first answer


class InferenceQueue:
    """``await queue.tag(text)``; ``tagger`` is read at each pass, so a reloaded model applies."""

    def __init__(self, tagger: Callable[[], Tagger]) -> None:
        self._tagger = tagger
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="home_brain_inference")
        self._waiting: list[tuple[str, asyncio.Future[list[TaggedWord]]]] = []
        self._worker: asyncio.Task[None] | None = None

    async def tag(self, text: str) -> list[TaggedWord]:
        future: asyncio.Future[list[TaggedWord]] = asyncio.get_running_loop().create_future()
        self._waiting.append((text, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._drain(), name="home_brain_inference")
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            texts = [text for text, _ in batch]
            try:
                results = await loop.run_in_executor(self._executor, self._tagger().tag_batch, texts)
            except Exception as err:  # noqa: BLE001 - each waiting turn gets the error, none hangs
                for _, future in batch:
                    if not future.done():
                        future.set_exception(err)
                continue
            for (_, future), words in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(words)

    def close(self) -> None:
        """Stop the worker thread (on the event loop); turns still waiting are cancelled."""
        for _, future in self._waiting:
            future.cancel()
        self._waiting.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def wait_closed(self) -> None:
        """Block until the worker thread has ended (at most one forward pass): off the loop."""
        self._executor.shutdown(wait=True)
