"""The word list every edit works on, and what the augmenters know about the home."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from home_brain_nlu.labels import SLOTS
from home_brain_nlu.vocabulary import domain_of_word

from ..generate import clean_name
from ..home import Home


SOURCE = "augment"


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
    # Said with a pronoun ("... and set it to 40%"): its targets are the previous command's.
    refers_back: bool = False


@dataclass(slots=True)
class _Draft:
    """An example being edited: words and commands."""

    toks: list[_Tok]
    cmds: list[_Cmd]

    def copy(self) -> _Draft:
        return _Draft(
            [_Tok(t.text, t.label, t.span, t.space) for t in self.toks],
            [_Cmd(c.intent, {k: list(v) for k, v in c.slots.items()}, dict(c.context), c.refers_back)
             for c in self.cmds],
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

    def span_words(self, span: int) -> list[_Tok]:
        """Copies of a span's words, the first spaced: ready to say somewhere else."""
        first, last = self.span_range(span)
        words = [_Tok(t.text, t.label, t.span, t.space) for t in self.toks[first:last]]
        words[0].space = True
        return words

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
        if cmd.refers_back and commands:
            for slot in _TARGET_SLOTS:
                if slot in commands[-1]["slots"] and slot not in slots:
                    slots[slot] = list(commands[-1]["slots"][slot])
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
