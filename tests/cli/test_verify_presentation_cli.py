"""``microcred verify --challenge --domain``: presentations pass the CLI (issue 18 item 2).

Oracle: the API. The CLI's exit code and checks follow ``verify(challenge=, domain=)``
for a Data Integrity presentation and a JWT one; a presentation answering another
challenge, or none, fails with a sentence saying so. Before, the CLI had no
``--challenge`` and every presentation failed.
"""

from __future__ import annotations

import json
from pathlib import Path

from microcred_vc.jose import sign_jwt
from microcred_vc.jose.presentation import sign_presentation_jwt
from microcred_vc.keys import generate_key
from microcred_vc.proofs import create_presentation, issue_document
from microcred_vc.proofs.engine import add_proof

VC2 = "https://www.w3.org/ns/credentials/v2"


def _credential(issuer, subject: str) -> dict:
    return {"@context": [VC2], "type": ["VerifiableCredential"], "issuer": issuer.did,
            "credentialSubject": {"id": subject}}  # fmt: skip


def test_presentations_verify_with_challenge_and_domain(run, tmp_path: Path) -> None:
    issuer, holder = generate_key("Ed25519"), generate_key("Ed25519")
    vc = issue_document(_credential(issuer, holder.did), issuer)
    di = tmp_path / "vp.json"
    di.write_text(json.dumps(create_presentation([vc], holder, challenge="n-1", domain="v.ex")))
    jwt = tmp_path / "vp.jwt"
    jwt.write_text(sign_presentation_jwt(
        {"@context": [VC2], "type": ["VerifiablePresentation"],
         "verifiableCredential": [sign_jwt(_credential(issuer, holder.did), issuer)]},
        holder, challenge="n-1", domain="v.ex"))  # fmt: skip
    for path in (di, jwt):
        ok = run(
            "verify", str(path), "--challenge", "n-1", "--domain", "v.ex", "--holder-is-subject"
        )
        assert ok.code == 0, ok.out
        assert "VERIFIED" in ok.out
        wrong = run("verify", str(path), "--challenge", "n-2", "--json")
        assert wrong.code == 1
        assert json.loads(wrong.out)["verified"] is False


def test_presentation_without_challenge_fails_clearly(run, tmp_path: Path) -> None:
    holder = generate_key("Ed25519")
    vp = {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": holder.did}
    path = tmp_path / "vp.json"
    path.write_text(json.dumps(add_proof(vp, holder, purpose="authentication")))
    result = run("verify", str(path), "--challenge", "n-1")
    assert result.code == 1
    assert "carries no challenge" in result.out
