"""``microcred issue`` and ``issue-batch``: an LMS's course and roster to signed credentials."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from microcred_vc.cli.app import app, console, dumps, err_console, load_key, write_output
from microcred_vc.cli.keys import PASSWORD
from microcred_vc.errors import InputError

STATUS_BASE = typer.Option(
    "https://status.example/lists", "--status-base-url", help="Where the status lists are served."
)


def _find_learner(roster: Path, learner: str) -> Any:
    from microcred_vc.model import load_roster

    for row in load_roster(roster):
        values = row if isinstance(row, dict) else vars(row)
        if learner in {str(v) for v in values.values() if v is not None}:
            return row
    raise InputError(f"no learner {learner!r} in {roster}", code="LEARNER_NOT_FOUND")


def _registry(url: str | None) -> Any:
    if url is None:
        return None
    from microcred_vc.status import StatusRegistry

    return StatusRegistry(url)


def _show_warnings(spec: Any) -> None:
    """Course findings that do not stop issuing go to stderr (stdout may be the credential)."""
    for warning in spec.warnings:
        err_console.print(f"warning: course {warning}", highlight=False, markup=False)


@app.command("issue")
def issue_cmd(
    course: Path = typer.Option(..., "--course", help="Course spec (JSON or YAML)."),
    roster: Path = typer.Option(..., "--roster", help="Learner roster (CSV)."),
    learner: str = typer.Option(..., "--learner", help="Email or id of the learner in the roster."),
    key: Path = typer.Option(..., "--key", help="Issuer key file."),
    format: str = typer.Option("ob3", "--format", help="ob3 or edc."),
    cryptosuite: str | None = typer.Option(
        None,
        "--cryptosuite",
        help="Default: eddsa-rdfc-2022 for Ed25519 keys, ecdsa-rdfc-2019 for P-256/P-384.",
    ),
    status_db: str | None = typer.Option(
        None, "--status-db", help="Status registry URL (sqlite:///… or postgresql+psycopg://…)."
    ),
    status_list: str = typer.Option("revocation-1", "--status-list"),
    status_base_url: str = STATUS_BASE,
    out: Path | None = typer.Option(
        None, "--out", help="Write the credential here (default: print)."
    ),
    password: str | None = PASSWORD,
) -> None:
    """Issue one learner's micro-credential."""
    from microcred_vc.api import issue
    from microcred_vc.model import build_micro_credential, load_course_spec

    spec = load_course_spec(course)
    _show_warnings(spec)
    row = _find_learner(roster, learner)
    keypair = load_key(key, password)
    mc = build_micro_credential(spec, row)
    registry = _registry(status_db)
    if registry is None:
        write_output(dumps(issue(mc, keypair, format=format, cryptosuite=cryptosuite)), out)
    else:
        # a refused issue (or a failed write) gives its index back
        with registry.reserved_entry(
            status_list, "revocation", status_base_url, credential_id=mc.id
        ) as entry:
            vc = issue(mc, keypair, format=format, cryptosuite=cryptosuite, credential_status=entry)
            write_output(dumps(vc), out)
    if out is not None:
        console.print(f"[green]issued[/green] {out}")


@app.command("issue-batch")
def issue_batch_cmd(
    course: Path = typer.Option(..., "--course"),
    roster: Path = typer.Option(..., "--roster"),
    key: Path = typer.Option(..., "--key"),
    out: Path = typer.Option(
        ..., "--out", help="Output folder (resumable: existing files are kept)."
    ),
    format: str = typer.Option("ob3", "--format"),
    cryptosuite: str | None = typer.Option(
        None,
        "--cryptosuite",
        help="Default: eddsa-rdfc-2022 for Ed25519 keys, ecdsa-rdfc-2019 for P-256/P-384.",
    ),
    workers: int = typer.Option(0, "--workers", help="Process pool size (0 = in this process)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler, e.g. tcp://host:8786."
    ),
    status_db: str | None = typer.Option(None, "--status-db"),
    in_flight: int | None = typer.Option(
        None,
        "--in-flight",
        min=1,
        help="At most this many credentials allocated but not yet written (default: 32 "
        "times the workers; 16 in this process). Wider is faster; a kill leaves at most these "
        "to the resumed run, which gives them to the same learners.",
    ),
    status_list: str = typer.Option("revocation-1", "--status-list"),
    status_base_url: str = STATUS_BASE,
    skip_invalid: bool = typer.Option(
        False,
        "--skip-invalid",
        help="Issue the good rows and write the bad ones to the rejects CSV (exit code 3).",
    ),
    rejects: Path | None = typer.Option(
        None, "--rejects", help="Rejects CSV for --skip-invalid (default: OUT/rejects.csv)."
    ),
    password: str | None = PASSWORD,
) -> None:
    """Issue a credential to every learner of a roster, with a progress bar and summary.

    The whole roster is checked first: any bad row stops the run before anything is
    issued, and every bad row is listed (exit code 2). Exit code 3 is a partial success
    (rows rejected with --skip-invalid, or failed while signing).
    """
    from microcred_vc.batch import issue_batch
    from microcred_vc.errors import RosterRowsInvalid
    from microcred_vc.model import load_course_spec

    spec = load_course_spec(course)
    _show_warnings(spec)
    keypair = load_key(key, password)
    executor: Any = None
    client: Any = None
    if scheduler:
        from distributed import Client

        client = Client(scheduler)
        executor = client
    elif workers > 0:
        from concurrent.futures import ProcessPoolExecutor

        executor = ProcessPoolExecutor(max_workers=workers)
    columns = (TextColumn("issuing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("issue", total=None)
            result = issue_batch(
                spec,
                roster,
                keypair,
                executor=executor,
                format=format,
                cryptosuite=cryptosuite,
                out_dir=out,
                registry=_registry(status_db),
                status_list=status_list,
                status_base_url=status_base_url,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                skip_invalid=skip_invalid,
                rejects=rejects,
                in_flight=in_flight,
            )
    except RosterRowsInvalid as exc:
        _show_problems(exc.problems)
        raise
    finally:
        if client is not None:
            client.close()
        elif executor is not None:
            executor.shutdown()
    table = Table(title=f"issue-batch → {out}")
    for name in ("issued", "skipped (already done)", "rejected", "failed"):
        table.add_column(name, justify="right")
    table.add_row(
        *(str(n) for n in (result.issued, result.skipped, result.rejected, result.failed))
    )
    console.print(table)
    if result.problems:
        _show_problems(result.problems)
        if result.rejects_path is not None:
            err_console.print(f"rejected rows written to {result.rejects_path}", highlight=False)
    for item in result.items:
        if item.status == "failed":
            err_console.print(
                f"[red]row {item.row}[/red] {item.learner}: {item.error}", highlight=False
            )
    if not result.complete:
        raise typer.Exit(3)


def _show_problems(problems: list[Any]) -> None:
    """Every bad row on stderr, one line each (row, column, code, message): greppable."""
    for p in problems:
        column = f" column {p.column}" if p.column else ""
        err_console.print(
            f"row {p.row}{column}: [{p.code}] {p.message}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
