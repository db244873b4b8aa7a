"""Carrier words Home Assistant's templates lack, keeping the intent label."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .frames import pick
from .draft import _Draft, _INTENT, _Pool, _command_domain, _new_words



@dataclass(frozen=True, slots=True)
class _Synonym:
    intents: tuple[str, ...]
    old: tuple[str, ...]
    new: tuple[str, ...]  # each a phrase
    domains: frozenset[str | None] | None = None  # None: any
    needs_slot: str | None = None
    not_before: frozenset[str] = frozenset()  # the word after the match may not be one of these
    then: tuple[str, str] | None = None  # also replace the next carrier word `then[0]` with `then[1]`
    weight: float = 1.0  # rules that match very many sources would crowd out the rest


_ONISH = frozenset({"light", "switch", "fan", "media_player", "climate", "input_boolean", None})
SYNONYMS: tuple[_Synonym, ...] = (
    _Synonym(("HassTurnOn",), ("turn", "on"), ("power on", "flip on", "fire up", "put on", "start up"), _ONISH),
    _Synonym(("HassTurnOn",), ("switch", "on"), ("power on", "flip on", "click on"), _ONISH),
    _Synonym(("HassTurnOn",), ("turn",), ("power", "flip", "put"), _ONISH, not_before=frozenset({"on", "off", "up", "down"})),
    _Synonym(("HassTurnOn",), ("open",), ("raise", "roll up", "pull up", "lift"), frozenset({"cover"})),
    _Synonym(("HassTurnOn",), ("open",), ("turn on", "start"), frozenset({"valve"})),
    _Synonym(("HassTurnOn",), ("lock",), ("secure", "bolt"), frozenset({"lock"})),
    _Synonym(("HassTurnOn",), ("activate",), ("trigger", "start", "run", "fire off"), frozenset({"scene", "script"})),
    _Synonym(("HassTurnOn",), ("run",), ("execute", "start", "kick off"), frozenset({"script"})),
    _Synonym(("HassTurnOff",), ("turn", "off"), ("shut off", "power off", "kill", "cut", "power down", "flip off", "shut down"), _ONISH),
    _Synonym(("HassTurnOff",), ("switch", "off"), ("shut off", "power off", "kill", "flip off"), _ONISH),
    _Synonym(("HassTurnOff",), ("turn",), ("shut", "power", "flip"), _ONISH, not_before=frozenset({"on", "off", "up", "down"})),
    _Synonym(("HassTurnOff",), ("close",), ("lower", "shut", "roll down", "pull down", "draw"), frozenset({"cover"})),
    _Synonym(("HassTurnOff",), ("close",), ("shut", "turn off", "shut off"), frozenset({"valve"})),
    _Synonym(("HassTurnOff",), ("unlock",), ("unbolt", "unlatch"), frozenset({"lock"})),
    _Synonym(("HassLightSet",), ("set",), ("dim", "bring", "put", "drop", "adjust"), needs_slot="brightness"),
    _Synonym(("HassLightSet",), ("set",), ("make", "change", "switch"), needs_slot="color"),
    _Synonym(("HassLightSet",), ("turn",), ("dim", "bring"), needs_slot="brightness"),
    _Synonym(("HassSetVolumeRelative",), ("turn", "up"), ("crank up", "bump up", "pump up", "bring up")),
    _Synonym(("HassSetVolumeRelative",), ("turn", "down"), ("bring down", "dial down", "knock down")),
    _Synonym(("HassSetVolumeRelative",), ("increase",), ("boost", "raise", "bump")),
    _Synonym(("HassSetVolumeRelative",), ("decrease",), ("lower", "reduce", "drop")),
    _Synonym(("HassSetVolume",), ("set",), ("put", "bring", "adjust")),
    _Synonym(("HassClimateSetTemperature",), ("set",), ("put", "bring", "adjust", "crank")),
    _Synonym(("HassSetPosition",), ("set",), ("move", "put", "bring", "adjust")),
    _Synonym(("HassFanSetSpeed",), ("set",), ("put", "bring", "run", "crank")),
    _Synonym(("HassMediaPlayerMute",), ("mute",), ("silence", "shush", "hush")),
    _Synonym(("HassMediaNext",), ("next", "track"), ("next song", "next tune", "next one")),
    _Synonym(("HassMediaPrevious",), ("previous", "track"), ("previous song", "last song", "last track")),
    _Synonym(("HassMediaPause",), ("pause",), ("hold", "freeze")),
    _Synonym(("HassVacuumStart",), ("start",), ("run", "launch", "kick off", "fire up")),
    _Synonym(("HassVacuumStart", "HassVacuumCleanArea"), ("vacuum",), ("hoover",)),
    _Synonym(("HassVacuumStart", "HassVacuumCleanArea"), ("clean",), ("hoover", "tidy")),
    _Synonym(("HassStartTimer", "HassCancelTimer", "HassTimerStatus", "HassPauseTimer",
              "HassUnpauseTimer", "HassIncreaseTimer", "HassDecreaseTimer"), ("timer",), ("countdown",), weight=0.15),
    _Synonym(("HassCancelAllTimers",), ("timers",), ("countdowns",), weight=0.3),
    _Synonym(("HassCancelTimer", "HassCancelAllTimers"), ("cancel",), ("kill", "scrap", "abort", "drop")),
    _Synonym(("HassGetState", "HassGetWeather", "HassClimateGetTemperature", "HassGetCurrentTime",
              "HassGetCurrentDate"), ("what", "is"), ("what's", "whats"), weight=0.4),
    _Synonym(("HassGetState", "HassGetWeather", "HassClimateGetTemperature", "HassGetCurrentTime",
              "HassGetCurrentDate"), ("what's",), ("what is", "whats"), weight=0.4),
    _Synonym(("HassGetWeather",), ("weather",), ("forecast", "weather forecast")),
    _Synonym(("HassShoppingListAddItem", "HassListAddItem"), ("add",), ("put", "stick", "throw"), then=("to", "on")),
    _Synonym(("HassMediaUnpause",), ("resume",), ("continue", "restart")),
    # Colloquial and regional verbs.
    _Synonym(("HassTurnOn",), ("turn", "on"), ("flick on", "pop on", "stick on", "bung on", "get on"), _ONISH),
    _Synonym(("HassTurnOff",), ("turn", "off"), ("flick off", "knock off", "turn out", "put out", "switch out"),
             frozenset({"light", None})),
    _Synonym(("HassTurnOn",), ("open",), ("open up", "roll up", "draw back"), frozenset({"cover"})),
    _Synonym(("HassClimateSetTemperature",), ("set",), ("bump", "whack", "turn", "crank up", "bring up")),
    _Synonym(("HassLightSet",), ("set",), ("crank", "knock", "take"), needs_slot="brightness"),
    _Synonym(("HassVacuumStart",), ("start",), ("get going", "set off", "send out")),
    _Synonym(("HassMediaPause",), ("pause",), ("stop", "hold on")),
    _Synonym(("HassMediaNext",), ("next",), ("skip to the next", "move on to the next")),
)


# Device nouns people use that templates do not (each one a word of vocabulary.DOMAIN_WORDS).
NOUN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "tv": ("telly", "television"), "tvs": ("tellies", "televisions"), "lights": ("lighting", "lamps"),
    "light": ("lamp",), "blinds": ("shades", "shutters"), "thermostat": ("heating",), "speaker": ("speakers",),
}


def _noun_synonym(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    places = [i for i, t in enumerate(source.toks) if t.label == "domain" and t.text.lower() in NOUN_SYNONYMS]
    if not places:
        return None
    draft = source.copy()
    i = rng.choice(places)
    draft.toks[i].text = pick(rng, NOUN_SYNONYMS[draft.toks[i].text.lower()])
    return draft


def _aug_synonym(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if rng.random() < 0.2:
        return _noun_synonym(source, pool, rng)
    return _verb_synonym(source, pool, rng)


def _verb_synonym(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    owners = source.command_of()
    domains = [_command_domain(source, cmd, pool.home) for cmd in source.cmds]
    toks = source.toks
    candidates: list[tuple[int, _Synonym]] = []
    for i, tok in enumerate(toks):
        if not (tok.label and tok.label.startswith(_INTENT)):
            continue
        intent = tok.label[len(_INTENT):]
        command = owners[i]
        for rule in SYNONYMS:
            n = len(rule.old)
            if intent not in rule.intents or i + n > len(toks):
                continue
            if any(toks[i + k].label != tok.label or toks[i + k].text.lower() != rule.old[k] for k in range(n)):
                continue
            if command >= len(source.cmds):
                continue
            if rule.domains is not None and domains[command] not in rule.domains:
                continue
            if rule.needs_slot and rule.needs_slot not in source.cmds[command].slots:
                continue
            if i + n < len(toks) and toks[i + n].text.lower() in rule.not_before:
                continue
            candidates.append((i, rule))
    if not candidates:
        return None
    [(i, rule)] = rng.choices(candidates, weights=[rule.weight for _, rule in candidates])
    if rng.random() > rule.weight:  # a source where only a low-weight rule applies is often skipped
        return None
    draft = source.copy()
    old = draft.toks[i]
    new = _new_words(pick(rng, rule.new), old.label, old.span)
    new[0].space = old.space
    if old.text[:1].isupper():
        new[0].text = new[0].text[:1].upper() + new[0].text[1:]
    draft.toks[i : i + len(rule.old)] = new
    if rule.then:
        for tok in draft.toks[i + len(new):]:
            if tok.label == old.label and tok.text.lower() == rule.then[0]:
                tok.text = rule.then[1]
                break
    return draft


