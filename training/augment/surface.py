"""Casing, punctuation, and singular <-> plural device words."""

from __future__ import annotations

import random

from .draft import _Draft, _INTENT, _Pool, _QUESTION_INTENTS, _SEP, _Tok, _WILDCARD_SLOTS, _render



def _aug_noise(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    draft = source.copy()
    casing = rng.choices(("upper", "title", "first", None), weights=(0.2, 0.25, 0.35, 0.2))[0]
    if casing == "upper":
        for tok in draft.toks:
            tok.text = tok.text.upper()
    elif casing == "title":
        for tok in draft.toks:
            tok.text = tok.text[:1].upper() + tok.text[1:]
    elif casing == "first":
        first = draft.toks[0]
        first.text = first.text[:1].upper() + first.text[1:]

    question = any(c.intent in _QUESTION_INTENTS for c in draft.cmds)
    if draft.toks[-1].label not in _WILDCARD_SLOTS and rng.random() < 0.75:
        marks = ("?", "?", "??", ".") if question else (".", "!", "!!", "?", "...")
        draft.toks.append(_Tok(rng.choice(marks), None, None, space=False))
    if rng.random() < 0.35:
        # A comma at a pause: after a leading filler word, or before a joining "and"/"then".
        places = [
            i for i in range(1, len(draft.toks))
            if (draft.toks[i].label == _SEP and draft.toks[i - 1].label != _SEP)
            or (draft.toks[i - 1].label is None and draft.toks[i].label is not None and i <= 3)
        ]
        places = [i for i in places if draft.toks[i - 1].text not in (",", ".", "!", "?")]
        if places:
            i = rng.choice(places)
            draft.toks.insert(i, _Tok(",", None, None, space=False))
    rendered = _render(draft, "noise")["text"]
    original = _render(source, "noise")["text"]
    return draft if rendered != original else None


# --- plural and singular --------------------------------------------------------------------

PLURALS: dict[str, str] = {
    "light": "lights", "lamp": "lamps", "fan": "fans", "switch": "switches", "blind": "blinds",
    "curtain": "curtains", "shade": "shades", "shutter": "shutters", "awning": "awnings",
    "window": "windows", "door": "doors", "gate": "gates", "lock": "locks", "valve": "valves",
    "speaker": "speakers", "tv": "tvs", "vacuum": "vacuums", "thermostat": "thermostats",
    "sensor": "sensors", "outlet": "outlets", "plug": "plugs", "heater": "heaters",
    "strip": "strips", "bulb": "bulbs", "spotlight": "spotlights", "downlight": "downlights",
    "sconce": "sconces", "socket": "sockets", "cover": "covers", "pendant": "pendants",
    "lantern": "lanterns", "sprinkler": "sprinklers",
}
_SINGULARS = {plural: singular for singular, plural in PLURALS.items() if plural != singular}


def _aug_plural(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    places = []
    for i, tok in enumerate(source.toks):
        word = tok.text.lower()
        if tok.label in ("name", "domain", "device_class") and (word in PLURALS or word in _SINGULARS):
            places.append(i)
    if not places:
        return None
    draft = source.copy()
    i = rng.choice(places)
    tok = draft.toks[i]
    word = tok.text.lower()
    to_plural = word in PLURALS
    new = PLURALS[word] if to_plural else _SINGULARS[word]
    if tok.text in ("TV", "TVs"):
        tok.text = "TVs" if to_plural else "TV"
    elif tok.text.isupper() and len(tok.text) > 1:
        tok.text = new.upper()
    else:
        tok.text = new.capitalize() if tok.text[:1].isupper() else new
    # Keep the verb in agreement when it is right before the target: "is the light" / "are the lights".
    for j in range(i - 1, max(-1, i - 5), -1):
        other = draft.toks[j]
        if other.label is not None and not other.label.startswith(_INTENT) and other.span != tok.span:
            break
        agreement = {"is": "are", "are": "is", "was": "were", "were": "was"}
        if other.text.lower() in agreement and other.label and other.label.startswith(_INTENT):
            if (other.text.lower() in ("is", "was")) == to_plural:
                other.text = agreement[other.text.lower()]
            break
    return draft


