"""The demo's HTTP part: start the service and call it the way an LMS would."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

from microcred_vc.server.run import start_background

console = Console(emoji=False)  # ":key:" in did:key is not an emoji


def _show(method: str, url: str, token: str | None, body: Any, response: httpx.Response) -> None:
    auth = f" -H 'Authorization: Bearer {token[:6]}…'" if token else ""
    data = shlex.quote(json.dumps(body)[:60] + "…")
    console.print(
        f"[dim]$ curl -X {method} {url}{auth} -H 'Content-Type: application/json' -d {data}[/dim]",
        highlight=False,
    )
    console.print(f"→ HTTP {response.status_code}", highlight=False)


def demo_server(data_dir: Path, credential: dict[str, Any]) -> None:
    """Issue and verify over HTTP as the credential's own issuer (the server's did:web)."""
    issuer = credential["issuer"]
    issuer_id = issuer if isinstance(issuer, str) else issuer["id"]
    did_web = issuer_id if issuer_id.startswith("did:web:") else None
    running = start_background(data_dir, did_web=did_web)
    token = running.config.tokens[0]
    try:
        with httpx.Client(base_url=running.url, timeout=30) as client:
            unsigned = {
                k: v for k, v in credential.items() if k not in ("proof", "credentialStatus")
            }
            body = {
                "credential": unsigned,
                "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
            }
            response = client.post(
                "/credentials/issue", json=body, headers={"Authorization": f"Bearer {token}"}
            )
            _show("POST", f"{running.url}/credentials/issue", token, body, response)
            response.raise_for_status()
            signed = response.json()["verifiableCredential"]
            console.print(
                f"  issued by {signed['issuer'] if isinstance(signed['issuer'], str) else signed['issuer']['id']}",
                highlight=False,
            )
            body = {"verifiableCredential": signed}
            response = client.post("/credentials/verify", json=body)
            _show("POST", f"{running.url}/credentials/verify", None, body, response)
            console.print(f"  verified: {response.json()['verified']}", highlight=False)
            list_url = signed["credentialStatus"]["statusListCredential"]
            response = client.get(list_url.replace(running.config.public_url, ""))
            console.print(
                f"[dim]$ curl {list_url}[/dim]\n→ HTTP {response.status_code} ({response.json()['type'][-1]})",
                highlight=False,
            )
            console.print(f"  verify page for people: {running.url}/", highlight=False)
    finally:
        running.stop()
