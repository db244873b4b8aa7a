"""Score a model on Home Assistant's own English intents test suite (a benchmark only).

The suite (``home-assistant/intents``' ``tests/en``, CC BY 4.0) is **never training data**:
nothing here feeds it to ``generate`` or ``train``. It measures how well a model trained
for some home understands the phrasings Home Assistant's built-in agent is tested on. The
suite's cases and home are read by ``suite_reader.py``; names and words are looked up in that
home by ``suite_index.py``.

Scored is what the integration acts on: ``evaluate_suite`` reads the model's decoded
commands with the suite home's names (``home_brain_nlu.home_names``, the same rules the
integration applies with the names exposed to Assist: "bedroom" + "lamp" is the device
"Bedroom Lamp" when the home has one). It also reports ``exact_match_model_alone``, the
score of the commands as the model decoded them.

Scoring (``score_commands``): the commands match a case when

1. there is exactly one command and its intent is the expected one, and
2. every expected slot is matched, and
3. no extra slot changes the meaning.

Our slots are surface texts ("the blinds", "fifty percent"); the suite's are canonical
values ("blind", 50). A text matches a value when, after *normalisation* (casefold,
apostrophes dropped, other punctuation to spaces, each word singularised by a plain
English rule: "batteries" -> "battery", "blinds" -> "blind"), it equals

- for ``name``/``area``/``floor``: the name or an alias of any entity/area/floor of the
  suite's home whose name is the expected value (so "trader joes" matches "Trader Joe[']s"),
  a leading article or "my" aside as the integration compares names ("phone" is "My Phone");
- for free text (``search_query``, ``item``, ``message``, ``conversation_command``): the
  value, a leading article aside ("the queen" searches for "Queen");
- for a number (expected value a number or a numeric text): the number ``parse_number`` reads from the
  text ("one hundred percent" -> 100), or a value Home Assistant's own slot lists give the
  text ("max" -> 100, "half" -> 30 for timers);
- otherwise: the value itself, the value with ``_`` read as a space ("garage_door" ->
  "garage door", "tv_show"), the domain ``vocabulary.domain_of_word`` gives the text
  ("lamps" -> light), a device-class word of ``DEVICE_CLASS_WORDS`` ("garage door" ->
  garage), or a value Home Assistant's slot lists (``home-assistant-intents``, read with
  hassil; no Home Assistant; plus the class-word lists of ``extra_templates``, e.g. "low"
  -> on for a battery, which HA's upstream templates also have) give the text ("closed" -> off for a binary sensor, "blinds"
  -> blind). Those lists are merged over all slots, so a text matches every value any list
  gives it ("open" matches both "open" and "on").

An expected slot the model left out still counts as matched when

- it is ``domain``/``device_class`` and another produced slot implies it: a device word
  ("curtains" tagged as device_class implies domain cover) or a name whose entity has that
  domain/device class ("front door" implies domain lock), or the command's verb names the
  domain ("lock the kitchen doors", "light up the kitchen": ``vocabulary.domain_of_verb``);
- it is ``device_class``/``domain`` and the command's only slot is a state word that one
  binary-sensor class alone uses ("which devices are running?" -> running), which the
  integration reads as that class (``sensor_words.class_of_state``);
- its value is the case's ``context`` value for the same slot (the satellite's area:
  "turn on the lights in here" needs no area from the model);
- it is one of ``domain``, ``device_class``, ``state``, ``media_class`` and the sentence
  does not say it (no word form of the value occurs in the sentence; for domains the
  generator's own ``DOMAIN_WORDS`` patterns, which leave out "light up" and "switch on"):
  such slots are fixed by the template ("is the phone battery low" -> state on,
  device_class battery, domain binary_sensor), and our training data tag no words for them;
- it is ``name: all`` (HA's templates fix it for "turn off the fans in the kitchen").

But a command with no slot and no domain verb never matches a case that expects a slot
other than a context one: it names no target ("turn on everything" -> HassTurnOn with
nothing is not HassTurnOn {domain: light}), even when every expected slot is template-fixed.

A produced slot the suite does not list changes the meaning, and fails the case, unless it
only restates the target: an ``area``/``floor`` equal to the context area (or its floor) or
to the area (or floor) of the expected named entity, or a ``domain``/``device_class`` word
whose domain or device class is the context's, the expected one, the named entity's, or
the only domain the intent acts on (``INTENT_DOMAINS``: "make the lights red" is
HassLightSet with or without domain light; "turn on play corner lights" -> name + domain
light is fine), or a ``state`` that is what the intent does ("all lights on in here" ->
HassTurnOn with state "on"). Any other extra slot (a name, a number, a state, free text) fails.

Weak spots: the merged slot lists make state words lenient ("open" passes for "on"); a
template-fixed slot is forgiven as soon as the command has some other slot, so "is the
front door open" passes with just ``name: front door`` and "are any devices connected?"
with just ``state: connected`` (the device class is lost); the "not said" test is lexical, so
a word used in another sense ("lock" the verb, "on" in "turn on") makes a fixed slot
required; singularising is a crude rule applied to both sides alike, so it cannot break
an exact match but may join two different words ("gas"/"ga"); the suite's home is the
fixture home plus every sub-folder file's entities, so a name matches if it is in any of
them, not only in the home of the case's own file.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from home_brain_nlu.commands import RESTATED_STATE, Command, commands_from_tags
from home_brain_nlu.home_names import normalize
from home_brain_nlu.labels import parse_label
from home_brain_nlu.sensor_words import class_of_state
from home_brain_nlu.values import parse_number
from home_brain_nlu.vocabulary import domain_of_verb

from .home import Home
from .suite_index import DEVICE_CLASS_WORDS, HomeIndex, alternatives, list_values
from .suite_reader import Suite, SuiteCase, key_of, words_of

# Free text: "play the Queen album" and "play Queen album" search for the same thing.
FREE_TEXT_SLOTS = frozenset({"search_query", "item", "message", "conversation_command"})
_THE = re.compile(r"^\s*the\s+", re.IGNORECASE)
# Slots a template may fix without a word of the sentence standing for them.
IMPLIABLE_SLOTS = frozenset({"domain", "device_class", "state", "media_class"})
# HA's templates fix ``name: all`` for "every fan/lock in the kitchen"; no word says it.
ALL_NAME = "all"
# Intents that only ever act on one domain: a device word of that domain restates the target.
INTENT_DOMAINS: dict[str, frozenset[str]] = {
    "HassLightSet": frozenset({"light"}),
    "HassClimateGetTemperature": frozenset({"climate"}),
    "HassClimateSetTemperature": frozenset({"climate"}),
    "HassSetVolume": frozenset({"media_player"}),
    "HassSetVolumeRelative": frozenset({"media_player"}),
    "HassMediaPause": frozenset({"media_player"}),
    "HassMediaUnpause": frozenset({"media_player"}),
    "HassMediaNext": frozenset({"media_player"}),
    "HassMediaPrevious": frozenset({"media_player"}),
    "HassMediaSearchAndPlay": frozenset({"media_player"}),
    "HassVacuumStart": frozenset({"vacuum"}),
    "HassVacuumReturnToBase": frozenset({"vacuum"}),
    "HassListAddItem": frozenset({"todo"}),
    "HassListCompleteItem": frozenset({"todo"}),
}


def _contains(sentence_words: list[str], phrase: str) -> bool:
    words = phrase.split()
    n = len(words)
    return n > 0 and any(sentence_words[i : i + n] == words for i in range(len(sentence_words) - n + 1))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+(?:\.\d+)?", value.strip()):
        return float(value)
    return None


@functools.lru_cache(maxsize=1)
def _domain_patterns() -> dict[str, re.Pattern[str]]:
    from .generate import DOMAIN_WORDS

    return DOMAIN_WORDS


# --- scoring --------------------------------------------------------------------------


def text_matches(slot: str, text: str, value: Any, home: Home) -> bool:
    """Whether a slot text the model produced says the suite's canonical ``value``."""
    return _text_matches(slot, text, value, HomeIndex(home))


