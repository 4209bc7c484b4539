"""Issue #16 V4 through the service: restart on another ``public_url``, then revoke.

Oracle (property): a credential issued while the service had public URL A is,
after a restart on public URL B, still revocable through the API, still
status-checked by /credentials/verify (revoked, not skipped), and its list is
still served at A's path with A's URL as its ``id``. Each assertion failed on
the one-URL-per-list registry.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from microcred_vc.server.run import free_port, start_background
from microcred_vc.status import check_status, parse_list_credential
from tests.server.conftest import as_issuer

TOKEN = "moving-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
UNSIGNED = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "credentialSubject": {"id": "did:example:learner"},
}
WITH_STATUS = {
    "credential": UNSIGNED,
    "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}},
}


def _issue(client: httpx.Client, server) -> dict:
    body = {**WITH_STATUS, "credential": as_issuer(server, UNSIGNED)}
    response = client.post("/credentials/issue", json=body, headers=AUTH)
    assert response.status_code == 201, response.text
    return response.json()["verifiableCredential"]


def test_restart_on_another_public_url_keeps_earlier_credentials(tmp_path) -> None:
    old_port = free_port()
    old_public = f"http://127.0.0.1:{old_port}/v1"
    first = start_background(tmp_path, port=old_port, tokens=[TOKEN], public_url=old_public)
    try:
        with httpx.Client(base_url=first.url, timeout=60) as client:
            earlier = _issue(client, first)
    finally:
        first.stop()
    old_url = earlier["credentialStatus"]["statusListCredential"]
    assert old_url == f"{old_public}/status/revocation-1"

    second = start_background(tmp_path, tokens=[TOKEN])  # a new port, public URL = its own
    try:
        with httpx.Client(base_url=second.url, timeout=60) as client:
            later = _issue(client, second)
            assert later["credentialStatus"]["statusListCredential"] != old_url
            before = client.post("/credentials/verify", json={"verifiableCredential": earlier})
            assert before.status_code == 200, before.text
            status = [c for c in before.json()["checks"] if c["name"] == "status"]
            assert status[0]["status"] == "pass", status  # checked, not skipped

            revoked = client.post(
                "/credentials/status",
                json={"credential": earlier, "status": "revoked", "reason": "moved"},
                headers=AUTH,
            )
            assert revoked.status_code == 200, revoked.text
            assert revoked.json()["updated"][0]["status"] == 1

            after = client.post("/credentials/verify", json={"verifiableCredential": earlier})
            assert after.status_code == 400
            status = [c for c in after.json()["checks"] if c["name"] == "status"]
            assert status[0]["status"] == "fail" and "revoked" in status[0]["message"]
            assert (
                client.post("/credentials/verify", json={"verifiableCredential": later}).status_code
                == 200
            )

            # The old path is served, signed, with the old URL as the list's id.
            def fetch(url: str) -> dict:
                answer = client.get(urlsplit(url).path)
                assert answer.status_code == 200, (url, answer.text)
                return answer.json()

            served_old = fetch(old_url)
            assert served_old["id"] == old_url
            index = int(earlier["credentialStatus"]["statusListIndex"])
            assert index in parse_list_credential(served_old).bitstring().nonzero()
            independent = check_status(earlier, fetch=fetch)  # via the list, not the registry
            assert (independent.status, independent.code) == ("fail", "STATUS_REVOKED")
            assert check_status(later, fetch=fetch).status == "pass"
            assert client.get("/v1/status/no-such-list").status_code == 404
            assert client.get("/v2/status/revocation-1").status_code == 404  # never published
    finally:
        second.stop()
