"""Media players (after Home Assistant's demo devices)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.media_player import (
    BrowseMedia,
    MediaPlayerEntity,
    MediaPlayerEntityFeature,
    MediaPlayerState,
    RepeatMode,
    SearchMedia,
    SearchMediaQuery,
)

from .base import Simulated, as_int, as_number, every_feature


class SimulatedMediaPlayer(Simulated, MediaPlayerEntity):
    """demo.media_player (the music player): ten tracks, volume, mute, shuffle, repeat;
    a search finds the query itself, and playing it plays it."""

    features = MediaPlayerEntityFeature

    full_features = every_feature(MediaPlayerEntityFeature)
    _tracks = tuple(f"Track {n}" for n in range(1, 11))

    def restore(self, state: str, attributes: dict[str, Any]) -> None:
        self._attr_state = MediaPlayerState(state) if state in {s.value for s in MediaPlayerState} \
            else MediaPlayerState.IDLE
        volume = as_number(attributes.get("volume_level"), 1.0)
        self._attr_volume_level = volume / 100 if volume > 1 else volume  # a home may write 50 for 50%
        self._attr_is_volume_muted = bool(attributes.get("is_volume_muted", False))
        self._attr_shuffle = bool(attributes.get("shuffle", False))
        self._attr_repeat = RepeatMode(attributes.get("repeat", RepeatMode.OFF))
        self._track = min(max(as_int(attributes.get("media_track"), 1) - 1, 0), len(self._tracks) - 1)
        self._attr_media_content_id = attributes.get("media_content_id")

    @property
    def media_track(self) -> int:
        return self._track + 1

    @property
    def media_title(self) -> str:
        return self._attr_media_content_id or self._tracks[self._track]

    def _set(self, **values: Any) -> None:
        for key, value in values.items():
            setattr(self, f"_attr_{key}", value)
        self.async_write_ha_state()

    async def async_turn_on(self) -> None:
        self._set(state=MediaPlayerState.PLAYING)

    async def async_turn_off(self) -> None:
        self._set(state=MediaPlayerState.OFF)

    async def async_media_play(self) -> None:
        self._set(state=MediaPlayerState.PLAYING)

    async def async_media_pause(self) -> None:
        self._set(state=MediaPlayerState.PAUSED)

    async def async_media_stop(self) -> None:
        self._set(state=MediaPlayerState.OFF)

    async def async_mute_volume(self, mute: bool) -> None:
        self._set(is_volume_muted=mute)

    async def async_set_volume_level(self, volume: float) -> None:
        self._set(volume_level=volume)

    async def async_set_shuffle(self, shuffle: bool) -> None:
        self._set(shuffle=shuffle)

    async def async_set_repeat(self, repeat: RepeatMode) -> None:
        self._set(repeat=repeat)

    async def async_media_next_track(self) -> None:
        if self._track < len(self._tracks) - 1:
            self._track += 1
            self._set(media_content_id=None)

    async def async_media_previous_track(self) -> None:
        if self._track > 0:
            self._track -= 1
            self._set(media_content_id=None)

    async def async_play_media(self, media_type: str, media_id: str, **kwargs: Any) -> None:
        self._set(media_content_id=media_id, media_content_type=media_type, state=MediaPlayerState.PLAYING)

    async def async_search_media(self, query: SearchMediaQuery) -> SearchMedia:
        words = query.search_query.casefold().split()
        if words[:1] in (["the"], ["a"], ["an"]):  # as any search engine would, ignore a leading article
            words = words[1:]
        found = " ".join(words)
        return SearchMedia(result=[BrowseMedia(media_class="music", media_content_id=found, media_content_type="music",
                                               title=found, can_play=True, can_expand=False)])
