"""Commands as the model would decode them from a sentence, for tests of what comes after."""

from __future__ import annotations

from home_brain_nlu.commands import Command, SlotValue


def command(intent: str, text: str, carrier: str = "", **slots: str | list[str]) -> Command:
    """A command whose slot values are found in ``text`` (so their offsets are real)."""
    values: dict[str, list[SlotValue]] = {}
    for name, said in slots.items():
        for part in [said] if isinstance(said, str) else said:
            start = text.index(part)
            values.setdefault(name, []).append(SlotValue(part, start, start + len(part), 0.9))
    return Command(intent, values, 0.9, carrier)
