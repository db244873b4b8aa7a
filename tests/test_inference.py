"""Batched inference: a sentence tagged in a shared pass gets exactly what it gets alone.

Turns that arrive together share forward passes (inference.py), and a pass runs only the real
tokens of its sentences, shortest first (encoder.py): the answers must still be each turn's
own, in the right turn, and one sentence the model fails on must not fail the others.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from threadpoolctl import ThreadpoolController

from custom_components.home_brain.const import BUNDLED_MODEL_DIR
from custom_components.home_brain.inference import MAX_BATCH, SPLIT_FROM, InferenceQueue
from custom_components.home_brain.nlu.tagger import Tagger
from custom_components.home_brain.nlu.tags import TaggedWord

pytestmark = pytest.mark.skipif(
    not (BUNDLED_MODEL_DIR / "config.json").is_file(), reason="no bundled model in this checkout"
)

# Lengths from 1 to 14 words, so a batch mixes many lengths.
SENTENCES = [
    "lights",
    "turn on the kitchen light",
    "close the bedroom blinds",
    "set the thermostat to 21 degrees",
    "what is the state of the kitchen light",
    "please switch off the bedroom lamp and close the living room blinds right now",
    "unlock the front door",
    "set the bedroom lamp to 50%",
    "is the garage door open",
    "turn off everything in the house",
    "dim the lights in the hall to twenty percent please",
    "start the coffee maker",
]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.from_folder(BUNDLED_MODEL_DIR)


class Recording:
    """The real tagger, noting each pass; sentences containing ``fail_on`` make a pass fail."""

    def __init__(self, inner: Tagger, fail_on: str | None = None) -> None:
        self.inner = inner
        self.fail_on = fail_on
        self.passes: list[list[str]] = []
        self.lock = threading.Lock()
        self.gate = threading.Event()  # a pass waits until it is open
        self.gate.set()

    def tag_batch(self, texts: Sequence[str]) -> list[list[TaggedWord]]:
        with self.lock:
            self.passes.append(list(texts))
        self.gate.wait()
        if self.fail_on is not None and any(self.fail_on in text for text in texts):
            raise ValueError(f"cannot tag {self.fail_on!r}")
        return self.inner.tag_batch(texts)


def _stop(queue: InferenceQueue) -> None:
    """Close and join the worker: no thread may outlive a test."""
    queue.close()
    queue.wait_closed()


def _same(a: list[TaggedWord], b: list[TaggedWord]) -> bool:
    return [(w.text, w.start, w.end, w.label) for w in a] == [(w.text, w.start, w.end, w.label) for w in b] and \
        all(abs(x.confidence - y.confidence) <= 1e-4 for x, y in zip(a, b, strict=True))


def test_padded_batch_logits_equal_each_sentence_alone(tagger: Tagger) -> None:
    """Right-, left- and hole-padded rows: every real token's logits as for the row alone."""
    rng = np.random.default_rng(5)
    encoder = tagger.encoder
    for trial in range(9):
        batch, seq = int(rng.integers(1, 9)), int(rng.integers(2, 16))
        ids = rng.integers(1000, 20000, size=(batch, seq))
        mask = np.zeros((batch, seq), dtype=np.int64)
        for row in range(batch):
            n = int(rng.integers(1, seq + 1))
            if trial % 3 == 0:
                mask[row, seq - n :] = 1  # left padding
            elif trial % 3 == 1:
                mask[row, :n] = 1
            else:
                mask[row] = rng.random(seq) < 0.7
                mask[row, 0] = 1
        batched = encoder.logits(ids, mask)
        assert batched.shape == (batch, seq, len(tagger.labels))
        for row in range(batch):
            real = mask[row].astype(bool)
            # Alone, with its padding kept, the row's positions are numbered as in the batch.
            alone = encoder.logits(ids[row : row + 1], mask[row : row + 1])[0]
            np.testing.assert_allclose(batched[row, real], alone[real], atol=1e-4, rtol=0)
            assert not batched[row, ~real].any()  # padding gets no made-up logits


def test_tag_batch_equals_one_by_one_across_lengths(tagger: Tagger) -> None:
    texts = [SENTENCES[n % len(SENTENCES)] for n in range(2 * len(SENTENCES))][::-1]
    for text, words in zip(texts, tagger.tag_batch(texts), strict=True):
        assert _same(words, tagger.tag(text)), text


