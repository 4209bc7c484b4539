"""Signed samples of every format the verifier accepts, built fresh for each run.

The tamper matrix, the figures script and the clock/crypto tests all start from
a credential that *verifies*; a tampering proves something only if the original
passes. Keys, the OB2 issuer's RSA key and the seal's PKI are generated here, so
nothing secret or signed is committed, and the official data (an OB3 example,
an Europass sample) is read from the shared fixtures at run time.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from jwcrypto import jwk, jws

from microcred_vc import issue
from microcred_vc.jose import sign_jwt
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.keys import generate_key
from microcred_vc.proofs import create_presentation
from microcred_vc.seal import seal_edc
from tests.fixture_paths import FIXTURES
from tests.issuing import issued_by
from tests.pki import NOW, key_usage, make_cert

OB3_EXAMPLE = FIXTURES / "ob3" / "validator-fixtures" / "ob30" / "simple.json"
EDC_EXAMPLE = FIXTURES / "edc" / "elm-v3-samples" / "Sample-MC-Annex1-unsigned.jsonld"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB2_ISSUER = "https://issuer.test/issuer.json"
OB2_BADGE = "https://issuer.test/badge.json"
OB2_KEY = "https://issuer.test/key.json"
OB2_OTHER_KEY = "https://issuer.test/key-2.json"
ATTACKER_ISSUER = "https://attacker.test/issuer.json"
ATTACKER_KEY = "https://attacker.test/key.json"

#: (sample name, cryptosuite, key type) for every Data Integrity suite/curve pair
DI_SAMPLES = (
    ("di-eddsa-rdfc-2022", "eddsa-rdfc-2022", "Ed25519"),
    ("di-eddsa-jcs-2022", "eddsa-jcs-2022", "Ed25519"),
    ("di-ecdsa-rdfc-2019-P256", "ecdsa-rdfc-2019", "P-256"),
    ("di-ecdsa-rdfc-2019-P384", "ecdsa-rdfc-2019", "P-384"),
    ("di-ecdsa-jcs-2019-P256", "ecdsa-jcs-2019", "P-256"),
    ("di-ecdsa-jcs-2019-P384", "ecdsa-jcs-2019", "P-384"),
    ("di-Ed25519Signature2020", "Ed25519Signature2020", "Ed25519"),
)
#: (sample name, JWT encoding, key type)
JWT_SAMPLES = (
    ("jwt-vc-jose-cose-ES256", "vc-jose-cose", "P-256"),
    ("jwt-vc-jose-cose-EdDSA", "vc-jose-cose", "Ed25519"),
    ("jwt-vc11-ES384", "vc11", "P-384"),
)
VP_SAMPLE = "vp-eddsa-rdfc-2022"
VP_CHALLENGE = "c-2b7d1f"
VP_DOMAIN = "verifier.example"
OB2_SAMPLE = "ob2-signed-RS256"
SEAL_SAMPLE = "edc-jades-ES256"
SAMPLE_NAMES = (
    *(name for name, _, _ in DI_SAMPLES),
    *(name for name, _, _ in JWT_SAMPLES),
    VP_SAMPLE,
    OB2_SAMPLE,
    SEAL_SAMPLE,
)


@dataclass
class Sample:
    """A signed credential plus what ``verify`` needs to accept it."""

    name: str
    kind: str  # "di" | "jwt" | "ob2" | "seal"
    value: Any
    options: dict[str, Any]
    key: Any = None
    extras: dict[str, Any] = field(default_factory=dict)

    def fresh(self) -> Any:
        """A private copy of the signed value, safe to tamper with."""
        return copy.deepcopy(self.value)


def fixture_loader() -> DocumentLoader:
    """The library's contexts plus the official copies (the OB3 3.0.3 context)."""
    return DocumentLoader(extra_dirs=[FIXTURES / "contexts"])


def ob3_credential() -> dict[str, Any]:
    """The official OB 3.0 example, unsigned and pinned to a versioned context."""
    doc = json.loads(OB3_EXAMPLE.read_text(encoding="utf-8"))
    doc.pop("proof", None)
    return doc


# --- Data Integrity and JWT -----------------------------------------------------
def di_sample(name: str, suite: str, key_type: str, loader: DocumentLoader) -> Sample:
    key = generate_key(key_type)
    signed = issue(issued_by(ob3_credential(), key), key, cryptosuite=suite, loader=loader)
    return Sample(name, "di", signed, {"loader": loader}, key, {"suite": suite})


def jwt_sample(name: str, encoding: str, key_type: str) -> Sample:
    key = generate_key(key_type)
    credential = ob3_credential()
    credential["issuer"] = {**credential["issuer"], "id": key.did}
    token = sign_jwt(credential, key, encoding=encoding)  # type: ignore[arg-type]
    return Sample(name, "jwt", token, {}, key, {"encoding": encoding})


def vp_sample(credential: dict[str, Any], loader: DocumentLoader) -> Sample:
    """A holder's presentation of a signed credential, bound to one verifier's challenge."""
    holder = generate_key("Ed25519")
    vp = create_presentation(
        credential, holder, challenge=VP_CHALLENGE, domain=VP_DOMAIN, loader=loader
    )
    options = {"loader": loader, "challenge": VP_CHALLENGE, "domain": VP_DOMAIN}
    return Sample(VP_SAMPLE, "vp", vp, options, holder)


