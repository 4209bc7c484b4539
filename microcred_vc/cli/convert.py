"""``microcred convert``, ``bake``/``unbake`` and ``render``."""

from __future__ import annotations

import json
from pathlib import Path

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
    file: str = typer.Argument(..., help="Credential file or - for stdin."),
    to: str = typer.Option(..., "--to", help="ob3, edc, vc2 or vc1."),
    report: bool = typer.Option(False, "--report", help="Print the loss report."),
    out: Path | None = typer.Option(None, "--out"),
    network: bool = typer.Option(
        False, "--network", help="Fetch an OB2 BadgeClass/Issuer given by URL."
    ),
) -> None:
    """Convert between formats through the micro-credential hub."""
    from microcred_vc.api import convert

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
    )
    html = render_html(mc, credential=detected.value, report=report, verify_url=verify_url)
    write_output(html, out)
    console.print(f"[green]rendered[/green] {out}")
