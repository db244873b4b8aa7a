"""Words that name a kind of device: the training data generator tags them as the ``domain``
slot, and the runtime turns a tagged word back into its domain. One table serves both.

Verbs that only ever act on one kind of device name it too ("lock the kitchen doors" must
never open a door cover), but they stay carrier words (the intent is voted by them, and
"lock front door" has no other): ``domain_of_verb`` reads the domain off a command's
carrier words."""

from __future__ import annotations

DOMAIN_WORDS: dict[str, tuple[str, ...]] = {
    "light": ("light", "lights", "lighting", "lamp", "lamps"),
    "fan": ("fan", "fans"),
    "switch": ("switch", "switches"),
    "lock": ("lock", "locks"),
    "cover": ("garage door", "garage doors", "cover", "covers", "blind", "blinds", "curtain",
              "curtains", "shade", "shades", "shutter", "shutters", "awning", "awnings", "gate", "gates"),
    "valve": ("valve", "valves"),
    "media_player": ("media player", "media players", "tv", "tvs", "speaker", "speakers", "television",
                     "televisions", "telly", "tellies"),
    "climate": ("thermostat", "thermostats", "heating", "air conditioning"),
    # "hoover" is a brand people use for any vacuum (alone it is as often the verb).
    "vacuum": ("vacuum", "vacuums", "vacuum cleaner", "vacuum cleaners", "robot vacuum", "robot vacuums",
               "robot hoover", "robot hoovers"),
    "lawn_mower": ("mower", "mowers", "lawn mower", "lawn mowers", "lawnmower", "lawnmowers"),
    "script": ("script", "scripts"),
    "scene": ("scene", "scenes"),
    "person": ("anyone", "anybody", "someone", "somebody", "everyone", "everybody", "people",
               "persons"),
}

WORD_TO_DOMAIN: dict[str, str] = {
    word: domain for domain, words in DOMAIN_WORDS.items() for word in words
}


def domain_of_word(text: str) -> str | None:
    """The domain a device word names ("Lamps" -> "light"), or None."""
    return WORD_TO_DOMAIN.get(" ".join(text.casefold().split()))


# A smart plug is a switch of device class "outlet"; the word alone would name every switch.
OUTLET_WORDS = ("plug", "plugs", "socket", "sockets", "outlet", "outlets")


def kind_ending_a_name(text: str) -> tuple[str, str, str | None] | None:
    """ "wemo plug socket" -> ("wemo plug", "switch", "outlet"): the name said before a last
    word for its kind of device, that kind's domain and device class; None when the name does
    not end in such a word (or is nothing but it)."""
    words = text.casefold().split()
    for size in (2, 1):
        if len(words) > size:
            said, rest = " ".join(words[-size:]), " ".join(words[:-size])
            if said in OUTLET_WORDS:
                return rest, "switch", "outlet"
            if (domain := WORD_TO_DOMAIN.get(said)) is not None:
                return rest, domain, None
    return None


# Verbs (and question words) that are about one domain only, said first in a command.
VERB_DOMAINS: dict[str, str] = {"lock": "lock", "unlock": "lock", "light up": "light", "illuminate": "light",
                                # "who is home?" asks about people.
                                "who": "person"}


def domain_of_verb(carrier: str) -> str | None:
    """The domain a command's carrier words name by their verb ("lock the ... doors" -> lock,
    "light up the kitchen" -> light), or None."""
    words = carrier.casefold().split()
    for size in (2, 1):
        if (domain := VERB_DOMAINS.get(" ".join(words[:size]))) is not None:
            return domain
    return None

