"""The verb/device rule of ``home_brain_nlu.labels.device_words`` applied to labelled examples:
a carrier word that names a device becomes a ``domain`` span of its command, so the data say
what the commands reader reads ("office switch off": area, domain, carrier)."""

from __future__ import annotations

import re
from typing import Any

from home_brain_nlu.labels import LabelKind, device_words

from .dataset_io import INTENT_PREFIX, SEP


def _kind(label: str | None) -> LabelKind:
    if label is None:
        return "O"
    if label == SEP:
        return "SEP"
    return "INTENT" if label.startswith(INTENT_PREFIX) else "B"


def relabel_device_words(example: dict[str, Any]) -> dict[str, Any]:
    """``example`` with carrier words that name a device made ``domain`` spans (the same
    object when there are none; otherwise a new one)."""
    text: str = example["text"]
    spans = sorted(example["spans"], key=lambda s: s["start"])
    # Words as the tagger's pre-tokenizer splits them, and at span edges ("81%": "81" + "%").
    edges = {i for span in spans for i in (span["start"], span["end"])}
    words: list[tuple[int, int]] = []
    for match in re.finditer(r"\w+|[^\w\s]", text):
        cuts = [match.start(), *sorted(i for i in edges if match.start() < i < match.end()), match.end()]
        words += list(zip(cuts, cuts[1:]))
    if not words or not spans:
        return example
    owner = [next((k for k, s in enumerate(spans) if s["start"] <= a < s["end"]), None) for a, _ in words]
    labels = [spans[k]["label"] if k is not None else None for k in owner]
    new_domains: list[tuple[int, int]] = []
    segment: list[int] = []
    for i in range(len(words) + 1):
        if i < len(words) and labels[i] != SEP:
            segment.append(i)
            continue
        found = device_words([text[words[j][0]:words[j][1]] for j in segment], [_kind(labels[j]) for j in segment],
                             [labels[j] == "name" for j in segment])
        new_domains += [(words[segment[a]][0], words[segment[b - 1]][1]) for a, b in found]
        segment = []
    if not new_domains:
        return example
    out_spans: list[dict[str, Any]] = []
    for span in spans:
        pieces = [(s, e) for s, e in new_domains if span["start"] <= s and e <= span["end"]]
        if not pieces:
            out_spans.append(dict(span))
            continue
        position = span["start"]
        for s, e in pieces:
            head = text[position:s].rstrip()
            if head.strip():
                out_spans.append({"start": position, "end": position + len(head), "label": span["label"]})
            out_spans.append({"start": s, "end": e, "label": "domain"})
            position = e
            while position < span["end"] and text[position].isspace():
                position += 1
        if position < span["end"]:
            out_spans.append({"start": position, "end": span["end"], "label": span["label"]})
    commands = [dict(c, slots={k: list(v) for k, v in c.get("slots", {}).items() if k != "domain"})
                for c in example.get("commands", [])]
    index = 0
    for span in out_spans:
        if span["label"] == SEP:
            index += 1
        elif span["label"] == "domain" and index < len(commands):
            commands[index]["slots"].setdefault("domain", []).append(text[span["start"]:span["end"]])
    return {**example, "spans": out_spans, "commands": commands}
