"""``microcred keys new|show``: key files for issuers (private part mode 0600)."""

from __future__ import annotations

from pathlib import Path

import typer

from microcred_vc.cli.app import app, console, dumps, load_key, write_output

keys_app = typer.Typer(help="Create and inspect issuer keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")

PASSWORD = typer.Option(
    None, "--password", envvar="MICROCRED_KEY_PASSWORD", help="Encrypt/decrypt the private key."
)


@keys_app.command("new")
def keys_new(
    out: Path = typer.Option(..., "--out", help="Key file to create (mode 0600)."),
    type: str = typer.Option("Ed25519", "--type", help="Ed25519, P-256 or P-384."),
    password: str | None = PASSWORD,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing key file."),
    did_web: str | None = typer.Option(
        None,
        "--did-web",
        help="The institution's host (and path), e.g. example.edu or example.edu:issuers:1: "
        "the key's controller becomes did:web:… and its did.json is written too.",
    ),
    did_document: Path | None = typer.Option(
        None, "--did-document", help="Where to write the did.json (default: beside --out)."
    ),
) -> None:
    """Generate a key pair and write it to a private key file (and, for did:web, did.json)."""
    from microcred_vc.errors import InputError
    from microcred_vc.keys import generate_key
    from microcred_vc.keys.did import did_web_url
    from microcred_vc.keys.document import did_web as did_web_of

    controller = did_web_of(did_web) if did_web is not None else None
    document_path = did_document or out.with_name("did.json")
    targets = [out, document_path] if controller else [out]
    for target in targets:
        if target.exists() and not force:
            raise InputError(f"{target} exists; use --force to overwrite", code="FILE_EXISTS")
    key = generate_key(type, controller=controller)
    key.save(out, password=password)
    console.print(f"[green]created[/green] {out} ({key.key_type})")
    console.print(f"DID: {key.did}", highlight=False)
    if controller:
        write_output(dumps(key.did_document()), document_path)
        console.print(
            f"[green]created[/green] {document_path}: publish it at {did_web_url(controller)}",
            highlight=False,
        )


@keys_app.command("show")
def keys_show(
    path: Path = typer.Argument(..., help="Key file."),
    password: str | None = PASSWORD,
) -> None:
    """Print the public part of a key file (never the private key)."""
    key = load_key(path, password)
    write_output(
        dumps(
            {
                "type": key.key_type,
                "did": key.did,
                "verificationMethod": key.verification_method,
                "publicKeyMultibase": key.to_multikey()["publicKeyMultibase"],
                "publicKeyJwk": key.to_jwk(),
            }
        ),
        None,
    )
