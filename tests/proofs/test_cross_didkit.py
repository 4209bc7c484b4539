"""Optional cross-implementation checks against SpruceID's didkit (Rust ``ssi``).

didkit 0.3.3 is the only Python-installable Data Integrity implementation
found on PyPI that runs on Python 3.11; it signs Ed25519Signature2020 (not
eddsa-rdfc-2022) on VC 1.1 documents. Its extension aborts the interpreter
at shutdown, so each call runs in a child process that exits with os._exit.
Skipped only when didkit is not installed.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest

from microcred_vc.keys import generate_key
from microcred_vc.proofs import issue_document, verify_credential, verify_proof

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("didkit") is None, reason="didkit is not installed"
)

_CHILD = textwrap.dedent(
    """
    import asyncio, json, os, sys, didkit
    args = json.loads(sys.stdin.read())
    async def main():
        if args["op"] == "issue":
            options = {"proofPurpose": "assertionMethod", "type": "Ed25519Signature2020",
                       "verificationMethod": args["vm"]}
            return await didkit.issue_credential(json.dumps(args["doc"]), json.dumps(options),
                                                 args["jwk"])
        return await didkit.verify_credential(json.dumps(args["doc"]),
                                              json.dumps({"proofPurpose": "assertionMethod"}))
    sys.stdout.write(asyncio.run(main()))
    sys.stdout.flush()
    os._exit(0)
    """
)


def _didkit(**args) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(args),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def _credential(issuer: str | None = None) -> dict:
    doc = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:5f3b7a3e-2c61-4f43-a1cf-3f3d4e0e9b11",
        "type": ["VerifiableCredential"],
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    if issuer:
        doc["issuer"] = issuer
    return doc


def test_didkit_signed_credential_verifies_here(loader) -> None:
    key = generate_key()
    jwk = {k: v for k, v in key.to_jwk(include_secret=True).items() if k != "kid"}
    signed = _didkit(
        op="issue", doc=_credential(key.did), vm=key.verification_method, jwk=json.dumps(jwk)
    )
    assert signed["proof"]["type"] == "Ed25519Signature2020"
    report = verify_credential(signed, loader=loader)
    assert report.verified, report.errors
    signed["credentialSubject"]["id"] = "did:example:someone-else"
    assert not verify_proof(signed, loader=loader).verified


def test_credential_signed_here_verifies_in_didkit(loader) -> None:
    key = generate_key()
    signed = issue_document(
        _credential(key.did), key, cryptosuite="Ed25519Signature2020", loader=loader
    )
    result = _didkit(op="verify", doc=signed)
    assert result["errors"] == [], result
    signed["credentialSubject"]["id"] = "did:example:someone-else"
    assert _didkit(op="verify", doc=signed)["errors"]
