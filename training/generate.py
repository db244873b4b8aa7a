"""Labelled training examples sampled from Home Assistant's own English sentence templates.

Why sample instead of enumerate: English templates over even a small home expand to
millions of sentences (hassil's ``sample_intents`` walks them in order, so a capped
enumeration sees one corner of the space). Here every example is one random walk down a
template's expression tree, so a few thousand examples cover every intent, template and
phrasing roughly evenly.

Why our own walker instead of hassil's sampler plus re-recognition: while walking we know
exactly which characters came from which ``{list}`` reference, so slot spans are exact
and cost nothing, and sentences that recognition would parse ambiguously still get the
labels of the template they were made from.

Output format (JSON-serialisable, see ``dataset_io.validate_example``)::

    {"text": "turn on the kitchen light",
     "spans": [{"start": 0, "end": 11, "label": "intent:HassTurnOn"},
               {"start": 12, "end": 25, "label": "name"}],
     "commands": [{"intent": "HassTurnOn", "slots": {"name": ["kitchen light"]},
                   "context": {}}],
     "source": "template"}

This module must not import Home Assistant (training runs without it); hassil and
home-assistant-intents are plain libraries.
"""

from __future__ import annotations

import functools
import json
import math
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hassil import Intents
from hassil.expression import (
    Alternative,
    Expression,
    Group,
    ListReference,
    Permutation,
    RuleReference,
    Sentence,
    TextChunk,
)
from hassil.intents import (
    RangeSlotList,
    RangeType,
    SlotList,
    TextSlotList,
    WildcardSlotList,
)
from hassil.numbers import get_rbnf_engine
from home_assistant_intents import get_intents

from home_brain_nlu.labels import SLOTS
from home_brain_nlu.vocabulary import DOMAIN_WORDS as VOCABULARY_DOMAIN_WORDS
from home_brain_nlu.vocabulary import VERB_DOMAINS

from .extra_templates import HOME_NEEDS_DOMAIN, LIST_PREFIX, TEMPLATE_WEIGHT, appliance_products, merge_into
from .home import Area, Entity, Floor, Home
from .relabel import relabel_device_words

SOURCE = "template"
INTENT_LABEL_PREFIX = "intent:"
SEP_LABEL = "sep"

# Joiners of compound commands and the words of each that are tagged `sep` (a comma is
# punctuation, not a separator word, so it stays unlabelled).
JOINERS: tuple[tuple[str, str], ...] = (
    (" and ", "and"),
    (" and then ", "and then"),
    (", then ", "then"),
    (", and ", "and"),
    (" then ", "then"),
)

# Politeness that belongs to no command (label O); these are all skip words of HA's
# English intents, so Home Assistant itself ignores them too.
FILLER_PREFIXES: tuple[str, ...] = (
    "please",
    "can you",
    "could you",
    "would you",
    "can you please",
    "could you please",
)

# Default sampling weight multipliers: HassGetState asks about ~60 device classes of
# sensors and binary sensors (``extra_templates``), each with its own words, so it needs
# more examples than its template count's logarithm gives it.
INTENT_WEIGHT_BOOST: dict[str, float] = {
    "HassGetState": 2.5,
    # Free-text queries and media classes ("the tv show breaking bad", "play Queen album").
    "HassMediaSearchAndPlay": 2.0,
}

# Commands that make no sense as half of "X and Y".
COMPOUND_EXCLUDED_INTENTS = frozenset({"HassNevermind", "HassRespond"})

