"""Generated rosters for the batch tests: ``count`` distinct learners (a repeated learner
is refused, so every row must be someone new)."""

from __future__ import annotations

from pathlib import Path


def write_roster(path: Path, count: int) -> Path:
    lines = ["name,email,id,grade,completion_date"]
    lines += [f"Learner {i},l{i}@learners.example.eu,S{i:07},A,2026-06-15" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
