"""Figures from a run: accuracy, wrong actions and nothing-done per agent and per intent,
failures, latency; JSON, Markdown, PNG; and the table comparing several suites (``--all``)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from .judge import BUILTIN, NOTHING, OUTCOMES, RIGHT, WRONG, Run


def summarise(run: Run, agents: tuple[str, ...]) -> dict[str, Any]:
    per_agent: dict[str, Any] = {}
    for agent in agents:
        verdicts = [v for v in run.verdicts if v.agent == agent]
        groups: dict[str, list[str]] = defaultdict(list)
        for v in verdicts:
            groups[v.case.group].append(v.outcome)
        latencies = np.array([v.latency_ms for v in verdicts]) if verdicts else np.zeros(1)
        per_agent[agent] = {
            "accuracy": _share(v.passed for v in verdicts),
            "passed": sum(v.passed for v in verdicts),
            "judged": len(verdicts),
            # right + nothing + wrong = judged
            "outcomes": _outcomes(v.outcome for v in verdicts),
            "wrong_rate": _share(v.outcome == WRONG for v in verdicts),
            "per_intent": {g: {"accuracy": _share(o == RIGHT for o in p), "wrong_rate": _share(o == WRONG for o in p),
                               "outcomes": _outcomes(p), "judged": len(p)} for g, p in sorted(groups.items())},
            # Where the agent ran the intent the case expects, did the home end right? For the
            # built-in agent this checks the harness: its recognised turns must match the truth.
            "accuracy_where_expected_intent_ran": _share(v.passed for v in verdicts if v.ran_expected_intent),
            "latency_ms": {"p50": float(np.percentile(latencies, 50)), "p95": float(np.percentile(latencies, 95))},
            # wrong actions first, then nothing done
            "failures": [{"file": v.case.file, "sentence": v.case.sentence, "intent": v.case.group,
                          "outcome": v.outcome, "speech": v.speech, "why": v.why}
                         for v in sorted(verdicts, key=lambda v: v.outcome != WRONG) if not v.passed],
        }
    summary: dict[str, Any] = {
        "agents": per_agent,
        "skipped": {"count": len(run.skipped),
                    "per_intent": dict(Counter(c.group for c, _ in run.skipped).most_common()),
                    "examples": [{"sentence": c.sentence, "intent": c.group, "why": why} for c, why in run.skipped[:20]]},
    }
    if BUILTIN in per_agent:
        base = per_agent[BUILTIN]["latency_ms"]
        for data in per_agent.values():
            data["latency_ratio_to_builtin"] = {k: data["latency_ms"][k] / base[k] if base[k] else None
                                                for k in ("p50", "p95")}
    return summary


def _outcomes(outcomes: Any) -> dict[str, int]:
    counts = Counter(outcomes)
    return {o: counts.get(o, 0) for o in OUTCOMES}


def wrong_actions_line(summary: dict[str, Any]) -> str:
    """``wrong actions: Home Brain N/M (x.x%), built-in ...`` for the agents of ``summary``."""
    return "wrong actions: " + ", ".join(
        f"{agent} {data['outcomes'][WRONG]}/{data['judged']} ({100 * data['wrong_rate']:.1f}%)"
        for agent, data in summary["agents"].items())


def _share(flags: Any) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else 0.0


def headline(summary: dict[str, Any]) -> str:
    lines = []
    for agent, data in summary["agents"].items():
        ratio = data.get("latency_ratio_to_builtin") or {}
        lat = data["latency_ms"]
        lines.append(f"{agent}: {100 * data['accuracy']:.1f}%  ({data['passed']}/{data['judged']}; "
                     f"turn p50 {lat['p50']:.1f} ms, p95 {lat['p95']:.1f} ms"
                     + (f"; x{ratio['p50']:.2f} / x{ratio['p95']:.2f} the built-in agent's" if ratio.get("p50") else "")
                     + ")")
    lines.append(wrong_actions_line(summary))
    lines.append("nothing done: " + ", ".join(f"{agent} {data['outcomes'][NOTHING]}/{data['judged']}"
                                              for agent, data in summary["agents"].items()))
    if BUILTIN in summary["agents"]:
        lines.append(f"built-in, where it ran the expected intent: "
                     f"{100 * summary['agents'][BUILTIN]['accuracy_where_expected_intent_ran']:.1f}%")
    lines.append(f"skipped (no truth): {summary['skipped']['count']}")
    return "\n".join(lines)


def markdown(summary: dict[str, Any], folders: list[str], command: str) -> str:
    agents = list(summary["agents"])
    out = ["# Benchmark", "", f"Folders: {', '.join(folders)}", "", f"Command: `{command}`", "", "```",
           headline(summary), "```", "",
           "Per intent: right % (wrong actions, nothing done) of the sentences.", "",
           "| intent | " + " | ".join(agents) + " | sentences |", "|---|" + "---|" * (len(agents) + 1)]
    intents = sorted({g for data in summary["agents"].values() for g in data["per_intent"]})
    for group in intents:
        cells = [summary["agents"][a]["per_intent"].get(group, {}) for a in agents]
        judged = max(c.get("judged", 0) for c in cells)
        out.append(f"| {group} | " + " | ".join(
            f"{100 * c['accuracy']:.1f}% ({c['outcomes'][WRONG]}, {c['outcomes'][NOTHING]})" if c else "–"
            for c in cells) + f" | {judged} |")
    out += ["", "| latency per turn | p50 ms | p95 ms |", "|---|---|---|"]
    out += [f"| {a} | {d['latency_ms']['p50']:.1f} | {d['latency_ms']['p95']:.1f} |"
            for a, d in summary["agents"].items()]
    skipped = summary["skipped"]
    if skipped["count"]:
        out += ["", f"Skipped, no truth (Home Assistant's handler refused the expected intent): "
                    f"{skipped['count']} — " + ", ".join(f"{k} {v}" for k, v in skipped["per_intent"].items())]
    for title, outcome in (("wrong actions", WRONG), ("nothing done", NOTHING)):
        for agent, data in summary["agents"].items():
            failures = [f for f in data["failures"] if f["outcome"] == outcome]
            out += ["", f"## {agent}: {title} ({len(failures)})", ""]
            out += [f"- `{f['sentence']}` ({f['intent']}, {f['file']}): {f['why']}" for f in failures[:200]]
    return "\n".join(out) + "\n"


def suites_table(summaries: dict[str, dict[str, Any]]) -> str:
    """One Markdown table for several suites: per suite and agent, accuracy and wrong actions."""
    agents = list(dict.fromkeys(a for s in summaries.values() for a in s["agents"]))
    out = ["| suite | sentences | " + " | ".join(f"{a}: right | {a}: wrong actions" for a in agents) + " |",
           "|---|---|" + "---|---|" * len(agents)]
    for name, summary in summaries.items():
        judged = max((d["judged"] for d in summary["agents"].values()), default=0)
        cells = []
        for agent in agents:
            data = summary["agents"].get(agent)
            cells += ["–", "–"] if data is None else [
                f"{100 * data['accuracy']:.1f}% ({data['passed']})",
                f"{100 * data['wrong_rate']:.1f}% ({data['outcomes'][WRONG]})"]
        out.append(f"| {name} | {judged} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def write(summary: dict[str, Any], out: Path, folders: list[str], command: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "benchmark.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    (out / "benchmark.md").write_text(markdown(summary, folders, command), encoding="utf-8")
    _chart(summary, out / "benchmark.png")


def _chart(summary: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    agents = list(summary["agents"])
    intents = sorted({g for data in summary["agents"].values() for g in data["per_intent"]})
    fig, ax = plt.subplots(figsize=(max(8, len(intents) * 0.6), 5))
    width = 0.8 / max(1, len(agents))
    # Per agent one bar: right (solid), wrong actions (hatched, on top); the gap to 100% is nothing done.
    for i, agent in enumerate(agents):
        cells = [summary["agents"][agent]["per_intent"].get(g, {}) for g in intents]
        right = np.array([100 * c.get("accuracy", 0) for c in cells])
        wrong = np.array([100 * c.get("wrong_rate", 0) for c in cells])
        x = np.arange(len(intents)) + i * width
        bars = ax.bar(x, right, width, label=f"{agent}: right")
        ax.bar(x, wrong, width, bottom=right, color=bars.patches[0].get_facecolor() if bars.patches else None,
               alpha=0.35, hatch="///", edgecolor="red", label=f"{agent}: wrong action")
    ax.set_xticks(np.arange(len(intents)) + width * (len(agents) - 1) / 2)
    ax.set_xticklabels(intents, rotation=60, ha="right", fontsize=8)
    ax.set_ylabel("% of sentences: right, hatched: wrong action")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
