"""Reading, writing, checking and summarising labelled examples (JSON lines).

One example per line, as made by ``generate.generate_examples``::

    {"text": "...", "spans": [{"start": 0, "end": 11, "label": "intent:HassTurnOn"}, ...],
     "commands": [{"intent": "HassTurnOn", "slots": {"name": ["kitchen light"]}, "context": {}}],
     "source": "template"}

Span labels are ``intent:<Intent>`` (a carrier word of a command), ``sep`` (a word joining
two commands) or a slot name from ``home_brain_nlu.labels.SLOTS``; characters outside every
span are filler (label O). An example with ``"commands": []`` is no command at all ("who
wrote hamlet"): every word is O, so it has no spans. Augmented examples (``augment.py``) say
their kind in ``"augmentation"``.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from home_brain_nlu.labels import SLOTS

_LOGGER = logging.getLogger(__name__)

INTENT_PREFIX = "intent:"
SEP = "sep"
_SLOTS = frozenset(SLOTS)


def write_jsonl(path: str | Path, examples: Iterable[dict[str, Any]]) -> None:
    """Write examples one per line (UTF-8, names unescaped so files stay readable)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for example in examples:
            handle.write(json.dumps(example, ensure_ascii=False) + "\n")


def read_jsonl(
    path: str | Path, *, strict: bool = False, errors: list[str] | None = None
) -> list[dict[str, Any]]:
    """Read examples; a malformed line is skipped (or, with ``strict``, raises ValueError).

    Skipped lines are logged with their count; pass a list as ``errors`` to get one
    ``"<path>:<line>: <reason>"`` message per skipped line. Blank lines are ignored.
    """
    path = Path(path)
    examples: list[dict[str, Any]] = []
    skipped: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                example = json.loads(line)
                validate_example(example)
            except (json.JSONDecodeError, ValueError) as err:
                message = f"{path}:{number}: {err}"
                if strict:
                    raise ValueError(message) from err
                skipped.append(message)
                continue
            examples.append(example)
    if skipped:
        _LOGGER.warning("%s: skipped %d malformed line(s), first: %s", path, len(skipped), skipped[0])
        if errors is not None:
            errors.extend(skipped)
    return examples


def label_ok(label: str) -> bool:
    """Whether a span label belongs to the schema (``intent:X``, ``sep`` or a slot)."""
    return (
        label == SEP
        or label in _SLOTS
        or (label.startswith(INTENT_PREFIX) and len(label) > len(INTENT_PREFIX))
    )


def validate_example(example: Any) -> None:
    """Raise ValueError saying what is wrong with an example; return None when it is sound."""
    if not isinstance(example, dict):
        raise ValueError(f"an example must be an object, got {type(example).__name__}")
    text = example.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"'text' must be a non-empty string, got {text!r}")
    spans = example.get("spans")
    if not isinstance(spans, list):
        raise ValueError(f"'spans' must be a list, got {type(spans).__name__}")

    texts_by_label: dict[str, list[str]] = {}
    previous_end = 0
    for i, span in enumerate(spans):
        if not isinstance(span, dict):
            raise ValueError(f"spans[{i}] must be an object, got {span!r}")
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
            raise ValueError(f"spans[{i}]: start/end must be integers, got {start!r}/{end!r}")
        if not 0 <= start < end <= len(text):
            raise ValueError(
                f"spans[{i}]: [{start}, {end}) is empty or outside the text (length {len(text)})"
            )
        if start < previous_end:
            raise ValueError(f"spans[{i}] starts at {start}, inside or before the previous span")
        if not isinstance(label, str) or not label_ok(label):
            raise ValueError(f"spans[{i}]: label {label!r} is not in the schema")
        piece = text[start:end]
        if piece != piece.strip():
            raise ValueError(f"spans[{i}]: {piece!r} has leading or trailing whitespace")
        texts_by_label.setdefault(label, []).append(piece)
        previous_end = end

    commands = example.get("commands")
    if not isinstance(commands, list):
        raise ValueError("'commands' must be a list")
    if not commands and spans:
        raise ValueError("an example without commands (out of domain) must have no spans")
    for i, command in enumerate(commands):
        if not isinstance(command, dict):
            raise ValueError(f"commands[{i}] must be an object")
        intent = command.get("intent")
        if not isinstance(intent, str) or not intent:
            raise ValueError(f"commands[{i}]: 'intent' must be a non-empty string")
        if INTENT_PREFIX + intent not in texts_by_label:
            raise ValueError(f"commands[{i}]: no span is labelled {INTENT_PREFIX}{intent}")
        slots = command.get("slots", {})
        if not isinstance(slots, dict):
            raise ValueError(f"commands[{i}]: 'slots' must be an object")
        for slot, values in slots.items():
            if slot not in _SLOTS:
                raise ValueError(f"commands[{i}]: slot {slot!r} is not in the schema")
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ValueError(f"commands[{i}]: slot {slot!r} must map to a list of strings")
            for value in values:
                if value not in texts_by_label.get(slot, ()):
                    raise ValueError(
                        f"commands[{i}]: slot {slot}={value!r} matches no {slot!r} span"
                    )
        if not isinstance(command.get("context", {}), dict):
            raise ValueError(f"commands[{i}]: 'context' must be an object")
    if len(commands) > 1 and SEP not in texts_by_label:
        raise ValueError(f"{len(commands)} commands but no {SEP!r} span between them")
    source = example.get("source")
    if source is not None and not isinstance(source, str):
        raise ValueError(f"'source' must be a string, got {source!r}")


def summarize(examples: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Counts a person checks before training: per intent, slot label, source and augmentation
    kind; the shares of compound and of no-command (out-of-domain) examples."""
    per_intent: Counter[str] = Counter()
    per_slot: Counter[str] = Counter()
    per_source: Counter[str] = Counter()
    per_augmentation: Counter[str] = Counter()
    per_family: dict[str, Counter[str]] = {}
    family_examples: Counter[str] = Counter()
    total = compound = no_command = 0
    for example in examples:
        total += 1
        commands = example.get("commands", [])
        if len(commands) > 1:
            compound += 1
        if not commands:
            no_command += 1
        for command in commands:
            per_intent[command.get("intent", "?")] += 1
        for span in example.get("spans", []):
            label = span.get("label", "?")
            if not label.startswith(INTENT_PREFIX):
                per_slot[label] += 1
        per_source[example.get("source", "unknown")] += 1
        if "augmentation" in example:
            per_augmentation[str(example["augmentation"])] += 1
        family_name = str(example.get("augmentation") or example.get("source", "unknown"))
        family_examples[family_name] += 1
        family = per_family.setdefault(family_name, Counter())
        for command in commands or [{"intent": "(no command)"}]:
            family[command.get("intent", "?")] += 1
    return {
        "examples": total,
        "compound_share": round(compound / total, 4) if total else 0.0,
        "no_command_share": round(no_command / total, 4) if total else 0.0,
        "per_intent": dict(sorted(per_intent.items())),
        "per_slot": dict(sorted(per_slot.items())),
        "per_source": dict(sorted(per_source.items())),
        "per_augmentation": dict(sorted(per_augmentation.items())),
        "inventory": inventory(per_family, family_examples, total),
    }


def inventory(per_family: dict[str, Counter[str]], examples: Counter[str], total: int) -> dict[str, Any]:
    """Per family of the generator (templates, or an augmentation kind): its share of the
    examples and how many commands of each intent it gave."""
    return {
        family: {"examples": examples[family], "share": round(examples[family] / total, 4) if total else 0.0,
                 "per_intent": dict(sorted(intents.items()))}
        for family, intents in sorted(per_family.items())
    }
