"""VC 1.1 JWT presentations cross-checked with SpruceID's didkit (Rust ``ssi``), both ways.

Oracle: an independent implementation. didkit issues a JWT VC and a JWT VP
(``proofFormat: jwt``) holding it, bound to a challenge and domain; this library
must verify it, and refuse it for another challenge. The other way, didkit
verifies a presentation signed by :func:`sign_presentation_jwt`. As in
``tests/proofs/test_cross_didkit.py`` each didkit call runs in a child process
(its extension aborts the interpreter at shutdown). Skipped only when didkit is
not installed.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest

from microcred_vc import verify
from microcred_vc.jose.presentation import sign_presentation_jwt
from microcred_vc.keys import generate_key

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("didkit") is None, reason="didkit is not installed"
)

_CHILD = textwrap.dedent(
    """
    import asyncio, json, os, sys, didkit
    args = json.loads(sys.stdin.read())
    async def issue():
        key = didkit.generate_ed25519_key()
        did = didkit.key_to_did("key", key)
        vm = await didkit.key_to_verification_method("key", key)
        cred = {"@context": ["https://www.w3.org/2018/credentials/v1"],
                "type": ["VerifiableCredential"], "issuer": did,
                "issuanceDate": "2024-01-01T00:00:00Z", "credentialSubject": {"id": did}}
        vc = await didkit.issue_credential(json.dumps(cred), json.dumps(
            {"proofPurpose": "assertionMethod", "verificationMethod": vm, "proofFormat": "jwt"}),
            key)
        vp = {"@context": ["https://www.w3.org/2018/credentials/v1"],
              "type": ["VerifiablePresentation"], "holder": did, "verifiableCredential": [vc]}
        return await didkit.issue_presentation(json.dumps(vp), json.dumps(
            {"proofPurpose": "authentication", "verificationMethod": vm, "proofFormat": "jwt",
             "challenge": args["challenge"], "domain": args["domain"]}), key)
    async def check():
        return await didkit.verify_presentation(args["token"], json.dumps(
            {"proofPurpose": "authentication", "proofFormat": "jwt",
             "challenge": args["challenge"], "domain": args["domain"]}))
    out = asyncio.run(issue()) if args["op"] == "issue" else json.loads(asyncio.run(check()))
    sys.stdout.write(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)
    """
)


def _didkit(**args: str) -> object:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(args),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def test_didkit_jwt_presentation_verifies_here() -> None:
    token = _didkit(op="issue", challenge="ch-1", domain="verifier.example")
    assert isinstance(token, str) and token.count(".") == 2
    report = verify(
        token, challenge="ch-1", domain="verifier.example", require_holder_is_subject=True
    )
    assert report.verified, report.errors
    assert report.format == "vp11-jwt"
    assert any(c.message.startswith("credential 1: ") and c.name == "signature" and c.passed
               for c in report.checks)  # fmt: skip
    replayed = verify(token, challenge="ch-2", domain="verifier.example")
    assert [c.code for c in replayed.checks if c.failed] == ["VP_CHALLENGE_MISMATCH"]


def test_our_jwt_presentation_verifies_in_didkit() -> None:
    holder = generate_key("Ed25519")
    vp = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiablePresentation"],
    }
    token = sign_presentation_jwt(vp, holder, challenge="ch-3", domain="verifier.example")
    result = _didkit(op="verify", token=token, challenge="ch-3", domain="verifier.example")
    assert isinstance(result, dict) and result["errors"] == [], result
    tampered = _didkit(op="verify", token=token, challenge="other", domain="verifier.example")
    assert isinstance(tampered, dict) and tampered["errors"], tampered
