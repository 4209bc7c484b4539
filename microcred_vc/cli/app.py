"""The Typer application and the helpers every command shares."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from microcred_vc.errors import InputError, MicrocredError
from microcred_vc.jsonld.limits import parse_json

app = typer.Typer(
    name="microcred",
    help="Issue, verify and convert EU micro-credentials (Open Badges 3.0, Europass EDC, W3C VC).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(emoji=False)  # ":key:" in did:key is not an emoji
err_console = Console(stderr=True, emoji=False)


@dataclass
class State:
    debug: bool = False


state = State()


@app.callback()
def _root(
    debug: bool = typer.Option(
        False, "--debug", help="Show tracebacks instead of one-line errors."
    ),
) -> None:
    state.debug = debug


def read_input(path: str) -> bytes:
    """Bytes of FILE, or of standard input for '-'."""
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.is_file():
        raise InputError(f"file not found: {path}", code="FILE_NOT_FOUND")
    return p.read_bytes()


def read_json(path: str) -> Any:
    return parse_json(read_input(path))


def controller_resolver(documents: list[Path], network: bool) -> Any:
    """A Resolver holding the given controller documents (None: the default resolver).

    With ``--network`` it also fetches did:web and https controller documents (the
    given ones win); without it resolution stays offline. ``verify`` and ``render``
    share it, so a page shows the verdict ``verify`` would give.
    """
    if not documents and not network:
        return None
    from microcred_vc.keys import Resolver

    resolver = Resolver(allow_network=network)
    for path in documents:
        doc = read_json(str(path))
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
            raise InputError(f"{path} is not a DID document (no id)", code="DID_DOCUMENT_INVALID")
        resolver.add_document(doc)
    return resolver


def load_key(path: Path, password: str | None) -> Any:
    from microcred_vc.keys import KeyPair

    if not path.is_file():
        raise InputError(f"key file not found: {path}", code="FILE_NOT_FOUND")
    return KeyPair.load(path, password=password)


def write_output(data: str | bytes, out: Path | None) -> None:
    """Write to OUT atomically (temp file + rename), or print to standard output."""
    if out is None:  # plain writes: JSON and HTML must not be wrapped or styled
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            sys.stdout.write(data if data.endswith("\n") else data + "\n")
        return
    from microcred_vc.batch import write_atomic

    if isinstance(data, bytes):
        _write_bytes_public(out, data)
    else:
        write_atomic(out, data)  # 0644: credentials and pages are public documents


def _write_bytes_public(out: Path, data: bytes) -> None:
    """A baked badge, like a credential, is a public document: 0644 whatever the umask
    (only keys are 0600), written to a temporary file and renamed so it is all or nothing."""
    import os
    import tempfile

    from microcred_vc.batch import PUBLIC_FILE_MODE

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".tmp-", suffix=out.suffix)
    try:
        os.fchmod(fd, PUBLIC_FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dumps(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False)


def fail(message: str, code: str = "CLI_ERROR") -> MicrocredError:
    return MicrocredError(message, code=code)
