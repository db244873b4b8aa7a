"""Beyond the templates: labelled examples of how people really talk to a home.

Home Assistant's templates are tidy English. People type and speak fragments ("kitchen
light off"), typos ("kitchn light"), speech-to-text slips ("turn the light of", "set it two
fifty percent"), polite padding ("hey, could you ... thanks"), lists ("the kitchen light and
the bedroom lamp") and things that are no command at all ("who wrote hamlet"). This module
derives such examples from template examples (``generate.generate_examples``), labelled in
the same format, so the model learns them too.

Every augmented example is a *new* example (the input list is never modified) with
``"source": "augment"`` and ``"augmentation": <kind>``. Spans and ``commands`` are rebuilt
from one word list after every edit, so a slot's text in ``commands`` is always exactly the
text at its span (a typo'd name stays a typo'd name: resolution is fuzzy later).

The kinds and their shares of the augmented examples (``AUGMENTATIONS``):

======== ===== ==========================================================================
kind     share what it does
======== ===== ==========================================================================
filler   0.12  politeness and hesitation tagged O: "please", "hey", "could you", "um",
               "for me", "thanks" (prefix, suffix, "um" in the middle)
fragment 0.12  word-order fragments: targets first and the carrier words cut to the key
               word that still votes for the intent: "kitchen light off", "bedroom
               blinds up", "lights off in the kitchen", "office fan 40%"
synonym  0.10  carrier words HA's templates lack, keeping the intent label: "power on",
               "shut off", "kill the", "dim ... to", "crank up", "silence", "hoover"
typo     0.12  one or two typos (swap, drop or double a letter, a keyboard neighbour) in
               names, areas and carrier words
speech   0.12  speech-to-text slips: homophones ("for"/"four", "to"/"two", "light"/"lite",
               "off"/"of"), dropped short words ("the", "a"), number words <-> digits,
               "%" <-> "percent", "°" <-> "degrees"
noise    0.08  casing and punctuation: ALL CAPS, Title Case, a capital first letter,
               trailing "?", "!", ".", commas
plural   0.06  singular <-> plural device words ("lights" -> "light", "Blind" -> "Blinds")
compound 0.16  one command with two or three names ("turn on the kitchen light and the
               bedroom lamp", "and" tagged O; 35%) or two places ("the kitchen and living
               room lights"; 25%); three commands ("A, B and then C", joiners tagged
               ``sep``) or two with joiners the templates lack ("and also", "after that";
               40%)
ood      0.12  out-of-domain text, all O and ``commands: []``: chit-chat, questions about
               the world, half-sentences, random words, other languages
======== ===== ==========================================================================

A kind that cannot be applied to any source (no fragment for a data set of timers only)
gives its examples to ``filler`` and ``noise``, which apply to anything.

This module must not import Home Assistant; it needs only the home snapshot.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from home_brain_nlu.labels import SLOTS
from home_brain_nlu.values import parse_number
from home_brain_nlu.vocabulary import domain_of_word

from .dataset_io import validate_example
from .generate import clean_name
from .home import Home

SOURCE = "augment"

AUGMENTATIONS: dict[str, float] = {
    "filler": 0.12,
    "fragment": 0.12,
    "synonym": 0.10,
    "typo": 0.12,
    "speech": 0.12,
    "noise": 0.08,
    "plural": 0.06,
    "compound": 0.16,
    "ood": 0.12,
}
# Kinds that apply to every source: they take over the share of a kind that applies to none.
_FALLBACK_KINDS = ("filler", "noise")

_INTENT = "intent:"
_SEP = "sep"
_SLOTS = frozenset(SLOTS)
# Free-text slots: words after them would be read as part of them.
_WILDCARD_SLOTS = frozenset({"message", "search_query", "item", "conversation_command"})
_NUMBER_SLOTS = frozenset({
    "brightness", "temperature", "position", "percentage", "volume_level", "volume_step",
    "hours", "minutes", "seconds", "start_hours", "start_minutes", "start_seconds",
})
_TARGET_SLOTS = ("name", "area", "floor", "domain", "device_class")
_QUESTION_INTENTS = frozenset({
    "HassGetState", "HassGetWeather", "HassGetCurrentTime", "HassGetCurrentDate",
    "HassClimateGetTemperature", "HassTimerStatus", "HassRespond",
})
_NO_COMPOUND_INTENTS = frozenset({"HassNevermind", "HassRespond"})


# --- the word list every edit works on ----------------------------------------------------


@dataclass(slots=True)
class _Tok:
    """One word: its text, its span label (None: O) and span id, and a space before it."""

    text: str
    label: str | None = None
    span: int | None = None
    space: bool = True


@dataclass(slots=True)
class _Cmd:
    """A command whose slot values are span ids (their text is read off the words)."""

    intent: str
    slots: dict[str, list[int]] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Draft:
    """An example being edited: words and commands."""

    toks: list[_Tok]
    cmds: list[_Cmd]

    def copy(self) -> _Draft:
        return _Draft(
            [_Tok(t.text, t.label, t.span, t.space) for t in self.toks],
            [_Cmd(c.intent, {k: list(v) for k, v in c.slots.items()}, dict(c.context)) for c in self.cmds],
        )

    def shifted(self, offset: int) -> _Draft:
        """A copy whose span ids are all moved by ``offset`` (to join drafts)."""
        copy = self.copy()
        for tok in copy.toks:
            if tok.span is not None:
                tok.span += offset
        for cmd in copy.cmds:
            cmd.slots = {k: [i + offset for i in v] for k, v in cmd.slots.items()}
        return copy

    def next_id(self) -> int:
        return max((t.span for t in self.toks if t.span is not None), default=-1) + 1

    def span_range(self, span: int) -> tuple[int, int]:
        """Word indices [first, last + 1) of a span."""
        indices = [i for i, t in enumerate(self.toks) if t.span == span]
        return indices[0], indices[-1] + 1

    def command_of(self) -> list[int]:
        """The index of the command each word belongs to (``sep`` words: the next one)."""
        result: list[int] = []
        index = 0
        previous_sep: int | None = None
        for tok in self.toks:
            if tok.label == _SEP:
                if tok.span != previous_sep:
                    index += 1
                previous_sep = tok.span
            else:
                previous_sep = None
            result.append(index)
        return result

    def carriers_per_command(self) -> list[int]:
        counts = [0] * len(self.cmds)
        for tok, index in zip(self.toks, self.command_of(), strict=True):
            if tok.label and tok.label.startswith(_INTENT) and index < len(counts):
                counts[index] += 1
        return counts


class _Invalid(Exception):
    """An edit left an inconsistent example (a bug guard, never expected)."""


def _words(text: str, start: int, end: int, label: str | None, span: int | None) -> list[_Tok]:
    return [
        _Tok(m.group(), label, span, start + m.start() == 0 or text[start + m.start() - 1].isspace())
        for m in re.finditer(r"\S+", text[start:end])
    ]


def _parse(example: dict[str, Any]) -> _Draft | None:
    """An example as words and commands; None when its commands do not match its spans."""
    text: str = example["text"]
    spans = sorted(example["spans"], key=lambda s: s["start"])
    toks: list[_Tok] = []
    position = 0
    for index, span in enumerate(spans):
        toks += _words(text, position, span["start"], None, None)
        toks += _words(text, span["start"], span["end"], span["label"], index)
        position = span["end"]
    toks += _words(text, position, len(text), None, None)
    if not toks:
        return None

    commands = example.get("commands") or []
    cmds = [_Cmd(c["intent"], {}, dict(c.get("context") or {})) for c in commands]
    wanted = [{k: list(v) for k, v in c.get("slots", {}).items()} for c in commands]
    index = 0
    for span_id, span in enumerate(spans):
        label = span["label"]
        if label == _SEP:
            index += 1
        elif label in _SLOTS:
            values = wanted[index].get(label) if index < len(wanted) else None
            if not values or values[0] != text[span["start"] : span["end"]]:
                return None
            values.pop(0)
            cmds[index].slots.setdefault(label, []).append(span_id)
    if cmds and index != len(cmds) - 1:
        return None
    if any(values for slots in wanted for values in slots.values()):
        return None
    return _Draft(toks, cmds)


def _render(draft: _Draft, kind: str) -> dict[str, Any]:
    """Words back to text, spans and commands; raises _Invalid for an inconsistent draft."""
    text = ""
    ranges: list[tuple[int, int]] = []
    for i, tok in enumerate(draft.toks):
        if not tok.text or any(ch.isspace() for ch in tok.text):
            raise _Invalid(f"bad word {tok.text!r}")
        if i and tok.space:
            text += " "
        ranges.append((len(text), len(text) + len(tok.text)))
        text += tok.text

    spans: list[dict[str, Any]] = []
    slot_spans: dict[int, tuple[int, int, str]] = {}
    i = 0
    while i < len(draft.toks):
        tok = draft.toks[i]
        j = i + 1
        if tok.label is not None:
            while j < len(draft.toks) and draft.toks[j].span == tok.span and draft.toks[j].label == tok.label:
                j += 1
            start, end = ranges[i][0], ranges[j - 1][1]
            spans.append({"start": start, "end": end, "label": tok.label})
            if tok.label in _SLOTS:
                if tok.span in slot_spans or tok.span is None:
                    raise _Invalid(f"slot span {tok.span} is split or has no id")
                slot_spans[tok.span] = (start, end, tok.label)
        i = j

    commands = []
    used: set[int] = set()
    for cmd in draft.cmds:
        slots: dict[str, list[str]] = {}
        for slot, ids in cmd.slots.items():
            for span_id in ids:
                if span_id not in slot_spans or slot_spans[span_id][2] != slot or span_id in used:
                    raise _Invalid(f"command slot {slot} -> span {span_id} does not match")
                used.add(span_id)
                start, end, _ = slot_spans[span_id]
                slots.setdefault(slot, []).append(text[start:end])
        commands.append({"intent": cmd.intent, "slots": slots, "context": dict(cmd.context)})
    if used != set(slot_spans):
        raise _Invalid("a slot span belongs to no command")
    return {"text": text, "spans": spans, "commands": commands, "source": SOURCE, "augmentation": kind}


# --- what the augmenters know about the home ---------------------------------------------


@dataclass(slots=True)
class _HomeIndex:
    name_domain: dict[str, str]
    names_by_domain: dict[str, list[tuple[str, ...]]]
    areas: list[tuple[str, ...]]
    floors: list[tuple[str, ...]]
    device_names: frozenset[str]
    phrases: tuple[str, ...]  # every spoken name, area and floor (to keep OOD text clear of them)

    @classmethod
    def build(cls, home: Home) -> _HomeIndex:
        name_domain: dict[str, str] = {}
        names_by_domain: dict[str, list[tuple[str, ...]]] = {}
        for entity in home.entities:
            spoken = tuple(n for n in (clean_name(x) for x in entity.names) if n)
            if not spoken:
                continue
            for name in spoken:
                name_domain.setdefault(name.casefold(), entity.domain)
            names_by_domain.setdefault(entity.domain, []).append(spoken)
        areas = [tuple(n for n in (clean_name(x) for x in a.names) if n) for a in home.areas]
        floors = [tuple(n for n in (clean_name(x) for x in f.names) if n) for f in home.floors]
        spoken_names = [n for group in names_by_domain.values() for names in group for n in names]
        spoken_places = [n for names in (*areas, *floors) for n in names]
        phrases = tuple(sorted({" ".join(n.casefold().split()) for n in spoken_names + spoken_places}))
        return cls(
            name_domain=name_domain,
            names_by_domain=names_by_domain,
            areas=[a for a in areas if a],
            floors=[f for f in floors if f],
            device_names=frozenset(name_domain),
            phrases=phrases,
        )


@dataclass(slots=True)
class _Pool:
    """Everything an augmenter may draw from: the parsed sources and the home."""

    sources: list[_Draft]
    home: _HomeIndex
    singles: list[_Draft] = field(default_factory=list)  # one command, no free text: for compounds
    single_weights: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.singles = [s for s in self.sources if _is_single(s)]
        # Commands about devices are what people chain most ("... and close the blinds").
        self.single_weights = [
            3.0 if any(slot in s.cmds[0].slots for slot in _TARGET_SLOTS) else 1.0 for s in self.singles
        ]

    def some_singles(self, rng: random.Random, k: int) -> list[_Draft]:
        return rng.choices(self.singles, weights=self.single_weights, k=k)


def _is_single(draft: _Draft) -> bool:
    """One command that can be joined with others (no free text to swallow the joiner)."""
    return (
        len(draft.cmds) == 1
        and draft.cmds[0].intent not in _NO_COMPOUND_INTENTS
        and not any(t.label in _WILDCARD_SLOTS for t in draft.toks)
    )


def _text_of(draft: _Draft, span: int) -> str:
    first, last = draft.span_range(span)
    out = ""
    for i in range(first, last):
        if i > first and draft.toks[i].space:
            out += " "
        out += draft.toks[i].text
    return out


def _command_domain(draft: _Draft, cmd: _Cmd, home: _HomeIndex) -> str | None:
    """The device domain a command is about, when its slots say it."""
    for span in cmd.slots.get("name", []):
        domain = home.name_domain.get(" ".join(_text_of(draft, span).casefold().split()))
        if domain:
            return domain
    for span in cmd.slots.get("domain", []):
        domain = domain_of_word(_text_of(draft, span))
        if domain:
            return domain
    if cmd.slots.get("device_class"):
        return "cover"
    return None


def _spoken(names: tuple[str, ...], rng: random.Random) -> str:
    """A name as people say it: usually the name, sometimes an alias, mostly lower case."""
    name = names[0] if len(names) == 1 or rng.random() < 0.65 else rng.choice(names[1:])
    return name.lower() if rng.random() < 0.75 else name


def _new_words(text: str, label: str | None, span: int | None) -> list[_Tok]:
    return [_Tok(word, label, span) for word in text.split()]


# --- filler -----------------------------------------------------------------------------

FILLER_PREFIXES: tuple[str, ...] = (
    "please", "hey", "hey,", "um", "um,", "uh", "hey um", "ok", "ok,", "okay", "so", "so,",
    "could you", "can you", "would you", "could you please", "can you please", "hey could you",
    "excuse me,", "quick one,", "alright,", "hmm", "go ahead and", "i need you to",
    "i want you to", "yo", "please could you",
)
FILLER_SUFFIXES: tuple[str, ...] = (
    "please", "for me", "thanks", "thank you", "for me please", "please and thank you",
    "if you can", "thanks a lot", "cheers", "ta", "thx", "if you don't mind", "please thanks",
    "for me thanks", "thank you very much",
)
FILLER_INFIXES: tuple[str, ...] = ("um", "uh", "er", "erm", "like")


def _aug_filler(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    draft = source.copy()
    ops = rng.choice((("prefix",), ("suffix",), ("prefix", "suffix"), ("infix",), ("prefix", "infix")))
    done = False
    if "infix" in ops:
        # Between two words, never inside a slot value.
        gaps = [
            i for i in range(1, len(draft.toks))
            if draft.toks[i].label is not None and draft.toks[i - 1].label is not None
            and not (draft.toks[i].span == draft.toks[i - 1].span and draft.toks[i].label in _SLOTS)
            and draft.toks[i].space
        ]
        if gaps:
            i = rng.choice(gaps)
            draft.toks[i:i] = _new_words(rng.choice(FILLER_INFIXES), None, None)
            done = True
    if "suffix" in ops and draft.toks[-1].label not in _WILDCARD_SLOTS:
        suffix = rng.choice(FILLER_SUFFIXES)
        words = _new_words(suffix, None, None)
        if rng.random() < 0.3:
            words.insert(0, _Tok(",", None, None, space=False))
        draft.toks += words
        done = True
    if "prefix" in ops and draft.toks[0].label not in _WILDCARD_SLOTS:
        prefix = rng.choice(FILLER_PREFIXES)
        words: list[_Tok] = []
        for word in prefix.split():
            if word.endswith(",") and len(word) > 1:
                words += [_Tok(word[:-1]), _Tok(",", space=False)]
            else:
                words.append(_Tok(word))
        draft.toks[0:0] = words
        done = True
    return draft if done else None


# --- word-order fragments ----------------------------------------------------------------

# Key words that still vote for the intent once the rest of the carrier words are gone,
# by the domain of the target (None: any other, e.g. lights, switches, fans, media).
_FRAGMENT_KEYS: dict[str, dict[str | None, tuple[str, ...]]] = {
    "HassTurnOn": {"cover": ("open", "up"), "valve": ("open", "on"), "lock": (), "scene": (),
                   "script": (), "climate": ("on",), None: ("on",)},
    "HassTurnOff": {"cover": ("close", "down", "shut"), "valve": ("off", "close", "shut"),
                    "lock": (), None: ("off",)},
    "HassMediaPause": {None: ("pause",)},
    "HassMediaUnpause": {None: ("resume", "unpause")},
    "HassMediaNext": {None: ("next", "skip", "next track")},
    "HassMediaPrevious": {None: ("previous", "back", "previous track")},
    "HassMediaPlayerMute": {None: ("mute",)},
    "HassMediaPlayerUnmute": {None: ("unmute",)},
    "HassVacuumStart": {None: ("start", "go")},
    "HassVacuumReturnToBase": {None: ("dock", "home", "back to base")},
    "HassLawnMowerStartMowing": {None: ("start", "mow")},
    "HassLawnMowerDock": {None: ("dock", "home")},
}
# Intents whose fragments carry a value: (value slot, words before the value, units).
_VALUE_FRAGMENTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "HassLightSet": ("brightness", ("to", "brightness", "brightness to", "at"), ("%", "percent")),
    "HassSetPosition": ("position", ("to", "", "at"), ("%", "percent")),
    "HassFanSetSpeed": ("percentage", ("to", "speed", "speed to", "at"), ("%", "percent")),
    "HassSetVolume": ("volume_level", ("volume", "volume to", "volume at"), ("%", "percent", "")),
    "HassClimateSetTemperature": ("temperature", ("to", "", "at"), ("degrees", "°", "")),
}
_COLOR_FRAGMENT = ("to", "")


def _place_preposition(place: str, slot: str) -> list[str]:
    words = place.casefold().split()
    if words in (["upstairs"], ["downstairs"], ["outside"], ["inside"]):
        return []
    return ["on", "the"] if slot == "floor" and words[-1] in ("floor", "level", "storey") else ["in", "the"]


def _aug_fragment(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if len(source.cmds) != 1:
        return None
    cmd = source.cmds[0]
    intent = cmd.intent
    if any(len(v) != 1 for v in cmd.slots.values()):
        return None
    places = [s for s in ("area", "floor") if s in cmd.slots]
    devices = [s for s in ("name", "domain", "device_class") if s in cmd.slots]
    others = [s for s in cmd.slots if s not in places and s not in devices]
    if len(places) > 1:
        return None

    def slot_words(slot: str) -> list[_Tok]:
        first, last = source.span_range(cmd.slots[slot][0])
        words = [_Tok(t.text, t.label, t.span, t.space) for t in source.toks[first:last]]
        words[0].space = True
        return words

    # Devices in the order they were said.
    devices.sort(key=lambda s: source.span_range(cmd.slots[s][0])[0])
    device_words = [w for s in devices for w in slot_words(s)]
    place_slot = places[0] if places else None
    place_words = slot_words(place_slot) if place_slot else []
    place_text = " ".join(w.text for w in place_words)
    device_text = " ".join(w.text for w in device_words)
    label = _INTENT + intent
    next_id = source.next_id()

    def carrier(text: str, attach: bool = False) -> list[_Tok]:
        words = _new_words(text, label, next_id)
        if words and attach:
            words[0].space = False
        return words

    # Someone who says "kitchen light" in a home with a Kitchen Light means the device.
    area_then_device_ok = not (
        place_text and device_text
        and (f"{place_text} {device_text}".casefold() in pool.home.device_names
             or f" {place_text.casefold()} " in f" {device_text.casefold()} ")
    )

    if intent in _FRAGMENT_KEYS and not others:
        if not device_words:
            return None
        domain = _command_domain(source, cmd, pool.home)
        keys = _FRAGMENT_KEYS[intent].get(domain, _FRAGMENT_KEYS[intent].get(None, ()))
        if not keys:
            return None
        key_text = rng.choice(keys)
        key = carrier(key_text)
        preposition = _place_preposition(place_text, place_slot or "area")
        place_last = place_words and (not area_then_device_ok or rng.random() < 0.4)
        if place_last and preposition[:1] == [key_text.split()[-1]]:
            if not area_then_device_ok:  # "light on on the first floor"
                return None
            place_last = False
        if place_last:
            # "lights off in the kitchen"
            toks = device_words + key + carrier(" ".join(preposition)) + place_words
        elif place_words:
            toks = place_words + device_words + key  # "kitchen lights off"
        else:
            toks = device_words + key  # "garage door up"
    elif intent in _VALUE_FRAGMENTS or (intent == "HassLightSet" and others == ["color"]):
        if intent == "HassLightSet" and others == ["color"]:
            value_slot, befores, units = "color", _COLOR_FRAGMENT, ("",)
        else:
            value_slot, befores, units = _VALUE_FRAGMENTS[intent]
        if others != [value_slot] or not area_then_device_ok:
            return None
        value_words = slot_words(value_slot)
        numeric = parse_number(" ".join(w.text for w in value_words)) is not None
        before = rng.choice(befores)
        unit = rng.choice(units) if numeric and value_slot != "color" else ""
        if intent == "HassLightSet" and value_slot == "brightness" and not numeric:
            before = "to"
        if not before and not unit:
            before = befores[0] or "to"
        target = place_words + device_words
        if target and not device_words and intent in ("HassFanSetSpeed", "HassSetPosition"):
            # "bedroom 50%" is the bedroom lights (Home Assistant reads it so): a fan speed or
            # a cover position needs a word for the device.
            if intent == "HassSetPosition":
                return None
            before = rng.choice(("fan speed", "fan speed to", "fans to", "fan to"))
        if not target:
            if intent not in ("HassSetVolume", "HassClimateSetTemperature"):
                return None
            if intent == "HassClimateSetTemperature" and before in ("", "to", "at"):
                before = rng.choice(("temperature", "temperature to", "heat to", "temp"))
        toks = target + carrier(before) + value_words
        if unit:
            toks += carrier(unit, attach=unit in ("%", "°"))
    elif intent == "HassStartTimer" and len(others) == 1 and others[0] in ("hours", "minutes", "seconds") and not places + devices:
        value_words = slot_words(others[0])
        value = parse_number(" ".join(w.text for w in value_words))
        if value is None or value < 1 or value != int(value):
            return None
        unit = others[0][:-1] if value == 1 else others[0]
        toks = carrier(rng.choice(("timer", "timer for", "countdown"))) + value_words + carrier(unit)
    else:
        return None

    if not any(t.label == label for t in toks):
        return None
    toks[0].space = True
    new_slots = {slot: list(ids) for slot, ids in cmd.slots.items()}
    return _Draft(toks, [_Cmd(intent, new_slots, dict(cmd.context))])


# --- synonyms ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Synonym:
    intents: tuple[str, ...]
    old: tuple[str, ...]
    new: tuple[str, ...]  # each a phrase
    domains: frozenset[str | None] | None = None  # None: any
    needs_slot: str | None = None
    not_before: frozenset[str] = frozenset()  # the word after the match may not be one of these
    then: tuple[str, str] | None = None  # also replace the next carrier word `then[0]` with `then[1]`
    weight: float = 1.0  # rules that match very many sources would crowd out the rest


_ONISH = frozenset({"light", "switch", "fan", "media_player", "climate", "input_boolean", None})
SYNONYMS: tuple[_Synonym, ...] = (
    _Synonym(("HassTurnOn",), ("turn", "on"), ("power on", "flip on", "fire up", "put on", "start up"), _ONISH),
    _Synonym(("HassTurnOn",), ("switch", "on"), ("power on", "flip on", "click on"), _ONISH),
    _Synonym(("HassTurnOn",), ("turn",), ("power", "flip", "put"), _ONISH, not_before=frozenset({"on", "off", "up", "down"})),
    _Synonym(("HassTurnOn",), ("open",), ("raise", "roll up", "pull up", "lift"), frozenset({"cover"})),
    _Synonym(("HassTurnOn",), ("open",), ("turn on", "start"), frozenset({"valve"})),
    _Synonym(("HassTurnOn",), ("lock",), ("secure", "bolt"), frozenset({"lock"})),
    _Synonym(("HassTurnOn",), ("activate",), ("trigger", "start", "run", "fire off"), frozenset({"scene", "script"})),
    _Synonym(("HassTurnOn",), ("run",), ("execute", "start", "kick off"), frozenset({"script"})),
    _Synonym(("HassTurnOff",), ("turn", "off"), ("shut off", "power off", "kill", "cut", "power down", "flip off", "shut down"), _ONISH),
    _Synonym(("HassTurnOff",), ("switch", "off"), ("shut off", "power off", "kill", "flip off"), _ONISH),
    _Synonym(("HassTurnOff",), ("turn",), ("shut", "power", "flip"), _ONISH, not_before=frozenset({"on", "off", "up", "down"})),
    _Synonym(("HassTurnOff",), ("close",), ("lower", "shut", "roll down", "pull down", "draw"), frozenset({"cover"})),
    _Synonym(("HassTurnOff",), ("close",), ("shut", "turn off", "shut off"), frozenset({"valve"})),
    _Synonym(("HassTurnOff",), ("unlock",), ("unbolt", "unlatch"), frozenset({"lock"})),
    _Synonym(("HassLightSet",), ("set",), ("dim", "bring", "put", "drop", "adjust"), needs_slot="brightness"),
    _Synonym(("HassLightSet",), ("set",), ("make", "change", "switch"), needs_slot="color"),
    _Synonym(("HassLightSet",), ("turn",), ("dim", "bring"), needs_slot="brightness"),
    _Synonym(("HassSetVolumeRelative",), ("turn", "up"), ("crank up", "bump up", "pump up", "bring up")),
    _Synonym(("HassSetVolumeRelative",), ("turn", "down"), ("bring down", "dial down", "knock down")),
    _Synonym(("HassSetVolumeRelative",), ("increase",), ("boost", "raise", "bump")),
    _Synonym(("HassSetVolumeRelative",), ("decrease",), ("lower", "reduce", "drop")),
    _Synonym(("HassSetVolume",), ("set",), ("put", "bring", "adjust")),
    _Synonym(("HassClimateSetTemperature",), ("set",), ("put", "bring", "adjust", "crank")),
    _Synonym(("HassSetPosition",), ("set",), ("move", "put", "bring", "adjust")),
    _Synonym(("HassFanSetSpeed",), ("set",), ("put", "bring", "run", "crank")),
    _Synonym(("HassMediaPlayerMute",), ("mute",), ("silence", "shush", "hush")),
    _Synonym(("HassMediaNext",), ("next", "track"), ("next song", "next tune", "next one")),
    _Synonym(("HassMediaPrevious",), ("previous", "track"), ("previous song", "last song", "last track")),
    _Synonym(("HassMediaPause",), ("pause",), ("hold", "freeze")),
    _Synonym(("HassVacuumStart",), ("start",), ("run", "launch", "kick off", "fire up")),
    _Synonym(("HassVacuumStart", "HassVacuumCleanArea"), ("vacuum",), ("hoover",)),
    _Synonym(("HassVacuumStart", "HassVacuumCleanArea"), ("clean",), ("hoover", "tidy")),
    _Synonym(("HassStartTimer", "HassCancelTimer", "HassTimerStatus", "HassPauseTimer",
              "HassUnpauseTimer", "HassIncreaseTimer", "HassDecreaseTimer"), ("timer",), ("countdown",), weight=0.15),
    _Synonym(("HassCancelAllTimers",), ("timers",), ("countdowns",), weight=0.3),
    _Synonym(("HassCancelTimer", "HassCancelAllTimers"), ("cancel",), ("kill", "scrap", "abort", "drop")),
    _Synonym(("HassGetState", "HassGetWeather", "HassClimateGetTemperature", "HassGetCurrentTime",
              "HassGetCurrentDate"), ("what", "is"), ("what's", "whats"), weight=0.4),
    _Synonym(("HassGetState", "HassGetWeather", "HassClimateGetTemperature", "HassGetCurrentTime",
              "HassGetCurrentDate"), ("what's",), ("what is", "whats"), weight=0.4),
    _Synonym(("HassGetWeather",), ("weather",), ("forecast", "weather forecast")),
    _Synonym(("HassShoppingListAddItem", "HassListAddItem"), ("add",), ("put", "stick", "throw"), then=("to", "on")),
    _Synonym(("HassMediaUnpause",), ("resume",), ("continue", "restart")),
)


def _aug_synonym(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    owners = source.command_of()
    domains = [_command_domain(source, cmd, pool.home) for cmd in source.cmds]
    toks = source.toks
    candidates: list[tuple[int, _Synonym]] = []
    for i, tok in enumerate(toks):
        if not (tok.label and tok.label.startswith(_INTENT)):
            continue
        intent = tok.label[len(_INTENT):]
        command = owners[i]
        for rule in SYNONYMS:
            n = len(rule.old)
            if intent not in rule.intents or i + n > len(toks):
                continue
            if any(toks[i + k].label != tok.label or toks[i + k].text.lower() != rule.old[k] for k in range(n)):
                continue
            if command >= len(source.cmds):
                continue
            if rule.domains is not None and domains[command] not in rule.domains:
                continue
            if rule.needs_slot and rule.needs_slot not in source.cmds[command].slots:
                continue
            if i + n < len(toks) and toks[i + n].text.lower() in rule.not_before:
                continue
            candidates.append((i, rule))
    if not candidates:
        return None
    [(i, rule)] = rng.choices(candidates, weights=[rule.weight for _, rule in candidates])
    if rng.random() > rule.weight:  # a source where only a low-weight rule applies is often skipped
        return None
    draft = source.copy()
    old = draft.toks[i]
    new = _new_words(rng.choice(rule.new), old.label, old.span)
    new[0].space = old.space
    if old.text[:1].isupper():
        new[0].text = new[0].text[:1].upper() + new[0].text[1:]
    draft.toks[i : i + len(rule.old)] = new
    if rule.then:
        for tok in draft.toks[i + len(new):]:
            if tok.label == old.label and tok.text.lower() == rule.then[0]:
                tok.text = rule.then[1]
                break
    return draft


# --- typos ------------------------------------------------------------------------------

_KEYBOARD = {
    "q": "wa", "w": "qase", "e": "wsdr", "r": "edft", "t": "rfgy", "y": "tghu", "u": "yhji",
    "i": "ujko", "o": "iklp", "p": "ol", "a": "qwsz", "s": "awedxz", "d": "serfcx",
    "f": "drtgvc", "g": "ftyhbv", "h": "gyujnb", "j": "huikmn", "k": "jiolm", "l": "kop",
    "z": "asx", "x": "zsdc", "c": "xdfv", "v": "cfgb", "b": "vghn", "n": "bhjm", "m": "njk",
}


def typo(word: str, rng: random.Random) -> str | None:
    """One typo in ``word``: two letters swapped, one dropped or doubled, or a neighbour key."""
    if len(word) < 3:
        return None
    for _ in range(10):
        kind = rng.choice(("swap", "drop", "double", "neighbour"))
        # The first letter is right far more often than the rest.
        i = rng.randrange(1, len(word)) if rng.random() < 0.9 else 0
        if kind == "swap" and i < len(word) - 1 and word[i] != word[i + 1]:
            result = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif kind == "drop" and len(word) >= 4:
            result = word[:i] + word[i + 1 :]
        elif kind == "double":
            result = word[:i] + word[i] + word[i:]
        elif kind == "neighbour" and word[i].lower() in _KEYBOARD:
            key = rng.choice(_KEYBOARD[word[i].lower()])
            result = word[:i] + (key.upper() if word[i].isupper() else key) + word[i + 1 :]
        else:
            continue
        if result != word:
            return result
    return None


def _aug_typo(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    draft = source.copy()
    weights: list[tuple[int, float]] = []
    for i, tok in enumerate(draft.toks):
        if not (tok.text.isalpha() and len(tok.text) >= 3) or tok.label == _SEP:
            continue
        if tok.label in ("name", "area", "floor"):
            weights.append((i, 3.0))
        elif tok.label and tok.label.startswith(_INTENT):
            weights.append((i, 1.5))
        elif tok.label in _SLOTS and tok.label not in _NUMBER_SLOTS:
            weights.append((i, 1.0))
    if not weights:
        return None
    wanted = 1 if rng.random() < 0.7 or len(weights) == 1 else 2
    done = 0
    while weights and done < wanted:
        [(i, _)] = rng.choices(weights, weights=[w for _, w in weights])
        weights = [(j, w) for j, w in weights if j != i]
        changed = typo(draft.toks[i].text, rng)
        if changed:
            draft.toks[i].text = changed
            done += 1
    return draft if done else None


# --- speech-to-text slips -----------------------------------------------------------------

HOMOPHONES: dict[str, tuple[str, ...]] = {
    "for": ("four",), "to": ("two", "too"), "too": ("to", "two"), "light": ("lite",),
    "lights": ("lites",), "right": ("write",), "off": ("of",), "here": ("hear",),
    "weather": ("whether",), "by": ("buy", "bye"), "there": ("their",), "hour": ("our",),
    "our": ("hour", "are"), "see": ("sea",), "be": ("bee",), "pause": ("paws",),
    "know": ("no",), "new": ("knew",), "blinds": ("blind's",), "tea": ("tee",), "heat": ("heet",),
    "its": ("it's",), "it's": ("its",), "mute": ("moot",), "dim": ("them",), "write": ("right",),
}
_HOMOPHONE_SLOTS = frozenset({"name", "area", "domain"})
_DROPPABLE = frozenset({"the", "a", "an", "my", "our", "is", "of"})
_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
_NUMBER_WORDS = frozenset({*_ONES, *_TENS.values(), "hundred", "and", "point"})


def number_to_words(value: float, rng: random.Random) -> str | None:
    """A number as speech-to-text writes it ("seventy-five", "twenty one point five"); None past 999."""
    if value < 0 or value >= 1000 or (value * 2) != int(value * 2):
        return None
    whole = int(value)
    hyphen = rng.random() < 0.5

    def words(n: int) -> str:
        if n < 20:
            return _ONES[n]
        if n < 100:
            tens, ones = divmod(n, 10)
            return _TENS[tens] + (("-" if hyphen else " ") + _ONES[ones] if ones else "")
        hundreds, rest = divmod(n, 100)
        head = ("a" if hundreds == 1 and rng.random() < 0.3 else _ONES[hundreds]) + " hundred"
        return head + ((" and " if rng.random() < 0.3 else " ") + words(rest) if rest else "")

    return words(whole) + (" point five" if value != whole else "")


def words_to_digits(text: str) -> str | None:
    """Number words as digits ("twenty one" -> "21"); None for anything else."""
    if re.search(r"\d", text):
        return None
    words = text.lower().replace("-", " ").split()
    if words[:2] == ["a", "hundred"]:  # "a hundred and twelve"
        words = words[1:]
    if not words or any(w not in _NUMBER_WORDS for w in words) or words[0] in ("and", "point"):
        return None
    value = parse_number(text)
    if value is None:
        return None
    return str(int(value)) if value == int(value) else str(value)


def _number_op(draft: _Draft, rng: random.Random) -> Callable[[], None] | None:
    spans = [t.span for t in draft.toks if t.label in _NUMBER_SLOTS]
    choices = []
    for span in dict.fromkeys(spans):
        assert span is not None
        text = _text_of(draft, span)
        if re.fullmatch(r"\d+(\.5|\.0)?", text):
            new = number_to_words(float(text), rng)
        else:
            new = words_to_digits(text)
        if new and new != text:
            choices.append((span, new))
    if not choices:
        return None
    span, new = rng.choice(choices)

    def apply() -> None:
        first, last = draft.span_range(span)
        old = draft.toks[first]
        words = _new_words(new, old.label, span)
        words[0].space = old.space
        draft.toks[first:last] = words

    return apply


def _unit_op(draft: _Draft, rng: random.Random) -> Callable[[], None] | None:
    pairs = {"%": "percent", "percent": "%", "°": "degrees", "degrees": "°"}
    places = [
        i for i, t in enumerate(draft.toks)
        if t.text.lower() in pairs and t.label and t.label.startswith(_INTENT)
        and i > 0 and draft.toks[i - 1].label in _NUMBER_SLOTS
    ]
    if not places:
        return None
    i = rng.choice(places)

    def apply() -> None:
        tok = draft.toks[i]
        tok.text = pairs[tok.text.lower()]
        tok.space = tok.text not in ("%", "°")

    return apply


def _homophone_op(draft: _Draft, rng: random.Random) -> Callable[[], None] | None:
    places = [
        i for i, t in enumerate(draft.toks)
        if t.text.lower() in HOMOPHONES
        and (t.label is None or t.label.startswith(_INTENT) or t.label in _HOMOPHONE_SLOTS)
    ]
    if not places:
        return None
    i = rng.choice(places)

    def apply() -> None:
        tok = draft.toks[i]
        new = rng.choice(HOMOPHONES[tok.text.lower()])
        tok.text = new.capitalize() if tok.text[:1].isupper() else new

    return apply


def _drop_op(draft: _Draft, rng: random.Random) -> Callable[[], None] | None:
    counts = draft.carriers_per_command()
    owners = draft.command_of()
    places = [
        i for i, t in enumerate(draft.toks)
        if t.text.lower() in _DROPPABLE and (t.label is None or t.label.startswith(_INTENT))
        and 0 < i and not (t.label and owners[i] < len(counts) and counts[owners[i]] < 2)
    ]
    if not places:
        return None
    i = rng.choice(places)

    def apply() -> None:
        space = draft.toks[i].space
        del draft.toks[i]
        if i < len(draft.toks):
            draft.toks[i].space = draft.toks[i].space or space

    return apply


def _aug_speech(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    draft = source.copy()
    makers = [_homophone_op, _drop_op, _number_op, _unit_op]
    rng.shuffle(makers)
    wanted = 1 if rng.random() < 0.6 else 2
    done = 0
    for make in makers:
        if done >= wanted:
            break
        op = make(draft, rng)
        if op is not None:
            op()
            done += 1
    if not done:
        return None
    if rng.random() < 0.5:  # speech-to-text rarely capitalises or punctuates
        for tok in draft.toks:
            tok.text = tok.text.lower()
    return draft


# --- casing and punctuation -----------------------------------------------------------------


def _aug_noise(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    draft = source.copy()
    casing = rng.choices(("upper", "title", "first", None), weights=(0.2, 0.25, 0.35, 0.2))[0]
    if casing == "upper":
        for tok in draft.toks:
            tok.text = tok.text.upper()
    elif casing == "title":
        for tok in draft.toks:
            tok.text = tok.text[:1].upper() + tok.text[1:]
    elif casing == "first":
        first = draft.toks[0]
        first.text = first.text[:1].upper() + first.text[1:]

    question = any(c.intent in _QUESTION_INTENTS for c in draft.cmds)
    if draft.toks[-1].label not in _WILDCARD_SLOTS and rng.random() < 0.75:
        marks = ("?", "?", "??", ".") if question else (".", "!", "!!", "?", "...")
        draft.toks.append(_Tok(rng.choice(marks), None, None, space=False))
    if rng.random() < 0.35:
        # A comma at a pause: after a leading filler word, or before a joining "and"/"then".
        places = [
            i for i in range(1, len(draft.toks))
            if (draft.toks[i].label == _SEP and draft.toks[i - 1].label != _SEP)
            or (draft.toks[i - 1].label is None and draft.toks[i].label is not None and i <= 3)
        ]
        places = [i for i in places if draft.toks[i - 1].text not in (",", ".", "!", "?")]
        if places:
            i = rng.choice(places)
            draft.toks.insert(i, _Tok(",", None, None, space=False))
    rendered = _render(draft, "noise")["text"]
    original = _render(source, "noise")["text"]
    return draft if rendered != original else None


# --- plural and singular --------------------------------------------------------------------

PLURALS: dict[str, str] = {
    "light": "lights", "lamp": "lamps", "fan": "fans", "switch": "switches", "blind": "blinds",
    "curtain": "curtains", "shade": "shades", "shutter": "shutters", "awning": "awnings",
    "window": "windows", "door": "doors", "gate": "gates", "lock": "locks", "valve": "valves",
    "speaker": "speakers", "tv": "tvs", "vacuum": "vacuums", "thermostat": "thermostats",
    "sensor": "sensors", "outlet": "outlets", "plug": "plugs", "heater": "heaters",
    "strip": "strips", "bulb": "bulbs", "spotlight": "spotlights", "downlight": "downlights",
    "sconce": "sconces", "socket": "sockets", "cover": "covers", "pendant": "pendants",
    "lantern": "lanterns", "sprinkler": "sprinklers",
}
_SINGULARS = {plural: singular for singular, plural in PLURALS.items() if plural != singular}


def _aug_plural(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    places = []
    for i, tok in enumerate(source.toks):
        word = tok.text.lower()
        if tok.label in ("name", "domain", "device_class") and (word in PLURALS or word in _SINGULARS):
            places.append(i)
    if not places:
        return None
    draft = source.copy()
    i = rng.choice(places)
    tok = draft.toks[i]
    word = tok.text.lower()
    to_plural = word in PLURALS
    new = PLURALS[word] if to_plural else _SINGULARS[word]
    if tok.text in ("TV", "TVs"):
        tok.text = "TVs" if to_plural else "TV"
    elif tok.text.isupper() and len(tok.text) > 1:
        tok.text = new.upper()
    else:
        tok.text = new.capitalize() if tok.text[:1].isupper() else new
    # Keep the verb in agreement when it is right before the target: "is the light" / "are the lights".
    for j in range(i - 1, max(-1, i - 5), -1):
        other = draft.toks[j]
        if other.label is not None and not other.label.startswith(_INTENT) and other.span != tok.span:
            break
        agreement = {"is": "are", "are": "is", "was": "were", "were": "was"}
        if other.text.lower() in agreement and other.label and other.label.startswith(_INTENT):
            if (other.text.lower() in ("is", "was")) == to_plural:
                other.text = agreement[other.text.lower()]
            break
    return draft


# --- compounds ----------------------------------------------------------------------------

_SHARED_NAME_INTENTS = frozenset({
    "HassTurnOn", "HassTurnOff", "HassLightSet", "HassSetPosition", "HassFanSetSpeed",
    "HassMediaPause", "HassMediaUnpause", "HassMediaPlayerMute", "HassMediaPlayerUnmute",
    "HassClimateSetTemperature", "HassSetVolume", "HassVacuumStart",
})
_SHARED_PLACE_INTENTS = frozenset({
    "HassTurnOn", "HassTurnOff", "HassLightSet", "HassSetPosition", "HassFanSetSpeed",
    "HassClimateSetTemperature", "HassVacuumCleanArea", "HassMediaPause", "HassGetState",
    "HassClimateGetTemperature",
})
# (joiner words, which of them are tagged sep; a comma alone is the separator in "A, B and C").
_TWO_JOINERS: tuple[tuple[str, str], ...] = (
    ("and also", "and also"), ("also", "also"), ("and after that", "and after that"),
    ("after that", "after that"), ("and then also", "and then also"), ("plus", "plus"),
)


def _shared_names(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if len(source.cmds) != 1:
        return None
    cmd = source.cmds[0]
    if cmd.intent not in _SHARED_NAME_INTENTS or len(cmd.slots.get("name", [])) != 1:
        return None
    if any(slot in cmd.slots for slot in ("area", "floor")):
        return None
    span = cmd.slots["name"][0]
    said = " ".join(_text_of(source, span).casefold().split())
    domain = pool.home.name_domain.get(said)
    if domain is None:
        return None
    others = [
        names for names in pool.home.names_by_domain.get(domain, [])
        if all(f" {n.casefold()} " not in f" {said} " and f" {said} " not in f" {n.casefold()} " for n in names)
    ]
    if not others:
        return None
    extra = rng.sample(others, min(len(others), 2 if rng.random() < 0.25 else 1))
    draft = source.copy()
    first, last = draft.span_range(span)
    with_the = first > 0 and draft.toks[first - 1].text.lower() == "the"
    label = _INTENT + cmd.intent
    new_id = draft.next_id()
    insert: list[_Tok] = []
    ids = [span]
    for k, names in enumerate(extra):
        # "A and B", "A, B and C": the list's commas and "and" are O, not separators.
        insert.append(_Tok(",", None, None, space=False) if k < len(extra) - 1 else _Tok("and"))
        if with_the and rng.random() < 0.75:
            insert.append(_Tok("the", label, new_id))
            new_id += 1
        insert += _new_words(_spoken(names, rng), "name", new_id)
        ids.append(new_id)
        new_id += 1
    draft.toks[last:last] = insert
    draft.cmds[0].slots["name"] = ids
    return draft


def _shared_places(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if len(source.cmds) != 1:
        return None
    cmd = source.cmds[0]
    if cmd.intent not in _SHARED_PLACE_INTENTS or "name" in cmd.slots:
        return None
    slots = [s for s in ("area", "floor") if s in cmd.slots]
    if len(slots) != 1 or len(cmd.slots[slots[0]]) != 1:
        return None
    slot = slots[0]
    span = cmd.slots[slot][0]
    said = " ".join(_text_of(source, span).casefold().split())
    places = pool.home.areas if slot == "area" else pool.home.floors
    others = [names for names in places if said not in (n.casefold() for n in names)]
    if not others:
        return None
    names = rng.choice(others)
    new_text = _spoken(names, rng)
    draft = source.copy()
    first, last = draft.span_range(span)
    label = _INTENT + cmd.intent
    following = draft.toks[last] if last < len(draft.toks) else None
    new_id = draft.next_id()
    insert = [_Tok("and")]
    if following is not None and following.label in ("domain", "device_class"):
        # "the kitchen and living room lights": the device word follows both places.
        if f"{new_text} {_text_of(draft, following.span)}".casefold() in pool.home.device_names:  # type: ignore[arg-type]
            return None
    elif first > 0 and draft.toks[first - 1].text.lower() == "the" and rng.random() < 0.7:
        insert.append(_Tok("the", label, new_id + 1))
    insert += _new_words(new_text, slot, new_id)
    draft.toks[last:last] = insert
    draft.cmds[0].slots[slot] = [span, new_id]
    return draft


def _join(parts: list[_Draft], joiners: list[list[_Tok]]) -> _Draft:
    toks: list[_Tok] = []
    cmds: list[_Cmd] = []
    offset = 0
    for k, part in enumerate(parts):
        if k:
            for tok in joiners[k - 1]:
                if tok.label == _SEP:
                    tok.span = offset
            offset += 1
            toks += joiners[k - 1]
        shifted = part.shifted(offset)
        if k:
            shifted.toks[0].space = True
        offset = shifted.next_id()
        toks += shifted.toks
        cmds += shifted.cmds
    return _Draft(toks, cmds)


def _joiner(text: str, sep_words: str) -> list[_Tok]:
    """Joiner words; the `sep_words` part is tagged sep (one span), the rest O."""
    words: list[_Tok] = []
    for word in text.split():
        if word.startswith(","):
            words.append(_Tok(",", None, None, space=False))
            word = word[1:]
            if not word:
                continue
        words.append(_Tok(word))
    if sep_words == ",":
        for tok in words:
            if tok.text == ",":
                tok.label = _SEP
        return words
    sep = sep_words.split()
    for i in range(len(words) - len(sep) + 1):
        if [w.text for w in words[i : i + len(sep)]] == sep:
            for tok in words[i : i + len(sep)]:
                tok.label = _SEP
            break
    return words


def _several_commands(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if not _is_single(source) or len(pool.singles) < 3:
        return None
    if rng.random() < 0.65:
        others = pool.some_singles(rng, 2)
        pattern = rng.choices(
            (((",", ","), ("and then", "and then")),
             ((",", ","), (", and", "and")),
             (("then", "then"), ("and then", "and then")),
             (("and", "and"), ("and then", "and then")),
             ((",", ","), ("then", "then")),
             ((",", ","), ("and", "and"))),
            weights=(0.35, 0.15, 0.15, 0.1, 0.15, 0.1),
        )[0]
        joiners = [_joiner(*pattern[0]), _joiner(*pattern[1])]
    else:
        others = pool.some_singles(rng, 1)
        joiners = [_joiner(*rng.choice(_TWO_JOINERS))]
    return _join([source, *others], joiners)


# The compound mix: a list of names, a list of places, two or three commands.
_COMPOUND_PARTS = ((_shared_names, 0.35), (_shared_places, 0.25), (_several_commands, 0.4))


def _aug_compound(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    make = rng.choices([f for f, _ in _COMPOUND_PARTS], weights=[w for _, w in _COMPOUND_PARTS])[0]
    return make(source, pool, rng)


# --- out of domain --------------------------------------------------------------------------

# Words that would make an out-of-domain sentence look like a home command or one of HA's
# own intents (greetings, "never mind", time, weather ...).
_OOD_BLOCKED = re.compile(
    r"\b(?:lights?|lamps?|turn|switch\w*|on|off|open|close|shut|lock|unlock|set|dim|bright\w*|"
    r"temperature|temp|thermostat|heat\w*|cool\w*|fans?|blinds?|curtains?|doors?|windows?|"
    r"garage|tv|volume|play|pause|resume|skip|next|previous|mute|unmute|timers?|minutes?|"
    r"seconds?|hours?|weather|forecast|time|date|list|shopping|add|remove|vacuum|clean|mow\w*|"
    r"lawn|start|stop|cancel|never ?mind|hello|hi|who made you|what can i|listening|data|"
    r"announce|broadcast|music|song|radio|kitchen|bedroom|living|room|bathroom|office|garden|"
    r"upstairs|downstairs|floor|percent|degrees|speaker|scene|script|valve|sensor)\b",
    re.IGNORECASE,
)

_COUNTRIES = ("france", "japan", "brazil", "canada", "australia", "egypt", "norway", "kenya", "peru",
              "italy", "spain", "mexico", "india", "germany", "portugal", "chile")
_LANDMARKS = ("mount everest", "the eiffel tower", "the empire state building", "big ben",
              "the statue of liberty", "kilimanjaro", "the burj khalifa", "the great pyramid")
_BOOKS = ("hamlet", "pride and prejudice", "moby dick", "war and peace", "the hobbit",
          "don quixote", "frankenstein", "the odyssey", "jane eyre", "dracula")
_PEOPLE = ("albert einstein", "marie curie", "leonardo da vinci", "cleopatra", "isaac newton",
           "ada lovelace", "mozart", "shakespeare", "napoleon", "frida kahlo")
_ANIMALS = ("cats", "dogs", "penguins", "giraffes", "octopuses", "owls", "dolphins", "elephants",
            "hedgehogs", "koalas")
_FOODS = ("pancakes", "lasagna", "sourdough bread", "guacamole", "banana bread", "risotto",
          "apple pie", "fried rice", "hummus", "chili")
_TOPICS = ("football", "the roman empire", "black holes", "dinosaurs", "the ocean", "chess",
           "volcanoes", "the moon", "jazz history", "knitting", "photography", "philosophy")
_WORDS = ("serendipity", "ubiquitous", "ephemeral", "quixotic", "gregarious", "melancholy",
          "petrichor", "sonder", "ineffable", "laconic")
_LANGUAGES = ("french", "spanish", "german", "italian", "japanese", "dutch")
_ADJECTIVES = ("cute", "amazing", "weird", "funny", "smart", "overrated", "fascinating", "adorable")
_RELATIVES = ("mom", "dad", "sister", "brother", "aunt", "uncle", "grandma", "neighbor", "boss")
_WHENS = ("tomorrow", "tonight", "next week", "on friday", "this weekend", "later")
_WHENS = tuple(w for w in _WHENS if not _OOD_BLOCKED.search(w))

_OOD_PATTERNS: tuple[tuple[str, dict[str, tuple[str, ...]]], ...] = (
    ("what is the capital of {x}", {"x": _COUNTRIES}),
    ("what's the population of {x}", {"x": _COUNTRIES}),
    ("what language do they speak in {x}", {"x": _COUNTRIES}),
    ("how tall is {x}", {"x": _LANDMARKS}),
    ("where is {x}", {"x": _LANDMARKS}),
    ("who wrote {x}", {"x": _BOOKS}),
    ("is {x} worth reading", {"x": _BOOKS}),
    ("who was {x}", {"x": _PEOPLE}),
    ("when was {x} born", {"x": _PEOPLE}),
    ("why are {x} so {y}", {"x": _ANIMALS, "y": _ADJECTIVES}),
    ("i think {x} are {y}", {"x": _ANIMALS, "y": _ADJECTIVES}),
    ("how long do {x} live", {"x": _ANIMALS}),
    ("how do i make {x}", {"x": _FOODS}),
    ("what goes well with {x}", {"x": _FOODS}),
    ("i really feel like {x}", {"x": _FOODS}),
    ("tell me something about {x}", {"x": _TOPICS}),
    ("i was reading about {x} yesterday", {"x": _TOPICS}),
    ("do you know anything about {x}", {"x": _TOPICS}),
    ("what does {x} mean", {"x": _WORDS}),
    ("how do you spell {x}", {"x": _WORDS}),
    ("how do you say thank you in {x}", {"x": _LANGUAGES}),
    ("my {x} is coming over {y}", {"x": _RELATIVES, "y": _WHENS}),
    ("i have to call my {x} {y}", {"x": _RELATIVES, "y": _WHENS}),
    ("tell me a joke about {x}", {"x": _ANIMALS}),
)
_OOD_FIXED: tuple[str, ...] = (
    # chit-chat
    "how are you", "how are you doing today", "i'm so tired", "i'm bored", "that was a great movie",
    "you're funny", "i love you", "what's up", "good night", "good morning", "what are you doing",
    "do you like pizza", "are you a robot", "what's your favorite color", "i had a long day",
    "are you there", "can you hear me", "that's hilarious", "sing me a lullaby", "let's chat",
    "i'm hungry", "tell me a story", "what should i cook for dinner", "do you dream",
    "i don't feel like doing anything", "it was nice talking to you", "you are the best",
    "my cat just knocked over a glass", "guess what happened", "that's not what i meant",
    # questions about the world
    "why is the sky blue", "how far away is the sun", "how many legs does a spider have",
    "what is the speed of light in a vacuum", "who painted the mona lisa", "how deep is the ocean",
    "how many bones are in the human body", "what is the meaning of life", "who invented the telephone",
    "what's the square root of one hundred forty four", "how many continents are there",
    "what is photosynthesis", "who won the world cup", "how does a rainbow form",
    "how many planets are in the solar system", "what's the biggest animal in the world",
    "why do cats purr", "how old is the universe", "what is the tallest tree",
    # half-sentences
    "i was wondering if", "can you tell me", "what about the", "so i think we should", "and then the",
    "um so", "wait", "hmm", "hold on", "let me think", "actually no", "the thing is", "i meant",
    "sorry what", "is it", "how about", "where was i", "oh and", "uh huh", "yes", "no", "yeah",
    "nope", "maybe", "okay so", "and the", "what if we", "i need to", "could you maybe", "well",
    "the other", "just a", "one more", "so yeah", "hang on a sec",
    # non-English
    "wie geht es dir", "ich habe hunger", "ich verstehe das nicht", "guten morgen", "danke schön",
    "bonjour comment ça va", "je ne sais pas", "où est la gare", "merci beaucoup", "c'est la vie",
    "buenos días", "muchas gracias", "¿dónde está la biblioteca?", "no entiendo", "me llamo juan",
    "come stai", "dov'è il bagno", "grazie mille", "ik weet het niet", "hoe gaat het met je",
    "obrigado", "tudo bem", "jag förstår inte", "dziękuję bardzo", "dobrý den", "ohayou gozaimasu",
    "arigatou", "hvordan har du det", "kiitos paljon", "selamat pagi",
)
_RANDOM_WORDS: tuple[str, ...] = (
    "banana", "purple", "elephant", "seventeen", "carpet", "moon", "whistle", "pancake", "river",
    "bicycle", "orange", "thunder", "pencil", "giraffe", "cloud", "marble", "tiger", "velvet",
    "oak", "saxophone", "penguin", "lemon", "galaxy", "ladder", "violet", "anchor", "muffin",
    "cactus", "umbrella", "jelly", "piano", "rocket", "puzzle", "kettle", "pirate", "noodle",
)


def out_of_domain_sentences() -> list[str]:
    """The built-in out-of-domain sentences (a few hundred), none of them a home command."""
    sentences: list[str] = list(_OOD_FIXED)
    for pattern, fills in _OOD_PATTERNS:
        keys = sorted(fills)
        combos: list[dict[str, str]] = [{}]
        for key in keys:
            combos = [{**c, key: value} for c in combos for value in fills[key]]
        sentences += [pattern.format(**c) for c in combos]
    return sorted({s for s in sentences if not _OOD_BLOCKED.search(s)})


_OOD_SENTENCES = out_of_domain_sentences()


def _aug_ood(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    for _ in range(20):
        if rng.random() < 0.8:
            sentence = rng.choice(_OOD_SENTENCES)
        else:
            sentence = " ".join(rng.sample(_RANDOM_WORDS, rng.randint(1, 4)))
        padded = f" {sentence.casefold()} "
        if not any(f" {phrase} " in padded for phrase in pool.home.phrases):
            break
    else:
        return None
    toks = _new_words(sentence, None, None)
    if rng.random() < 0.35:
        toks[0].text = toks[0].text[:1].upper() + toks[0].text[1:]
    if rng.random() < 0.3 and toks[-1].text[-1:].isalpha():
        toks.append(_Tok(rng.choice(("?", ".", "!")), space=False))
    return _Draft(toks, [])


# --- the mix ----------------------------------------------------------------------------

Augmenter = Callable[[_Draft, _Pool, random.Random], "_Draft | None"]
AUGMENTERS: dict[str, Augmenter] = {
    "filler": _aug_filler,
    "fragment": _aug_fragment,
    "synonym": _aug_synonym,
    "typo": _aug_typo,
    "speech": _aug_speech,
    "noise": _aug_noise,
    "plural": _aug_plural,
    "compound": _aug_compound,
    "ood": _aug_ood,
}
assert set(AUGMENTERS) == set(AUGMENTATIONS)


def _quotas(count: int) -> dict[str, int]:
    """``count`` split by the shares, largest remainders first, so the parts add up."""
    exact = {kind: count * share / sum(AUGMENTATIONS.values()) for kind, share in AUGMENTATIONS.items()}
    quotas = {kind: int(value) for kind, value in exact.items()}
    rest = count - sum(quotas.values())
    for kind in sorted(exact, key=lambda k: (quotas[k] - exact[k], k))[:rest]:
        quotas[kind] += 1
    return quotas


def _sources(examples: Iterable[dict[str, Any]]) -> list[_Draft]:
    drafts = []
    for example in examples:
        if example.get("source", "template") != "template" or not example.get("commands"):
            continue
        draft = _parse(example)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _attempt(
    kind: str, source: _Draft, pool: _Pool, rng: random.Random, augmenter: Augmenter | None = None
) -> dict[str, Any] | None:
    """One try of one kind (or one part of it) on one source: a valid example, or None."""
    try:
        draft = (augmenter or AUGMENTERS[kind])(source, pool, rng)
        if draft is None:
            return None
        example = _render(draft, kind)
        validate_example(example)
    except (_Invalid, ValueError):
        return None
    return example


# Tries of one kind on random sources before it counts as inapplicable to this data: a kind
# that applies to one source in twenty still almost never runs out (0.95**200 ~ 3e-5).
_TRIES = 200


def augment_examples(
    examples: list[dict[str, Any]], home: Home, count: int, seed: int
) -> list[dict[str, Any]]:
    """``count`` new examples derived from the template examples among ``examples``.

    The same inputs and seed give the same examples. The mix follows ``AUGMENTATIONS``;
    each example says its kind in ``"augmentation"``. ``examples`` is not modified.
    """
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    if count == 0:
        return []
    sources = _sources(examples)
    if not sources:
        raise ValueError("augmentation needs template examples to start from; none were given")
    pool = _Pool(sources, _HomeIndex.build(home))
    rng = random.Random(seed)
    plan = [kind for kind, n in _quotas(count).items() for _ in range(n)]
    rng.shuffle(plan)

    out: list[dict[str, Any]] = []
    dead: set[Augmenter] = set()  # what no source took in _TRIES tries
    for k, kind in enumerate(plan):
        example = None
        tries: list[tuple[str, Augmenter]] = []
        if kind == "compound":
            # Each compound part keeps its share, though some apply to fewer sources.
            part = rng.choices([f for f, _ in _COMPOUND_PARTS], weights=[w for _, w in _COMPOUND_PARTS])[0]
            tries.append((kind, part))
        tries.append((kind, AUGMENTERS[kind]))
        tries += [(f, AUGMENTERS[f]) for f in (_FALLBACK_KINDS[k % 2], _FALLBACK_KINDS[(k + 1) % 2])]
        for attempt_kind, augmenter in tries:
            if augmenter in dead:
                continue
            for _ in range(_TRIES):
                example = _attempt(attempt_kind, rng.choice(sources), pool, rng, augmenter)
                if example is not None:
                    break
            if example is not None:
                break
            dead.add(augmenter)
        if example is None:  # only when no source can take even a filler word
            raise ValueError("could not augment these examples")
        out.append(example)
    return out


def augment_one(
    example: dict[str, Any], kind: str, home: Home, seed: int, pool: list[dict[str, Any]] | None = None
) -> dict[str, Any] | None:
    """One augmentation of one example (None when ``kind`` does not apply to it).

    ``pool``: more template examples that ``compound`` may join it with.
    """
    if kind not in AUGMENTERS:
        raise ValueError(f"unknown augmentation {kind!r}; known: {', '.join(AUGMENTERS)}")
    source = _parse(example)
    if source is None:
        return None
    drafts = [source, *_sources(pool or [])]
    return _attempt(kind, source, _Pool(drafts, _HomeIndex.build(home)), random.Random(seed))