# --- Open Badges 2.0 signed assertion -------------------------------------------
def ob2_key_document(key: jwk.JWK, url: str, owner: str) -> dict[str, Any]:
    return {
        "@context": OB2_CONTEXT,
        "type": "CryptographicKey",
        "id": url,
        "owner": owner,
        "publicKeyPem": key.export_to_pem().decode(),
    }


def ob2_world(key: jwk.JWK, second: jwk.JWK, attacker: jwk.JWK) -> dict[str, Any]:
    """What the issuer (and an attacker) serve: profiles, keys, the BadgeClass."""
    return {
        OB2_KEY: ob2_key_document(key, OB2_KEY, OB2_ISSUER),
        OB2_OTHER_KEY: ob2_key_document(second, OB2_OTHER_KEY, OB2_ISSUER),
        ATTACKER_KEY: ob2_key_document(attacker, ATTACKER_KEY, ATTACKER_ISSUER),
        OB2_ISSUER: {
            "@context": OB2_CONTEXT,
            "type": "Issuer",
            "id": OB2_ISSUER,
            "name": "Test Issuer",
            "url": "https://issuer.test",
            "email": "badges@issuer.test",
            "publicKey": [OB2_KEY, OB2_OTHER_KEY],
        },
        ATTACKER_ISSUER: {
            "@context": OB2_CONTEXT,
            "type": "Issuer",
            "id": ATTACKER_ISSUER,
            "name": "Test Issuer",
            "url": "https://attacker.test",
            "email": "badges@attacker.test",
            "publicKey": ATTACKER_KEY,
        },
        OB2_BADGE: {
            "@context": OB2_CONTEXT,
            "type": "BadgeClass",
            "id": OB2_BADGE,
            "name": "Data Literacy",
            "description": "Reads and questions data.",
            "criteria": {"narrative": "Complete the course and the assessment."},
            "issuer": OB2_ISSUER,
        },
    }


def ob2_assertion() -> dict[str, Any]:
    return {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": "urn:uuid:52e4c6b3-8c13-4fa8-8482-a5cf34ef37a9",
        "recipient": {"type": "email", "hashed": False, "identity": "learner@example.org"},
        "issuedOn": "2024-05-01T10:00:00Z",
        "badge": OB2_BADGE,
        "verification": {"type": "SignedBadge", "creator": OB2_KEY},
        "evidence": {"narrative": "Final project graded 18/20."},
    }


def jws_sign(payload: Any, key: jwk.JWK, header: dict[str, Any]) -> str:
    """A compact JWS over exactly ``payload`` (JSON-encoded) with ``header`` protected."""
    token = jws.JWS(json.dumps(payload).encode("utf-8"))
    token.add_signature(key, alg=header["alg"], protected=json.dumps(header))
    return token.serialize(compact=True)


def make_fetch(world: dict[str, Any]) -> Callable[[str], Any]:
    def fetch(url: str) -> Any:
        if url in world:
            return copy.deepcopy(world[url])
        from microcred_vc.errors import NetworkError

        raise NetworkError(f"404 {url}", url=url)

    return fetch


def ob2_sample() -> Sample:
    key = jwk.JWK.generate(kty="RSA", size=2048)
    second = jwk.JWK.generate(kty="RSA", size=2048)
    attacker = jwk.JWK.generate(kty="RSA", size=2048)
    world = ob2_world(key, second, attacker)
    token = jws_sign(ob2_assertion(), key, {"alg": "RS256"})
    extras = {"second": second, "attacker": attacker, "world": world}
    return Sample(OB2_SAMPLE, "ob2", token, {"fetch": make_fetch(world)}, key, extras)


# --- JAdES-sealed EDC ---------------------------------------------------------
def certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None,
    *,
    ca: bool,
) -> x509.Certificate:
    """A certificate valid from a year ago to a year ahead (CA or sealing end entity)."""
    issuer_cert, issuer_key = issuer if issuer else (None, key)
    return make_cert(
        subject,
        key,
        issuer_cert,
        issuer_key,
        ca=ca,
        usage=key_usage(sign=not ca, ca=ca),
        start=NOW - timedelta(days=365),
        end=NOW + timedelta(days=365),
    )


def seal_sample() -> Sample:
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = certificate("Tamper Test Root CA", root_key, None, ca=True)
    inter_key = ec.generate_private_key(ec.SECP256R1())
    inter = certificate("Tamper Test Issuing CA", inter_key, (root, root_key), ca=True)
    seal_key = ec.generate_private_key(ec.SECP256R1())
    seal = certificate("Tamper Test Seal", seal_key, (inter, inter_key), ca=False)
    # another valid sealing certificate from the same CA: the x5c-swap attacker's
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = certificate("Tamper Test Other Seal", other_key, (inter, inter_key), ca=False)
    document = json.loads(EDC_EXAMPLE.read_text(encoding="utf-8"))
    sealed = seal_edc(document, seal_key, [seal, inter])
    extras = {"root": root, "inter": inter, "seal": seal, "other": other, "other_key": other_key}
    return Sample(SEAL_SAMPLE, "seal", sealed, {"trust_roots": [root]}, seal_key, extras)


@lru_cache(maxsize=1)
def build_samples() -> dict[str, Sample]:
    """Every signed sample, built once per process (keys are random each run)."""
    loader = fixture_loader()
    samples = [di_sample(name, suite, kt, loader) for name, suite, kt in DI_SAMPLES]
    samples += [jwt_sample(name, enc, kt) for name, enc, kt in JWT_SAMPLES]
    samples += [vp_sample(samples[0].fresh(), loader), ob2_sample(), seal_sample()]
    return {s.name: s for s in samples}