# Wildcard lists match any text in HA; these are plausible values for each. Some
# contain "and" on purpose, so "and" inside a slot is not always a separator.
WILDCARD_VOCABULARY: dict[str, tuple[str, ...]] = {
    "message": (
        "dinner is ready",
        "time to leave for school",
        "the laundry is done",
        "please come downstairs",
        "the movie starts in five minutes",
        "grandma is here",
        "lights out in ten minutes",
        "breakfast is on the table",
        "someone is at the door",
        "time for bed",
        "we are leaving in five minutes",
        "please take out the trash",
    ),
    "search_query": (
        "the beatles",
        "jazz",
        "taylor swift",
        "bohemian rhapsody",
        "lo-fi beats",
        "abbey road",
        "classical music",
        "the daily",
        "stranger things",
        "rock and roll classics",
        "miles davis",
        "relaxing piano",
        "hey jude",
        "my workout playlist",
        "the news",
        "kind of blue",
        # One-word titles, titles with articles and device or room words, so the model
        # learns that the whole stretch after "play" is the query, whatever its words.
        "inception",
        "frozen",
        "adele",
        "coldplay",
        "metallica",
        "radiohead",
        "serial",
        "friends",
        "seinfeld",
        "the crown",
        "the wire",
        "the simpsons",
        "the lion king",
        "the rolling stones",
        "the white album",
        "the joe rogan experience",
        "this american life",
        "breaking the habit",
        "the sound of silence",
        "living on a prayer",
        "kitchen sink drama",
        "bedroom pop",
        "the garden party",
        "house music",
        "the lights",
        "fan favorites",
        "the doors",
        "sleep sounds",
        "rain on the window",
        "morning coffee jazz",
        "dark side of the moon",
        "wish you were here",
        "not in service",
        "does it matter",
        "ted talks daily",
        "planet earth",
    ),
    # Templates put their own optional "the" before a zone.
    "zone": ("home", "work", "office", "school", "gym", "downtown"),
    "timer_name": (
        "pizza",
        "pasta",
        "laundry",
        "tea",
        "eggs",
        "bread",
        "oven",
        "nap",
        "cookies",
        "homework",
        "rice",
        "workout",
    ),
    "shopping_list_item": (
        "milk",
        "eggs",
        "bread",
        "apples",
        "paper towels",
        "peanut butter",
        "dish soap",
        "coffee beans",
        "batteries",
        "mac and cheese",
        "salt and pepper",
        "bananas",
        "orange juice",
        "toilet paper",
        "olive oil",
        "cat food",
    ),
    "todo_list_item": (
        "call the plumber",
        "pay the electricity bill",
        "water the plants",
        "book a dentist appointment",
        "clean the garage",
        "mow the lawn",
        "buy a birthday present",
        "renew the car insurance",
        "fix the fence",
        "milk",
        "eggs",
        "bread",
    ),
    # Extended from the home's own devices in `_Planner.__init__`.
    "timer_command": (
        "turn off the lights",
        "stop the music",
        "pause the tv",
        "turn on the fan",
    ),
}

# Words of a sentence's carrier text that name the template's one domain ("turn off the
# lights in the kitchen" -> domain "lights"). Only unambiguous words: "doors" may be locks
# or covers, so it is not a domain word for either. Verbs stay carrier words ("light up",
# "switch on", "lock [the] {name}"): see ``vocabulary.domain_of_verb``.
# The lookbehinds keep the plural nouns: "are all switches on" names switches.
_DOMAIN_WORD_EXCEPTIONS = {"light": r"(?!(?<=\blight)\s+up\b)", "switch": r"(?!(?<=\bswitch)\s+(?:on|off)\b)"}
DOMAIN_WORDS: dict[str, re.Pattern[str]] = {
    domain: re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b"
        + _DOMAIN_WORD_EXCEPTIONS.get(domain, ""),
        re.IGNORECASE,
    )
    for domain, words in VOCABULARY_DOMAIN_WORDS.items()
}

_LIGHT_WORDS = frozenset({"light", "lights", "lighting", "lamp", "lamps"})
_WILDCARD_SLOT_LISTS = frozenset(WILDCARD_VOCABULARY)
_NAME_PUNCTUATION = re.compile(r"[.,!?;:\"“”]+")
_WHITESPACE = re.compile(r"\s+")

# Owners of characters while a sentence is assembled.
_CARRIER = -1
_FILLER = -2


@functools.lru_cache(maxsize=4)
def load_intents(language: str = "en") -> Intents:
    """HA's intents for a language, parsed by hassil (cached: parsing takes ~0.2 s)."""
    data = get_intents(language)
    if not data:
        raise ValueError(f"home-assistant-intents has no intents for language {language!r}")
    if language == "en":
        # Sensor questions HA's English templates lack ("is the phone battery low?").
        data = merge_into(data)
    return Intents.from_dict(data)


def template_intents(language: str = "en") -> list[str]:
    """Every intent that has sentence templates in this language, in HA's order."""
    return [
        name
        for name, intent in load_intents(language).intents.items()
        if any(data.sentence_texts for data in intent.data)
    ]


