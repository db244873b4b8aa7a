"""Beyond the templates: labelled examples of how people really talk to a home.

Home Assistant's templates are tidy English. People type and speak fragments ("kitchen
light off"), typos ("kitchn light"), speech-to-text slips ("turn the light of", "set it two
fifty percent"), polite padding ("hey, could you ... thanks"), lists ("the kitchen light and
the bedroom lamp") and things that are no command at all ("who wrote hamlet"). This package
derives such examples from template examples (``generate.generate_examples``), labelled in
the same format, so the model learns them too.

Every augmented example is a *new* example (the input list is never modified) with
``"source": "augment"`` and ``"augmentation": <kind>``. Spans and ``commands`` are rebuilt
from one word list after every edit, so a slot's text in ``commands`` is always exactly the
text at its span (a typo'd name stays a typo'd name: resolution is fuzzy later).

The kinds and their shares of the augmented examples (``AUGMENTATIONS``):

======== ===== ==========================================================================
kind     share what it does
======== ===== ==========================================================================
filler   0.12  politeness and hesitation tagged O: "please", "hey", "could you", "um",
               "for me", "thanks" (prefix, suffix, "um" in the middle)
fragment 0.12  word-order fragments: targets first and the carrier words cut to the key
               word that still votes for the intent: "kitchen light off", "bedroom
               blinds up", "lights off in the kitchen", "office fan 40%"
synonym  0.10  carrier words HA's templates lack, keeping the intent label: "power on",
               "shut off", "kill the", "dim ... to", "crank up", "silence", "hoover"
typo     0.12  one or two typos (swap, drop or double a letter, a keyboard neighbour) in
               names, areas and carrier words
speech   0.12  speech-to-text slips: homophones ("for"/"four", "to"/"two", "light"/"lite",
               "off"/"of"), dropped short words ("the", "a"), number words <-> digits,
               "%" <-> "percent", "°" <-> "degrees"
noise    0.08  casing and punctuation: ALL CAPS, Title Case, a capital first letter,
               trailing "?", "!", ".", commas
plural   0.06  singular <-> plural device words ("lights" -> "light", "Blind" -> "Blinds")
compound 0.16  one command with two or three names ("turn on the kitchen light and the
               bedroom lamp", "and" tagged O; 35%) or two places ("the kitchen and living
               room lights"; 25%); three commands ("A, B and then C", joiners tagged
               ``sep``) or two with joiners the templates lack ("and also", "after that";
               40%)
ood      0.12  out-of-domain text, all O and ``commands: []``: chit-chat, questions about
               the world, half-sentences, random words, other languages
======== ===== ==========================================================================

A kind that cannot be applied to any source (no fragment for a data set of timers only)
gives its examples to ``filler`` and ``noise``, which apply to anything.

This package must not import Home Assistant; it needs only the home snapshot.
"""

from .draft import SOURCE
from .filler import FILLER_INFIXES, FILLER_PREFIXES, FILLER_SUFFIXES
from .mix import AUGMENTATIONS, AUGMENTERS, augment_examples, augment_one
from .ood import out_of_domain_sentences
from .speech import HOMOPHONES, number_to_words, words_to_digits
from .surface import PLURALS
from .synonym import SYNONYMS
from .typo import typo

__all__ = [
    "AUGMENTATIONS", "AUGMENTERS", "FILLER_INFIXES", "FILLER_PREFIXES", "FILLER_SUFFIXES", "HOMOPHONES",
    "PLURALS", "SOURCE", "SYNONYMS", "augment_examples", "augment_one", "number_to_words",
    "out_of_domain_sentences", "typo", "words_to_digits",
]
