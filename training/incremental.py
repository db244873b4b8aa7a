"""``--from MODEL_DIR``: teach the model in use the home's logged turns without a full retrain.

The model in use is the starting point (its weights and labels; labels for intents it never
knew are added after its own). It trains on the logged turns, each ``--log-repeat`` times,
plus a *replay* sample of freshly generated examples for the same home, so the skills it
had keep being exercised while it learns the household's phrasings; only its top
``--train-layers`` encoder layers and its head move, which is both faster and what keeps
the lower layers' general reading of English as it was. Each logged sentence counts up to 8
times (``log_repeat``). A share of the logged sentences
(``--log-holdout``) is kept out of training to measure whether what was learned carries to
sentences it never saw. The nicknames the logs teach are written beside the weights
(``aliases.json``) and also used as aliases when the replay sample is generated, and each name
taught this round is rehearsed: a few replay sentences that said the registry name are copied
with the household's name instead (``rehearse_names``), so the model reads it in every kind of
sentence.

``report.md`` gets the before/after figures: logged sentences trained on, the held-out ones,
the replay dev split (earlier skills) and, where the suite folder is present, Home
Assistant's intents test suite.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

from home_brain_nlu.learned_aliases import LearnedAliases, read_learned_aliases

from .home import Home

# Defaults with --from: a replay sample, not a whole data set; two quick passes.
REPLAY_COUNT = 1200
EPOCHS = 2.0
LEARNING_RATE = 1e-4
TRAIN_LAYERS = 2
LOG_HOLDOUT = 0.2
MAX_LOG_REPEAT = 8


def log_repeat(logged: int, replay: int) -> int:
    """Copies of each logged sentence with --from: up to 8, and all of them together at most
    about half the replay sample, so a few hundred turns do not drown what it knew (nor
    make the round slow)."""
    return max(1, min(MAX_LOG_REPEAT, round(replay / max(1, logged) / 2)))


def apply_defaults(args: argparse.Namespace) -> None:
    """Fill the options the user left unset, by whether the run continues from a model."""
    continuing = bool(getattr(args, "from_model", None))
    defaults = {
        "count": REPLAY_COUNT if continuing else 5000,
        "epochs": EPOCHS if continuing else 3.0,
        "learning_rate": LEARNING_RATE if continuing else 5e-5,
        "train_layers": TRAIN_LAYERS if continuing else None,
        "log_holdout": LOG_HOLDOUT if continuing else 0.0,
        "log_repeat": None if continuing else 5,  # with --from: log_repeat(), once the logs are read
    }
    for key, value in defaults.items():
        if hasattr(args, key) and getattr(args, key) is None:
            setattr(args, key, value)


def home_with_aliases(home: Home, aliases: LearnedAliases) -> Home:
    """The home with the learned nicknames as extra aliases (for generating examples only)."""
    if not aliases:
        return home
    data = home.to_dict()
    tables = {"entities": ("entity_id", aliases.entities), "areas": ("id", aliases.areas),
              "floors": ("id", aliases.floors)}
    for kind, (key, table) in tables.items():
        for item in data[kind]:
            item["aliases"] = list(dict.fromkeys([*item["aliases"], *table.get(item[key], ())]))
    return Home.from_dict(data)


# Each name taught this round is said in this many more training sentences, copies of replay
# sentences that said the thing's registry name: a name learned from one sentence must be read
# in every kind of sentence, and the generator says a room's alias in about one sentence in six
# of that room's (fewer when it has several), too rarely to learn it from one round.
REHEARSALS_PER_NAME = 12
_SLOT_OF_KIND = {"entities": "name", "areas": "area", "floors": "floor"}


def _registry_names(home: Home, kind: str, key: str) -> set[str]:
    things = {"entities": [(e.entity_id, e.names) for e in home.entities],
              "areas": [(a.id, a.names) for a in home.areas], "floors": [(f.id, f.names) for f in home.floors]}
    return {" ".join(n.casefold().split()) for thing, names in things[kind] if thing == key for n in names}


def _said_as(example: dict[str, Any], span: dict[str, Any], nickname: str) -> dict[str, Any] | None:
    """``example`` with ``span``'s words replaced by ``nickname`` (None when its command does not
    hold those words as that slot, so the copy could not stay consistent)."""
    from .dataset_io import validate_example

    text, start, end = example["text"], span["start"], span["end"]
    old, shift = text[start:end], len(nickname) - (end - start)
    commands = json.loads(json.dumps(example["commands"]))
    holder = next((c for c in commands if old in c["slots"].get(span["label"], [])), None)
    if holder is None:
        return None
    values = holder["slots"][span["label"]]
    values[values.index(old)] = nickname
    spans = [{**s, "start": s["start"] + (shift if s["start"] >= end else 0),
              "end": s["end"] + (shift if s["end"] >= end else 0)} for s in example["spans"]]
    copy = {**example, "text": text[:start] + nickname + text[end:], "spans": spans, "commands": commands,
            "source": "rehearsal"}
    try:
        validate_example(copy)
    except ValueError:
        return None
    return copy


def rehearse_names(replay: list[dict[str, Any]], home: Home, taught: LearnedAliases, seed: int,
                   per_name: int = REHEARSALS_PER_NAME) -> list[dict[str, Any]]:
    """Copies of replay sentences that named a thing by its registry name, with the name the
    household taught this round instead (``per_name`` for each such name)."""
    rng = random.Random(seed)
    copies: list[dict[str, Any]] = []
    for kind, slot in _SLOT_OF_KIND.items():
        for key, nicknames in getattr(taught, kind).items():
            registry = _registry_names(home, kind, key)
            found = [(example, span) for example in replay for span in example["spans"]
                     if span["label"] == slot
                     and " ".join(example["text"][span["start"]:span["end"]].casefold().split()) in registry]
            for nickname in nicknames:
                rng.shuffle(found)
                made = (_said_as(example, span, nickname) for example, span in found)
                copies += [copy for copy in made if copy is not None][:per_name]
    return copies


def split_held_out(examples: list[dict[str, Any]], share: float, seed: int) -> tuple[list, list]:
    """(trained on, held out): a ``share`` of the logged sentences kept out of training."""
    if not 0.0 <= share < 1.0:
        raise ValueError(f"--log-holdout must be within [0, 1), got {share}")
    shuffled = examples[:]
    random.Random(seed).shuffle(shuffled)
    n_held = int(len(shuffled) * share)
    return shuffled[n_held:], shuffled[:n_held]


def _score(model_dir: Path, examples: list[dict[str, Any]]) -> dict[str, Any] | None:
    from .evaluate import evaluate_folder

    if not examples:
        return None
    metrics = evaluate_folder(model_dir, examples)
    return {"exact_match": metrics["exact_match"], "intent_accuracy": metrics["intent_accuracy"],
            "examples": metrics["examples"]}


def _suite_score(model_dir: Path, suite: Any) -> dict[str, Any] | None:
    from .ha_suite import evaluate_suite

    if suite is None:
        return None
    metrics = evaluate_suite(model_dir, suite)
    return {"exact_match": metrics["exact_match"], "intent_accuracy": metrics["intent_accuracy"],
            "examples": metrics["sentences"]}


def load_suite_option(path: str | None) -> Any:
    """The HA suite for the report: ``--suite``, else the development checkout's copy, else None."""
    from .suite_reader import DEFAULT_SUITE, load_suite

    if path == "none":
        return None
    folder = Path(path) if path else DEFAULT_SUITE
    if not folder.is_dir():
        if path:
            raise ValueError(f"--suite {path}: not a folder")
        return None
    return load_suite(folder)


