"""Compounds beyond the first cut: lists of 2-4 targets with every joiner, chains of 2-4
commands with mixed intents and goal-state parts, and pronouns that refer back.

- ``target_list``: "turn off the hall light, the porch light and the desk lamp", "both the
  fan and the heater", "the kitchen light as well as the hallway light", a shared value kept
  ("set the desk lamp plus the reading lamp to 40%"). List words are O: one command.
- ``chain``: "A and B", "A, B, then C", "A, B, C and then D", "A also B", "A plus B" ...;
  a part may be said as a goal state ("garage door closed and porch light on, thanks").
  Joiners are ``sep``.
- ``pronoun``: "turn on the desk lamp and set it to 40 percent", "open the blinds and then
  set them to half": the second command has no target words, its pronoun points back, and
  its targets are the first command's (the commands reader does the same).
"""

from __future__ import annotations

import random

from .draft import _INTENT, _SEP, _Cmd, _Draft, _Pool, _Tok, _is_single, _new_words, _spoken, _text_of
from .frames import pick
from .phrasing import _aug_order, frame_words

_LIST_INTENTS = frozenset({
    "HassTurnOn", "HassTurnOff", "HassLightSet", "HassSetPosition", "HassFanSetSpeed", "HassMediaPause",
    "HassMediaUnpause", "HassMediaPlayerMute", "HassMediaPlayerUnmute", "HassClimateSetTemperature",
    "HassSetVolume", "HassVacuumStart", "HassGetState",
})
# The word before the last item of a list (all O).
LAST_LIST_WORDS: tuple[str, ...] = ("and", "and", "plus", "as well as", "and also the", "along with", ", and", "&")
# (joiner text, its words tagged sep): a comma alone joins with the comma as the separator.
CHAIN_JOINERS: tuple[tuple[str, str], ...] = (
    ("and", "and"), ("and then", "and then"), ("then", "then"), (",", ","), (", then", "then"),
    (", and", "and"), ("also", "also"), ("and also", "and also"), ("plus", "plus"), ("after that", "after that"),
    ("and after that", "and after that"), (", and then", "and then"), ("as well as", "as well as"),
    ("and afterwards", "and afterwards"), ("oh and", "and"), (", also", "also"), ("then also", "then also"),
    ("and finally", "and finally"), ("and lastly", "and lastly"),
)