def available_intents(home: Home) -> list[str]:
    """Intents with at least one template this home can fill (e.g. no todo list, no HassListAddItem)."""
    return [name for name, templates in _planner(home).templates.items() if templates]


def clean_name(text: str) -> str:
    """A home name as spoken: punctuation dropped, whitespace collapsed (as HA's slot lists do)."""
    return _WHITESPACE.sub(" ", _NAME_PUNCTUATION.sub(" ", text)).strip()


def build_slot_lists(home: Home) -> dict[str, SlotList]:
    """hassil slot lists for the home's names, areas and floors, as HA's default agent builds them.

    Used to check generated text with ``hassil.recognize`` (names carry their domain as
    context so ``requires_context`` works).
    """
    names: list[tuple[str, Any, dict[str, Any]]] = []
    for entity in home.entities:
        for name in entity.names:
            spoken = clean_name(name)
            if spoken:
                names.append((spoken, entity.name, {"domain": entity.domain}))
    areas = [(clean_name(n), a.name) for a in home.areas for n in a.names if clean_name(n)]
    floors = [(clean_name(n), f.name) for f in home.floors for n in f.names if clean_name(n)]
    return {
        "name": TextSlotList.from_tuples(names, allow_template=False, name="name"),
        "area": TextSlotList.from_tuples(areas, allow_template=False, name="area"),
        "floor": TextSlotList.from_tuples(floors, allow_template=False, name="floor"),
        **_home_lists(home),
    }


def _home_lists(home: Home) -> dict[str, SlotList]:
    """The extra templates' lists whose values come from the home (``extra_templates``)."""
    return {f"{LIST_PREFIX}product": TextSlotList.from_strings(appliance_products(home), name="product")}


def generate_examples(
    home: Home,
    count: int,
    seed: int,
    intents: list[str] | None = None,
    *,
    compound_share: float = 0.1,
    filler_share: float = 0.08,
    intent_weights: dict[str, float] | None = None,
) -> list[dict[str, Any]]:
    """``count`` labelled examples for this home, the same for the same seed.

    intents: restrict to these intents (default: every intent the home can fill).
    compound_share: share of examples that are two commands joined by "and"/"then".
    filler_share: share of commands with a polite prefix ("can you ...") tagged O.
    intent_weights: relative sampling weight per intent. The default, 1 + ln(number of
    templates the home can fill) (times ``INTENT_WEIGHT_BOOST``), puts intents with many phrasings (HassTurnOn,
    HassGetState) a few times ahead of tiny ones (HassNevermind) without drowning them.
    Every intent gets at least a few examples when ``count`` allows.
    """
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    if not 0.0 <= compound_share <= 1.0:
        raise ValueError(f"compound_share must be within [0, 1], got {compound_share}")
    planner = _planner(home)
    planner.reset()  # the planner is cached: a run must not depend on earlier runs
    names = _select_intents(planner, intents)
    rng = random.Random(seed)

    weights = [
        (intent_weights or {}).get(
            name,
            (1.0 + math.log(len(planner.templates[name]))) * INTENT_WEIGHT_BOOST.get(name, 1.0),
        )
        for name in names
    ]
    compound_names = [
        n
        for n in names
        if n not in COMPOUND_EXCLUDED_INTENTS and any(not t.wildcard for t in planner.templates[n])
    ]
    n_compound = int(round(count * compound_share)) if compound_names and count >= 2 else 0
    n_single = count - n_compound

    # A floor of examples per intent, then the rest by weight: rare intents still appear.
    per_intent = min(3, n_single // len(names))
    plan = [name for name in names for _ in range(per_intent)]
    plan += rng.choices(names, weights=weights, k=n_single - len(plan))
    rng.shuffle(plan)

    examples = [planner.sample(name, rng, filler_share).to_dict() for name in plan]

    compound_weights = [w for n, w in zip(names, weights, strict=True) if n in compound_names]
    for _ in range(n_compound):
        first, second = rng.choices(compound_names, weights=compound_weights, k=2)
        left = planner.sample(first, rng, filler_share, for_compound=True)
        right = planner.sample(second, rng, 0.0, for_compound=True)
        examples.append(_join(left, right, rng.choice(JOINERS)).to_dict())

    rng.shuffle(examples)
    # Device words the templates leave among the carrier words ("speed of the garage fans")
    # are the device: labels.py's verb/device rule, as the commands reader applies it.
    return [relabel_device_words(example) for example in examples]


# --- internals -------------------------------------------------------------------------


@dataclass(slots=True)
class _Sample:
    """One generated command (or several, joined), before conversion to a dict."""

    text: str
    spans: list[tuple[int, int, str]]
    commands: list[dict[str, Any]]
    has_wildcard: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "spans": [{"start": s, "end": e, "label": label} for s, e, label in self.spans],
            "commands": self.commands,
            "source": SOURCE,
        }