def _text_matches(slot: str, text: str, value: Any, index: HomeIndex) -> bool:
    for alternative in alternatives(value):
        if _one_match(slot, text, alternative, index):
            return True
    return False


def _one_match(slot: str, text: str, value: Any, index: HomeIndex) -> bool:
    key = key_of(text)
    if not key:
        return False
    if slot in ("name", "area", "floor"):
        keys = index.keys_of(slot, value)
        return key in keys or key_of(normalize(text)) in keys
    if slot in FREE_TEXT_SLOTS:
        return key_of(_THE.sub("", text)) == key_of(_THE.sub("", str(value)))
    listed = list_values().get(key, frozenset())
    number = _number(value)
    if number is not None:
        if any(_number(v) == number for v in listed):
            return True
        parsed = parse_number(text)
        return parsed is not None and abs(parsed - number) < 1e-6
    value_text = str(value)
    if key in (key_of(value_text), key_of(value_text.replace("_", " "))):
        return True
    if slot == "domain" and value_text in index.word_domains(text):
        return True
    if slot == "device_class" and value_text in index.word_classes(text):
        return True
    return value_text in listed


def _said(slot: str, value: Any, case: SuiteCase, sentence_words: list[str]) -> bool:
    """Whether some word form of the value occurs in the sentence (see module docstring)."""
    for alternative in alternatives(value):
        text = str(alternative)
        forms = {key_of(text.replace("_", " "))}
        if slot == "domain":
            # The generator's own domain words ("lights", not "light up") stand for a domain.
            pattern = _domain_patterns().get(text)
            if pattern is not None:
                if pattern.search(case.sentence):
                    return True
                continue
        else:
            forms.add(key_of(text))
            forms.update(k for k, vs in list_values().items() if text in vs)
            if slot == "device_class":
                forms.update(k for k, v in DEVICE_CLASS_WORDS.items() if v == text)
        if any(_contains(sentence_words, form) for form in forms if form):
            return True
    return False


