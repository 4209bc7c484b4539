"""``make demo``: the whole life of a micro-credential, through the real CLI.

Each step prints the command it runs, so a newcomer can repeat any of them by
hand: the institution's did:web key and did.json → batch issuance of the example roster (with status entries) →
verify one → convert one to a Europass EDC with its loss report → render one
as a page → revoke one and show the verifier now says so → the HTTP service
issuing and verifying the same way an LMS would call it.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from pathlib import Path

from rich.console import Console
from rich.rule import Rule

from microcred_vc.cli.entry import main as cli

console = Console(emoji=False)  # ":key:" in did:key is not an emoji
REPO = Path(__file__).resolve().parents[1]


def _examples() -> Path:
    for candidate in (REPO / "examples", Path.cwd() / "examples"):
        if (candidate / "course.json").is_file():
            return candidate
    raise SystemExit("examples/course.json not found; run the demo from the repository")


def step(title: str, *args: str, expect: int = 0) -> int:
    console.print(Rule(title))
    console.print(f"[dim]$ microcred {shlex.join(args)}[/dim]", highlight=False)
    code = cli(list(args))
    if code != expect:
        console.print(f"[red]step failed with exit code {code}[/red]")
        raise SystemExit(code or 1)
    return code


def run(out: Path, *, with_server: bool = True) -> None:
    examples = _examples()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    key = out / "issuer-key.json"
    did_json = out / "did.json"
    db = f"sqlite:///{out / 'status.db'}"
    issued = out / "issued"
    step(
        "1. The institution's key for its own did:web, and the did.json to publish",
        "keys",
        "new",
        "--type",
        "Ed25519",
        "--did-web",
        json.loads((examples / "course.json").read_text())["issuer"]["id"],
        "--out",
        str(key),
        "--did-document",
        str(did_json),
    )
    step(
        "2. Issue the whole roster as Open Badges 3.0, with revocation entries",
        "issue-batch",
        "--course",
        str(examples / "course.json"),
        "--roster",
        str(examples / "roster.csv"),
        "--key",
        str(key),
        "--out",
        str(issued),
        "--status-db",
        db,
    )
    files = sorted(issued.glob("*.json"))
    first, second = files[0], files[1]
    step(
        "3. Verify one credential (the did.json given offline, as if fetched from the web)",
        "verify",
        str(first),
        "--status-db",
        db,
        "--did-document",
        str(did_json),
    )
    step(
        "4. Convert it to a Europass European Digital Credential",
        "convert",
        str(first),
        "--to",
        "edc",
        "--report",
        "--out",
        str(out / "edc.json"),
    )
    step(
        "5. Render it as a printable page with a QR code",
        "render",
        str(first),
        "--out",
        str(out / "credential.html"),
        "--verify-url",
        "http://127.0.0.1:8080/",
        "--did-document",
        str(did_json),
        "--status-db",
        db,
    )
    step(
        "6. Revoke another learner's credential and republish the status list",
        "status",
        "revoke",
        str(second),
        "--status-db",
        db,
        "--reason",
        "issued in error",
        "--key",
        str(key),
        "--out",
        str(out / "revocation-1.json"),
    )
    step(
        "7. The verifier now reports it revoked",
        "verify",
        str(second),
        "--status-db",
        db,
        "--did-document",
        str(did_json),
        expect=1,
    )
    if with_server:
        from microcred_vc.server.demo import demo_server

        console.print(Rule("8. The same through the HTTP service (W3C VC API)"))
        demo_server(out / "server", json.loads(first.read_text()))
    console.print(Rule("done"))
    console.print(f"Everything the demo wrote is in {out}/", highlight=False)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("demo-out")
    run(out, with_server="--no-server" not in sys.argv)


if __name__ == "__main__":
    main()