def before_after(before_dir: Path, after_dir: Path, sets: dict[str, list[dict[str, Any]]],
                 suite: Any) -> dict[str, dict[str, Any] | None]:
    """Exact match of both models on each named set (and the suite): ``{name: {before, after}}``."""
    rows: dict[str, dict[str, Any] | None] = {}
    for name, examples in sets.items():
        before, after = _score(before_dir, examples), _score(after_dir, examples)
        rows[name] = {"before": before, "after": after} if before else None
    before, after = _suite_score(before_dir, suite), _suite_score(after_dir, suite)
    rows["Home Assistant intents suite (never trained on)"] = {"before": before, "after": after} if before else None
    return rows


def report_markdown(rows: dict[str, dict[str, Any] | None], seconds: float, from_model: Path,
                    aliases: LearnedAliases) -> str:
    lines = ["", "## Before and after this round", "",
             f"Continued from `{from_model}`; fine-tuning took {seconds:.0f} s.", "",
             "| sentences | before | after | count |", "|---|---:|---:|---:|"]
    for name, row in rows.items():
        if row is None:
            lines.append(f"| {name} | – | – | 0 |")
            continue
        lines.append(f"| {name} | {row['before']['exact_match']:.1%} | {row['after']['exact_match']:.1%} "
                     f"| {row['after']['examples']} |")
    lines += ["", "Exact match: every intent and slot text of the sentence right."]
    learned = {kind: dict(getattr(aliases, kind)) for kind in ("entities", "areas", "floors") if getattr(aliases, kind)}
    if learned:
        lines += ["", "Learned names (`aliases.json`, read as extra aliases; the registry is not changed): "
                  + "; ".join(f"{key}: {', '.join(names)}" for table in learned.values()
                              for key, names in table.items())]
    return "\n".join(lines) + "\n"


def write_before_after(out: Path, rows: dict[str, Any], seconds: float, from_model: Path,
                       aliases: LearnedAliases) -> None:
    (out / "before_after.json").write_text(json.dumps({"fine_tune_seconds": round(seconds, 1), "sets": rows},
                                                      indent=2) + "\n")
    with (out / "report.md").open("a", encoding="utf-8") as handle:
        handle.write(report_markdown(rows, seconds, from_model, aliases))
    for name, row in rows.items():
        if row is not None:
            print(f"{name}: {row['before']['exact_match']:.1%} before, {row['after']['exact_match']:.1%} after")


class Timer:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> Timer:
        self._start = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self._start


__all__ = ["LearnedAliases", "Timer", "apply_defaults", "before_after", "home_with_aliases",
           "load_suite_option", "read_learned_aliases", "rehearse_names", "split_held_out", "write_before_after"]