def _implied(slot: str, value: Any, command: Command, index: HomeIndex) -> bool:
    """A domain/device class the model said another way (a device word, a named entity, a
    verb: "lock the kitchen doors")."""
    if slot not in ("domain", "device_class"):
        return False
    wanted = {str(v) for v in alternatives(value)}
    if slot == "domain" and domain_of_verb(command.carrier) in wanted:
        return True
    produced = command.slot_texts()
    for text in produced.get("domain", []) + produced.get("device_class", []):
        found = index.word_domains(text) if slot == "domain" else index.word_classes(text)
        if wanted & found:
            return True
    for text in produced.get("name", []):
        for entity in index.entities(text):
            if (entity.domain if slot == "domain" else entity.device_class) in wanted:
                return True
    if produced.keys() & {"name", "domain", "device_class"} or len(produced.get("state", [])) != 1:
        return False
    # "which devices are running?": a state word only one class uses names the class, as
    # the integration reads it (``sensor_words.class_of_state``).
    state_class = class_of_state(produced["state"][0])
    if state_class is None:
        return False
    return (state_class if slot == "device_class" else "binary_sensor") in wanted


def _extra_is_harmless(slot: str, texts: list[str], case: SuiteCase, index: HomeIndex) -> bool:
    """An extra slot is fine only when it restates the target (see module docstring)."""
    if slot in ("area", "floor"):
        area_keys, floor_keys = index.area_keys_around(case)
        allowed = area_keys if slot == "area" else floor_keys
        return all(key_of(t) in allowed for t in texts)
    if slot in ("domain", "device_class"):
        domains = {str(v) for v in alternatives(case.context.get("domain"))}
        domains |= {str(v) for v in alternatives(case.slots.get("domain"))}
        domains |= INTENT_DOMAINS.get(case.intent, frozenset())
        classes = {str(v) for v in alternatives(case.context.get("device_class"))}
        classes |= {str(v) for v in alternatives(case.slots.get("device_class"))}
        for name in alternatives(case.slots.get("name")):
            for entity in index.entities(name):
                domains.add(entity.domain)
                if entity.device_class:
                    classes.add(entity.device_class)
        for device_class in classes:
            domains |= index.class_domains.get(device_class, set())
        return all(index.word_domains(t) & domains or index.word_classes(t) & classes for t in texts)
    if slot == "state" and case.intent in RESTATED_STATE:
        # "all lights on in here": the state word repeats what the intent does.
        return all(key_of(t) == RESTATED_STATE[case.intent] for t in texts)
    return False


def problems(case: SuiteCase, commands: Sequence[Command], home: Home) -> list[str]:
    """Why the decoded commands do not match the case (empty when they do)."""
    return _problems(case, commands, HomeIndex(home))


