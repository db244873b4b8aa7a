"""Words that name a kind of device: the training data generator tags them as the ``domain``
slot, and the runtime turns a tagged word back into its domain. One table serves both."""

from __future__ import annotations

DOMAIN_WORDS: dict[str, tuple[str, ...]] = {
    "light": ("light", "lights", "lighting", "lamp", "lamps"),
    "fan": ("fan", "fans"),
    "switch": ("switch", "switches"),
    "lock": ("lock", "locks"),
    "cover": ("garage door", "garage doors", "cover", "covers", "blind", "blinds", "curtain",
              "curtains", "shade", "shades", "shutter", "shutters", "awning", "awnings"),
    "valve": ("valve", "valves"),
    "media_player": ("media player", "media players", "tv", "tvs", "speaker", "speakers"),
    "climate": ("thermostat", "thermostats", "heating", "air conditioning"),
    "vacuum": ("vacuum", "vacuums"),
    "person": ("anyone", "anybody", "someone", "somebody", "everyone", "everybody", "people",
               "persons"),
}

WORD_TO_DOMAIN: dict[str, str] = {
    word: domain for domain, words in DOMAIN_WORDS.items() for word in words
}


def domain_of_word(text: str) -> str | None:
    """The domain a device word names ("Lamps" -> "light"), or None."""
    return WORD_TO_DOMAIN.get(" ".join(text.casefold().split()))
