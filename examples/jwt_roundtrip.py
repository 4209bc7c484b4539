"""Guide — credentials as JWTs: sign, verify, and what decides which key may sign.

Run: ``.venv/bin/python examples/jwt_roundtrip.py``. It signs one credential as a
VC-JOSE-COSE token and as a VC 1.1 / Open Badges 3.0 token, verifies both, and shows
the key rules: an RSA key (PS256) must be allowed by the caller, and a key the token
embeds proves only integrity until the caller trusts it.
"""

from __future__ import annotations

import json
from typing import Any

from jwcrypto import jwk

from microcred_vc import generate_key, sign_jwt, verify
from microcred_vc.jose import verify_jwt


def credential(issuer: str) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner-1"},
    }


def show(label: str, report: Any) -> None:
    failed = [f"{c.name}={c.code}" for c in report.checks if c.status in ("fail", "warn")]
    print(f"{label}: {'VERIFIED' if report.verified else 'NOT VERIFIED'} {' '.join(failed)}")


def main() -> None:
    key = generate_key("P-256")  # a did:key: the kid header names it, no resolver needed
    for encoding in ("vc-jose-cose", "vc11"):
        token = sign_jwt(credential(key.did), key, encoding=encoding)
        show(f"ES256 as {encoding}", verify(token, status=False))

    # RSA: PS256 and RS256 are off by default; the caller opts in, with its trusted keys.
    rsa = jwk.JWK.generate(kty="RSA", size=2048, kid="rsa-1")
    private = json.loads(rsa.export_private())
    issuer = "https://registrar.uni.example"
    token = sign_jwt(credential(issuer), private, alg="PS256", kid="rsa-1")
    # Trusted keys are bound to the issuer they speak for: a flat key set would verify
    # the signature but leave the issuer unproven (a JWT_KEY_NOT_BOUND warning).
    trusted = {issuer: {"keys": [json.loads(rsa.export_public())]}}
    show("PS256, not allowed", verify(token, status=False, jwks=trusted))
    show(
        "PS256, allowed and trusted",
        verify(token, status=False, jwks=trusted, allowed_algs=["ES256", "PS256"]),
    )

    # An embedded jwk (Open Badges 3.0 permits it) names nobody until the caller trusts it.
    badge_key = jwk.JWK.generate(kty="EC", crv="P-256")
    public = json.loads(badge_key.export_public())
    platform = "https://badges.platform.example"
    embedded = sign_jwt(
        credential(platform),
        json.loads(badge_key.export_private()),
        headers={"jwk": public},
    )
    show("embedded jwk, untrusted", verify_jwt(embedded))
    show("embedded jwk, trusted", verify_jwt(embedded, jwks={platform: [public]}))


if __name__ == "__main__":
    main()