def _target_list(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if len(source.cmds) != 1 or source.cmds[0].intent not in _LIST_INTENTS:
        return None
    cmd = source.cmds[0]
    if len(cmd.slots.get("name", [])) != 1 or any(s in cmd.slots for s in ("area", "floor")):
        return None
    span = cmd.slots["name"][0]
    said = " ".join(_text_of(source, span).casefold().split())
    domain = pool.home.name_domain.get(said)
    others = [names for names in pool.home.names_by_domain.get(domain or "", [])
              if all(n.casefold() not in said and said not in n.casefold() for n in names)]
    if not others:
        return None
    n_extra = min(len(others), rng.choices((1, 2, 3), weights=(0.55, 0.3, 0.15))[0])
    extra = rng.sample(others, n_extra)
    draft = source.copy()
    first, last = draft.span_range(span)
    article = draft.toks[first - 1] if first > 0 and draft.toks[first - 1].text.lower() == "the" else None
    new_id = draft.next_id()
    insert: list[_Tok] = []
    ids = [span]
    last_word = pick(rng, LAST_LIST_WORDS)
    for k, names in enumerate(extra):
        if k < len(extra) - 1:
            insert.append(_Tok(",", space=False))
        else:
            for word in last_word.split():
                insert.append(_Tok(",", space=False) if word == "," else _Tok(word))
        if article is not None and rng.random() < 0.75 and not last_word.endswith("the"):
            insert.append(_Tok("the", article.label, article.span))
        insert += _new_words(_spoken(names, rng), "name", new_id)
        ids.append(new_id)
        new_id += 1
    draft.toks[last:last] = insert
    if n_extra == 1 and rng.random() < 0.25:  # "both the fan and the heater"
        at = first - 1 if article is not None else first
        draft.toks.insert(at, _Tok("both"))
    draft.cmds[0].slots["name"] = ids
    return draft


def _joiner(text: str, sep: str) -> list[_Tok]:
    """Joiner words ("and then", ", also"); the ``sep`` part is tagged sep, the rest O."""
    words: list[_Tok] = []
    for word in text.split():
        if word.startswith(",") and len(word) > 1:
            words.append(_Tok(",", space=False))
            word = word[1:]
        words.append(_Tok(word, space=word != ","))
    sep_words = sep.split()
    for i in range(len(words) - len(sep_words) + 1):
        if [w.text for w in words[i : i + len(sep_words)]] == sep_words:
            for tok in words[i : i + len(sep_words)]:
                tok.label = _SEP
            break
    return words


def _join(parts: list[_Draft], joiners: list[list[_Tok]]) -> _Draft:
    toks: list[_Tok] = []
    cmds: list[_Cmd] = []
    offset = 0
    for k, part in enumerate(parts):
        if k:
            for tok in joiners[k - 1]:
                if tok.label == _SEP:
                    tok.span = offset
            offset += 1
            toks += joiners[k - 1]
        shifted = part.shifted(offset)
        if k:
            shifted.toks[0].space = True
        offset = shifted.next_id()
        toks += shifted.toks
        cmds += shifted.cmds
    return _Draft(toks, cmds)


def _chain(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if not _is_single(source) or len(pool.singles) < 4:
        return None
    n_parts = rng.choices((2, 3, 4), weights=(0.45, 0.4, 0.15))[0]
    parts = [source, *pool.some_singles(rng, n_parts - 1)]
    said = []
    for part in parts:
        # A part said as the state it should end in: "garage door closed".
        goal = _aug_order(part, pool, rng) if rng.random() < 0.3 else None
        said.append(goal if goal is not None and len(goal.toks) <= 6 else part)
    joiners = [_joiner(*pick(rng, CHAIN_JOINERS)) for _ in range(n_parts - 1)]
    if n_parts > 2 and rng.random() < 0.5:  # "A, B and C": commas, then a last joiner
        joiners = [_joiner(",", ",") for _ in range(n_parts - 2)] + [joiners[-1]]
    return _join(said, joiners)


# Follow-ups that act on what was just named, by its domain: (intent, frame, value slot, values).
_FOLLOW_UPS: dict[str, tuple[tuple[str, str, str, tuple[str, ...]], ...]] = {
    "light": (("HassLightSet", "set {p} to {v}", "brightness", ("40%", "20 percent", "half", "fifty percent", "10%")),
              ("HassLightSet", "dim {p} to {v}", "brightness", ("30%", "25 percent", "a quarter", "ten percent")),
              ("HassLightSet", "make {p} {v}", "color", ("red", "blue", "warm white", "green", "purple")),
              ("HassLightSet", "turn {p} {v}", "color", ("red", "blue", "orange", "pink")),
              ("HassLightSet", "put {p} on {v}", "brightness", ("50%", "max", "80 percent"))),
    "cover": (("HassSetPosition", "set {p} to {v}", "position", ("50%", "half", "30 percent", "75%")),
              ("HassSetPosition", "put {p} at {v}", "position", ("halfway", "20%", "60 percent"))),
    "fan": (("HassFanSetSpeed", "set {p} to {v}", "percentage", ("50%", "30 percent", "full", "twenty percent")),),
    "media_player": (("HassSetVolume", "set {p} volume to {v}", "volume_level", ("20%", "30", "fifty percent")),
                     ("HassMediaPause", "pause {p}", "", ())),
}
_PRONOUN_INTENTS = frozenset({"HassTurnOn", "HassTurnOff", "HassGetState"})


def _pronoun(source: _Draft, pool: _Pool, rng: random.Random) -> _Draft | None:
    if len(source.cmds) != 1 or source.cmds[0].intent not in _PRONOUN_INTENTS:
        return None
    cmd = source.cmds[0]
    names = cmd.slots.get("name", [])
    if len(names) != 1 or set(cmd.slots) - {"name", "area"}:
        return None
    domain = pool.home.name_domain.get(" ".join(_text_of(source, names[0]).casefold().split()))
    follow_ups = _FOLLOW_UPS.get(domain or "")
    if not follow_ups:
        return None
    intent, frame, slot, values = pick(rng, follow_ups)
    plural = _text_of(source, names[0]).lower().endswith("s")
    label = _INTENT + intent
    pronoun = _new_words("them" if plural else "it", label, 0)
    if "volume" in frame:
        frame, pronoun = frame.replace("{p} volume", "{p}"), _new_words("its volume", label, 0)
    fills = {"p": pronoun, "v": _new_words(rng.choice(values), slot, 1) if slot else []}
    toks = frame_words(frame, label, 0, fills)
    follow = _Draft(toks, [_Cmd(intent, {slot: [1]} if slot else {}, {}, refers_back=True)])
    return _join([source, follow], [_joiner(*pick(rng, CHAIN_JOINERS[:3] + CHAIN_JOINERS[5:8]))])


CHAIN_PARTS = ((_target_list, 0.3), (_chain, 0.45), (_pronoun, 0.25))
