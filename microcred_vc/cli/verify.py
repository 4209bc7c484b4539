"""``microcred verify``: any format in, a coloured step report out (or ``--json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from microcred_vc.cli.app import app, console, controller_resolver, read_input, write_output
from microcred_vc.report import VerificationReport

MARKS = {
    "pass": "[green]✔ pass[/green]",
    "fail": "[red]✘ fail[/red]",
    "skip": "[dim]– skip[/dim]",
    "warn": "[yellow]! warn[/yellow]",
}


def print_report(report: VerificationReport) -> None:
    for check in report.checks:
        console.print(
            f"{MARKS[check.status]}  [bold]{check.name:<9}[/bold] {check.message}", highlight=False
        )
    if report.verified:
        console.print("[bold green]VERIFIED[/bold green]")
    else:
        console.print("[bold red]NOT VERIFIED[/bold red]")
    print_trust(report)


def print_trust(report: VerificationReport) -> None:
    """Issuer trust on its own line: "verified" never says anyone vouches for the issuer."""
    if report.trusted:
        console.print("[bold green]ISSUER VOUCHED FOR[/bold green]", highlight=False)
        return
    check = report.check("trust")
    why = check.message if check is not None else "no trust check was made"
    console.print(f"[bold yellow]ISSUER NOT VOUCHED FOR[/bold yellow]: {why}", highlight=False)


@app.command("verify")
def verify_cmd(
    file: str = typer.Argument(..., help="Credential file (JSON, JWT, PNG, SVG) or - for stdin."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable report."),
    status_db: str | None = typer.Option(
        None, "--status-db", help="Check status in this local registry too."
    ),
    network: bool = typer.Option(
        False,
        "--network",
        help="Fetch status lists, hosted badges and did:web documents over HTTP(S).",
    ),
    email: str | None = typer.Option(
        None, "--email", help="Check an Open Badges recipient against this email."
    ),
    schemas: Path | None = typer.Option(
        None, "--schemas", help="Folder of OB3 JSON Schemas to validate against."
    ),
    trust_root: list[Path] = typer.Option(
        [], "--trust-root", help="PEM trust anchor for sealed EDCs (repeatable)."
    ),
    trusted_list: list[Path] = typer.Option(
        [],
        "--trusted-list",
        help="An EU Trusted List or the LOTL (XML you downloaded; repeatable). "
        "Adds the seal-qualification check for sealed EDCs.",
    ),
    trusted_list_signer: list[Path] = typer.Option(
        [],
        "--trusted-list-signer",
        help="PEM certificate trusted to sign the LOTL (the ones published in the "
        "Official Journal) or a list given without a LOTL (repeatable).",
    ),
    require_qualified: bool = typer.Option(
        False,
        "--require-qualified",
        help="Sealed EDCs: fail unless the seal is a qualified electronic seal.",
    ),
    did_document: list[Path] = typer.Option(
        [],
        "--did-document",
        help="A controller (DID) document to use offline, e.g. an issuer's did.json (repeatable).",
    ),
    trust: list[Path] = typer.Option(
        [],
        "--trust",
        help="A trust registry file: allow-list, DCC issuer registry or EBSI TIR "
        "response (repeatable). Exit code 1 also when no registry vouches for the issuer.",
    ),
    accept_unchecked_status: bool = typer.Option(
        False,
        "--accept-unchecked-status",
        help="A status that cannot be checked (offline, no --status-db) warns instead of failing.",
    ),
    challenge: str | None = typer.Option(
        None, "--challenge", help="Presentations: the challenge (nonce) you gave the holder."
    ),
    domain: str | None = typer.Option(
        None, "--domain", help="Presentations: your domain (aud) the holder must have bound."
    ),
    holder_is_subject: bool = typer.Option(
        False,
        "--holder-is-subject",
        help="Presentations: fail a credential that is not about the holder.",
    ),
) -> None:
    """Verify a credential; exit code 1 when it does not verify (or, with --trust,
    when no given registry vouches for its issuer)."""
    from microcred_vc.api import verify

    data = read_input(file)
    fetch: Any = None
    if network:
        from microcred_vc.net import HttpFetcher

        fetch = HttpFetcher()
    registry = None
    if status_db:
        from microcred_vc.status import StatusRegistry

        registry = StatusRegistry(status_db)
    roots = [p.read_bytes() for p in trust_root]
    lists = None
    if trusted_list:
        from microcred_vc.seal.trusted_list import TrustedLists

        signers = [s.read_bytes() for s in trusted_list_signer]
        lists = TrustedLists.load(trusted_list, signers=signers)
    resolver = controller_resolver(did_document, network)
    from microcred_vc.trust import load_trust_registry

    registries = [load_trust_registry(p) for p in trust]
    report = verify(
        data,
        fetch=fetch,
        registry=registry,
        recipient_email=email,
        ob3_schemas=schemas,
        trust_roots=roots or None,
        trusted_lists=lists,
        require_qualified=require_qualified,
        resolver=resolver,
        trust=registries,
        accept_unchecked_status=accept_unchecked_status,
        challenge=challenge,
        domain=domain,
        require_holder_is_subject=holder_is_subject,
    )
    if as_json:
        write_output(json.dumps(report.to_dict(), indent=2, ensure_ascii=False), None)
    else:
        print_report(report)
    if not report.verified or (trust and not report.trusted):
        raise typer.Exit(1)
