"""The held-out part of the generator: frames (sentence shapes, joiners, synonyms, fillers) that
training never sees, chosen by a fixed split, so a score on them measures generalisation to
new phrasings rather than memory of the generator's own.

A frame is held out when the CRC32 of its text falls in one fifth of the range: the split
never changes between runs, machines or Python's hash seeds. Families draw every frame
through ``pick``; ``held_out_frames(True)`` switches them to the held-out fifth (the
``python -m training heldout`` command), the default is the training four fifths.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

HELD_OUT_SHARE = 5  # one frame in five
_state = {"held_out": False}


def is_held_out(frame: object) -> bool:
    """Whether ``frame`` (its ``str``) belongs to the held-out part: fixed for all runs."""
    return zlib.crc32(str(frame).encode("utf-8")) % HELD_OUT_SHARE == 0


def usable(options: Sequence[T]) -> list[T]:
    """The options of the part in use (training or held out); all of them when that part
    would be empty, so a family with one frame still works (it is then no held-out test)."""
    wanted = _state["held_out"]
    chosen = [option for option in options if is_held_out(option) == wanted]
    return chosen or list(options)


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """A random frame among those of the part in use."""
    return rng.choice(usable(options))


@contextmanager
def held_out_frames(on: bool = True) -> Iterator[None]:
    """Within this block the families draw only held-out frames (or only training ones)."""
    before = _state["held_out"]
    _state["held_out"] = on
    try:
        yield
    finally:
        _state["held_out"] = before
