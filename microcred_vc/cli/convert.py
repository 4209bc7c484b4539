"""``microcred convert``, ``bake``/``unbake`` and ``render``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from microcred_vc.cli.app import (
    app,
    console,
    controller_resolver,
    dumps,
    err_console,
    read_input,
    write_output,
)
from microcred_vc.errors import InputError


@app.command("convert")
def convert_cmd(
    file: str = typer.Argument(
        ..., help="Credential file, - for stdin, or a folder (then --out is a folder too)."
    ),
    to: str = typer.Option(..., "--to", help="ob3, edc, vc2 or vc1."),
    report: bool = typer.Option(False, "--report", help="Print the loss report."),
    out: Path | None = typer.Option(None, "--out"),
    network: bool = typer.Option(
        False, "--network", help="Fetch an OB2 BadgeClass/Issuer given by URL."
    ),
    complete_with: Path | None = typer.Option(
        None,
        "--complete-with",
        help="Course spec (JSON/YAML) filling the elements the credential lacks (reported).",
    ),
    require: str | None = typer.Option(
        None, "--require", help="annex-i: refuse a credential lacking Annex I elements."
    ),
    seal_certificate: Path | None = typer.Option(
        None,
        "--seal-certificate",
        help="Seal certificate (PEM/DER) whose organizationIdentifier is the issuer's legal id.",
    ),
) -> None:
    """Convert between formats through the micro-credential hub (best-effort, never invents).

    Given a folder, every file in it is converted in one process, with a progress bar:
    NAME.TO.json and its loss report NAME.TO.report.json in --out (nothing for a file
    that fails), a summary table and convert-summary.json; exit code 3 if any failed.
    """
    from microcred_vc.api import convert

    fetch = None
    if network:
        from microcred_vc.net import HttpFetcher

        fetch = HttpFetcher()
    course = None
    if complete_with is not None:
        from microcred_vc.model import load_course_spec

        course = load_course_spec(complete_with)
    options = {
        "to": to,
        "fetch": fetch,
        "require": require,
        "complete_with": course,
        "seal_certificate": seal_certificate,
    }
    if file != "-" and Path(file).is_dir():
        from microcred_vc.cli.convert_dir import convert_folder

        convert_folder(Path(file), to, out, lambda data: convert(data, **options))
        return
    result = convert(read_input(file), **options)
    write_output(dumps(result.document), out)
    completeness = result.completeness
    if completeness is not None and (report or completeness.supplied):
        for name in completeness.supplied:
            err_console.print(f"  supplied (not found): {name}", highlight=False, markup=False)
        err_console.print(f"completeness: {completeness.status}", highlight=False)
        for gap in completeness.missing:
            err_console.print(f"  missing {gap.code}: {gap.message}", highlight=False, markup=False)
    if report:
        err_console.print(
            f"{len(result.losses)} field(s) not carried from {result.source_format} to {to}:",
            highlight=False,
        )
        for loss in result.losses:
            err_console.print(f"  - {loss.field}: {loss.reason}", highlight=False, markup=False)
    if out is not None:
        err_console.print(f"[green]converted[/green] → {out} ({len(result.losses)} loss(es))")


@app.command("bake")
def bake_cmd(
    image: Path = typer.Argument(..., help="PNG or SVG image."),
    credential: str = typer.Argument(..., help="Credential (JSON or JWT) file."),
    out: Path = typer.Option(..., "--out"),
    version: str = typer.Option("ob3", "--version", help="ob3 or ob2."),
) -> None:
    """Embed a credential in a badge image."""
    from microcred_vc.bake import bake_png, bake_svg

    raw = read_input(credential).decode("utf-8").strip()
    payload = json.loads(raw) if raw.startswith("{") else raw
    data = image.read_bytes() if image.is_file() else None
    if data is None:
        raise InputError(f"file not found: {image}", code="FILE_NOT_FOUND")
    baked = (
        bake_png(data, payload, version=version)
        if data.startswith(b"\x89PNG")
        else bake_svg(data, payload, version=version)
    )
    write_output(baked, out)
    console.print(f"[green]baked[/green] {out}")


@app.command("unbake")
def unbake_cmd(
    image: str = typer.Argument(..., help="Baked PNG or SVG, or - for stdin."),
    out: Path | None = typer.Option(None, "--out"),
) -> None:
    """Extract the credential from a baked badge image."""
    from microcred_vc.bake import unbake

    payload = unbake(read_input(image))
    write_output(dumps(payload) if isinstance(payload, dict) else str(payload), out)


@app.command("render")
def render_cmd(
    file: str = typer.Argument(..., help="OB3 or EDC credential."),
    out: Path = typer.Option(..., "--out", help="HTML file to write."),
    verify_url: str | None = typer.Option(None, "--verify-url", help="URL for the QR code."),
    did_document: list[Path] = typer.Option(
        [],
        "--did-document",
        help="A controller (DID) document to use offline, e.g. the issuer's did.json (repeatable).",
    ),
    network: bool = typer.Option(
        False, "--network", help="Fetch did:web documents and status lists over HTTP(S)."
    ),
    trust: list[Path] = typer.Option(
        [], "--trust", help="A trust registry file for the issuer trust line (repeatable)."
    ),
    status_db: str | None = typer.Option(
        None, "--status-db", help="Check status in this local registry (as verify does)."
    ),
    accept_unchecked_status: bool = typer.Option(
        False,
        "--accept-unchecked-status",
        help="A status that cannot be checked warns on the page instead of failing.",
    ),
) -> None:
    """Render a credential as a self-contained, printable HTML page with a QR code.

    The page shows the verdict ``microcred verify`` gives with the same options.
    """
    from microcred_vc.api import verify
    from microcred_vc.detect import detect
    from microcred_vc.formats.builtin import load_document
    from microcred_vc.render import render_html

    detected = detect(read_input(file))
    if detected.format not in ("ob3", "edc"):
        raise InputError(
            f"render needs an OB3 or EDC credential, not a {detected.label}", code="UNKNOWN_FORMAT"
        )
    mc, _ = load_document(
        {k: v for k, v in detected.value.items() if k != "proof"}, detected.format
    )
    from microcred_vc.trust import load_trust_registry

    fetch = None
    if network:
        from microcred_vc.net import HttpFetcher

        fetch = HttpFetcher()
    report = verify(
        detected.value,
        resolver=controller_resolver(did_document, network),
        fetch=fetch,
        trust=[load_trust_registry(p) for p in trust],
        registry=_registry(status_db),
        accept_unchecked_status=accept_unchecked_status,
    )
    html = render_html(mc, credential=detected.value, report=report, verify_url=verify_url)
    write_output(html, out)
    console.print(f"[green]rendered[/green] {out}")


def _registry(status_db: str | None) -> Any:
    if not status_db:
        return None
    from microcred_vc.status import StatusRegistry

    return StatusRegistry(status_db)
