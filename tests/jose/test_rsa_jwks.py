"""JOSE breadth (issue #18 item 3): RSA and P-384 keys from JWKs and DID documents,
``verify(jwks=, allowed_algs=)`` on the public API, and when an embedded ``jwk`` counts.

Oracle: every token here is built by hand from RFC 7515/7518 with ``cryptography``
primitives (RSASSA-PKCS1-v1_5, RSASSA-PSS with a digest-length salt, ECDSA with
the raw r||s signature) -- an implementation independent of jwcrypto, which the
library verifies with. Public JWKs are written from the key numbers (RFC 7518
6.3.1 / 6.2.1), not exported by the library. Negative tests: a 1024-bit RSA key
(``KEY_TOO_WEAK``), an algorithm outside the allow-list, and an embedded key
nobody trusts.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from microcred_vc import verify
from microcred_vc.keys import Resolver
from tests.jose.conftest import make_credential

ISSUER = "did:web:issuer.example.edu"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _uint(value: int) -> str:
    return b64u(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def rsa_jwk(key: rsa.RSAPrivateKey) -> dict[str, Any]:
    nums = key.public_key().public_numbers()
    return {"kty": "RSA", "n": _uint(nums.n), "e": _uint(nums.e)}


def ec_jwk(key: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
    nums = key.public_key().public_numbers()
    return {
        "kty": "EC",
        "crv": "P-384",
        "x": b64u(nums.x.to_bytes(48, "big")),
        "y": b64u(nums.y.to_bytes(48, "big")),
    }


def hand_signed(header: dict[str, Any], payload: dict[str, Any], key: Any) -> str:
    """A compact JWS per RFC 7515 section 5.1, signed with ``cryptography`` directly."""
    signing_input = (
        b64u(json.dumps(header).encode()) + "." + b64u(json.dumps(payload).encode())
    ).encode()
    alg = header["alg"]
    if alg == "RS256":
        sig = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "PS256":  # RFC 7518 3.5: MGF1 with SHA-256, salt as long as the hash
        sig = key.sign(
            signing_input, padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256()
        )
    elif alg == "ES384":  # RFC 7518 3.4: R || S, each 48 octets
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA384())))
        sig = r.to_bytes(48, "big") + s.to_bytes(48, "big")
    else:
        raise AssertionError(alg)
    return signing_input.decode() + "." + b64u(sig)


def did_document(jwk: dict[str, Any], *, relationship: str = "assertionMethod") -> dict:
    vm_id = f"{ISSUER}#key-1"
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": ISSUER,
        "verificationMethod": [
            {"id": vm_id, "type": "JsonWebKey", "controller": ISSUER, "publicKeyJwk": jwk}
        ],
        relationship: [vm_id],
    }


def resolver_for(document: dict[str, Any]) -> Resolver:
    return Resolver(documents={document["id"]: document})


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def p384_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


def _credential() -> dict[str, Any]:
    return make_credential(ISSUER)


def _codes(report) -> list[str]:
    return [c.code for c in report.checks if c.code]


@pytest.mark.parametrize("alg", ["RS256", "PS256"])
def test_rsa_key_from_a_did_document(rsa_key, alg) -> None:
    """Before: KEY_TYPE_UNSUPPORTED for a publicKeyJwk with kty RSA."""
    token = hand_signed({"alg": alg, "kid": f"{ISSUER}#key-1"}, _credential(), rsa_key)
    resolver = resolver_for(did_document(rsa_jwk(rsa_key)))
    report = verify(token, resolver=resolver, allowed_algs=["RS256", "PS256"])
    assert report.verified, report.errors
    assert report.check("issuer").status == "pass"


def test_rsa_key_of_an_https_issuer(rsa_key) -> None:
    """An https controller document (as OB 3.0 issuers publish) serves an RSA key too."""
    issuer = "https://issuer.example.edu/issuers/1"
    document = did_document(rsa_jwk(rsa_key))
    document = {
        **document,
        "id": issuer,
        "verificationMethod": [
            {**document["verificationMethod"][0], "id": f"{issuer}#key-1", "controller": issuer}
        ],
        "assertionMethod": [f"{issuer}#key-1"],
    }
    token = hand_signed(
        {"alg": "RS256", "kid": f"{issuer}#key-1"}, make_credential(issuer), rsa_key
    )
    report = verify(token, resolver=resolver_for(document))
    assert report.verified, report.errors


def test_ps256_must_be_allowed_from_verify(rsa_key) -> None:
    token = hand_signed({"alg": "PS256", "kid": f"{ISSUER}#key-1"}, _credential(), rsa_key)
    resolver = resolver_for(did_document(rsa_jwk(rsa_key)))
    refused = verify(token, resolver=resolver)  # default list: EdDSA, ES256, ES384, RS256
    assert not refused.verified and "JWT_ALG_NOT_ALLOWED" in _codes(refused)
    assert verify(token, resolver=resolver, allowed_algs=["PS256"]).verified


def test_alg_outside_the_allow_list_is_refused(rsa_key) -> None:
    token = hand_signed({"alg": "RS256", "kid": "rsa-1"}, _credential(), rsa_key)
    jwks = {"keys": [{**rsa_jwk(rsa_key), "kid": "rsa-1"}]}
    report = verify(token, jwks=jwks, allowed_algs=["EdDSA", "ES256"])
    assert not report.verified and "JWT_ALG_NOT_ALLOWED" in _codes(report)


def test_jwks_passes_through_verify(rsa_key) -> None:
    token = hand_signed({"alg": "RS256", "kid": "rsa-1"}, _credential(), rsa_key)
    assert not verify(token).verified  # "rsa-1" names no DID: nothing to resolve
    report = verify(token, jwks={"keys": [{**rsa_jwk(rsa_key), "kid": "rsa-1"}]})
    assert report.verified, report.errors
    assert "supplied key set" in report.check("signature").message


@pytest.mark.parametrize("source", ["did-document", "jwks"])
def test_es384_with_a_p384_jwk(p384_key, source) -> None:
    kid = f"{ISSUER}#key-1" if source == "did-document" else "p384"
    token = hand_signed({"alg": "ES384", "kid": kid}, _credential(), p384_key)
    if source == "did-document":
        report = verify(token, resolver=resolver_for(did_document(ec_jwk(p384_key))))
    else:
        report = verify(token, jwks=[{**ec_jwk(p384_key), "kid": "p384"}])
    assert report.verified, report.errors
    # and the signature is really checked: another P-384 key does not verify it
    other = ec.generate_private_key(ec.SECP384R1())
    forged = hand_signed({"alg": "ES384", "kid": kid}, _credential(), other)
    if source == "did-document":
        bad = verify(forged, resolver=resolver_for(did_document(ec_jwk(p384_key))))
    else:
        bad = verify(forged, jwks=[{**ec_jwk(p384_key), "kid": "p384"}])
    assert not bad.verified and "JWT_SIGNATURE_INVALID" in _codes(bad)


def test_1024_bit_rsa_is_refused_everywhere() -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    token = hand_signed({"alg": "RS256", "kid": f"{ISSUER}#key-1"}, _credential(), weak)
    from_document = verify(token, resolver=resolver_for(did_document(rsa_jwk(weak))))
    assert not from_document.verified and "KEY_TOO_WEAK" in _codes(from_document)
    from_jwks = verify(token, jwks=[rsa_jwk(weak)])
    assert not from_jwks.verified and "KEY_TOO_WEAK" in _codes(from_jwks)
    embedded = hand_signed({"alg": "RS256", "jwk": rsa_jwk(weak)}, _credential(), weak)
    got = verify(embedded)
    assert not got.verified and "KEY_TOO_WEAK" in _codes(got)


# --- the embedded jwk header -------------------------------------------------------
def test_embedded_jwk_alone_is_self_asserted(p384_key) -> None:
    token = hand_signed({"alg": "ES384", "jwk": ec_jwk(p384_key)}, _credential(), p384_key)
    report = verify(token)
    assert report.check("signature").status == "pass"
    assert report.check("issuer").code == "JWT_KEY_SELF_ASSERTED"
    assert not report.verified


def test_embedded_jwk_equal_to_a_trusted_key(p384_key) -> None:
    """The caller's key set holds the same key (its own kid; the token names another)."""
    header = {"alg": "ES384", "kid": "whatever-the-token-says", "jwk": ec_jwk(p384_key)}
    token = hand_signed(header, _credential(), p384_key)
    report = verify(token, jwks={ISSUER: [{**ec_jwk(p384_key), "kid": "trusted-1"}]})
    assert report.verified, report.errors
    assert report.check("issuer").status == "pass"
    # a different trusted key does not make the embedded one trusted
    stranger = ec.generate_private_key(ec.SECP384R1())
    refused = verify(token, jwks=[{**ec_jwk(stranger), "kid": "trusted-1"}])
    assert not refused.verified
    assert "JWT_KEY_SELF_ASSERTED" not in _codes(refused)  # it fails as an unknown kid
    assert "JWT_KID_UNKNOWN" in _codes(refused)


