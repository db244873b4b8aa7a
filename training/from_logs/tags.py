"""The example Home Brain's own word tags make, and where it heard what a command is about."""

from __future__ import annotations

from typing import Any

from home_brain_nlu.commands import commands_from_tags
from home_brain_nlu.labels import parse_label
from home_brain_nlu.tags import TaggedWord

from ..dataset_io import INTENT_PREFIX, SEP
from .project import SOURCE, Unprojectable, label_spans


def example_from_tags(text: str, words: list[dict[str, Any]]) -> dict[str, Any]:
    """The example Home Brain's own word tags make (``Unprojectable`` when they do not fit)."""
    tagged: list[TaggedWord] = []
    labels: list[str | None] = []
    slot_run = 0
    previous: str | None = None
    for word in sorted(words, key=lambda w: w["start"]):
        start, end = word["start"], word["end"]
        if not 0 <= start < end <= len(text) or text[start:end] != text[start:end].strip():
            raise Unprojectable("bad_tags", f"word {word.get('text')!r} at [{start}, {end}) is not in the text")
        try:
            label = parse_label(word["label"])
        except ValueError as err:
            raise Unprojectable("bad_tags", str(err)) from err
        tagged.append(TaggedWord(text[start:end], start, end, word["label"], float(word["confidence"])))
        if label.kind == "O":
            span_label = None
        elif label.kind == "SEP":
            span_label = SEP
        elif label.kind == "INTENT":
            span_label = INTENT_PREFIX + label.value
        else:
            if label.kind == "B" or previous is None or previous.split("#", 1)[0] != label.value:
                slot_run += 1
            span_label = f"{label.value}#{slot_run}"
        labels.append(span_label)
        previous = span_label
    spans = label_spans([(w.start, w.end) for w in tagged], labels)
    commands = [
        {"intent": c.intent, "slots": {s: [v.text for v in vs] for s, vs in c.slots.items()}, "context": {}}
        for c in commands_from_tags(text, tagged)
    ]
    if not commands:
        raise Unprojectable("bad_tags", "the tags make no command")
    return {"text": text, "spans": spans, "commands": commands, "source": SOURCE}


def heard_names(words: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Character spans Home Brain tagged as a slot (one per B-/I- run): where it heard what the
    command is about, even when it took a nickname for the wrong kind of slot."""
    spans: list[tuple[int, int]] = []
    previous: str | None = None
    for word in sorted(words, key=lambda w: w["start"]):
        try:
            label = parse_label(word["label"])
        except ValueError:
            label = None
        if label is None or label.kind not in ("B", "I"):
            previous = None
            continue
        if label.kind == "I" and previous == label.value and spans:
            spans[-1] = (spans[-1][0], word["end"])
        else:
            spans.append((word["start"], word["end"]))
        previous = label.value
    return spans
