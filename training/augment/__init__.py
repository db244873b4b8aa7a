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

The kinds (families) and their shares of the augmented examples (``AUGMENTATIONS`` in
``mix.py``; one module each):

========== ===== ========================================================================
kind       share what it does
========== ===== ========================================================================
filler     0.06  politeness and hesitation tagged O ("please", "hey", "could you", "um")
fragment   0.08  word-order fragments: "kitchen light off", "office fan 40%" (fragment.py)
order      0.10  noun first, goal states, verb last, request words O: "hallway plug off",
                 "front door locked", "I'd like the blinds down" (phrasing.py)
indirect   0.10  indirect requests ("is it possible to ..."), questions about the state
                 ("is the porch light still on?", "did I forget to turn off ..."),
                 colloquial whole commands ("give the den a clean") (phrasing.py)
synonym    0.07  colloquial carrier verbs and device nouns: "kill the", "flick on", "telly"
typo       0.06  one or two keyboard typos in names, areas and carrier words
speech     0.06  homophones, dropped short words, number words <-> digits, units
phonetic   0.07  sound-alike confusions of names and device words from Metaphone
                 ("hallway" -> "hal way", "dining" -> "dinning") (phonetic.py)
numbers    0.05  every spoken form of a number: "50%", "fifty percent", "half", "max"
noise      0.04  casing and punctuation
plural     0.03  singular <-> plural device words
disfluency 0.06  "turn on the, uh, the den lamp"; self-corrections, the corrected target
                 only in the command (disfluency.py)
compound   0.16  lists of 2-4 names or places with a shared verb and value; chains of 2-4
                 commands with every joiner and goal-state parts; pronouns that refer back
                 ("... and set it to 40%") (compound.py, chains.py)
ood        0.06  out-of-domain text, all O and ``commands: []``
========== ===== ========================================================================

Frames (sentence shapes, joiners, synonyms, fillers) are drawn through ``frames.pick``: a
fixed fifth of them is held out of training for ``python -m training heldout``.

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
