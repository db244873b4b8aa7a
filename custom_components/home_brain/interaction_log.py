"""The interaction log: what was said to Home Brain, what it made of it, and what happened.

A home teaches its model through its own turns: sentences the model tagged wrongly, names
it could not resolve, and what the fallback agent did with the sentences Home Brain handed
on are exactly the examples the next fine-tune needs. Every turn becomes one record
(``turn_recorder.py`` makes it; its docstring has the schema), kept in a Home Assistant
``Store`` (``.storage/home_brain.interactions.<entry id>``), bounded by count and age, and
written with a delay so a busy evening of voice commands is one write.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from datetime import datetime, timedelta
from typing import Any, Literal

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import (
    CONF_LOG_INTERACTIONS,
    CONF_LOG_MAX_DAYS,
    CONF_LOG_MAX_TURNS,
    DEFAULT_LOG_INTERACTIONS,
    DEFAULT_LOG_MAX_DAYS,
    DEFAULT_LOG_MAX_TURNS,
    DOMAIN,
)

RECORD_VERSION = 1
STORAGE_VERSION = 1
# Long enough that a burst of commands is one write, short enough that a crash loses little.
SAVE_DELAY_S = 30

type HandledBy = Literal["home_brain", "fallback", "clarify", "refused"]
type Record = dict[str, Any]


def storage_key(entry_id: str) -> str:
    """One store per config entry, so removing the entry can remove its log."""
    return f"{DOMAIN}.interactions.{entry_id}"


class InteractionLog:
    """The recorded turns of one config entry, oldest first, bounded by count and age."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        self.hass = hass
        self.entry = entry
        # Records are never mutated once added, so the executor may serialise a snapshot.
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, storage_key(entry.entry_id), private=True, serialize_in_event_loop=False
        )
        self._turns: deque[Record] = deque()

    # Options are read on every turn, not cached: they are the user's live choice.
    @property
    def enabled(self) -> bool:
        return bool(self.entry.options.get(CONF_LOG_INTERACTIONS, DEFAULT_LOG_INTERACTIONS))

    @property
    def max_turns(self) -> int:
        return max(1, int(self.entry.options.get(CONF_LOG_MAX_TURNS, DEFAULT_LOG_MAX_TURNS)))

    @property
    def max_days(self) -> float:
        return max(0.0, float(self.entry.options.get(CONF_LOG_MAX_DAYS, DEFAULT_LOG_MAX_DAYS)))

    async def async_load(self) -> None:
        """Read the stored turns; with logging off, forget them instead (the user's choice)."""
        if not self.enabled:
            await self._store.async_remove()
            return
        stored = await self._store.async_load()
        turns = stored.get("turns", []) if isinstance(stored, dict) else []
        self._turns = deque(t for t in turns if isinstance(t, dict) and t.get("version") == RECORD_VERSION)
        if self._prune():
            self._schedule_save()

    @callback
    def async_add(self, record: Record) -> None:
        """Keep one turn (no-op with logging off) and schedule a delayed write."""
        if not self.enabled:
            return
        self._turns.append(_storable(record))
        self._prune()
        self._schedule_save()

    def turns(self) -> list[Record]:
        """The kept turns, oldest first (after dropping any that have aged out)."""
        if self._prune():
            self._schedule_save()
        return list(self._turns)

    def counts(self) -> dict[str, Any]:
        """How many turns, and how each was handled: numbers only, never what was said."""
        handled: dict[str, int] = {}
        for turn in self._turns:
            key = str(turn.get("handled_by"))
            handled[key] = handled.get(key, 0) + 1
        return {
            "enabled": self.enabled,
            "turns": len(self._turns),
            "handled_by": dict(sorted(handled.items())),
            "max_turns": self.max_turns,
            "max_days": self.max_days,
        }

    async def async_flush(self) -> None:
        """Write now (entry unload); shutdown is covered by the Store's own final write."""
        if self.enabled:
            await self._store.async_save(self._payload(tuple(self._turns)))

    async def async_remove(self) -> None:
        """Delete the stored log (the entry is being removed)."""
        self._turns.clear()
        await self._store.async_remove()

    def _prune(self) -> bool:
        """Drop turns over the count or age bound; True when something was dropped."""
        before = len(self._turns)
        while len(self._turns) > self.max_turns:
            self._turns.popleft()
        cutoff = dt_util.utcnow() - timedelta(days=self.max_days)
        while self._turns and _time_of(self._turns[0]) < cutoff:
            self._turns.popleft()
        return len(self._turns) != before

    @callback
    def _schedule_save(self) -> None:
        # A tuple of references costs microseconds here; the JSON is made in the executor.
        self._store.async_delay_save(functools.partial(self._payload, tuple(self._turns)), SAVE_DELAY_S)

    @staticmethod
    def _payload(turns: tuple[Record, ...]) -> dict[str, Any]:
        return {"turns": list(turns)}


def _time_of(record: Record) -> datetime:
    parsed = dt_util.parse_datetime(str(record.get("time", "")))
    # An unreadable time is treated as ancient so the record ages out rather than sticking.
    return parsed if parsed is not None else datetime.min.replace(tzinfo=dt_util.UTC)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(value: Any) -> Any:
    """The record with text JSON can store: a lone surrogate (typed input may hold one)
    becomes U+FFFD, one for one, so word offsets still point at the right characters."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {k: _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value