def _problems(case: SuiteCase, commands: Sequence[Command], index: HomeIndex) -> list[str]:
    if len(commands) != 1:
        return [f"{len(commands)} commands, expected 1"]
    command = commands[0]
    if command.intent != case.intent:
        return [f"intent {command.intent}, expected {case.intent}"]
    produced = command.slot_texts()
    sentence_words = words_of(case.sentence)
    found: list[str] = []
    from_context = {
        slot for slot, value in case.slots.items()
        if slot in case.context and alternatives(case.context[slot]) == alternatives(value)
    }
    if not produced and not domain_of_verb(command.carrier) and set(case.slots) - from_context:
        # A command without any slot names no target, whatever the template fixed.
        return [f"no slots, expected {sorted(set(case.slots) - from_context)}"]
    for slot, value in case.slots.items():
        texts = produced.get(slot, [])
        if texts:
            wrong = [t for t in texts if not _text_matches(slot, t, value, index)]
            if wrong:
                found.append(f"{slot} {wrong} is not {value!r}")
            continue
        if _implied(slot, value, command, index) or slot in from_context:
            continue
        if slot in IMPLIABLE_SLOTS and not _said(slot, value, case, sentence_words):
            continue
        if slot == "name" and alternatives(value) == [ALL_NAME]:
            continue
        found.append(f"{slot} {value!r} missing")
    for slot, texts in produced.items():
        if slot not in case.slots and not _extra_is_harmless(slot, texts, case, index):
            found.append(f"extra {slot} {texts}")
    return found


def score_commands(case: SuiteCase, commands: Sequence[Command], home: Home) -> bool:
    """Whether the commands decoded for ``case.sentence`` are what the suite expects."""
    return not problems(case, commands, home)


# --- evaluation -----------------------------------------------------------------------


def evaluate_suite(model_dir: str | Path, suite: Suite, batch_size: int = 32) -> dict[str, Any]:
    """Tag every sentence of the suite with the model folder, decode and score.

    Returns overall exact-match and intent accuracy, the same over the cases whose intent
    the model knows (``known_intents``), a per-intent table and every failure (with the
    reasons ``problems`` gives). An unusable model folder raises ValueError.
    """
    from home_brain_nlu.model_folder import ModelFolderError
    from home_brain_nlu.tagger import Tagger

    try:
        tagger = Tagger.from_folder(model_dir)
    except ModelFolderError as err:
        raise ValueError(f"{model_dir}: not a usable model folder: {err}") from err
    labels = [parse_label(label) for label in tagger.labels]
    model_intents = {label.value for label in labels if label.kind == "INTENT"}
    index = HomeIndex(suite.home)
    home_names = index.home_names()
    per_intent: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # exact, intent, cases
    known = [0, 0, 0]
    model_alone = 0  # exact without the home's names applied
    failures: list[dict[str, Any]] = []
    cases = suite.cases
    for start in range(0, len(cases), batch_size):
        batch = cases[start : start + batch_size]
        for case, words in zip(batch, tagger.tag_batch([c.sentence for c in batch]), strict=True):
            decoded = commands_from_tags(case.sentence, words)
            model_alone += not _problems(case, decoded, index)
            commands = [home_names.apply(c, case.sentence) for c in decoded]
            intent_right = [c.intent for c in commands] == [case.intent]
            found = _problems(case, commands, index)
            exact = not found
            for row in (per_intent[case.intent], *((known,) if case.intent in model_intents else ())):
                row[0] += exact
                row[1] += intent_right
                row[2] += 1
            if not exact:
                failures.append({
                    "file": case.file,
                    "sentence": case.sentence,
                    "expected": {"intent": case.intent, "slots": case.slots, "context": case.context},
                    "got": [{"intent": c.intent, "slots": c.slot_texts()} for c in commands],
                    "why": found,
                })
    exact_total = sum(row[0] for row in per_intent.values())
    intent_total = sum(row[1] for row in per_intent.values())
    n = len(cases)
    return {
        "suite": str(suite.folder),
        "model": str(model_dir),
        "sentences": n,
        "exact_match": exact_total / n if n else 0.0,
        "exact_match_model_alone": model_alone / n if n else 0.0,
        "intent_accuracy": intent_total / n if n else 0.0,
        "known_intents": {
            "intents": sorted(model_intents & set(per_intent)),
            "sentences": known[2],
            "exact_match": known[0] / known[2] if known[2] else 0.0,
            "intent_accuracy": known[1] / known[2] if known[2] else 0.0,
        },
        "per_intent": {
            intent: {"sentences": total, "exact_match": ok / total, "intent_accuracy": right / total,
                     "model_knows_intent": intent in model_intents}
            for intent, (ok, right, total) in sorted(per_intent.items())
        },
        "warnings": list(suite.warnings),
        "failures": failures,
    }
