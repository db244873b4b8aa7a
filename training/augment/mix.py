"""The mix: how many examples of each kind, and the public entry points."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

from ..dataset_io import validate_example
from ..home import Home
from ..relabel import relabel_device_words
from .draft import (
    _Draft,
    _HomeIndex,
    _Invalid,
    _Pool,
    _parse,
    _render,
)
from .filler import _aug_filler
from .fragment import _aug_fragment
from .synonym import _aug_synonym
from .typo import _aug_typo
from .speech import _aug_speech
from .surface import _aug_noise, _aug_plural
from .compound import _COMPOUND_PARTS, _aug_compound
from .ood import _aug_ood
from .phrasing import INDIRECT_PARTS, _aug_indirect, _aug_order
from .disfluency import DISFLUENCY_PARTS, _aug_disfluency
from .phonetic import _aug_phonetic
from .numbers import _aug_numbers
from .frames import held_out_frames

# The families and their shares of the augmented examples (the inventory in the data
# statistics and the model card says what each came to, per intent).
AUGMENTATIONS: dict[str, float] = {
    "filler": 0.06,
    "fragment": 0.08,
    "order": 0.10,
    "indirect": 0.10,
    "synonym": 0.07,
    "typo": 0.06,
    "speech": 0.06,
    "phonetic": 0.07,
    "numbers": 0.05,
    "noise": 0.04,
    "plural": 0.03,
    "disfluency": 0.06,
    "compound": 0.16,
    "ood": 0.06,
}
# Kinds that apply to every source: they take over the share of a kind that applies to none.
_FALLBACK_KINDS = ("filler", "noise")


Augmenter = Callable[[_Draft, _Pool, random.Random], "_Draft | None"]
AUGMENTERS: dict[str, Augmenter] = {
    "filler": _aug_filler,
    "fragment": _aug_fragment,
    "synonym": _aug_synonym,
    "typo": _aug_typo,
    "speech": _aug_speech,
    "noise": _aug_noise,
    "plural": _aug_plural,
    "compound": _aug_compound,
    "ood": _aug_ood,
    "order": _aug_order,
    "indirect": _aug_indirect,
    "disfluency": _aug_disfluency,
    "phonetic": _aug_phonetic,
    "numbers": _aug_numbers,
}
# Families made of parts that apply to different sources: each part keeps its share.
PARTS: dict[str, tuple[tuple[Augmenter, float], ...]] = {
    "compound": _COMPOUND_PARTS, "indirect": INDIRECT_PARTS, "disfluency": DISFLUENCY_PARTS,
}
assert set(AUGMENTERS) == set(AUGMENTATIONS)


def _quotas(count: int) -> dict[str, int]:
    """``count`` split by the shares, largest remainders first, so the parts add up."""
    exact = {kind: count * share / sum(AUGMENTATIONS.values()) for kind, share in AUGMENTATIONS.items()}
    quotas = {kind: int(value) for kind, value in exact.items()}
    rest = count - sum(quotas.values())
    for kind in sorted(exact, key=lambda k: (quotas[k] - exact[k], k))[:rest]:
        quotas[kind] += 1
    return quotas


def _sources(examples: Iterable[dict[str, Any]]) -> list[_Draft]:
    drafts = []
    for example in examples:
        if example.get("source", "template") != "template" or not example.get("commands"):
            continue
        draft = _parse(example)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _attempt(
    kind: str, source: _Draft, pool: _Pool, rng: random.Random, augmenter: Augmenter | None = None
) -> dict[str, Any] | None:
    """One try of one kind (or one part of it) on one source: a valid example, or None."""
    try:
        draft = (augmenter or AUGMENTERS[kind])(source, pool, rng)
        if draft is None:
            return None
        example = relabel_device_words(_render(draft, kind))  # labels.py's verb/device rule
        validate_example(example)
    except (_Invalid, ValueError):
        return None
    return example


# Tries of one kind on random sources before it counts as inapplicable to this data: a kind
# that applies to one source in twenty still almost never runs out (0.95**200 ~ 3e-5).
_TRIES = 200


def augment_examples(
    examples: list[dict[str, Any]], home: Home, count: int, seed: int, *, held_out: bool = False
) -> list[dict[str, Any]]:
    """``count`` new examples derived from the template examples among ``examples``.

    The same inputs and seed give the same examples. The mix follows ``AUGMENTATIONS``;
    each example says its kind in ``"augmentation"``. ``examples`` is not modified.
    ``held_out``: only the frames training never sees (``frames.py``), for the held-out set.
    """
    with held_out_frames(held_out):
        return _augment(examples, home, count, seed)


def _augment(examples: list[dict[str, Any]], home: Home, count: int, seed: int) -> list[dict[str, Any]]:
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    if count == 0:
        return []
    sources = _sources(examples)
    if not sources:
        raise ValueError("augmentation needs template examples to start from; none were given")
    pool = _Pool(sources, _HomeIndex.build(home))
    rng = random.Random(seed)
    plan = [kind for kind, n in _quotas(count).items() for _ in range(n)]
    rng.shuffle(plan)

    out: list[dict[str, Any]] = []
    dead: set[Augmenter] = set()  # what no source took in _TRIES tries
    for k, kind in enumerate(plan):
        example = None
        tries: list[tuple[str, Augmenter]] = []
        if kind in PARTS:
            # Each part keeps its share, though some apply to fewer sources.
            part = rng.choices([f for f, _ in PARTS[kind]], weights=[w for _, w in PARTS[kind]])[0]
            tries.append((kind, part))
        tries.append((kind, AUGMENTERS[kind]))
        tries += [(f, AUGMENTERS[f]) for f in (_FALLBACK_KINDS[k % 2], _FALLBACK_KINDS[(k + 1) % 2])]
        for attempt_kind, augmenter in tries:
            if augmenter in dead:
                continue
            for _ in range(_TRIES):
                example = _attempt(attempt_kind, rng.choice(sources), pool, rng, augmenter)
                if example is not None:
                    break
            if example is not None:
                break
            dead.add(augmenter)
        if example is None:  # only when no source can take even a filler word
            raise ValueError("could not augment these examples")
        out.append(example)
    return out


def augment_one(
    example: dict[str, Any], kind: str, home: Home, seed: int, pool: list[dict[str, Any]] | None = None
) -> dict[str, Any] | None:
    """One augmentation of one example (None when ``kind`` does not apply to it).

    ``pool``: more template examples that ``compound`` may join it with.
    """
    if kind not in AUGMENTERS:
        raise ValueError(f"unknown augmentation {kind!r}; known: {', '.join(AUGMENTERS)}")
    source = _parse(example)
    if source is None:
        return None
    drafts = [source, *_sources(pool or [])]
    return _attempt(kind, source, _Pool(drafts, _HomeIndex.build(home)), random.Random(seed))
