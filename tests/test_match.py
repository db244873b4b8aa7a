"""Name matching (resolve/match.py) and the one singular (nlu/en.py)."""

from __future__ import annotations

import pytest
from home_brain_nlu.en import singular

from custom_components.home_brain.resolve.match import (
    PART_OF_NAME,
    SAME_SOUND,
    SAME_WORDS,
    char_ratio,
    closest,
    score,
    sound_key,
)


@pytest.mark.parametrize(
    ("plural", "one"),
    [("blinds", "blind"), ("switches", "switch"), ("batteries", "battery"), ("glasses", "glass"),
     ("gas", "gas"), ("status", "status"), ("this", "this"), ("tvs", "tv"), ("kitchen blinds", "kitchen blind")],
)
def test_singular(plural: str, one: str) -> None:
    assert singular(plural) == one


def test_scores_rank_whole_names_over_parts_over_typos() -> None:
    assert score("desk lamp", "desk lamp") == 1.0
    assert score("blinds", "blind") == SAME_WORDS
    assert score("heater", "study heater") == PART_OF_NAME
    assert score("nite lite", "night light") == SAME_SOUND  # as speech-to-text writes it
    # One letter dropped from a long name is closer than a part of it, not as close as the name.
    assert PART_OF_NAME < score("nursry heater", "nursery heater") < SAME_WORDS
    assert score("desk lamp", "reading lamp") < 0.8


def test_sound_keys() -> None:
    assert sound_key("nite lite") == sound_key("night light")
    assert sound_key("fone") == sound_key("phone")
    assert sound_key("side gate") != sound_key("back gate")


def test_closest_needs_a_clear_winner() -> None:
    assert closest("battteries", ["batteries", "battery", "moisture"], 0.8, 0.05) == "batteries"
    assert closest("lamp", ["lamps", "clamp"], 0.8, 0.05) is None  # both equally close: no guess
    assert char_ratio("kichen", "kitchen") > 0.9