async def test_concurrent_turns_share_passes_and_each_gets_its_own(tagger: Tagger) -> None:
    recording = Recording(tagger)
    queue = InferenceQueue(lambda: recording)
    texts = [SENTENCES[n % len(SENTENCES)] + f" {n}" for n in range(40)]
    try:
        results = await asyncio.gather(*(queue.tag(text) for text in texts))
    finally:
        _stop(queue)
    for text, words in zip(texts, results, strict=True):
        assert _same(words, tagger.tag(text)), text
    assert sorted(t for p in recording.passes for t in p) == sorted(texts)  # each tagged once
    assert all(len(p) <= MAX_BATCH for p in recording.passes)
    assert len(recording.passes) < len(texts) / 4


async def test_a_long_pass_runs_as_two_halves_on_two_threads(tagger: Tagger) -> None:
    """Each half on its own thread; every turn still gets its own sentence's tags, and a
    sentence that fails in one half fails only its own turn."""
    threads: set[str] = set()

    class Noting(Recording):
        def tag_batch(self, texts: Sequence[str]) -> list[list[TaggedWord]]:
            threads.add(threading.current_thread().name)
            return super().tag_batch(texts)

    recording = Noting(tagger, fail_on="explode")
    recording.gate.clear()  # the first pass holds the worker until the others are queued
    queue = InferenceQueue(lambda: recording)
    texts = [SENTENCES[n % len(SENTENCES)] + f" {n}" for n in range(2 * SPLIT_FROM)]
    texts[-1] = "explode"
    try:
        first = asyncio.ensure_future(queue.tag("lights on"))
        await asyncio.sleep(0)
        rest = asyncio.gather(*(queue.tag(text) for text in texts), return_exceptions=True)
        await asyncio.sleep(0)
        recording.gate.set()
        await first
        results = await rest
    finally:
        _stop(queue)
    assert isinstance(results[-1], ValueError)
    for text, words in zip(texts[:-1], results[:-1], strict=True):
        assert isinstance(words, list) and _same(words, tagger.tag(text)), text
    # [first], the two halves of the rest, then (one half failed) each of that half alone
    assert sorted(recording.passes[1:3]) == sorted([texts[:SPLIT_FROM], texts[SPLIT_FROM:]])  # either first
    assert sorted(t for p in recording.passes[3:] for t in p) == sorted(texts[SPLIT_FROM:] + texts[:SPLIT_FROM])
    assert len(threads) == 2


async def test_one_sentence_that_fails_fails_only_its_own_turn(tagger: Tagger) -> None:
    recording = Recording(tagger, fail_on="explode")
    queue = InferenceQueue(lambda: recording)
    texts = ["turn on the kitchen light", "explode", "close the bedroom blinds", "unlock the front door"]
    try:
        results = await asyncio.gather(*(queue.tag(text) for text in texts), return_exceptions=True)
    finally:
        _stop(queue)
    assert isinstance(results[1], ValueError)
    for text, words in zip(texts, results, strict=True):
        if text != "explode":
            assert isinstance(words, list) and _same(words, tagger.tag(text)), text


async def test_a_model_that_always_fails_fails_every_turn_and_hangs_none(tagger: Tagger) -> None:
    recording = Recording(tagger, fail_on="")  # every sentence contains ""
    queue = InferenceQueue(lambda: recording)
    try:
        results = await asyncio.wait_for(
            asyncio.gather(*(queue.tag(text) for text in SENTENCES), return_exceptions=True), timeout=60
        )
    finally:
        _stop(queue)
    assert all(isinstance(result, ValueError) for result in results)
    # The queue still works afterwards.
    recording.fail_on = None
    queue = InferenceQueue(lambda: recording)
    try:
        assert _same(await queue.tag(SENTENCES[1]), tagger.tag(SENTENCES[1]))
    finally:
        _stop(queue)


