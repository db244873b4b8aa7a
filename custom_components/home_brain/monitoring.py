"""How Home Brain is doing in this home: turn counts, how turns were handled, latency.

Counts live in their own ``Store`` (``.storage/home_brain.stats.<entry id>``), apart from the
interaction log: they hold no text, so they are kept even with the log switched off, and
they survive restarts. Shares and latency percentiles cover the last N turns (an option),
so they follow a change of model or home instead of being diluted by months of history.
The fallback alert (``alerts.py``) is re-judged after every turn.
"""

from __future__ import annotations

import functools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .alerts import async_update_fallback_alert
from .const import (
    CONF_FALLBACK_ALERT_SHARE,
    CONF_MONITOR_WINDOW,
    DEFAULT_FALLBACK_ALERT_SHARE,
    DEFAULT_MONITOR_WINDOW,
    DOMAIN,
    MIN_TURNS_FOR_ALERT,
)

STORAGE_VERSION = 1
# A crash loses at most this many seconds of counts; a busy evening is still one write.
SAVE_DELAY_S = 30
# Turns that overlap (a burst from several satellites, an automation) update the sensors once
# when the last of them ends, and at least this often while they keep coming: eight state
# writes per turn cost 200 simultaneous turns more event-loop time than understanding them.
TELL_EVERY_S = 1.0
# How a turn can end (turn_recorder.py's ``handled_by``).
KINDS: Final = ("home_brain", "fallback", "clarify", "refused")


def storage_key(entry_id: str) -> str:
    return f"{DOMAIN}.stats.{entry_id}"


@dataclass(frozen=True, slots=True)
class RecentTurn:
    kind: str
    latency_ms: float


class Monitor:
    """One entry's turn statistics; sensors listen to it, the fallback alert is judged by it."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        self.hass = hass
        self.entry = entry
        self.window = max(1, int(entry.options.get(CONF_MONITOR_WINDOW, DEFAULT_MONITOR_WINDOW)))
        self.alert_share = float(entry.options.get(CONF_FALLBACK_ALERT_SHARE, DEFAULT_FALLBACK_ALERT_SHARE))
        self._store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, storage_key(entry.entry_id), private=True)
        self.total = 0
        self.totals: dict[str, int] = dict.fromkeys(KINDS, 0)
        self._day = dt_util.now().date().isoformat()
        self._today = 0
        self.recent: deque[RecentTurn] = deque(maxlen=self.window)
        self._listeners: list[Callable[[], None]] = []
        self._running = 0  # turns begun and not yet ended
        self._untold = False  # turns recorded since the sensors were last told
        self._told_at = time.monotonic()

    async def async_load(self) -> None:
        stored = await self._store.async_load()
        if isinstance(stored, dict):
            self.total = int(stored.get("total", 0))
            for kind, count in (stored.get("totals") or {}).items():
                if kind in self.totals:
                    self.totals[kind] = int(count)
            self._day = str(stored.get("day", self._day))
            self._today = int(stored.get("today", 0))
            self.recent.extend(
                RecentTurn(str(kind), float(latency))
                for kind, latency in stored.get("recent", [])[-self.window :]
            )
        self._judge()

    @callback
    def async_turn_started(self) -> None:
        self._running += 1

    @callback
    def async_record(self, kind: str, latency_ms: float) -> None:
        """Count one finished turn (told to the sensors and the alert when it has ended)."""
        self.total += 1
        self.totals[kind] = self.totals.get(kind, 0) + 1
        self._roll_day()
        self._today += 1
        self.recent.append(RecentTurn(kind, latency_ms))
        self._untold = True

    @callback
    def async_turn_ended(self) -> None:
        """A turn ended (recorded or not): save, re-judge the alert and tell the sensors,
        unless other turns are still running and they were told less than a second ago."""
        self._running = max(0, self._running - 1)
        if self._untold and (not self._running or time.monotonic() - self._told_at >= TELL_EVERY_S):
            self._untold = False
            self._told_at = time.monotonic()
            self._store.async_delay_save(self._payload, SAVE_DELAY_S)
            self._judge()
            for listener in list(self._listeners):
                listener()

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        self._listeners.append(listener)
        return functools.partial(self._listeners.remove, listener)

    @property
    def turns_today(self) -> int:
        self._roll_day()
        return self._today

    def share(self, kind: str) -> float | None:
        """The share of the last N turns that ended as ``kind`` (None before any turn)."""
        if not self.recent:
            return None
        return sum(turn.kind == kind for turn in self.recent) / len(self.recent)

    def latency_percentile(self, percent: float) -> float | None:
        """Whole-turn latency (ms) that ``percent`` % of the last N turns stayed under."""
        if not self.recent:
            return None
        ordered = sorted(turn.latency_ms for turn in self.recent)
        # Nearest rank: a value some turn really took, not an interpolation between two.
        rank = max(1, -(-len(ordered) * percent // 100))
        return ordered[int(rank) - 1]

    def alert_figure(self) -> float | None:
        """The fallback share the alert judges; None while too few turns say anything."""
        if len(self.recent) < min(self.window, MIN_TURNS_FOR_ALERT):
            return None
        return self.share("fallback")

    def as_diagnostics(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "totals": dict(self.totals),
            "today": self.turns_today,
            "window": self.window,
            "shares": {kind: self.share(kind) for kind in KINDS},
            "latency_ms": {"p50": self.latency_percentile(50), "p95": self.latency_percentile(95)},
        }

    async def async_flush(self) -> None:
        await self._store.async_save(self._payload())

    async def async_remove(self) -> None:
        await self._store.async_remove()

    def _roll_day(self) -> None:
        today = dt_util.now().date().isoformat()
        if today != self._day:
            self._day, self._today = today, 0

    def _judge(self) -> None:
        async_update_fallback_alert(self.hass, self.entry, self.alert_figure(), self.alert_share, self.window)

    def _payload(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "totals": dict(self.totals),
            "day": self._day,
            "today": self._today,
            "recent": [[turn.kind, round(turn.latency_ms, 1)] for turn in self.recent],
        }


async def async_setup_monitor(hass: HomeAssistant, entry: ConfigEntry) -> Monitor:
    """Load the entry's counts and write them out when it unloads."""
    monitor = Monitor(hass, entry)
    await monitor.async_load()
    entry.async_on_unload(monitor.async_flush)
    return monitor


async def async_remove_monitor(hass: HomeAssistant, entry: ConfigEntry) -> None:
    await Monitor(hass, entry).async_remove()
