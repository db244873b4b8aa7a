"""Out-of-domain text: chit-chat, questions about the world, other languages."""

from __future__ import annotations

import random
import re

from .draft import _Draft, _Pool, _Tok, _new_words


# Words that would make an out-of-domain sentence look like a home command or one of HA's
# own intents (greetings, "never mind", time, weather ...).
_OOD_BLOCKED = re.compile(
    r"\b(?:lights?|lamps?|turn|switch\w*|on|off|open|close|shut|lock|unlock|set|dim|bright\w*|"
    r"temperature|temp|thermostat|heat\w*|cool\w*|fans?|blinds?|curtains?|doors?|windows?|"
    r"garage|tv|volume|play|pause|resume|skip|next|previous|mute|unmute|timers?|minutes?|"
    r"seconds?|hours?|weather|forecast|time|date|list|shopping|add|remove|vacuum|clean|mow\w*|"
    r"lawn|start|stop|cancel|never ?mind|hello|hi|who made you|what can i|listening|data|"
    r"announce|broadcast|music|song|radio|kitchen|bedroom|living|room|bathroom|office|garden|"
    r"upstairs|downstairs|floor|percent|degrees|speaker|scene|script|valve|sensor)\b",
    re.IGNORECASE,
)

_COUNTRIES = ("france", "japan", "brazil", "canada", "australia", "egypt", "norway", "kenya", "peru",
              "italy", "spain", "mexico", "india", "germany", "portugal", "chile")
_LANDMARKS = ("mount everest", "the eiffel tower", "the empire state building", "big ben",
              "the statue of liberty", "kilimanjaro", "the burj khalifa", "the great pyramid")
_BOOKS = ("hamlet", "pride and prejudice", "moby dick", "war and peace", "the hobbit",
          "don quixote", "frankenstein", "the odyssey", "jane eyre", "dracula")
_PEOPLE = ("albert einstein", "marie curie", "leonardo da vinci", "cleopatra", "isaac newton",
           "ada lovelace", "mozart", "shakespeare", "napoleon", "frida kahlo")
_ANIMALS = ("cats", "dogs", "penguins", "giraffes", "octopuses", "owls", "dolphins", "elephants",
            "hedgehogs", "koalas")
_FOODS = ("pancakes", "lasagna", "sourdough bread", "guacamole", "banana bread", "risotto",
          "apple pie", "fried rice", "hummus", "chili")
_TOPICS = ("football", "the roman empire", "black holes", "dinosaurs", "the ocean", "chess",
           "volcanoes", "the moon", "jazz history", "knitting", "photography", "philosophy")
_WORDS = ("serendipity", "ubiquitous", "ephemeral", "quixotic", "gregarious", "melancholy",
          "petrichor", "sonder", "ineffable", "laconic")
_LANGUAGES = ("french", "spanish", "german", "italian", "japanese", "dutch")
_ADJECTIVES = ("cute", "amazing", "weird", "funny", "smart", "overrated", "fascinating", "adorable")
_RELATIVES = ("mom", "dad", "sister", "brother", "aunt", "uncle", "grandma", "neighbor", "boss")
_WHENS = ("tomorrow", "tonight", "next week", "on friday", "this weekend", "later")
_WHENS = tuple(w for w in _WHENS if not _OOD_BLOCKED.search(w))

