"""Follow-ups to "which one do you mean?": remember the question, read the answer.

When a name matches several exposed devices the agent asks instead of guessing. The next
turn of the same conversation may answer ("the one in the bedroom", "the kitchen one", "the
second one", the full name); it then completes the command that was asked about. Anything
that does not read as an answer is an ordinary new turn.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import floor_registry as fr

from .agent.confirm import PendingConfirmation
from .nlu.commands import Command
from .resolve.areas import entity_area_id
from .nlu.en import singular
from .nlu.home_names import normalize
from .nlu.vocabulary import domain_of_word
from .targets import TargetResolver, Unresolved

# A question left unanswered this long is stale: the user has moved on.
PENDING_TTL_S: Final = 300.0
# One pending question per conversation; this many conversations at most (oldest dropped).
PENDING_MAX: Final = 100

# Words an answer may carry that say nothing about which candidate is meant.
_FILLERS: Final = frozenset(
    "the a an one ones in on at of from i mean meant please that this it its is s device "
    "thanks thank you yes no oh um uh sorry actually ok okay just number".split()
)
_ORDINALS: Final = {
    "first": 0, "1st": 0, "1": 0, "second": 1, "2nd": 1, "2": 1, "third": 2, "3rd": 2, "3": 2,
    "fourth": 3, "4th": 3, "4": 3, "fifth": 4, "5th": 4, "5": 4, "last": -1, "former": 0, "latter": -1,
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One of the things a name matched, with every word that can single it out."""

    ident: str
    names: frozenset[str]  # normalised names and aliases
    name_words: frozenset[str]  # singular words of those names
    place_words: frozenset[str]  # singular words of its area's and floor's names
    domain: str | None = None

    @property
    def words(self) -> frozenset[str]:
        return self.name_words | self.place_words


@dataclass(slots=True)
class PendingQuestion:
    """A command waiting for the user to say which candidate they meant."""

    commands: list[Command]
    problem: Unresolved
    candidates: list[Candidate]
    # Earlier answers in this conversation: (slot, normalised text) -> chosen id.
    chosen: dict[tuple[str, str], str]
    satellite_area_id: str | None
    text: str  # the sentence that asked; its reply is rendered for it
    question: str
    # Set when the safety policy asked which device a device word meant: the turn's calls per
    # command, and which command the answer completes (its targets become the chosen device).
    plans: list[list[Any]] | None = None
    index: int = 0
    expires: float = 0.0


type Pending = PendingQuestion | PendingConfirmation


class PendingQuestions:
    """Pending questions by conversation id, in memory, expiring and bounded."""

    def __init__(
        self, ttl: float = PENDING_TTL_S, max_size: int = PENDING_MAX, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._max_size = max_size
        self._clock = clock
        self._questions: OrderedDict[str, Pending] = OrderedDict()

    def __len__(self) -> int:
        return len(self._questions)

    def put(self, conversation_id: str, question: Pending) -> None:
        question.expires = self._clock() + self._ttl
        self._questions.pop(conversation_id, None)
        self._questions[conversation_id] = question
        while len(self._questions) > self._max_size:
            self._questions.popitem(last=False)

    def pop(self, conversation_id: str) -> Pending | None:
        """The question asked in this conversation, once: an answer (or not) consumes it."""
        now = self._clock()
        # Insertion order is expiry order (one ttl for all): drop the stale ones from the front.
        while self._questions and next(iter(self._questions.values())).expires <= now:
            self._questions.popitem(last=False)
        return self._questions.pop(conversation_id, None)


def describe_candidates(hass: HomeAssistant, resolver: TargetResolver, problem: Unresolved) -> list[Candidate]:
    """Every word that can tell the candidates apart: names, aliases, area, floor, device kind."""
    area_reg, floor_reg = ar.async_get(hass), fr.async_get(hass)

    def area_words(area_id: str | None) -> set[str]:
        if area_id is None or (area := area_reg.async_get_area(area_id)) is None:
            return set()
        said = {normalize(n) for n in (area.name, *area.aliases)}
        if area.floor_id and (floor := floor_reg.async_get_floor(area.floor_id)):
            said |= {normalize(n) for n in (floor.name, *floor.aliases)}
        return said

    candidates: list[Candidate] = []
    for ident in problem.candidates:
        if problem.slot == "area":
            names = {name for name, area_id in resolver.areas if area_id == ident}
            extra = area_words(ident)
            domain = None
        elif problem.slot == "floor":
            names = {name for name, floor_id in resolver.floors if floor_id == ident}
            extra, domain = set(), None
        else:
            names = {name for name, entity_id, _ in resolver.names if entity_id == ident}
            extra = area_words(entity_area_id(hass, ident))
            domain = ident.split(".", 1)[0]
        name_words = frozenset(singular(w) for said in names for w in said.split())
        place_words = frozenset(singular(w) for said in extra for w in said.split())
        candidates.append(Candidate(ident, frozenset(names), name_words, place_words, domain))
    return candidates


class StillAmbiguous(Exception):
    """The answer fits more than one candidate."""


def pick_candidate(answer: str, candidates: list[Candidate]) -> str | None:
    """The candidate the answer names; None when it is no answer (a new command, say).

    Raises StillAmbiguous when it is an answer that fits several ("the lamp" for two lamps).
    """
    said = normalize(answer)
    if not said:
        return None
    exact = [c.ident for c in candidates if said in c.names]
    if len(exact) == 1:
        return exact[0]
    words = [w for w in said.split() if w not in _FILLERS]
    ordinals = [w for w in words if w in _ORDINALS]
    rest = {singular(w) for w in words if w not in _ORDINALS}
    if len(ordinals) == 1 and not rest:
        index = _ORDINALS[ordinals[0]]
        if not -len(candidates) <= index < len(candidates):
            raise StillAmbiguous  # "the third one" of two: an answer, but to no option
        return candidates[index].ident
    if ordinals or not rest:
        return None

    def fits(candidate: Candidate) -> bool:
        return all(
            w in candidate.words or (candidate.domain is not None and domain_of_word(w) == candidate.domain)
            for w in rest
        )

    fitting = [c for c in candidates if fits(c)]
    if len(fitting) > 1:
        # Twins named "Bedroom Lamp" in the bedroom and the lounge: "the bedroom one" fits both
        # by name, but only one by place. Words every candidate shares tell nothing apart.
        common_names = frozenset.intersection(*(c.name_words for c in candidates))
        common_places = frozenset.intersection(*(c.place_words for c in candidates))

        def telling(candidate: Candidate) -> int:
            distinct = (candidate.name_words - common_names) | (candidate.place_words - common_places)
            return len(rest & distinct)

        best = max(telling(c) for c in fitting)
        fitting = [c for c in fitting if telling(c) == best] if best else fitting
    if len(fitting) > 1:
        raise StillAmbiguous
    return fitting[0].ident if fitting else None
