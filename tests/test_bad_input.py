"""Bad input never breaks the NLU core or the agent, and never makes anything happen."""

from __future__ import annotations

import random
import unicodedata


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.home_brain.const import BUNDLED_MODEL_DIR, CONF_MODEL_PATH, DOMAIN
from home_brain_nlu.commands import commands_from_tags
from home_brain_nlu.labels import build_labels
from home_brain_nlu.tagger import Tagger
from training.home import load_home

from .conftest import SMALL_HOME
from .simulated_home import SimulatedHome, async_build_home
from .tiny_bert import make_tiny_bert

# Every Unicode category: control characters, surrogates, emoji, mixed scripts, combining marks.
ANY_TEXT = st.text(st.characters(codec=None), max_size=300)


@pytest.fixture(scope="module")
def tagger(tmp_path_factory: pytest.TempPathFactory) -> Tagger:
    labels = build_labels(["HassTurnOn", "HassTurnOff", "HassLightSet"])
    return Tagger.from_folder(make_tiny_bert(tmp_path_factory.mktemp("tiny"), labels, ["kitchen"], init_std=0.5))


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT)
def test_any_text_tags_and_decodes(tagger: Tagger, text: str) -> None:
    words = tagger.tag(text)
    for word in words:
        assert 0 <= word.start < word.end <= len(text)
        assert text[word.start : word.end] == word.text
        assert word.label in tagger.labels
    for command in commands_from_tags(text, words):
        for values in command.slots.values():
            assert all(text[v.start : v.end] == v.text for v in values)


@pytest.fixture
async def home(hass: HomeAssistant) -> SimulatedHome:
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})
    sim = await async_build_home(hass, load_home(SMALL_HOME))
    entry = MockConfigEntry(domain=DOMAIN, title="Home Brain", data={CONF_MODEL_PATH: str(BUNDLED_MODEL_DIR)})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return sim


def _no_letters(rng: random.Random, size: int) -> str:
    """Random code points from every plane except letters: symbols, digits, marks, controls."""
    chars: list[str] = []
    while len(chars) < size:
        char = chr(rng.randrange(0x110000))
        if not unicodedata.category(char).startswith("L"):
            chars.append(char)
    return "".join(chars)


@pytest.mark.skipif(not (BUNDLED_MODEL_DIR / "config.json").is_file(), reason="no bundled model")
async def test_garbage_through_the_agent_moves_nothing(hass: HomeAssistant, home: SimulatedHome) -> None:
    """Text without letters cannot name a device: the agent answers and nothing changes."""
    before = home.states()
    rng = random.Random(7)
    garbage = [_no_letters(rng, rng.choice([1, 5, 40, 400, 2000])) for _ in range(150)]
    for text in [*garbage, "\x00" * 50, "🙂" * 500, "' OR 1=1; --", "{{ states }}"]:
        result = await conversation.async_converse(hass, text, None, Context(), language="en",
                                                   agent_id="conversation.home_brain")
        assert result.response.speech["plain"]["speech"], repr(text)
    assert home.calls == []
    assert home.states() == before


