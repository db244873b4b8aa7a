"""``scripts/benchmark --learn``: one round of the learning loop on the small home's model.

The household calls the living room light "the nook". Before the round Home Brain cannot
act on it; the oracle teacher carries the taught sentences out, the round retrains from the
model and reloads it, and the other wordings (never taught) then work.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import DETERMINISTIC_TRAINING_ENV, E2E_CONFIDENCE_THRESHOLD, E2E_INTENTS, REPO

LEARN_SUITE = Path(__file__).parent / "learn_suite"
RETRAIN = (f"--count 400 --intents {','.join(E2E_INTENTS)} --seed 1 --epochs 6 --batch-size 64 "
           "--learning-rate 3e-3 --augment-share 0 --log-holdout 0")


def test_a_round_counts_before_and_after(tmp_path: Path, small_home_model: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--learn", str(LEARN_SUITE), "--model", str(small_home_model),
         "--teacher", "oracle", "--threshold", str(E2E_CONFIDENCE_THRESHOLD), "--out", str(tmp_path),
         "--retrain-args", RETRAIN],
        cwd=REPO, capture_output=True, text=True, check=False, env=DETERMINISTIC_TRAINING_ENV)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads((tmp_path / "learn.json").read_text())
    tests = [s for t in yaml.safe_load((LEARN_SUITE / "nicknames.yaml").read_text())["tests"] for s in t["sentences"]]
    assert [v["sentence"] for v in summary["before"]] == [v["sentence"] for v in summary["after"]] == tests
    # Phase 1: every taught sentence went to the teacher, which reached the expected state.
    assert summary["teach"] == {"sentences": 2, "handled_by": {"fallback": 2}, "home_reached_expected_state": 2,
                                "corrected": 0}
    assert [v["passed"] for v in summary["before"]] == [False, False]
    assert [v["passed"] for v in summary["after"]] == [True, True]
    assert (summary["learned_before"], summary["learned_after"]) == (0.0, 1.0)
    assert "learned: Home Brain 0.0% before, 100.0% after" in done.stdout
    assert "suite: " in done.stdout
    # The name travelled with the retrained model, not into the registry of the home.
    aliases = json.loads((Path(summary["retrain"]) / "model" / "aliases.json").read_text())
    assert aliases["entities"] == {"light.living_room": ["nook"]}
    assert "| switch on the nook | fail | pass |" in (tmp_path / "learn.md").read_text()
