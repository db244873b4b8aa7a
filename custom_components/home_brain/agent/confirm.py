"""Confirmation turns: "Unlock all 3 locks?" -> yes acts, no cancels, anything else is a new command.

The calls are resolved before the question is asked, so "yes" runs exactly what was asked
about; a question left too long is forgotten (the same store as "which one?" questions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

_YES = re.compile(
    r"^(yes|yeah|yep|yup|sure|ok|okay|correct|right|confirm(ed)?|affirmative|do it|go ahead|please do|"
    r"yes please|please|that'?s right|of course|absolutely|indeed)\b")
_NO = re.compile(r"^(no|nope|nah|don'?t|do not|cancel|stop|never ?mind|forget it|abort|leave it|negative)\b")


@dataclass(slots=True)
class PendingConfirmation:
    """Calls that run only after a "yes"."""

    calls: list[Any]  # targets.IntentCall
    text: str  # the sentence that asked; the reply is rendered for it
    question: str
    expires: float = field(default=0.0)


def read_answer(text: str) -> Literal["yes", "no"] | None:
    """ "yes" or "no" when ``text`` answers a yes/no question, else None (a new command)."""
    said = " ".join(re.sub(r"[^\w' ]", " ", text.casefold()).split())
    said = re.sub(r"^(oh|um|uh|well|hmm)\s+", "", said)
    if _NO.match(said):
        return "no"
    if _YES.match(said) and len(said.split()) <= 4:
        return "yes"
    return None
