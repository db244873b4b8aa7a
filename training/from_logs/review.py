"""What a person reads after learning from logs: a summary line and the review list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .learn import Learned


def format_summary(summary: dict[str, Any]) -> str:
    """One line a person reads after a run."""
    return (
        f"logs: {summary['turns_read']} turns read from {summary['exports']} export(s), "
        f"{summary['malformed_skipped']} malformed line(s) skipped, {summary['duplicates_merged']} "
        f"duplicate(s) merged into {summary['sentences']} sentence(s); learned {summary['fallback_learned']} "
        f"from the fallback agent, reinforced {summary['reinforced']}, {summary['for_review']} for review"
        + (f"; {fixed} learned from what the fallback did after a correction"
           if (fixed := summary.get("learned_from_corrections")) else "")
        + (f"; {accepted} learned from what Home Brain did unsure and nobody undid"
           if (accepted := summary.get("accepted_unsure")) else "")
    )


def write_review(learned: Learned, json_path: str | Path, markdown_path: str | Path) -> None:
    """The review list as JSON (everything) and Markdown (for reading), with the counts."""
    Path(json_path).parent.mkdir(parents=True, exist_ok=True)
    public = {k: v for k, v in learned.summary.items() if k != "malformed_examples"}
    Path(json_path).write_text(
        json.dumps({"summary": learned.summary, "review": learned.review}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    lines = ["# Sentences to review", "", format_summary(learned.summary) + ".", ""]
    lines += ["| count | what |", "|---|---|"]
    lines += [f"| {v} | {k} |" for k, v in public.items() if isinstance(v, int)]
    if learned.summary["review_reasons"]:
        lines += ["", "Review reasons: " + ", ".join(f"{k} {v}" for k, v in learned.summary["review_reasons"].items())]
    lines += ["", "| times | sentence | reason | detail |", "|---:|---|---|---|"]
    for item in learned.review:
        cells = [str(item["times"]), item["text"], item["reason"], item["detail"]]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    Path(markdown_path).write_text("\n".join(lines) + "\n", encoding="utf-8")
