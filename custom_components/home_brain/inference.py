"""Text -> tags off the event loop, one forward pass at a time, concurrent sentences batched.

Home Assistant's shared executor would run every concurrent turn's forward pass in its own
thread; on a 2-4 core machine those passes (each wanting all cores for its matrix products)
thrash, and 200 turns at once took minutes. One worker thread instead runs one pass at a
time, and what arrives meanwhile goes into the next pass as a batch: a pass reads all the
model's weights once however many sentences it carries, so a sentence in a batch costs a
fraction of one alone.

A pass starts as soon as the worker is free: the first sentence of a burst does not wait for
the others to arrive, and the next pass is under way before the answers of the last one are
handed out, so the worker never waits for the event loop.

A pass runs its matrix products on one BLAS thread: OpenBLAS's threads wait for each other at
every product, so when another thread (the event loop handing out the last answers, another
add-on) holds a core they stall: on a busy 2-core machine a sentence alone took 153 ms p50 on
two BLAS threads against 35 ms on one, and batched passes on two took 200 turns 40% longer
(docs/benchmarks.md). A long pass instead runs as two halves on two threads, which meet only
when both are done: the matrix products are nearly all of a pass's time, and the event loop
leaves a core idle between turns.

A text said by several turns at once (a burst of the same command, a retry) is tagged once
per pass, and a turn whose text the pass under way is tagging waits for that pass.

The tags of the last few hundred distinct sentences are kept: a home says the same few
commands over and over, and the tags depend on nothing but the text and the model (Home
Assistant's own agent keeps its recognition results the same way, 128 sentences). A new model
starts with none.
"""

from __future__ import annotations

import asyncio
import os
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from typing import Protocol

from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

from .nlu.tags import TaggedWord

MAX_BATCH = 32  # longer batches gain little per sentence and delay the first answer
CACHE_SIZE = 256  # sentences whose tags are kept (a few KB); 0 turns the cache off
SPLIT_FROM = 8  # a pass this long runs as two halves on two threads; 0: never split


class BatchTagger(Protocol):
    def tag_batch(self, texts: Sequence[str]) -> list[list[TaggedWord]]: ...


type _Turn = tuple[str, asyncio.Future[list[TaggedWord]]]
type _Outcome = list[TaggedWord] | Exception
type _Pass = dict[str, list[asyncio.Future[list[TaggedWord]]]]  # a pass's texts, each with its turns


class _Blas:
    """The process's BLAS thread count, limited around a pass (in the worker thread)."""

    def __init__(self) -> None:
        self._controller: ThreadpoolController | None = None

    def one_thread(self) -> AbstractContextManager[object]:
        if self._controller is None:
            self._controller = ThreadpoolController()  # finds the loaded BLAS libraries once
        limited: AbstractContextManager[object] = self._controller.limit(limits=1, user_api="blas")
        return limited


def _tag_split(tagger: BatchTagger, texts: list[str], helper: ThreadPoolExecutor | None) -> list[list[TaggedWord]]:
    """A long pass as two halves, one on the helper thread: each half on one BLAS thread
    reads the weights once for several sentences, and the two halves never wait for each
    other until the end (OpenBLAS's own threads meet at every matrix product)."""
    if helper is None or SPLIT_FROM <= 0 or len(texts) < SPLIT_FROM:
        return list(tagger.tag_batch(texts))
    half = (len(texts) + 1) // 2
    other = helper.submit(tagger.tag_batch, texts[half:])
    try:
        first = list(tagger.tag_batch(texts[:half]))
    finally:
        wait([other])  # no half outlives the pass, whatever happened to the other
    return first + list(other.result())


def _tag_each(tagger: BatchTagger, texts: list[str], blas: _Blas,
              helper: ThreadPoolExecutor | None = None) -> list[_Outcome]:
    """In the worker: one pass for all; if it fails, each sentence alone, so that a sentence
    the model cannot take fails its own turn and not the others that shared its pass."""
    try:
        with blas.one_thread():
            results = _tag_split(tagger, texts, helper)
        if len(results) == len(texts):
            return list(results)
    except Exception:  # retried one by one below, where each error reaches its own turn
        if len(texts) == 1:
            raise
    outcomes: list[_Outcome] = []
    for text in texts:
        try:
            with blas.one_thread():
                outcomes.append(tagger.tag_batch([text])[0])
        except Exception as err:  # noqa: BLE001 - the turn that sent it gets the error
            outcomes.append(err)
    return outcomes


