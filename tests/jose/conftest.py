"""Keys, credentials and a token forger shared by the JOSE tests."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from jwcrypto import jwk

from microcred_vc.keys.keypair import KeyPair, generate_key


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(scope="session")
def ed_key() -> KeyPair:
    return generate_key("Ed25519")


@pytest.fixture(scope="session")
def other_ed_key() -> KeyPair:
    return generate_key("Ed25519")


@pytest.fixture(scope="session")
def rsa_jwk() -> jwk.JWK:
    return jwk.JWK.generate(kty="RSA", size=2048, kid="rsa-1")


def make_credential(issuer: str, *, v1: bool = False, **extra: Any) -> dict[str, Any]:
    cred: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1"
            if v1
            else "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:2f6f2bd8-7b44-4d4e-9d3f-2f0f1c4c9b11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example University"},
        "name": "Teamwork micro-credential",
        "credentialSubject": {
            "id": "did:example:learner-1",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.edu/achievements/teamwork",
                "type": ["Achievement"],
                "name": "Teamwork",
                "criteria": {"narrative": "Worked in a team."},
            },
        },
    }
    cred["issuanceDate" if v1 else "validFrom"] = "2024-01-01T00:00:00Z"
    cred.update(extra)
    return cred


@pytest.fixture
def credential(ed_key: KeyPair) -> dict[str, Any]:
    return make_credential(ed_key.did)


Forge = Callable[..., str]


@pytest.fixture(scope="session")
def forge(ed_key: KeyPair) -> Forge:
    """Build a token by hand (header and claims exactly as given), signed with
    ``key`` over the real signing input unless ``signature`` is given."""

    def _forge(
        header: dict[str, Any],
        claims: dict[str, Any],
        *,
        key: KeyPair | None = None,
        signature: bytes | None = None,
    ) -> str:
        signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
        if signature is None:
            signature = (key or ed_key).sign(signing_input.encode())
        return f"{signing_input}.{b64(signature)}"

    return _forge
