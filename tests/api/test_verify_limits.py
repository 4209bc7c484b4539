"""``verify(limits=...)``: the caller's input caps reach the format detection (issue 15).

Oracle: a property — the same document verifies under the default caps and is refused
with ``INPUT_TOO_LARGE`` (as the ``format`` check, before any JSON-LD work) under caps
it exceeds, whether it arrives as JSON text or as a dict.
"""

from __future__ import annotations

import json

from microcred_vc import generate_key, issue_document, verify
from microcred_vc.jsonld.limits import Limits


def _signed() -> dict:
    key = generate_key("Ed25519")
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": key.did,
        "credentialSubject": {"id": "did:example:learner"},
    }
    return issue_document(credential, key)


def test_the_callers_limits_refuse_what_the_defaults_accept() -> None:
    doc = _signed()
    text = json.dumps(doc)
    assert verify(text, status=False).verified and verify(doc, status=False).verified
    for given, limits in (
        (text, Limits(max_bytes=len(text) - 1)),
        (doc, Limits(max_nodes=5)),
        (text, Limits(max_depth=2)),
    ):
        report = verify(given, status=False, limits=limits)
        first = report.checks[0]
        assert not report.verified
        assert first.name == "format" and first.code == "INPUT_TOO_LARGE", first
