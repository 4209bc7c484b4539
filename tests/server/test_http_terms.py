"""HTTP error details speak HTTP, not Python (issue 20, item 5: "error details tell HTTP
clients to use DocumentLoader(extra_dirs=...)").

Oracle: the issue's rule — a detail sent to an HTTP client names no Python argument —
checked over a real socket for each hint listed in ``server/http_terms.py``, while the
library keeps its Python wording for Python callers.
"""

from __future__ import annotations

import pytest

from microcred_vc.errors import ContextNotAllowed
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.server.http_terms import HTTP_TERMS, http_message
from tests.server.conftest import as_issuer

UNKNOWN = "https://contexts.example.org/unknown/v1"


def _credential(server) -> dict:
    return as_issuer(
        server,
        {
            "@context": ["https://www.w3.org/ns/credentials/v2", UNKNOWN],
            "type": ["VerifiableCredential"],
            "issuer": "did:example:placeholder",
            "credentialSubject": {"id": "did:example:learner"},
        },
    )


def test_library_message_keeps_its_python_hint():
    with pytest.raises(ContextNotAllowed) as caught:
        DocumentLoader().load(UNKNOWN)
    assert "DocumentLoader(extra_dirs=...)" in caught.value.message
    assert "DocumentLoader" not in http_message(caught.value.code, caught.value.message)


def test_issue_with_unknown_context_is_explained_in_http_terms(server, client, auth):
    response = client.post(
        "/credentials/issue", json={"credential": _credential(server)}, headers=auth
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "CONTEXT_NOT_ALLOWED", body
    assert "DocumentLoader" not in response.text and "extra_dirs" not in response.text
    assert "this service reads only the contexts it ships" in body["detail"]


def test_verify_report_is_in_http_terms(server, client):
    doc = {**_credential(server), "proof": {"type": "DataIntegrityProof"}}
    response = client.post("/credentials/verify", json={"verifiableCredential": doc})
    assert response.status_code == 400
    assert "DocumentLoader" not in response.text and "extra_dirs" not in response.text
    context = next(c for c in response.json()["checks"] if c["name"] == "context")
    assert "this service reads only the contexts it ships" in context["message"]


def test_every_hint_has_an_http_wording():
    for python, http in HTTP_TERMS:
        assert python not in http
        assert "=" not in http.replace('"', "")  # no keyword arguments in HTTP terms