def test_embedded_jwk_listed_by_the_issuers_did_document(rsa_key) -> None:
    token = hand_signed({"alg": "RS256", "jwk": rsa_jwk(rsa_key)}, _credential(), rsa_key)
    report = verify(token, resolver=resolver_for(did_document(rsa_jwk(rsa_key))))
    assert report.verified, report.errors
    assert report.check("issuer").status == "pass"
    assert ISSUER in report.check("signature").message


def test_embedded_jwk_listed_only_for_authentication_is_not_the_issuers(rsa_key) -> None:
    """A key the issuer lists only to log in may not sign credentials in its name."""
    token = hand_signed({"alg": "RS256", "jwk": rsa_jwk(rsa_key)}, _credential(), rsa_key)
    document = did_document(rsa_jwk(rsa_key), relationship="authentication")
    report = verify(token, resolver=resolver_for(document))
    assert report.check("issuer").code == "JWT_KEY_SELF_ASSERTED"


def test_embedded_jwk_in_another_dids_document_is_not_the_issuers(rsa_key) -> None:
    """The issuer named in the credential must be the document's subject."""
    token = hand_signed({"alg": "RS256", "jwk": rsa_jwk(rsa_key)}, _credential(), rsa_key)
    document = {**did_document(rsa_jwk(rsa_key)), "id": "did:web:attacker.example"}
    document["verificationMethod"][0] = {
        **document["verificationMethod"][0],
        "id": "did:web:attacker.example#key-1",
        "controller": "did:web:attacker.example",
    }
    document["assertionMethod"] = ["did:web:attacker.example#key-1"]
    report = verify(token, resolver=Resolver(documents={ISSUER: document}))
    assert report.check("issuer").code == "JWT_KEY_SELF_ASSERTED"
