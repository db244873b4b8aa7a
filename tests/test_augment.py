"""Augmented examples: valid, consistent, deterministic, and each kind does what it says.

The strongest check is the round trip through the runtime: the gold labels of every
augmented example, read word by word as the tagger would, must give back exactly the
example's commands through ``home_brain_nlu.commands.commands_from_tags``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from home_brain_nlu.commands import commands_from_tags
from home_brain_nlu.labels import SLOTS
from home_brain_nlu.tags import TaggedWord
from home_brain_nlu.values import parse_number
from training.augment import (
    AUGMENTATIONS,
    FILLER_INFIXES,
    FILLER_PREFIXES,
    FILLER_SUFFIXES,
    augment_examples,
    augment_one,
    number_to_words,
    out_of_domain_sentences,
    words_to_digits,
)
from training.augment.chains import CHAIN_JOINERS
from training.augment.filler import WAKE_WORDS
from training.dataset_io import read_jsonl, summarize, validate_example
from training.evaluate import expected_commands, gold_word_labels
from training.generate import available_intents, clean_name, generate_examples, template_intents
from training.home import Home, load_home

from .conftest import REPO as ROOT
from .conftest import SMALL_HOME as SMALL

DEFAULT = ROOT / "training" / "homes" / "default.yaml"
TARGETS = frozenset({"name", "area", "floor", "domain", "device_class"})
LIST_WORDS = ("and", "plus", "as well as", "along with")
PRONOUN = re.compile(r"\b(it|them|its)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def small_home() -> Home:
    return load_home(SMALL)


@pytest.fixture(scope="module")
def templates(small_home: Home) -> list[dict[str, Any]]:
    return generate_examples(small_home, 1500, seed=11)


@pytest.fixture(scope="module")
def augmented(small_home: Home, templates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return augment_examples(templates, small_home, 3000, seed=5)


def _kind(examples: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in examples if e["augmentation"] == kind]


def _span_texts(example: dict[str, Any], label: str) -> list[str]:
    return [example["text"][s["start"] : s["end"]] for s in example["spans"] if s["label"] == label]


def _labelled(example: dict[str, Any]) -> list[tuple[str, str]]:
    return [(s["label"], example["text"][s["start"] : s["end"]]) for s in example["spans"]]


def _labelled_words(example: dict[str, Any]) -> list[tuple[str, str]]:
    return [(label, word) for label, text in _labelled(example) for word in text.split()]


def _outside_spans(example: dict[str, Any], word: str) -> bool:
    """Whether ``word`` occurs outside all spans (label O); templates may have it inside ("each and every")."""
    found = [m.start() for m in re.finditer(rf"\b{re.escape(word)}\b", example["text"])]
    return any(all(not (s["start"] <= i < s["end"]) for s in example["spans"]) for i in found)


def _list_joined(example: dict[str, Any]) -> bool:
    """Items of a list joined by words tagged O ("A, B and C", "A plus B", "A & B")."""
    return any(_outside_spans(example, w) for w in LIST_WORDS) or " & " in example["text"]


def _example(text: str, parts: list[tuple[str, str]], intent: str, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """A template-style example from (piece, label) parts; label "" is O."""
    spans, slots, position = [], {}, 0
    for piece, label in parts:
        start = text.index(piece, position)
        position = start + len(piece)
        if label:
            spans.append({"start": start, "end": position, "label": label})
            if not label.startswith("intent:"):
                slots.setdefault(label, []).append(piece)
    example = {"text": text, "spans": spans, "commands": [{"intent": intent, "slots": slots, "context": context or {}}],
               "source": "template"}
    validate_example(example)
    return example


KITCHEN_LIGHT_OFF = _example("turn off the kitchen light", [("turn off the", "intent:HassTurnOff"), ("kitchen light", "name")], "HassTurnOff")
LIGHTS_IN_KITCHEN = _example(
    "turn off the lights in the kitchen",
    [("turn off the", "intent:HassTurnOff"), ("lights", "domain"), ("in the", "intent:HassTurnOff"), ("kitchen", "area")],
    "HassTurnOff",
)
BRIGHTNESS = _example(
    "set the kitchen light brightness to 50%",
    [("set the", "intent:HassLightSet"), ("kitchen light", "name"), ("brightness to", "intent:HassLightSet"),
     ("50", "brightness"), ("%", "intent:HassLightSet")],
    "HassLightSet",
)


def _outcomes(example: dict[str, Any], kind: str, home: Home, seeds: int = 40, pool: list | None = None) -> list[dict[str, Any]]:
    results = [augment_one(example, kind, home, seed, pool) for seed in range(seeds)]
    return [r for r in results if r is not None]


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: a swap of neighbours is one edit."""
    d = [[max(i, j) if min(i, j) == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


# --- the whole mix ---------------------------------------------------------------------


def test_deterministic_and_input_untouched(small_home: Home, templates: list[dict[str, Any]]) -> None:
    before = copy.deepcopy(templates)
    first = augment_examples(templates, small_home, 400, seed=3)
    assert templates == before
    assert first == augment_examples(templates, small_home, 400, seed=3)
    assert first != augment_examples(templates, small_home, 400, seed=4)
    assert len(first) == 400
    assert augment_examples(templates, small_home, 0, seed=3) == []
    with pytest.raises(ValueError):
        augment_examples([], small_home, 10, seed=3)


def test_deterministic_across_processes() -> None:
    """Set iteration order changes with PYTHONHASHSEED; augmentation must not depend on it."""
    code = (
        "import hashlib, json; from training.home import load_home; "
        "from training.generate import generate_examples; from training.augment import augment_examples; "
        f"h = load_home({str(SMALL)!r}); "
        "print(hashlib.sha1(json.dumps(augment_examples(generate_examples(h, 300, 3), h, 300, 9))"
        ".encode()).hexdigest())"
    )
    digests = {
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
                       capture_output=True, text=True, check=True).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_every_augmented_example_is_valid_and_consistent(augmented: list[dict[str, Any]]) -> None:
    for example in augmented:
        validate_example(example)
        assert json.loads(json.dumps(example)) == example
        assert example["source"] == "augment" and example["augmentation"] in AUGMENTATIONS
        # The commands' slot texts are the texts at the slot spans, in order, each used once,
        # but for the targets a command said with a pronoun borrows from the one before it.
        slot_labels = {s["label"] for s in example["spans"]} & set(SLOTS)
        said = {label: _span_texts(example, label) for label in slot_labels}
        for borrowing in (False, True):
            by_slot: dict[str, list[str]] = {}
            previous: dict[str, list[str]] = {}
            for command in example["commands"]:
                for slot, values in command["slots"].items():
                    if borrowing and slot in TARGETS and values == previous.get(slot):
                        continue
                    by_slot.setdefault(slot, []).extend(values)
                previous = command["slots"]
            if by_slot == said:
                break
        assert by_slot == said, example
        if borrowing:
            assert PRONOUN.search(example["text"]), example


def test_gold_labels_give_back_the_commands(augmented: list[dict[str, Any]]) -> None:
    """What the runtime makes of the gold tags is exactly the example's commands."""
    for example in augmented:
        text = example["text"]
        # Words as BERT's pre-tokenizer splits them, and at span edges ("4900k": "4900" + "k").
        edges = {i for span in example["spans"] for i in (span["start"], span["end"])}
        words = []
        for match in re.finditer(r"\w+|[^\w\s]", text):
            cuts = [match.start(), *sorted(i for i in edges if match.start() < i < match.end()), match.end()]
            words += list(zip(cuts, cuts[1:]))
        labels = gold_word_labels(example, words)
        tagged = [TaggedWord(text[s:e], s, e, label, 1.0) for (s, e), label in zip(words, labels, strict=True)]
        got = [(c.intent, c.slot_texts()) for c in commands_from_tags(text, tagged)]
        assert got == expected_commands(example), example


def test_the_mix_follows_the_shares(augmented: list[dict[str, Any]]) -> None:
    counts = Counter(e["augmentation"] for e in augmented)
    for kind, share in AUGMENTATIONS.items():
        assert abs(counts[kind] - share * len(augmented)) <= 1, (kind, counts)
    stats = summarize(augmented)
    assert stats["per_source"] == {"augment": 3000}
    assert stats["per_augmentation"] == dict(sorted(counts.items()))
    assert stats["no_command_share"] == pytest.approx(counts["ood"] / 3000, abs=1e-4)


def test_unusable_kinds_fall_back(small_home: Home) -> None:
    """Timers only: no fragment, synonym or plural applies to most; the count still holds."""
    timers = generate_examples(small_home, 100, seed=2, intents=["HassCancelAllTimers", "HassGetCurrentTime"])
    result = augment_examples(timers, small_home, 200, seed=1)
    assert len(result) == 200
    for example in result:
        validate_example(example)


# --- each kind ----------------------------------------------------------------------------


def test_filler_words_are_outside(small_home: Home, augmented: list[dict[str, Any]]) -> None:
    phrases = {p.strip(",") for p in (*FILLER_PREFIXES, *WAKE_WORDS, *FILLER_SUFFIXES, *FILLER_INFIXES)}
    fillers = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b")
    for result in _outcomes(KITCHEN_LIGHT_OFF, "filler", small_home):
        assert _labelled_words(result) == _labelled_words(KITCHEN_LIGHT_OFF)  # only O words added
        assert fillers.search(result["text"]), result["text"]
        assert result["text"] != KITCHEN_LIGHT_OFF["text"]
    assert len(_kind(augmented, "filler")) >= 0.9 * AUGMENTATIONS["filler"] * len(augmented)


def test_fragments_keep_the_slots_and_a_key_word(small_home: Home, augmented: list[dict[str, Any]]) -> None:
    assert {r["text"] for r in _outcomes(KITCHEN_LIGHT_OFF, "fragment", small_home)} == {"kitchen light off"}
    assert {r["text"] for r in _outcomes(LIGHTS_IN_KITCHEN, "fragment", small_home)} == {
        "kitchen lights off", "lights off in the kitchen"}
    fragment = augment_one(KITCHEN_LIGHT_OFF, "fragment", small_home, 0)
    assert fragment is not None and _labelled(fragment) == [("name", "kitchen light"), ("intent:HassTurnOff", "off")]
    for result in _outcomes(BRIGHTNESS, "fragment", small_home):
        assert result["commands"][0]["slots"] == {"name": ["kitchen light"], "brightness": ["50"]}
        assert result["text"].startswith("kitchen light")
    fragments = _kind(augmented, "fragment")
    assert len(fragments) >= 0.9 * AUGMENTATIONS["fragment"] * len(augmented)
    for example in fragments:
        assert len(example["commands"]) == 1
        carriers = [t for label, t in _labelled(example) if label.startswith("intent:")]
        assert carriers and len(" ".join(carriers).split()) <= 4, example["text"]


def test_synonyms_keep_the_intent(small_home: Home, augmented: list[dict[str, Any]]) -> None:
    texts = set()
    for result in _outcomes(KITCHEN_LIGHT_OFF, "synonym", small_home):
        assert result["commands"] == KITCHEN_LIGHT_OFF["commands"]
        carrier = " ".join(t for label, t in _labelled(result) if label == "intent:HassTurnOff")
        assert carrier != "turn off the"
        texts.add(result["text"])
    assert {"kill the kitchen light", "shut off the kitchen light", "power off the kitchen light"} <= texts
    dims = {r["text"] for r in _outcomes(BRIGHTNESS, "synonym", small_home)}
    assert "dim the kitchen light brightness to 50%" in dims
    assert len(_kind(augmented, "synonym")) >= 0.9 * AUGMENTATIONS["synonym"] * len(augmented)


def test_typos_are_one_or_two_edits(small_home: Home, templates: list[dict[str, Any]]) -> None:
    checked = 0
    for seed, source in enumerate(templates[:300]):
        result = augment_one(source, "typo", small_home, seed)
        if result is None:
            continue
        checked += 1
        assert 1 <= _edit_distance(source["text"], result["text"]) <= 2, (source["text"], result["text"])
        if _span_texts(result, "domain") != _span_texts(source, "domain") and any(
                head in source["text"] for head in ("mode", "show")):
            continue  # "fan mdoe", "tv shwo": the typo'd word no longer makes the device word describe it (labels.py)
        assert [s["label"] for s in result["spans"]] == [s["label"] for s in source["spans"]]
    assert checked > 250
    # Names and areas are what typos hit most; the command carries the misspelt text.
    misspelt = [r for r in _outcomes(KITCHEN_LIGHT_OFF, "typo", small_home) if r["commands"][0]["slots"]["name"] != ["kitchen light"]]
    assert misspelt
    for result in misspelt:
        assert result["commands"][0]["slots"]["name"] == _span_texts(result, "name")


def test_speech_to_text_slips(small_home: Home) -> None:
    texts = {r["text"].lower() for r in _outcomes(BRIGHTNESS, "speech", small_home, seeds=80)}
    assert any("fifty" in t for t in texts)  # digits -> words
    assert any("50 percent" in t for t in texts)  # % -> percent
    assert any(" two " in t or " too " in t for t in texts)  # homophone of "to"
    assert any(" lite " in t for t in texts)  # homophone inside the name
    assert any(t.startswith("set kitchen") for t in texts)  # "the" dropped
    for result in _outcomes(BRIGHTNESS, "speech", small_home, seeds=80):
        [brightness] = result["commands"][0]["slots"]["brightness"]
        assert parse_number(brightness) == 50


def test_number_words_round_trip() -> None:
    import random

    rng = random.Random(0)
    for value in [*range(0, 1000, 7), 21.5, 100, 112, 999, 1, 0.5]:
        words = number_to_words(value, rng)
        assert words is not None and parse_number(words) == value, (value, words)
        if value == int(value):
            assert words_to_digits(words) == str(int(value)), words
    assert number_to_words(1700, rng) is None
    assert words_to_digits("half") is None and words_to_digits("a") is None and words_to_digits("50") is None


def test_noise_changes_only_casing_and_punctuation(small_home: Home, augmented: list[dict[str, Any]]) -> None:
    def bare(text: str) -> list[str]:
        return re.sub(r"[^\w\s']", " ", text.lower()).split()

    results = _outcomes(KITCHEN_LIGHT_OFF, "noise", small_home)
    assert any(r["text"].isupper() for r in results)
    assert any(r["text"].startswith("Turn Off") for r in results)
    assert any(r["text"][-1] in "?!." for r in results)
    for result in results:
        assert bare(result["text"]) == bare(KITCHEN_LIGHT_OFF["text"])
    for example in _kind(augmented, "noise"):
        assert example["text"] != example["text"].lower() or re.search(r"[?!.,]", example["text"])


def test_plural_and_singular_device_words(small_home: Home) -> None:
    results = _outcomes(LIGHTS_IN_KITCHEN, "plural", small_home)
    assert {r["text"] for r in results} == {"turn off the light in the kitchen"}
    assert results[0]["commands"][0]["slots"]["domain"] == ["light"]
    assert {r["text"] for r in _outcomes(KITCHEN_LIGHT_OFF, "plural", small_home)} == {"turn off the kitchen lights"}


def test_shared_verb_compound_is_one_command(small_home: Home, augmented: list[dict[str, Any]], templates: list) -> None:
    results = _outcomes(KITCHEN_LIGHT_OFF, "compound", small_home, seeds=60, pool=templates[:150])
    shared = [r for r in results if len(r["commands"]) == 1]
    assert shared
    for result in shared:
        names = result["commands"][0]["slots"]["name"]
        assert names[0] == "kitchen light" and 2 <= len(names) <= 4
        assert _list_joined(result) and not _span_texts(result, "sep"), result["text"]
    compounds = _kind(augmented, "compound")
    two_names = [e for e in compounds if len(e["commands"]) == 1 and len(e["commands"][0]["slots"].get("name", [])) >= 2]
    two_places = [e for e in compounds if len(e["commands"]) == 1
                  and any(len(e["commands"][0]["slots"].get(s, [])) == 2 for s in ("area", "floor"))]
    # The small home has three lights and one of everything else: few pairs of names to list.
    assert len(two_names) >= 1 and len(two_places) >= 20
    for example in two_names + two_places:
        assert not _span_texts(example, "sep")
        assert _list_joined(example), example["text"]


def test_true_compounds_tag_their_joiners_sep(augmented: list[dict[str, Any]]) -> None:
    compounds = [e for e in _kind(augmented, "compound") if len(e["commands"]) > 1]
    three = [e for e in compounds if len(e["commands"]) == 3]
    assert len(three) >= 50 and len(compounds) - len(three) >= 20
    joiners = {",", "and", "then", "and then", "and also", "also", "and after that", "after that",
               "and then also", "plus"} | {sep for _, sep in CHAIN_JOINERS}
    for example in compounds:
        seps = _span_texts(example, "sep")
        assert len(seps) == len(example["commands"]) - 1
        assert set(seps) <= joiners, seps
    assert any(_span_texts(e, "sep")[:1] == [","] and ", " in e["text"] for e in three)


def test_out_of_domain_examples_have_no_command(small_home: Home, augmented: list[dict[str, Any]]) -> None:
    sentences = out_of_domain_sentences()
    assert len(sentences) >= 300 and len(set(sentences)) == len(sentences)
    commandish = re.compile(r"\b(turn|switch|lights?|lamp|open|close|lock|set|timer|weather|time|volume|play|pause|"
                            r"hello|hi|never ?mind|kitchen|bedroom)\b")
    assert not [s for s in sentences if commandish.search(s)]
    ood = _kind(augmented, "ood")
    assert len(ood) >= 0.9 * AUGMENTATIONS["ood"] * len(augmented)
    home_words = {clean_name(n).lower() for e in small_home.entities for n in e.names}
    for example in ood:
        assert example["commands"] == [] and example["spans"] == []
        assert not any(f" {n} " in f" {example['text'].lower()} " for n in home_words)
    with pytest.raises(ValueError, match="no spans"):
        validate_example({"text": "who wrote hamlet", "spans": [{"start": 0, "end": 3, "label": "name"}], "commands": []})


# --- the default home and the CLI ----------------------------------------------------------


def test_default_home_loads_and_covers_every_intent() -> None:
    home = load_home(DEFAULT)
    assert len(home.floors) >= 3 and 14 <= len(home.areas) <= 22
    assert sum(len(e.names) for e in home.entities) >= 300
    assert sum(1 for a in home.areas if a.aliases) >= 12
    domains = {e.domain for e in home.entities}
    assert domains >= {"light", "switch", "fan", "cover", "valve", "lock", "climate", "media_player", "vacuum",
                       "lawn_mower", "todo", "sensor", "binary_sensor", "scene", "script", "weather"}
    assert {e.device_class for e in home.entities if e.domain == "cover"} >= {
        "awning", "blind", "curtain", "garage", "gate", "shade", "shutter", "window"}
    assert {"Shopping List", "To-do"} <= {e.name for e in home.entities if e.domain == "todo"}
    assert set(available_intents(home)) == set(template_intents())
    examples = generate_examples(home, 1000, seed=4)
    assert {c["intent"] for e in examples for c in e["commands"]} == set(template_intents())
    augmented = augment_examples(examples, home, 300, seed=4)
    for example in augmented:
        validate_example(example)
    assert any(len(e["commands"]) == 1 and len(e["commands"][0]["slots"].get("name", [])) >= 2 for e in augmented)


def test_cli_generate_with_augment_share(tmp_path: Path) -> None:
    out = tmp_path / "data.jsonl"
    code = "import sys; sys.modules['homeassistant'] = None; from training.__main__ import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", code, "generate", "--home", str(SMALL), "--count", "400", "--seed", "2",
         "--augment-share", "0.5", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    examples = read_jsonl(out, strict=True)
    stats = json.loads(out.with_suffix(".stats.json").read_text())
    assert stats["per_source"] == {"augment": 200, "template": 200}
    assert set(stats["per_augmentation"]) == set(AUGMENTATIONS) and sum(stats["per_augmentation"].values()) == 200
    assert stats == summarize(examples)
    # Shuffled: augmented examples are not all at the end.
    assert {e["source"] for e in examples[-50:]} == {"augment", "template"}
    digest = hashlib.sha1(out.read_bytes()).hexdigest()
    bad = subprocess.run([sys.executable, "-c", code, "generate", "--home", str(SMALL), "--count", "10",
                          "--augment-share", "1", "--out", str(tmp_path / "x.jsonl")],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and "--augment-share" in bad.stderr
    assert hashlib.sha1(out.read_bytes()).hexdigest() == digest


def test_wake_words_of_other_assistants_are_fillers(small_home: Home, templates: list[dict[str, Any]]) -> None:
    """ "alexa turn off the fan": the wake word is no name, and the command is unchanged."""
    woken = []
    for seed, source in enumerate(templates[:400]):
        result = augment_one(source, "filler", small_home, seed)
        if result is not None and result["text"].lower().startswith(tuple(w.rstrip(",") for w in WAKE_WORDS)):
            woken.append((source, result))
    assert len(woken) >= 20
    for source, result in woken:
        assert result["commands"] == source["commands"]
        wake = result["text"].split()[0]
        assert all(s["start"] >= len(wake) or s["label"] == "O" for s in result["spans"]), result
