"""``microcred convert DIR --to edc --out DIR``: a folder of credentials in one process.

Why in-process: each ``microcred`` start pays for Python, pydantic and the JSON-LD
contexts; 1,000 CLI calls take minutes where 1,000 ``convert()`` calls take
seconds (issue 19). Each file is converted in memory first and written
atomically only when it converted, with its loss report next to it, so a failed
file leaves nothing behind and never stops the others. The summary table and
``convert-summary.json`` say what happened to every file; the exit code is 3
when any file failed (as ``issue-batch`` does for a partial run).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from microcred_vc.cli.app import console, dumps, err_console, fail

SUMMARY_FILE = "convert-summary.json"
#: The per-file table is printed up to this many files; the summary file has them all.
MAX_TABLE_ROWS = 200


@dataclass
class FileOutcome:
    """What happened to one input file."""

    source: str
    status: str  # "converted" or "failed"
    output: str | None = None
    report: str | None = None
    source_format: str | None = None
    losses: int = 0
    completeness: str | None = None
    findings: int = 0
    code: str | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def output_names(source: Path, to: str) -> tuple[str, str]:
    """``badge.json`` → (``badge.edc.json``, ``badge.edc.report.json``)."""
    return f"{source.stem}.{to}.json", f"{source.stem}.{to}.report.json"


def input_files(folder: Path, out: Path) -> list[Path]:
    """Regular, non-hidden files under ``folder`` (recursively), outside ``out``, sorted."""
    out = out.resolve()
    files = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if path.resolve().is_relative_to(out):
            continue  # a previous run's outputs inside the input folder
        files.append(path)
    return files


def _findings(data: bytes) -> list[dict[str, Any]]:
    """Unknown concepts of closed EU vocabularies in a JSON input (VOCAB_CONCEPT_UNKNOWN)."""
    from microcred_vc.model.vocab import concept_findings

    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return []
    return [
        {"code": f.code, "path": f.path, "iri": f.iri, "message": f.message, "severity": f.severity}
        for f in concept_findings(doc)
    ]


def convert_one(
    source: Path,
    rel: Path,
    out: Path,
    to: str,
    convert: Callable[[bytes], Any],
    taken: set[Path],
) -> FileOutcome:
    """Convert one file; write its output and report only if it converted."""
    from microcred_vc.batch import write_atomic
    from microcred_vc.errors import MicrocredError

    name, report_name = output_names(rel, to)
    target, report_path = out / rel.parent / name, out / rel.parent / report_name
    outcome = FileOutcome(source=str(rel), status="failed")
    try:
        if target in taken:
            raise fail(f"{rel}: another input already writes {target.name}", "FILE_EXISTS")
        taken.add(target)
        data = source.read_bytes()
        result = convert(data)
        document = dumps(result.document)
    except MicrocredError as exc:
        outcome.code, outcome.message = exc.code, exc.message
    except Exception as exc:  # one broken file must not stop the folder; say what it was
        outcome.code, outcome.message = "INTERNAL", f"{type(exc).__name__}: {exc}"
    if outcome.code is not None:
        if target in taken and outcome.code != "FILE_EXISTS":
            # this run's truth: a previous run's output for a file that now fails goes
            target.unlink(missing_ok=True)
            report_path.unlink(missing_ok=True)
        return outcome
    completeness = result.completeness
    findings = _findings(data)
    report = {
        "source": str(rel),
        "output": name,
        "source_format": result.source_format,
        "target_format": result.target_format or to,
        "losses": [{"field": loss.field, "reason": loss.reason} for loss in result.losses],
        "completeness": completeness.to_dict() if completeness is not None else None,
        "vocabulary": findings,
    }
    write_atomic(target, document)
    write_atomic(report_path, dumps(report))
    outcome.status, outcome.output, outcome.report = "converted", name, report_name
    outcome.source_format, outcome.losses = result.source_format, len(result.losses)
    outcome.completeness = completeness.status if completeness is not None else None
    outcome.findings = len(findings)
    return outcome


def convert_folder(
    folder: Path, to: str, out: Path | None, convert: Callable[[bytes], Any]
) -> None:
    """The directory mode of ``microcred convert``: progress bar, reports, summary, exit code."""
    from microcred_vc.batch import write_atomic

    if out is None:
        raise fail(f"{folder} is a folder: give --out DIR for the converted files")
    if out.exists() and not out.is_dir():
        raise fail(f"--out {out} is a file; a folder is converted into a folder")
    files = input_files(folder, out)
    if not files:
        raise fail(f"no files to convert in {folder}", "FILE_NOT_FOUND")
    out.mkdir(parents=True, exist_ok=True)
    outcomes: list[FileOutcome] = []
    taken: set[Path] = set()
    columns = (TextColumn("converting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("convert", total=len(files))
        for path in files:
            outcomes.append(convert_one(path, path.relative_to(folder), out, to, convert, taken))
            bar.advance(task)
    failed = [o for o in outcomes if o.status == "failed"]
    summary = {
        "to": to,
        "converted": len(outcomes) - len(failed),
        "failed": len(failed),
        "files": [o.to_dict() for o in outcomes],
    }
    write_atomic(out / SUMMARY_FILE, dumps(summary))
    _print_table(outcomes, to, out)
    for o in failed:
        err_console.print(f"{o.source}: [{o.code}] {o.message}", highlight=False, markup=False)
    if failed:
        raise typer.Exit(3)


def _print_table(outcomes: list[FileOutcome], to: str, out: Path) -> None:
    table = Table(title=f"convert → {to} in {out}")
    for name in ("file", "from", "result", "losses", "completeness", "vocabulary"):
        table.add_column(name, justify="right" if name in ("losses", "vocabulary") else "left")
    for o in outcomes[:MAX_TABLE_ROWS]:
        result = "converted" if o.status == "converted" else f"failed: {o.code}"
        table.add_row(
            o.source,
            o.source_format or "",
            result,
            str(o.losses) if o.status == "converted" else "",
            o.completeness or "",
            str(o.findings) if o.findings else "",
        )
    console.print(table)
    failed = sum(o.status == "failed" for o in outcomes)
    more = len(outcomes) - MAX_TABLE_ROWS
    tail = f" ({more} more rows in {SUMMARY_FILE})" if more > 0 else ""
    console.print(f"{len(outcomes) - failed} converted, {failed} failed{tail}", highlight=False)
