"""What each conversation last acted on, for "turn it off" in the next turn."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Final

# Longer than this after the last command, "it" no longer points at what was touched then.
MEMORY_TTL_S: Final = 300.0
MEMORY_MAX: Final = 100


class LastTargets:
    """Entity ids touched by the last acting turn of each conversation, in memory, bounded."""

    def __init__(self, ttl: float = MEMORY_TTL_S, max_size: int = MEMORY_MAX,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl, self._max_size, self._clock = ttl, max_size, clock
        self._targets: OrderedDict[str, tuple[float, tuple[str, ...]]] = OrderedDict()

    def remember(self, conversation_id: str, entity_ids: tuple[str, ...]) -> None:
        if not entity_ids:
            return
        self._targets.pop(conversation_id, None)
        self._targets[conversation_id] = (self._clock() + self._ttl, entity_ids)
        while len(self._targets) > self._max_size:
            self._targets.popitem(last=False)

    def recall(self, conversation_id: str) -> tuple[str, ...]:
        found = self._targets.get(conversation_id)
        if found is None or found[0] <= self._clock():
            return ()
        return found[1]