def _join(left: _Sample, right: _Sample, joiner: tuple[str, str]) -> _Sample:
    """Two commands as one utterance, the joiner's word(s) tagged `sep`."""
    glue, sep_words = joiner
    sep_start = len(left.text) + glue.index(sep_words)
    offset = len(left.text) + len(glue)
    spans = [
        *left.spans,
        (sep_start, sep_start + len(sep_words), SEP_LABEL),
        *((s + offset, e + offset, label) for s, e, label in right.spans),
    ]
    return _Sample(
        text=left.text + glue + right.text,
        spans=spans,
        commands=[*left.commands, *right.commands],
        has_wildcard=left.has_wildcard or right.has_wildcard,
    )


@dataclass(slots=True)
class _Template:
    """One sentence template of one intent data block, with what it may be filled with."""

    intent: str
    sentence: Sentence
    rules: dict[str, Sentence]
    lists: dict[str, SlotList]
    entities: list[Entity]  # candidates for {name}
    context: dict[str, Any]
    fixed_domain: str | None
    list_names: frozenset[str]  # every list the template can reach
    fillable: frozenset[str]  # the lists this home can fill
    wildcard: bool  # reaches a wildcard list (free text: search query, item, message ...)
    weight: float = 1.0  # relative to the intent's other templates (extra_templates.TEMPLATE_WEIGHT)
    failures: int = 0
    successes: int = 0


@dataclass(slots=True)
class _Picks:
    """Choices made once per sentence so name, area and floor agree with each other."""

    entity: Entity | None = None
    area: Area | None = None
    floor: Floor | None = None


class _Rejected(Exception):
    """The walk produced an odd sentence ("the kitchen light light"); try again."""


@dataclass(slots=True)
class _Walk:
    """State of one random walk: the text pieces and the slot each piece belongs to."""

    template: _Template
    rng: random.Random
    picks: _Picks
    pieces: list[tuple[str, int]] = field(default_factory=list)
    slot_names: list[str] = field(default_factory=list)
    has_wildcard: bool = False
    wildcard_owners: set[int] = field(default_factory=set)


@functools.lru_cache(maxsize=8)
def _planner_cached(home_key: str, language: str) -> _Planner:
    return _Planner(Home.from_dict(json.loads(home_key)), language)


def _planner(home: Home) -> _Planner:
    # Keyed by content: Home is mutable (unhashable); building a planner takes ~0.1 s.
    return _planner_cached(json.dumps(home.to_dict(), sort_keys=True), home.language)


def _select_intents(planner: _Planner, wanted: list[str] | None) -> list[str]:
    known = template_intents(planner.language)
    if wanted is None:
        names = [n for n in known if planner.templates.get(n)]
    else:
        unknown = [n for n in wanted if n not in known]
        if unknown:
            raise ValueError(
                f"unknown intent(s) {', '.join(unknown)}; intents with templates: "
                f"{', '.join(known)}"
            )
        names = [n for n in dict.fromkeys(wanted) if planner.templates.get(n)]
    if not names:
        raise ValueError(
            "no intent can be generated for this home"
            + (f" among {', '.join(wanted)}" if wanted else "")
            + " (its templates need names, areas or floors the home does not have)"
        )
    return names