_OOD_PATTERNS: tuple[tuple[str, dict[str, tuple[str, ...]]], ...] = (
    ("what is the capital of {x}", {"x": _COUNTRIES}),
    ("what's the population of {x}", {"x": _COUNTRIES}),
    ("what language do they speak in {x}", {"x": _COUNTRIES}),
    ("how tall is {x}", {"x": _LANDMARKS}),
    ("where is {x}", {"x": _LANDMARKS}),
    ("who wrote {x}", {"x": _BOOKS}),
    ("is {x} worth reading", {"x": _BOOKS}),
    ("who was {x}", {"x": _PEOPLE}),
    ("when was {x} born", {"x": _PEOPLE}),
    ("why are {x} so {y}", {"x": _ANIMALS, "y": _ADJECTIVES}),
    ("i think {x} are {y}", {"x": _ANIMALS, "y": _ADJECTIVES}),
    ("how long do {x} live", {"x": _ANIMALS}),
    ("how do i make {x}", {"x": _FOODS}),
    ("what goes well with {x}", {"x": _FOODS}),
    ("i really feel like {x}", {"x": _FOODS}),
    ("tell me something about {x}", {"x": _TOPICS}),
    ("i was reading about {x} yesterday", {"x": _TOPICS}),
    ("do you know anything about {x}", {"x": _TOPICS}),
    ("what does {x} mean", {"x": _WORDS}),
    ("how do you spell {x}", {"x": _WORDS}),
    ("how do you say thank you in {x}", {"x": _LANGUAGES}),
    ("my {x} is coming over {y}", {"x": _RELATIVES, "y": _WHENS}),
    ("i have to call my {x} {y}", {"x": _RELATIVES, "y": _WHENS}),
    ("tell me a joke about {x}", {"x": _ANIMALS}),
)
_OOD_FIXED: tuple[str, ...] = (
    # chit-chat
    "how are you", "how are you doing today", "i'm so tired", "i'm bored", "that was a great movie",
    "you're funny", "i love you", "what's up", "good night", "good morning", "what are you doing",
    "do you like pizza", "are you a robot", "what's your favorite color", "i had a long day",
    "are you there", "can you hear me", "that's hilarious", "sing me a lullaby", "let's chat",
    "i'm hungry", "tell me a story", "what should i cook for dinner", "do you dream",
    "i don't feel like doing anything", "it was nice talking to you", "you are the best",
    "my cat just knocked over a glass", "guess what happened", "that's not what i meant",
    # questions about the world
    "why is the sky blue", "how far away is the sun", "how many legs does a spider have",
    "what is the speed of light in a vacuum", "who painted the mona lisa", "how deep is the ocean",
    "how many bones are in the human body", "what is the meaning of life", "who invented the telephone",
    "what's the square root of one hundred forty four", "how many continents are there",
    "what is photosynthesis", "who won the world cup", "how does a rainbow form",
    "how many planets are in the solar system", "what's the biggest animal in the world",
    "why do cats purr", "how old is the universe", "what is the tallest tree",
    # half-sentences
    "i was wondering if", "can you tell me", "what about the", "so i think we should", "and then the",
    "um so", "wait", "hmm", "hold on", "let me think", "actually no", "the thing is", "i meant",
    "sorry what", "is it", "how about", "where was i", "oh and", "uh huh", "yes", "no", "yeah",
    "nope", "maybe", "okay so", "and the", "what if we", "i need to", "could you maybe", "well",
    "the other", "just a", "one more", "so yeah", "hang on a sec",
    # non-English
    "wie geht es dir", "ich habe hunger", "ich verstehe das nicht", "guten morgen", "danke schön",
    "bonjour comment ça va", "je ne sais pas", "où est la gare", "merci beaucoup", "c'est la vie",
    "buenos días", "muchas gracias", "¿dónde está la biblioteca?", "no entiendo", "me llamo juan",
    "come stai", "dov'è il bagno", "grazie mille", "ik weet het niet", "hoe gaat het met je",
    "obrigado", "tudo bem", "jag förstår inte", "dziękuję bardzo", "dobrý den", "ohayou gozaimasu",
    "arigatou", "hvordan har du det", "kiitos paljon", "selamat pagi",
)
_RANDOM_WORDS: tuple[str, ...] = (
    "banana", "purple", "elephant", "seventeen", "carpet", "moon", "whistle", "pancake", "river",
    "bicycle", "orange", "thunder", "pencil", "giraffe", "cloud", "marble", "tiger", "velvet",
    "oak", "saxophone", "penguin", "lemon", "galaxy", "ladder", "violet", "anchor", "muffin",
    "cactus", "umbrella", "jelly", "piano", "rocket", "puzzle", "kettle", "pirate", "noodle",
)


def out_of_domain_sentences() -> list[str]:
    """The built-in out-of-domain sentences (a few hundred), none of them a home command."""
    sentences: list[str] = list(_OOD_FIXED)
    for pattern, fills in _OOD_PATTERNS:
        keys = sorted(fills)
        combos: list[dict[str, str]] = [{}]
        for key in keys:
            combos = [{**c, key: value} for c in combos for value in fills[key]]
        sentences += [pattern.format(**c) for c in combos]
    return sorted({s for s in sentences if not _OOD_BLOCKED.search(s)})


_OOD_SENTENCES = out_of_domain_sentences()


def _aug_ood(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    for _ in range(20):
        if rng.random() < 0.8:
            sentence = rng.choice(_OOD_SENTENCES)
        else:
            sentence = " ".join(rng.sample(_RANDOM_WORDS, rng.randint(1, 4)))
        padded = f" {sentence.casefold()} "
        if not any(f" {phrase} " in padded for phrase in pool.home.phrases):
            break
    else:
        return None
    toks = _new_words(sentence, None, None)
    if rng.random() < 0.35:
        toks[0].text = toks[0].text[:1].upper() + toks[0].text[1:]
    if rng.random() < 0.3 and toks[-1].text[-1:].isalpha():
        toks.append(_Tok(rng.choice(("?", ".", "!")), space=False))
    return _Draft(toks, [])