async def _first_pass_held(tagger: Tagger) -> tuple[Recording, InferenceQueue, asyncio.Future[Any]]:
    """A queue whose first pass (SENTENCES[1]) has started and holds the worker until the
    test opens ``recording.gate``, so the turns said next queue up behind it."""
    recording = Recording(tagger)
    recording.gate.clear()
    queue = InferenceQueue(lambda: recording)
    first = asyncio.ensure_future(queue.tag(SENTENCES[1]))
    await asyncio.sleep(0)  # its pass has started
    return recording, queue, first


async def test_a_turn_cancelled_while_waiting_is_not_tagged(tagger: Tagger) -> None:
    recording, queue, first = await _first_pass_held(tagger)
    try:
        dropped = asyncio.ensure_future(queue.tag("dropped while it waited"))
        kept = asyncio.ensure_future(queue.tag(SENTENCES[2]))
        await asyncio.sleep(0)
        dropped.cancel()
        recording.gate.set()
        assert _same(await first, tagger.tag(SENTENCES[1]))
        assert _same(await kept, tagger.tag(SENTENCES[2]))
    finally:
        _stop(queue)
    assert recording.passes == [[SENTENCES[1]], [SENTENCES[2]]]


async def test_a_text_said_by_several_turns_at_once_is_tagged_once(tagger: Tagger) -> None:
    """Turns saying the same text share one tagging, whether they waited together or arrived
    while a pass was already tagging it; each still gets its own list, and a turn cancelled
    meanwhile does not take the answer from the others."""
    recording, queue, first = await _first_pass_held(tagger)
    try:
        riders = [asyncio.ensure_future(queue.tag(SENTENCES[1])) for _ in range(3)]
        waiting = [asyncio.ensure_future(queue.tag(SENTENCES[n % 2 + 2])) for n in range(6)]
        await asyncio.sleep(0)
        riders[0].cancel()
        recording.gate.set()
        results = await asyncio.gather(first, *riders[1:], *waiting)
    finally:
        _stop(queue)
    assert recording.passes == [[SENTENCES[1]], [SENTENCES[2], SENTENCES[3]]]
    assert riders[0].cancelled()
    for words, text in zip(results, [SENTENCES[1]] * 3 + [SENTENCES[n % 2 + 2] for n in range(6)], strict=True):
        assert _same(words, tagger.tag(text)), text
    results[0].clear()  # one turn's list is not another's
    assert _same(results[1], tagger.tag(SENTENCES[1]))


async def test_a_sentence_said_again_is_answered_from_the_cache_until_the_model_changes(tagger: Tagger) -> None:
    first = Recording(tagger)
    current: list[Recording] = [first]
    queue = InferenceQueue(lambda: current[0])
    try:
        words = await queue.tag(SENTENCES[1])
        words.clear()  # what a turn does with its list is its own business
        again = await asyncio.gather(*(queue.tag(SENTENCES[1]) for _ in range(5)))
        assert first.passes == [[SENTENCES[1]]]
        assert all(_same(words, tagger.tag(SENTENCES[1])) for words in again)

        current[0] = Recording(tagger)  # a new model (a retrained one, a reload) starts afresh
        assert _same(await queue.tag(SENTENCES[1]), tagger.tag(SENTENCES[1]))
        assert current[0].passes == [[SENTENCES[1]]]
    finally:
        _stop(queue)


def _blas_threads() -> int:
    return max(info["num_threads"] for info in ThreadpoolController().select(user_api="blas").info())


async def test_every_pass_runs_on_one_blas_thread_and_puts_the_count_back(tagger: Tagger) -> None:
    """OpenBLAS threads wait for each other's core at every product: a pass takes one thread
    (a long one two halves, each on one), and the process's own setting is put back after."""
    default = _blas_threads()
    seen: list[tuple[int, int]] = []  # (sentences, BLAS threads) per tagging call

    class Noting(Recording):
        def tag_batch(self, texts: Sequence[str]) -> list[list[TaggedWord]]:
            seen.append((len(texts), _blas_threads()))
            return super().tag_batch(texts)

    queue = InferenceQueue(lambda: Noting(tagger))
    try:
        await queue.tag(SENTENCES[0])
        await asyncio.gather(*(queue.tag(text) for text in SENTENCES[1:]))
    finally:
        _stop(queue)
    assert seen[0] == (1, 1)
    assert all(threads == 1 for _, threads in seen) and any(n > 1 for n, _ in seen)
    assert _blas_threads() == default  # put back after the pass