class _Planner:
    """The templates a home can fill, and the random walk that turns one into an example."""

    def __init__(self, home: Home, language: str) -> None:
        self.home = home
        self.language = language
        self.intents = load_intents(language)
        self._fillable_memo: dict[tuple[frozenset[str], int], bool] = {}
        self._number_words: dict[float, list[str]] = {}
        self._commands = self._timer_commands()
        # Titles that share words with the home ("play the office" is a show, not a room).
        self._queries = WILDCARD_VOCABULARY["search_query"] + tuple(
            f"the {clean_name(area.name).lower()}" for area in home.areas
        )
        self._device_names = {n.casefold() for e in home.entities for n in e.names}
        self._home_lists = _home_lists(home)
        self.templates: dict[str, list[_Template]] = {}
        for name, intent in self.intents.intents.items():
            self.templates[name] = []
            for data in intent.data:
                rules = {**self.intents.expansion_rules, **data.expansion_rules}
                lists = {**self.intents.slot_lists, **data.slot_lists, **self._home_lists}
                entities = self._name_candidates(data.requires_context, data.excludes_context)
                needed = (data.metadata or {}).get(HOME_NEEDS_DOMAIN)
                if needed and not any(e.domain == needed for e in self.home.entities):
                    continue
                context = {
                    key: True
                    for key in data.requires_context
                    if key not in ("domain", "device_class")
                }
                fixed = data.slots.get("domain")
                for sentence in data.sentences:
                    list_names = frozenset(sentence.list_names(rules))
                    fillable = frozenset(
                        n for n in list_names if self._list_fillable(n, lists, entities)
                    )
                    template = _Template(
                        intent=name,
                        sentence=sentence,
                        rules=rules,
                        lists=lists,
                        entities=entities,
                        context=context,
                        fixed_domain=fixed if isinstance(fixed, str) else None,
                        list_names=list_names,
                        fillable=fillable,
                        wildcard=any(
                            isinstance(lists.get(n), WildcardSlotList) for n in list_names
                        ),
                        weight=float((data.metadata or {}).get(TEMPLATE_WEIGHT, 1.0)),
                    )
                    if self._fillable(sentence.expression, template):
                        self.templates[name].append(template)

    def reset(self) -> None:
        """Forget which templates failed, so every run starts the same."""
        for templates in self.templates.values():
            for template in templates:
                template.failures = template.successes = 0

    # -- what the home can fill --

    def _name_candidates(
        self, requires: dict[str, Any], excludes: dict[str, Any]
    ) -> list[Entity]:
        """Entities a template's {name} may be, per its requires/excludes_context domain
        (and device class: "is {name} low" asks about a battery)."""
        entities = self.home.entities
        wanted_class = requires.get("device_class")
        if wanted_class is not None:
            classes = {wanted_class} if isinstance(wanted_class, str) else set(wanted_class)
            entities = [e for e in entities if e.device_class in classes]
        wanted = requires.get("domain")
        if wanted is not None:
            allowed = {wanted} if isinstance(wanted, str) else set(wanted)
            entities = [e for e in entities if e.domain in allowed]
        unwanted = excludes.get("domain")
        if unwanted is not None:
            banned = {unwanted} if isinstance(unwanted, str) else set(unwanted)
            entities = [e for e in entities if e.domain not in banned]
        return [e for e in entities if any(clean_name(n) for n in e.names)]

    def _list_fillable(
        self, list_name: str, lists: dict[str, SlotList], entities: list[Entity]
    ) -> bool:
        if list_name == "name":
            return bool(entities)
        if list_name == "area":
            return bool(self.home.areas)
        if list_name == "floor":
            return bool(self.home.floors)
        slot_list = lists.get(list_name)
        if isinstance(slot_list, TextSlotList):
            return bool(slot_list.values)
        if isinstance(slot_list, RangeSlotList):
            return True
        if isinstance(slot_list, WildcardSlotList):
            return list_name in _WILDCARD_SLOT_LISTS
        return False

    def _fillable(self, expr: Expression, template: _Template, depth: int = 0) -> bool:
        """Whether some path through ``expr`` uses only lists the home can fill."""
        key = (template.fillable, id(expr))
        cached = self._fillable_memo.get(key)
        if cached is not None:
            return cached
        if depth > 40:
            raise ValueError(f"expansion rules nest too deep in {template.sentence.text!r}")
        result: bool
        if isinstance(expr, TextChunk):
            result = True
        elif isinstance(expr, ListReference):
            result = expr.list_name in template.fillable
        elif isinstance(expr, RuleReference):
            rule = template.rules.get(expr.rule_name)
            result = rule is not None and self._fillable(rule.expression, template, depth + 1)
        elif isinstance(expr, Alternative):
            result = any(self._fillable(i, template, depth + 1) for i in expr.items)
        elif isinstance(expr, Group):  # Sequence and Permutation: every item is used
            result = all(self._fillable(i, template, depth + 1) for i in expr.items)
        else:
            result = False
        self._fillable_memo[key] = result
        return result

    def _timer_commands(self) -> tuple[str, ...]:
        """Delayed commands ("turn off the kitchen light in 5 minutes") over the home's devices."""
        verbs = {
            "light": ("turn off", "turn on"),
            "switch": ("turn off", "turn on"),
            "fan": ("turn off", "turn on"),
            "media_player": ("turn off", "pause"),
            "cover": ("close", "open"),
            "lock": ("lock",),
            "valve": ("close",),
        }
        commands = list(WILDCARD_VOCABULARY["timer_command"])
        for entity in self.home.entities:
            for verb in verbs.get(entity.domain, ()):
                commands.append(f"{verb} the {clean_name(entity.name).lower()}")
        return tuple(commands)

    # -- sampling --

    def sample(
        self, intent: str, rng: random.Random, filler_share: float, for_compound: bool = False
    ) -> _Sample:
        """One example of ``intent``; a template that keeps producing odd text is retired."""
        templates = self.templates[intent]
        if for_compound:
            # "add milk and turn on ...": a wildcard would swallow the joiner.
            templates = [t for t in templates if not t.wildcard] or templates
        for _ in range(200):
            candidates = [t for t in templates if t.failures < 25 or t.successes]
            if not candidates:
                break
            weights = [t.weight for t in candidates]
            if all(w == 1.0 for w in weights):
                template = rng.choice(candidates)  # the same draws as before weights existed
            else:
                template = rng.choices(candidates, weights=weights)[0]
            sample = self._sample_template(template, rng, filler_share)
            if sample is None:
                template.failures += 1
                continue
            template.successes += 1
            return sample
        # Every template retired: try each in turn rather than fail.
        for template in templates:
            for _ in range(50):
                sample = self._sample_template(template, rng, filler_share)
                if sample is not None:
                    return sample
        raise RuntimeError(f"cannot generate a sentence for {intent} in this home")

    def _sample_template(
        self, template: _Template, rng: random.Random, filler_share: float
    ) -> _Sample | None:
        walk = _Walk(template=template, rng=rng, picks=self._pick(template, rng))
        if rng.random() < filler_share:
            walk.pieces.append((rng.choice(FILLER_PREFIXES) + " ", _FILLER))
        try:
            self._walk(template.sentence.expression, walk)
        except _Rejected:
            return None
        first = next((owner for text, owner in walk.pieces[1:] if text.strip()), None)
        if walk.pieces and walk.pieces[0][1] == _FILLER and first in walk.wildcard_owners:
            # HA keeps "please" inside a sentence-initial wildcard ("please turn off ... in
            # 5 minutes" -> command "please turn off ..."); leave that reading out.
            walk.pieces.pop(0)
        return self._assemble(walk)

    def _pick(self, template: _Template, rng: random.Random) -> _Picks:
        """Entity first, then (usually) its own area and floor, so "{area} {name}" agree."""
        picks = _Picks()
        if "name" in template.list_names and template.entities:
            picks.entity = rng.choice(template.entities)
            own_area = self.home.area(picks.entity.area)
            if own_area is not None and rng.random() < 0.85:
                picks.area = own_area
        if picks.area is None and self.home.areas:
            picks.area = rng.choice(self.home.areas)
        own_floor = self.home.floor(picks.area.floor) if picks.area is not None else None
        if own_floor is not None and rng.random() < 0.85:
            picks.floor = own_floor
        elif self.home.floors:
            picks.floor = rng.choice(self.home.floors)
        return picks

    def _walk(self, expr: Expression, walk: _Walk) -> None:
        rng = walk.rng
        if isinstance(expr, TextChunk):
            if expr.original_text:
                walk.pieces.append((expr.original_text, _CARRIER))
        elif isinstance(expr, Alternative):
            options = [i for i in expr.items if self._fillable(i, walk.template)]
            if expr.is_optional:
                # hassil appends the empty alternative last; [optional] is included half the time.
                words = [i for i in options if not (isinstance(i, TextChunk) and i.is_empty)]
                if not words or rng.random() < 0.5:
                    return
                options = words
            self._walk(rng.choice(options), walk)
        elif isinstance(expr, Permutation):
            # (a;b): any order; hassil pads each item with spaces, collapsed on assembly.
            items = list(expr.items)
            rng.shuffle(items)
            for item in items:
                self._walk(item, walk)
        elif isinstance(expr, Group):
            for item in expr.items:
                self._walk(item, walk)
        elif isinstance(expr, RuleReference):
            self._walk(walk.template.rules[expr.rule_name].expression, walk)
        elif isinstance(expr, ListReference):
            self._fill_list(expr, walk)
        else:
            raise TypeError(f"unexpected template expression {expr!r}")

    def _fill_list(self, ref: ListReference, walk: _Walk) -> None:
        rng = walk.rng
        name = ref.list_name
        picks = walk.picks
        if name == "name":
            assert picks.entity is not None
            text = self._spoken(rng.choice(picks.entity.names), rng)
        elif name == "area":
            assert picks.area is not None
            text = self._spoken(self._alias_or_name(picks.area.names, rng), rng)
        elif name == "floor":
            assert picks.floor is not None
            text = self._spoken(self._alias_or_name(picks.floor.names, rng), rng)
        else:
            slot_list = walk.template.lists[name]
            if isinstance(slot_list, TextSlotList):
                value = rng.choice(slot_list.values)
                inner = _Walk(template=walk.template, rng=rng, picks=picks)
                self._walk(value.text_in, inner)
                text = _WHITESPACE.sub(" ", "".join(t for t, _ in inner.pieces)).strip()
            elif isinstance(slot_list, RangeSlotList):
                text = self._number(slot_list, name, rng)
            else:
                walk.has_wildcard = True
                if name == "timer_command":
                    vocabulary = self._commands
                elif name == "search_query":
                    vocabulary = self._queries
                else:
                    vocabulary = WILDCARD_VOCABULARY[name]
                text = rng.choice(vocabulary)
        if not text:
            raise _Rejected
        slot = ref.slot_name
        if slot in SLOTS:
            walk.slot_names.append(slot)
            walk.pieces.append((text, len(walk.slot_names) - 1))
            if isinstance(walk.template.lists.get(name), WildcardSlotList):
                walk.wildcard_owners.add(len(walk.slot_names) - 1)
        else:
            walk.pieces.append((text, _CARRIER))

    @staticmethod
    def _alias_or_name(names: tuple[str, ...], rng: random.Random) -> str:
        # The official name is what most people say; aliases a good third of the time.
        if len(names) > 1 and rng.random() < 0.35:
            return rng.choice(names[1:])
        return names[0]

    @staticmethod
    def _spoken(name: str, rng: random.Random) -> str:
        # Speech-to-text and typing both lower-case names more often than not.
        name = clean_name(name)
        return name.lower() if rng.random() < 0.75 else name

    def _number(self, slot_list: RangeSlotList, list_name: str, rng: random.Random) -> str:
        """A number from a range list, as digits or (sometimes) as words."""
        low, high, step = slot_list.start, slot_list.stop, slot_list.step
        # People name typical values more often than the range's extremes.
        if slot_list.type == RangeType.TEMPERATURE and rng.random() < 0.8:
            low, high = max(low, 16), min(high, 30)
        elif list_name.startswith("timer_") and rng.random() < 0.8:
            high = min(high, 60)
        value: float = low + step * rng.randrange((high - low) // step + 1)
        if slot_list.type == RangeType.PERCENTAGE and rng.random() < 0.5:
            value = min(high, max(low, round(value / 10) * 10))
        if slot_list.fraction_type is not None and value < slot_list.stop and rng.random() < 0.2:
            value += 0.5
        use_words = slot_list.words and (not slot_list.digits or rng.random() < 0.3)
        if not use_words:
            return str(value)
        words = rng.choice(self._words(value))
        # Speech-to-text writes "twenty one" as often as "twenty-one".
        return words.replace("-", " ") if rng.random() < 0.3 else words

    def _words(self, value: float) -> list[str]:
        cached = self._number_words.get(value)
        if cached is None:
            result = get_rbnf_engine(self.language).format_number(value)
            cached = sorted(set(result.text_by_ruleset.values()))
            self._number_words[value] = cached
        return cached

    # -- assembly --

    def _device_name_split(self, text: str, spans: list[tuple[int, int, str]]) -> bool:
        """"the kitchen light" read as area + device word, in a home with a "Kitchen Light".

        Someone who says a device's exact name means that device; teaching the other
        reading too would give the model two answers for the same words.
        """
        return any(
            (l1, l2) == ("area", "domain") and text[s:e].casefold() in self._device_names
            for s, e, l1, l2 in _adjacent_pairs(spans)
        )

    def _assemble(self, walk: _Walk) -> _Sample | None:
        """Join the pieces with hassil's whitespace rules and read off the spans."""
        chars: list[str] = []
        owners: list[int] = []
        for text, owner in walk.pieces:
            for ch in text:
                if ch.isspace():
                    if not chars or chars[-1] == " ":
                        continue
                    ch = " "
                chars.append(ch)
                owners.append(owner)
        while chars and chars[-1] == " ":
            chars.pop()
            owners.pop()
        if not chars:
            return None
        text = "".join(chars)
        slot_names = list(walk.slot_names)

        template = walk.template
        if template.fixed_domain and "domain" in SLOTS:
            pattern = DOMAIN_WORDS.get(template.fixed_domain)
            for match in pattern.finditer(text) if pattern else ():
                verb = match.group().casefold() in VERB_DOMAINS and _CARRIER not in owners[: match.start()]
                if not verb and all(owners[i] == _CARRIER for i in range(match.start(), match.end())):
                    slot_names.append("domain")
                    for i in range(match.start(), match.end()):
                        owners[i] = len(slot_names) - 1
                    break

        intent_label = INTENT_LABEL_PREFIX + template.intent
        spans: list[tuple[int, int, str]] = []
        slots: dict[str, list[str]] = {}
        start = 0
        while start < len(chars):
            end = start
            while end < len(chars) and owners[end] == owners[start]:
                end += 1
            owner = owners[start]
            s, e = start, end
            while s < e and chars[s] == " ":
                s += 1
            while e > s and chars[e - 1] == " ":
                e -= 1
            if s < e and owner != _FILLER:
                label = intent_label if owner == _CARRIER else slot_names[owner]
                spans.append((s, e, label))
                if owner != _CARRIER:
                    slots.setdefault(label, []).append(text[s:e])
            start = end

        if _odd(text, spans) or self._device_name_split(text, spans):
            return None
        if not any(label == intent_label for _, _, label in spans):
            # "[<the>] {name}" (HassTurnOn) says just "ceiling fan": with no carrier word
            # there is nothing to vote for the intent, so the runtime must default it.
            return None
        command = {"intent": template.intent, "slots": slots, "context": dict(template.context)}
        return _Sample(text=text, spans=spans, commands=[command], has_wildcard=walk.has_wildcard)


def _adjacent_pairs(spans: list[tuple[int, int, str]]) -> Iterable[tuple[int, int, str, str]]:
    for (s1, e1, l1), (s2, e2, l2) in zip(spans, spans[1:]):
        if s2 == e1 + 1:
            yield s1, e2, l1, l2


def _odd(text: str, spans: Iterable[tuple[int, int, str]]) -> bool:
    """Sentences no one would say, which templates allow for other homes' names.

    "turn on the kitchen kitchen light" ({area} {name} where the name starts with the
    area), "the kitchen light lamp" ({name} <light> where the name ends in "light") and
    "the first floor floor" ({floor} [floor] where the floor's name ends in "floor").
    """
    by_label: dict[str, list[str]] = {}
    span_list = list(spans)
    for s, e, label in span_list:
        by_label.setdefault(label, []).append(text[s:e].lower())
    for name in by_label.get("name", ()):
        for place in (*by_label.get("area", ()), *by_label.get("floor", ())):
            if f" {place} " in f" {name} " or f" {name} " in f" {place} ":
                return True
    for s, e, label in span_list:
        if label not in ("name", "area", "floor"):
            continue
        last_word = text[s:e].lower().rsplit(" ", 1)[-1]
        following = text[e:].lower().split(maxsplit=1)
        if following and (
            following[0] == last_word
            or (last_word in _LIGHT_WORDS and following[0] in _LIGHT_WORDS)
        ):
            return True
    return False
