"""Data Integrity presentations: the optional holder-is-subject check and strict envelopes.

Oracles: properties. A holder may present only credentials about themselves
when the verifier asks for it (``require_holder_is_subject``, check ``subject``,
code ``HOLDER_NOT_SUBJECT``), and the subject compared is the signed one; without
the request the same presentation verifies (the check is opt-in). An envelope's
``data:`` media type decides what it holds: a presentation inside
``verifiableCredential`` fails (``PRESENTATION_NESTED``), an unknown media type
fails (``ENVELOPE_INVALID``). Each expected code was never reported by the old code.
"""

from __future__ import annotations

from typing import Any

from microcred_vc import FORMATS, VerificationContext, verify
from microcred_vc.envelope import envelope
from microcred_vc.jose import sign_jwt
from microcred_vc.jose.presentation import sign_presentation_jwt
from microcred_vc.keys import generate_key
from microcred_vc.proofs import create_presentation, issue_document, verify_presentation

VC2 = "https://www.w3.org/ns/credentials/v2"


def _credential(issuer: Any, subject: str) -> dict[str, Any]:
    return {
        "@context": [VC2],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did,
        "credentialSubject": {"id": subject},
    }


def _failed(report: Any) -> list[tuple[str, str | None]]:
    return [(c.name, c.code) for c in report.checks if c.failed]


def test_holder_is_subject_for_data_integrity_and_enveloped_credentials() -> None:
    issuer, holder = generate_key("Ed25519"), generate_key("Ed25519")
    mine = issue_document(_credential(issuer, holder.did), issuer)
    theirs = envelope(sign_jwt(_credential(issuer, "did:example:someone-else"), issuer))
    vp = create_presentation([mine, theirs], holder, challenge="c")
    assert verify(vp, challenge="c").verified
    strict = verify(vp, challenge="c", require_holder_is_subject=True)
    subject = [c for c in strict.checks if c.name == "subject"]
    assert [(c.status, c.message.split(":")[0]) for c in subject] == [
        ("pass", "credential 1"),
        ("fail", "credential 2"),
    ]
    assert _failed(strict) == [("subject", "HOLDER_NOT_SUBJECT")]
    # the same request through an explicit context reaches the direct call too
    context = VerificationContext(challenge="c", require_holder_is_subject=True, formats=FORMATS)
    direct = verify_presentation(vp, challenge="c", context=context)
    assert _failed(direct) == [("subject", "HOLDER_NOT_SUBJECT")]


def test_a_presentation_is_not_a_credential() -> None:
    holder = generate_key("Ed25519")
    inner = sign_presentation_jwt(
        {"@context": [VC2], "type": ["VerifiablePresentation"]}, holder, challenge="c"
    )
    smuggled = envelope(inner, "presentation") | {"type": "EnvelopedVerifiableCredential"}
    vp = create_presentation([smuggled], holder, challenge="c")
    report = verify(vp, challenge="c")
    assert ("format", "PRESENTATION_NESTED") in _failed(report)


def test_envelope_with_unknown_media_type() -> None:
    issuer, holder = generate_key("Ed25519"), generate_key("Ed25519")
    token = sign_jwt(_credential(issuer, holder.did), issuer)
    odd = {"@context": [VC2], "type": "EnvelopedVerifiableCredential",
           "id": f"data:application/json;base64,{token}"}  # fmt: skip
    report = verify(create_presentation([odd], holder, challenge="c"), challenge="c")
    assert ("format", "ENVELOPE_INVALID") in _failed(report)


def test_missing_challenge_is_said_plainly() -> None:
    """A verifier that asked for a challenge is told the proof carries none."""
    from microcred_vc.proofs.engine import add_proof

    holder = generate_key("Ed25519")
    vp = {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": holder.did}
    signed = add_proof(vp, holder, purpose="authentication")
    report = verify(signed, challenge="asked")
    assert "carries no challenge" in report.check("proof").message
