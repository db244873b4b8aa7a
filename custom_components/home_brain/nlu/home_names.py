"""Commands -> this home's names: re-read the model's slots where the home names a device
differently from how the model split the words.

The model is trained on one home and used in another. It reads "turn off the bedroom lamp"
as area "bedroom" + device word "lamp", "close the curtain left" as a curtain and a stray
"left", "what is the outside humidity" as the name "outside": right for most homes, wrong
for the one that has devices called "Bedroom Lamp", "Curtain Left" and "Outside Humidity".
Whoever says a device's full name means that device, so the home's names decide: which
words form a name, whether a word is a place, a device or its kind, and, where the words fit
another kind of device than the intent acts on ("start the stealth mode script", "what is the
furnace temperature?"), which intent was meant.

No Home Assistant here: the integration applies this with the names of the entities exposed
to Assist (``targets.TargetResolver``), and the suite scorer (``training.ha_suite``) with the
suite home's names, so the benchmark scores what the integration acts on.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .commands import Command, SlotValue
from .en import singular
from .intents import INTENT_FOR_DOMAIN, PERCENT_SETTINGS
from .sensor_words import BINARY_SENSOR_CLASSES, binary_sensor_class
from .vocabulary import DOMAIN_WORDS, domain_of_verb, domain_of_word

_PUNCTUATION = str.maketrans(string.punctuation, " " * len(string.punctuation))
_LEADING_WORDS = ("the", "my", "a", "an", "our")


def normalize(text: str) -> str:
    """Casefold, drop punctuation and a leading article: how names are compared."""
    words = text.casefold().translate(_PUNCTUATION).split()
    if words and words[0] in _LEADING_WORDS:
        words = words[1:]
    return " ".join(words)


def _with_slots(command: Command, slots: dict[str, list[SlotValue]]) -> Command:
    return replace(command, slots={k: vs for k, vs in slots.items() if vs})


_WORD = re.compile(r"\w+")

# Slots whose words may be part of a device's name the model did not know.
_TARGET_WORDS = ("name", "device_class", "domain")


@dataclass(frozen=True, slots=True)
class Device:
    """One name (or alias) of a device, as written, and what kind of device has it."""

    name: str
    ident: str
    domain: str
    device_class: str | None = None


def _kind_words(device: Device) -> frozenset[str]:
    """What people call a device's kind after its name: its device class ("phone battery",
    "mains power") or its domain ("stealth mode script")."""
    words = set(DOMAIN_WORDS.get(device.domain, ()))
    if device.device_class:
        words.add(device.device_class.replace("_", " "))
        if (binary := BINARY_SENSOR_CLASSES.get(device.device_class)) is not None:
            words.update(binary.nouns)
    return frozenset(words)


# Words that ask about a kind of device rather than one device.
_QUANTIFIERS = frozenset({"any", "all", "every", "each", "which", "how", "many", "there", "some"})


def _with_setting_of(command: Command) -> Command:
    wanted = PERCENT_SETTINGS.get(command.intent)
    said = [slot for slot in command.slots if slot in PERCENT_SETTINGS.values()]
    if wanted is None or len(said) != 1 or said[0] == wanted:
        return command
    return _with_slots(command, {(wanted if k == said[0] else k): vs for k, vs in command.slots.items()})


# Home Assistant's cover classes (its ``cover_classes`` list), singular and plural.
COVER_CLASS_WORDS = frozenset(
    w for c in ("awning", "blind", "curtain", "damper", "door", "garage", "garage door", "gate", "shade",
                "shutter", "window") for w in (c, f"{c}s"))


def _is_class_word(text: str) -> bool:
    said = normalize(text)
    return said in COVER_CLASS_WORDS or binary_sensor_class(said) is not None or (
        binary_sensor_class(singular(said)) is not None)


# Home Assistant's <home> words: "the house lights" are all the lights.
WHOLE_HOME = frozenset({"home", "house", "apartment", "flat", "whole house", "whole home", "entire house",
                        "entire home"})


@dataclass(frozen=True)
class HomeNames:
    """The names people call this home's devices and areas by."""

    by_name: dict[str, tuple[Device, ...]]  # normalised name -> devices
    by_first_word: dict[str, tuple[Device, ...]]  # casefolded first word of the name as written
    areas: frozenset[str]  # normalised area names

    @classmethod
    def build(cls, devices: Iterable[Device], areas: Iterable[str]) -> HomeNames:
        by_name: dict[str, list[Device]] = {}
        by_first_word: dict[str, list[Device]] = {}
        for device in devices:
            if (said := normalize(device.name)) and (first := _WORD.search(device.name)):
                by_name.setdefault(said, []).append(device)
                by_first_word.setdefault(first.group().casefold(), []).append(device)
        return cls(
            by_name={name: tuple(found) for name, found in by_name.items()},
            by_first_word={word: tuple(found) for word, found in by_first_word.items()},
            areas=frozenset(n for n in map(normalize, areas) if n),
        )

    def mentions(self, text: str) -> list[tuple[int, int, Device]]:
        """Every device name said in ``text`` as a whole (start, end, device), overlapping ones
        too. Names are looked up by the word they start with, not matched one pattern each: a home with a
        thousand names is read in well under a millisecond."""
        folded = text.casefold()
        found = []
        for word in _WORD.finditer(text):
            if word.start() > 0 and (text[word.start() - 1].isalnum() or text[word.start() - 1] == "_"):
                continue
            for device in self.by_first_word.get(word.group().casefold(), ()):
                end = word.start() + len(device.name)
                if folded.startswith(device.name.casefold(), word.start()) and not (
                    end < len(text) and (text[end].isalnum() or text[end] == "_")
                ):
                    found.append((word.start(), end, device))
        return found

    def is_area(self, text: str) -> bool:
        """Whether ``text`` is an area's name or alias, in either number ("the outdoor lights"
        in a home whose garden is also called "Outdoors")."""
        said = normalize(text)
        return said in self.areas or singular(said) in {singular(a) for a in self.areas}

    @property
    def devices(self) -> frozenset[str]:
        """Every normalised device name."""
        return frozenset(self.by_name)

    def apply(self, command: Command, text: str) -> Command:
        """``command`` (decoded from ``text``) with its target words read as this home names them."""
        command = self._full_name_said(command, text)
        command = self._name_run_into_a_device_word(command, text)
        command = self._device_named_by_parts(command)
        command = self._place_and_device_in_a_name(command)
        command = self._name_and_class_word(command)
        command = self._area_read_as_a_name(command)
        command = self._doors_to_lock(command)
        command = self._name_read_as_a_class(command)
        command = self._class_word_that_is_a_name(command)
        command = self._the_device_called_like_its_class(command)
        command = self._device_word_read_as_a_name(command)
        return self._intent_for_the_device(command)

    def _full_name_said(self, command: Command, text: str) -> Command:
        """A device's full name said, split up by the model ("curtain" read as a device
        class, "left" as a state in "is the curtain left closed"; "outside" + "rain sensor"),
        is put back together when the sentence holds exactly one such longer name; every
        slot inside it goes. A device name the model read whole is left alone."""
        # A place is in it too: "workshop switch off" in a home with a "Workshop Switch" is
        # that switch, not the workshop's lights (a device's exact name beats a place reading).
        spans = [v for slot in (*_TARGET_WORDS, "area") for v in command.slots.get(slot, [])]
        if not text or not spans:
            return command
        names = {v for v in command.slots.get("name", []) if normalize(v.text) in self.by_name}
        found: set[tuple[int, int]] = set()
        for start, end, _ in self.mentions(text):
            covered = [v for v in spans if start <= v.start and v.end <= end and v.end - v.start < end - start]
            if len(covered) > 1 or (covered and covered[0] not in names):
                found.add((start, end))
        # Two devices may share the name (resolution asks which); two different names
        # said around the same words are too close to call here.
        if len(found) != 1:
            return command
        [(start, end)] = found
        inside = [v for values in command.slots.values() for v in values if start <= v.start and v.end <= end]
        slots = {k: [v for v in vs if v not in inside] for k, vs in command.slots.items()}
        slots["name"] = [*slots.get("name", []),
                         SlotValue(text[start:end], start, end, min(v.confidence for v in inside))]
        return _with_slots(command, slots)

    def _name_run_into_a_device_word(self, command: Command, text: str) -> Command:
        """ "turn on play corner lights" read as the name "corner lights": a device's full
        name said ("Play Corner") that the name starts inside and ends with a word for that
        device's kind is the device, and that word its domain."""
        slots = {k: list(vs) for k, vs in command.slots.items()}
        unknown = [v for v in command.slots.get("name", []) if normalize(v.text) not in self.by_name]
        mentions = self.mentions(text) if unknown else []
        for value in unknown:
            found = {
                (start, end) for start, end, device in mentions
                if start <= value.start < end < value.end
                and domain_of_word(text[end:value.end].strip()) == device.domain
            }
            if len(found) != 1:
                continue
            [(start, end)] = found
            word_start = end + len(text[end:value.end]) - len(text[end:value.end].lstrip())
            # Words before the name's start that the model read as something else ("play" as
            # a place in "play corner lights") belong to the device's name too.
            slots = {k: [v for v in vs if v is value or not (start <= v.start and v.end <= end)]
                     for k, vs in slots.items()}
            slots["name"].remove(value)
            slots["name"].append(SlotValue(text[start:end], start, end, value.confidence))
            slots.setdefault("domain", []).append(SlotValue(text[word_start:value.end], word_start, value.end,
                                                            value.confidence))
        return _with_slots(command, slots)

    def _name_and_class_word(self, command: Command) -> Command:
        """A "name" that is a device's name followed by a word for its kind ("phone battery"
        for the battery sensor "Phone", "stealth mode script") is that device, and the word
        its device class or domain."""
        slots = {k: list(vs) for k, vs in command.slots.items()}
        for value in command.slots.get("name", []):
            if normalize(value.text) in self.by_name:
                continue
            words = list(re.finditer(r"\S+", value.text))
            for k in range(1, len(words)):
                head = value.text[: words[k - 1].end()]
                tail = value.text[words[k].start():]
                devices = self.by_name.get(normalize(head), ())
                if not any(normalize(tail) in _kind_words(d) for d in devices):
                    continue
                slots["name"].remove(value)
                slots["name"].append(SlotValue(head, value.start, value.start + len(head), value.confidence))
                start = value.start + words[k].start()
                slot = "domain" if domain_of_word(tail) is not None else "device_class"
                slots.setdefault(slot, []).append(SlotValue(tail, start, start + len(tail), value.confidence))
                break
        return _with_slots(command, slots)

    def _intent_for_the_device(self, command: Command) -> Command:
        """A question or command meant for another kind of device than the one named:
        "what is the furnace temperature?" asks a thermostat's question of a sensor (it is
        about the sensor's state), "return rover to base" docks a mower the home has as a
        vacuum. The named devices decide."""
        names = command.slots.get("name", [])
        if command.intent not in INTENT_FOR_DOMAIN or not names:
            return command
        if any(normalize(v.text) not in self.by_name for v in names):
            return command
        domains = {d.domain for v in names for d in self.by_name[normalize(v.text)]}
        if len(domains) != 1 or (command.intent == "HassTimerStatus" and "timer" in command.carrier):
            return command
        wanted = INTENT_FOR_DOMAIN[command.intent]
        intent = wanted.get(next(iter(domains)), wanted.get("*"))
        if intent is None:
            return command
        return _with_setting_of(replace(command, intent=intent))

    def _name_read_as_a_class(self, command: Command) -> Command:
        """ "is the phone connected?" read with "phone" as a device class: a word that names
        no class but is a device's name is that device."""
        misread = [
            v for v in command.slots.get("device_class", [])
            if normalize(v.text) in self.by_name and not _is_class_word(v.text)
        ]
        if not misread:
            return command
        slots = {k: [v for v in vs if v not in misread] for k, vs in command.slots.items()}
        slots["name"] = [*slots.get("name", []), *misread]
        return _with_slots(command, slots)

    def _class_word_that_is_a_name(self, command: Command) -> Command:
        """ "open the garage door" in a home with a cover called "Garage Door": a device's exact
        name wins over the device word reading of the same words (the safety policy's rule);
        "are any garage doors open", a question about the kind, keeps the word."""
        if command.intent == "HassGetState" or "name" in command.slots or _QUANTIFIERS & set(command.carrier.split()):
            return command
        named = [v for v in command.slots.get("device_class", []) if normalize(v.text) in self.by_name]
        if len(named) != 1:
            return command
        slots = {k: [v for v in vs if v not in named] for k, vs in command.slots.items()}
        return _with_slots(command, {**slots, "name": named})

    def _device_word_read_as_a_name(self, command: Command) -> Command:
        """ "turn on the vacuum" read as a device called "vacuum": a name that is only a device
        word, and no device's name, is that kind of device (the safety policy then reads it as
        one device: the one where the user is, or the home's only one), not part of a longer
        name ("Robot Vacuum" next to a "Vacuum Cleaner")."""
        words = [v for v in command.slots.get("name", []) if domain_of_word(normalize(v.text)) is not None
                 and not any(singular(normalize(v.text)) == singular(n) for n in self.by_name)]
        if not words:
            return command
        slots = {k: [v for v in vs if v not in words] for k, vs in command.slots.items()}
        return _with_slots(command, {**slots, "domain": [*slots.get("domain", []), *words]})

    def _the_device_called_like_its_class(self, command: Command) -> Command:
        """ "is gas detected?" in a home with a gas sensor called "Gas" asks about that
        sensor; "is there any gas?", "which gas sensors are on?" still ask about the class."""
        if (command.intent != "HassGetState" or "name" in command.slots
                or _QUANTIFIERS & set(command.carrier.split())):
            return command
        named = [
            v for v in command.slots.get("device_class", [])
            if any(d.device_class == binary_sensor_class(v.text) for d in self.by_name.get(normalize(v.text), ()))
        ]
        if len(named) != 1:
            return command
        return _with_slots(command, {**command.slots, "name": named})

    def _area_read_as_a_name(self, command: Command) -> Command:
        """ "turn off the kitchen lights" read as a device "kitchen": when no device has that
        name but an area has, the area is meant; "my house lights" read as a device "house"
        means every light."""
        names = command.slots.get("name", [])
        unknown = [v for v in names if normalize(v.text) not in self.by_name]
        moved = [v for v in unknown if self.is_area(v.text)]
        dropped = [v for v in unknown if normalize(v.text) in WHOLE_HOME and "domain" in command.slots]
        if not moved and not dropped:
            return command
        slots = {k: list(vs) for k, vs in command.slots.items()}
        slots["name"] = [v for v in names if v not in moved and v not in dropped]
        slots["area"] = [*slots.get("area", []), *moved]
        return _with_slots(command, slots)

    def _doors_to_lock(self, command: Command) -> Command:
        """ "lock kitchen door" read as a device "kitchen door": with a verb that names the
        domain, a place and "door(s)" is that place's locks."""
        if domain_of_verb(command.carrier) != "lock":
            return command
        slots = {k: list(vs) for k, vs in command.slots.items()}
        for value in command.slots.get("name", []):
            said = value.text.rstrip()
            place, _, last = said.rpartition(" ")
            if normalize(said) in self.by_name or last.lower() not in ("door", "doors") or not self.is_area(place):
                continue
            slots["name"].remove(value)
            slots.setdefault("area", []).append(SlotValue(place, value.start, value.start + len(place), value.confidence))
        return _with_slots(command, slots)

    def _device_named_by_parts(self, command: Command) -> Command:
        """Read "bedroom" + "lamp" (area or name, then a device word) as the device "Bedroom
        Lamp" when that is exactly a device's name (the training data teaches the same rule)."""
        domains = command.slots.get("domain", [])
        for slot in ("area", "name"):
            for place in command.slots.get(slot, []):
                for word in domains:
                    joined = normalize(f"{place.text} {word.text}")
                    if word.start == place.end + 1 and joined in self.by_name:
                        slots = {k: [v for v in vs if v not in (place, word)] for k, vs in command.slots.items()}
                        name = SlotValue(f"{place.text} {word.text}", place.start, word.end,
                                         min(place.confidence, word.confidence))
                        slots["name"] = [*slots.get("name", []), name]
                        return self._device_named_by_parts(_with_slots(command, slots))
        return command

    def _place_and_device_in_a_name(self, command: Command) -> Command:
        """The converse: a "name" that no device has but that reads as area + device word
        ("living room lights" in "the kitchen and living room lights") is that area's devices;
        the whole home + device word ("the house lights") is every such device."""
        slots = {k: list(vs) for k, vs in command.slots.items()}
        for value in command.slots.get("name", []):
            said = value.text.rstrip()
            words = said.split()
            if normalize(said) in self.by_name or len(words) < 2:
                continue
            device = words[-1]
            place = said[: said.rfind(device)].rstrip()
            if domain_of_word(device) is None:
                continue
            slots["name"].remove(value)
            if normalize(place) in WHOLE_HOME:
                pass  # "the house lights": every light, as Home Assistant's own <home> reads it
            elif self.is_area(place):
                start = value.start + said.find(place)
                slots.setdefault("area", []).append(SlotValue(place, start, start + len(place), value.confidence))
            else:
                slots["name"].append(value)
                continue
            device_start = value.start + said.rfind(device)
            slots.setdefault("domain", []).append(
                SlotValue(device, device_start, device_start + len(device), value.confidence)
            )
        return _with_slots(command, slots)
