"""Tags from a tagger service (``python -m home_brain_nlu.serve``), the local model as fallback.

A stronger machine can serve a bigger model; Home Assistant then only sends the sentence. When
the service cannot answer (down, slow, wrong token, a reply that is not tags), the turn is
tagged by the local model so the home keeps working; the first failure of a run is logged as a
warning, the recovery as info, and the counts show in the diagnostics.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import aiohttp

from .const import LOGGER
from .inference import InferenceQueue
from .nlu.labels import parse_label
from .nlu.tags import TaggedWord

TAG_PATH = "/v1/tag"
REMOTE_TIMEOUT_S = 2.0  # a turn waits at most this long before the local model answers it


class RemoteTaggerError(Exception):
    """The service gave no usable tags."""


def _word(raw: Any, text: str) -> TaggedWord:
    if not isinstance(raw, dict):
        raise RemoteTaggerError("a tagged word is not an object")
    try:
        word = TaggedWord(str(raw["text"]), int(raw["start"]), int(raw["end"]), str(raw["label"]),
                          float(raw["confidence"]))
        parse_label(word.label)
    except (KeyError, TypeError, ValueError) as err:
        raise RemoteTaggerError(f"a tagged word is malformed ({err})") from err
    # Slot values are cut from the text by these offsets: they must index what was sent.
    if not (0 <= word.start < word.end <= len(text)) or text[word.start : word.end] != word.text:
        raise RemoteTaggerError("a tagged word's offsets do not match the sentence")
    if not 0.0 <= word.confidence <= 1.0:
        raise RemoteTaggerError("a confidence outside [0, 1]")
    return word


class RemoteTagger:
    """One POST per sentence to ``<url>/v1/tag`` with the bearer token."""

    def __init__(self, session: aiohttp.ClientSession, url: str, token: str,
                 timeout: float = REMOTE_TIMEOUT_S) -> None:
        self._session = session
        self._url = url.rstrip("/") + TAG_PATH
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def tag(self, text: str) -> list[TaggedWord]:
        try:
            async with self._session.post(self._url, json={"texts": [text]}, headers=self._headers,
                                          timeout=self._timeout) as response:
                if response.status != 200:
                    raise RemoteTaggerError(f"HTTP {response.status}")
                body = await response.json()
        except (aiohttp.ClientError, TimeoutError, ValueError) as err:
            raise RemoteTaggerError(f"{type(err).__name__}: {err}".rstrip(": ")) from err
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list) or len(results) != 1 or not isinstance(results[0], list):
            raise RemoteTaggerError("the reply holds no results for the sentence")
        return [_word(raw, text) for raw in results[0]]


@dataclass
class RemoteStats:
    """Turns tagged remotely and locally after a failure (diagnostics; no text)."""

    remote: int = 0
    fallback: int = 0
    last_error: str | None = None


class TagSource:
    """Where turns get their tags: the remote service if configured, else (or on failure) local."""

    def __init__(self, local: InferenceQueue, remote: RemoteTagger | None = None) -> None:
        self.local = local
        self.remote = remote
        self.stats = RemoteStats()
        self._failing = False

    async def tag(self, text: str) -> list[TaggedWord]:
        if self.remote is not None:
            try:
                words = await self.remote.tag(text)
            except RemoteTaggerError as err:
                self.stats.fallback += 1
                self.stats.last_error = str(err)
                if not self._failing:
                    LOGGER.warning("Remote tagger failed (%s); tagging with the local model until it answers", err)
                self._failing = True
            except asyncio.CancelledError:
                raise
            else:
                self.stats.remote += 1
                if self._failing:
                    LOGGER.info("Remote tagger answers again")
                self._failing = False
                return words
        return await self.local.tag(text)

    def diagnostics(self) -> dict[str, Any]:
        if self.remote is None:
            return {"remote_tagger": False}
        return {"remote_tagger": True, "remote_turns": self.stats.remote, "local_fallback_turns": self.stats.fallback,
                "last_remote_error": self.stats.last_error}