def _answer(future: asyncio.Future[list[TaggedWord]], outcome: list[TaggedWord] | BaseException) -> None:
    if future.done():  # cancelled meanwhile
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(list(outcome))  # each turn its own list


class InferenceQueue:
    """``await queue.tag(text)``; ``tagger`` is read at each pass, so a reloaded model applies."""

    def __init__(self, tagger: Callable[[], BatchTagger]) -> None:
        self._tagger = tagger
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="home_brain_inference")
        # The second half of a long pass (_tag_split); only a machine with a core to spare for it.
        self._helper = (ThreadPoolExecutor(max_workers=1, thread_name_prefix="home_brain_inference_half")
                        if (os.cpu_count() or 1) > 1 else None)
        self._waiting: deque[_Turn] = deque()
        self._busy = False
        self._in_flight: _Pass = {}  # the pass under way
        self._closed = False
        self._cache: OrderedDict[str, list[TaggedWord]] = OrderedDict()
        self._cache_of: BatchTagger | None = None  # the model whose tags the cache holds
        self._blas = _Blas()

    async def tag(self, text: str) -> list[TaggedWord]:
        if (tagger := self._tagger()) is not self._cache_of:
            self._cache.clear()
            self._cache_of = tagger
        if (words := self._cache.get(text)) is not None:
            self._cache.move_to_end(text)
            return list(words)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[TaggedWord]] = loop.create_future()
        if (riders := self._in_flight.get(text)) is not None:
            riders.append(future)  # the pass under way is tagging this very text
            return await future
        self._waiting.append((text, future))
        if not self._busy:
            self._start_pass(loop)
        return await future

    def _start_pass(self, loop: asyncio.AbstractEventLoop) -> None:
        # A text said by several turns is tagged once (its tags depend on nothing else): MAX_BATCH
        # counts distinct texts, and every turn that said one, even after the pass began, gets them.
        batch: _Pass = {}
        while self._waiting:
            text, future = self._waiting[0]
            if text not in batch and len(batch) >= MAX_BATCH:
                break
            self._waiting.popleft()
            if not future.done():  # a turn cancelled while it waited needs no pass
                batch.setdefault(text, []).append(future)
        if not batch or self._closed:
            return
        self._busy = True
        self._in_flight = batch
        tagger = self._tagger()
        job = loop.run_in_executor(self._executor, _tag_each, tagger, list(batch), self._blas,
                                   self._helper)
        job.add_done_callback(lambda done: self._pass_done(loop, tagger, batch, done))

    def _pass_done(self, loop: asyncio.AbstractEventLoop, tagger: BatchTagger, batch: _Pass,
                   done: asyncio.Future[list[_Outcome]]) -> None:
        self._busy = False
        self._in_flight = {}
        if self._waiting:
            self._start_pass(loop)  # the worker starts on the next batch while these are handed out
        if done.cancelled():
            for waiting in batch.values():
                for future in waiting:
                    future.cancel()
            return
        if (error := done.exception()) is not None:
            for waiting in batch.values():
                for future in waiting:
                    _answer(future, error)
            return
        for (text, waiting), outcome in zip(batch.items(), done.result(), strict=True):
            if not isinstance(outcome, Exception):
                self._remember(tagger, text, outcome)
            for future in waiting:
                _answer(future, outcome)

    def _remember(self, tagger: BatchTagger, text: str, words: list[TaggedWord]) -> None:
        if tagger is not self._cache_of or CACHE_SIZE <= 0:
            return  # tags of a model that has since been replaced
        self._cache[text] = words
        self._cache.move_to_end(text)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def close(self) -> None:
        """Stop the worker thread (on the event loop); turns still waiting are cancelled."""
        self._closed = True
        for _, future in self._waiting:
            future.cancel()
        for waiting in self._in_flight.values():
            for future in waiting:
                future.cancel()
        self._waiting.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._helper is not None:
            self._helper.shutdown(wait=False)  # its half ends with the worker's pass

    def wait_closed(self) -> None:
        """Block until the worker thread has ended (at most one forward pass): off the loop."""
        self._executor.shutdown(wait=True)
        if self._helper is not None:
            self._helper.shutdown(wait=True)
