"""Tags -> commands: group tagged words into the commands the user asked for.

A command is the stretch of words between two ``SEP`` words. Its intent is the
confidence-weighted vote of its carrier (``INTENT:``) words; its slots are the ``B-``/``I-``
runs inside it. A stretch with slots but no carrier words ("... and the bedroom lamp" after
a ``SEP``) repeats the previous command's intent, which is what people mean by it. Said
first, such a stretch is read as Home Assistant's own templates read it: a bare device name
turns it on ("[the] {name}"), a place or device with one setting sets it ("bedroom red").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from .intents import SETTING_INTENTS
from .labels import device_words, parse_label
from .tags import TaggedWord


@dataclass(frozen=True, slots=True)
class SlotValue:
    """A slot value as the user said it, with where it was said and how sure the model is."""

    text: str
    start: int
    end: int
    confidence: float


@dataclass(slots=True)
class Command:
    """One thing to do: an intent and its slot values, as text (resolution comes later)."""

    intent: str
    slots: dict[str, list[SlotValue]] = field(default_factory=dict)
    confidence: float = 1.0
    # The carrier words, lowercased ("lock the doors"): a verb may say the domain.
    carrier: str = ""

    def slot_texts(self) -> dict[str, list[str]]:
        """Slots as plain lowercased texts, the form training data and evaluation compare."""
        return {name: [v.text.lower() for v in values] for name, values in self.slots.items()}


def _segments(words: list[TaggedWord]) -> list[list[TaggedWord]]:
    segments: list[list[TaggedWord]] = [[]]
    for word in words:
        if parse_label(word.label).kind == "SEP":
            segments.append([])
        else:
            segments[-1].append(word)
    return [segment for segment in segments if segment]


# Slots whose values run over several words.
_JOINABLE = frozenset({"name", "area", "floor", "domain", "device_class", "media_class", "search_query", "item",
                       "message", "conversation_command", "fan_mode"})


def _slot_spans(text: str, segment: list[TaggedWord]) -> dict[str, list[SlotValue]]:
    slots: dict[str, list[SlotValue]] = defaultdict(list)
    open_slot: str | None = None
    start = end = 0
    confidences: list[float] = []

    def close() -> None:
        if open_slot is not None:
            # A span is as sure as its words are on average: the first word of "kitchen
            # light" is a toss-up between area and name until the model sees "light".
            confidence = sum(confidences) / len(confidences)
            slots[open_slot].append(SlotValue(text[start:end], start, end, confidence))

    for word in segment:
        label = parse_label(word.label)
        continues = label.kind == "I" and label.value == open_slot
        # A value of the same slot right after another, nothing but a space between ("tv" +
        # "show"), is one value the model split: the training data never has two back to back.
        # Not for states, colours and numbers: "left" + "closed" are two readings, not one state.
        rejoined = (label.kind == "B" and label.value == open_slot and open_slot in _JOINABLE
                    and text[end:word.start].isspace())
        if continues or rejoined:
            end = word.end
            confidences.append(word.confidence)
            continue
        close()
        if label.kind in ("B", "I"):  # an I- without its B- still starts a value
            open_slot, start, end, confidences = label.value, word.start, word.end, [word.confidence]
        else:
            open_slot = None
    close()
    return dict(slots)


def _vote(segment: list[TaggedWord]) -> tuple[str | None, float]:
    """The intent most carrier words back, and how sure we are of it (0..1)."""
    weight: dict[str, float] = defaultdict(float)
    total = 0.0
    for word in segment:
        label = parse_label(word.label)
        if label.kind == "INTENT":
            weight[label.value] += word.confidence
            total += 1.0
    if not weight:
        return None, 0.0
    intent = max(weight, key=weight.__getitem__)
    # Mean confidence of the winner's words, times the share of carrier words that agree.
    return intent, weight[intent] / total


# The state each on/off intent brings about: a state slot saying it ("all lights on in here")
# restates the command rather than filtering its targets.
RESTATED_STATE = {"HassTurnOn": "on", "HassTurnOff": "off"}

_TARGETS = frozenset({"name", "area", "floor", "domain"})
_FAN_WORDS = frozenset({"fan", "fans", "speed"})


def _place_only_fan_speed(
    intent: str, slots: dict[str, list[SlotValue]], carrier: str
) -> tuple[str, dict[str, list[SlotValue]]]:
    """ "set bedroom to 50%" read as a fan speed: a place and a percentage, with no fan
    named or spoken of, is its lights' brightness, as Home Assistant's own templates read it."""
    place_and_percentage = "percentage" in slots and slots.keys() & {"area", "floor"} and set(slots) <= {
        "area", "floor", "percentage"}
    if intent != "HassFanSetSpeed" or not place_and_percentage or _FAN_WORDS & set(carrier.split()):
        return intent, slots
    renamed = {("brightness" if k == "percentage" else k): vs for k, vs in slots.items()}
    return "HassLightSet", renamed


def _intent_without_carrier(slots: dict[str, list[SlotValue]]) -> str | None:
    settings = {SETTING_INTENTS[slot] for slot in slots if slot in SETTING_INTENTS}
    targets = set(slots) - set(SETTING_INTENTS)
    if len(settings) == 1 and targets and targets <= _TARGETS:
        return settings.pop()
    if set(slots) == {"name"} and len(slots["name"]) == 1:
        return "HassTurnOn"
    return None


def _devices_kept(segment: list[TaggedWord]) -> list[TaggedWord]:
    """The segment with carrier words that name a device read as the device (labels.py's rule)."""
    labels = [parse_label(w.label) for w in segment]
    found = device_words([w.text for w in segment], [label.kind for label in labels],
                         [label.kind in ("B", "I") and label.value == "name" for label in labels])
    if not found:
        return segment
    out = list(segment)
    for start, end in found:
        for i in range(start, end):
            out[i] = replace(out[i], label=("B-domain" if i == start else "I-domain"))
    return out


# Pronouns that point back at what the previous command acted on ("... and set it to 40%").
_PRONOUNS = frozenset({"it", "them", "its", "they", "both"})
_TARGETS_ALL = frozenset({"name", "area", "floor", "domain", "device_class"})
# Intents that act on devices: "what time is it" after a command borrows nothing.
_TARGETED_INTENTS = frozenset({
    "HassTurnOn", "HassTurnOff", "HassLightSet", "HassSetPosition", "HassFanSetSpeed", "HassSetVolume",
    "HassSetVolumeRelative", "HassMediaPause", "HassMediaUnpause", "HassMediaPlayerMute",
    "HassMediaPlayerUnmute", "HassGetState", "HassClimateSetTemperature", "HassMediaNext", "HassMediaPrevious",
})


def _referred_back(command: Command, previous: Command | None) -> Command:
    """A command with no target whose carrier says "it"/"them" acts on the previous
    command's targets: people name a device once and refer back to it."""
    if (previous is None or command.intent not in _TARGETED_INTENTS or _TARGETS_ALL & command.slots.keys()
            or not _PRONOUNS & set(command.carrier.split())):
        return command
    borrowed = {k: vs for k, vs in previous.slots.items() if k in _TARGETS_ALL}
    return replace(command, slots={**command.slots, **borrowed}) if borrowed else command


def commands_from_tags(text: str, words: list[TaggedWord]) -> list[Command]:
    """Turn tagged words of ``text`` into commands, in the order they were said."""
    commands: list[Command] = []
    for segment in _segments(words):
        segment = _devices_kept(segment)
        slots = _slot_spans(text, segment)
        intent, confidence = _vote(segment)
        slot_confidence = min((v.confidence for vs in slots.values() for v in vs), default=1.0)
        if intent is None:
            if commands and slots:
                intent, confidence = commands[-1].intent, commands[-1].confidence
            elif not commands and (intent := _intent_without_carrier(slots)) is not None:
                confidence = slot_confidence
            else:
                continue
        carrier = " ".join(w.text.lower() for w in segment if parse_label(w.label).kind == "INTENT")
        intent, slots = _place_only_fan_speed(intent, slots, carrier)
        command = Command(intent, slots, min(confidence, slot_confidence), carrier)
        commands.append(_referred_back(command, commands[-1] if commands else None))
    return commands
