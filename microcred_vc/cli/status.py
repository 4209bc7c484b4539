"""``microcred status revoke|suspend|publish``: revocation an issuer can rely on."""

from __future__ import annotations

from pathlib import Path

import typer

from microcred_vc.cli.app import app, console, dumps, load_key, read_json, write_output
from microcred_vc.cli.keys import PASSWORD

status_app = typer.Typer(help="Revoke, suspend and publish status lists.", no_args_is_help=True)
app.add_typer(status_app, name="status")

DB = typer.Option(
    ..., "--status-db", help="Status registry URL (sqlite:///… or postgresql+psycopg://…)."
)

# Default: the list's own URL, found from the credential through the registry. A list's
# URL is fixed when it is first used; no option moves it (that is `status relocate`), so a
# base URL given here must be the list's (or one it had before a relocation).
REPUBLISH_BASE = typer.Option(
    None, "--status-base-url", help="Only to confirm the list's base URL (default: the list's)."
)


def _change(file: str, status_db: str, reason: str | None, **change: bool) -> None:
    from microcred_vc.status import StatusRegistry

    credential = read_json(file)
    with StatusRegistry(status_db) as registry:
        records = registry.set_status(credential, reason=reason, **change)
    for record in records:
        why = f" ({record.reason})" if record.reason else ""
        console.print(
            f"[yellow]{record.purpose}[/yellow] list {record.list_id} index {record.index}: "
            f"status {record.status}{why}",
            highlight=False,
        )


@status_app.command("revoke")
def revoke(
    file: str = typer.Argument(..., help="The issued credential."),
    status_db: str = DB,
    reason: str | None = typer.Option(None, "--reason"),
    key: Path | None = typer.Option(
        None, "--key", help="Issuer key: republish the list after the change."
    ),
    base_url: str | None = REPUBLISH_BASE,
    out: Path | None = typer.Option(None, "--out", help="Where to write the republished list."),
    password: str | None = PASSWORD,
) -> None:
    """Revoke a credential (final)."""
    _change(file, status_db, reason, revoked=True)
    _republish(file, status_db, key, base_url, out, password)


@status_app.command("suspend")
def suspend(
    file: str = typer.Argument(...),
    status_db: str = DB,
    reason: str | None = typer.Option(None, "--reason"),
    lift: bool = typer.Option(False, "--lift", help="Lift the suspension instead."),
    key: Path | None = typer.Option(None, "--key"),
    base_url: str | None = REPUBLISH_BASE,
    out: Path | None = typer.Option(None, "--out"),
    password: str | None = PASSWORD,
) -> None:
    """Suspend a credential (or lift a suspension with --lift)."""
    _change(file, status_db, reason, suspended=not lift)
    _republish(file, status_db, key, base_url, out, password)


def _republish(
    file: str,
    status_db: str,
    key: Path | None,
    base_url: str | None,
    out: Path | None,
    password: str | None,
) -> None:
    if key is None:
        return
    from microcred_vc.status import StatusRegistry, parse_entry
    from microcred_vc.status.bitstring import status_entries

    credential = read_json(file)
    keypair = load_key(key, password)
    with StatusRegistry(status_db) as registry:
        for raw in status_entries(credential):
            entry = parse_entry(raw)
            info = registry.list_for_url(entry.list_url)
            if info is None:  # not one of ours: nothing to republish
                continue
            list_id = info.list_id
            signed = registry.publish(list_id, keypair, base_url=base_url)
            target = out or Path(f"{list_id}.json")
            write_output(dumps(signed), target)
            console.print(f"[green]republished[/green] {list_id} → {target}")


@status_app.command("publish")
def publish(
    list_id: str = typer.Argument(...),
    status_db: str = DB,
    key: Path = typer.Option(..., "--key"),
    base_url: str | None = typer.Option(
        None,
        "--status-base-url",
        help="Base URL, needed only for a list never used yet (a list's URL is then fixed).",
    ),
    out: Path | None = typer.Option(None, "--out"),
    password: str | None = PASSWORD,
) -> None:
    """Sign and write the current status list credential, at the list's own URL."""
    from microcred_vc.status import StatusRegistry

    keypair = load_key(key, password)
    with StatusRegistry(status_db) as registry:
        signed = registry.publish(list_id, keypair, base_url=base_url)
    write_output(dumps(signed), out)


@status_app.command("relocate")
def relocate(
    old_url: str = typer.Argument(..., help="The list's current URL."),
    new_url: str = typer.Argument(..., help="Where the list will be served from now on."),
    status_db: str = DB,
    reason: str | None = typer.Option(None, "--reason", help="Recorded with the move."),
) -> None:
    """Move a status list to a new URL: the only way its URL changes (recorded and logged).

    Credentials issued before still name the old URL; keep serving (or redirecting)
    it. New credentials and republished lists use the new one.
    """
    from microcred_vc.status import StatusRegistry

    with StatusRegistry(status_db) as registry:
        info = registry.relocate(old_url, new_url, reason=reason)
    console.print(
        f"[yellow]relocated[/yellow] status list {info.list_id}: {old_url} → {new_url}",
        highlight=False,
    )
