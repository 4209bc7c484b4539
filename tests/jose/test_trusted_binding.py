"""Trusted JOSE keys bound to issuers (jose/trusted.py).

Attack: a wallet trusts the keys of two issuers. With one flat key set, issuer A
could sign a credential that names issuer B and it verified with the issuer
check passing. Oracle: tokens are signed by hand with ``cryptography``
(RFC 7515/7518, independent of jwcrypto, which the library verifies with); the
expected outcome is the property "a key proves only the issuers the caller
bound it to".
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import ec

from microcred_vc import AllowList, verify
from tests.jose.conftest import make_credential
from tests.jose.test_rsa_jwks import ec_jwk, hand_signed

ISSUER_A = "https://a.example.edu"
ISSUER_B = "https://b.example.edu"


def _token(key: ec.EllipticCurvePrivateKey, issuer: str, kid: str) -> str:
    return hand_signed({"alg": "ES384", "kid": kid}, make_credential(issuer), key)


def _keys() -> tuple[ec.EllipticCurvePrivateKey, ec.EllipticCurvePrivateKey]:
    return ec.generate_private_key(ec.SECP384R1()), ec.generate_private_key(ec.SECP384R1())


def test_bound_key_proves_its_issuer_and_feeds_the_trust_check() -> None:
    key_a, key_b = _keys()
    jwks = {
        ISSUER_A: [{**ec_jwk(key_a), "kid": "a-1"}],
        ISSUER_B: {"keys": [{**ec_jwk(key_b), "kid": "b-1"}]},
    }
    report = verify(_token(key_a, ISSUER_A, "a-1"), jwks=jwks, trust=AllowList([ISSUER_A]))
    assert report.verified, report.errors
    assert report.check("issuer").status == "pass"
    assert report.issuer == ISSUER_A
    assert report.trusted


def test_one_trusted_issuer_cannot_sign_in_anothers_name() -> None:
    key_a, key_b = _keys()
    jwks = {
        ISSUER_A: [{**ec_jwk(key_a), "kid": "a-1"}],
        ISSUER_B: [{**ec_jwk(key_b), "kid": "b-1"}],
    }
    forged = verify(_token(key_a, ISSUER_B, "a-1"), jwks=jwks)
    assert not forged.verified
    assert forged.check("signature").code == "JWT_ISSUER_KEY_MISMATCH"
    # also when the forger leaves out the kid and lets the algorithm pick the key
    no_kid = hand_signed({"alg": "ES384"}, make_credential(ISSUER_B), key_a)
    report = verify(no_kid, jwks=jwks)
    assert not report.verified
    # ... or reuses the victim's kid: the signature then fails under B's key
    stolen_kid = verify(_token(key_a, ISSUER_B, "b-1"), jwks=jwks)
    assert not stolen_kid.verified


def test_flat_key_set_proves_integrity_not_the_issuer() -> None:
    key_a, _ = _keys()
    report = verify(_token(key_a, ISSUER_B, "a-1"), jwks=[{**ec_jwk(key_a), "kid": "a-1"}])
    assert report.verified  # the caller trusts the key: integrity holds
    assert report.check("issuer").status == "warn"
    assert report.check("issuer").code == "JWT_KEY_NOT_BOUND"
    assert report.issuer is None  # so no trust registry can vouch for the claimed name
    trusted = verify(
        _token(key_a, ISSUER_B, "a-1"),
        jwks=[{**ec_jwk(key_a), "kid": "a-1"}],
        trust=AllowList([ISSUER_B]),
    )
    assert not trusted.trusted


def test_did_url_kid_binds_a_trusted_key_to_that_did() -> None:
    key_a, _ = _keys()
    did = "did:web:a.example.edu"
    jwk = {**ec_jwk(key_a), "kid": f"{did}#key-1"}
    good = verify(_token(key_a, did, f"{did}#key-1"), jwks=[jwk])
    assert good.check("issuer").status == "pass"
    assert good.issuer == did
    other = verify(_token(key_a, "did:web:b.example.edu", f"{did}#key-1"), jwks=[jwk])
    assert not other.verified
    assert other.check("signature").code == "JWT_ISSUER_KEY_MISMATCH"


def test_a_key_bound_to_two_issuers_proves_either() -> None:
    key_a, _ = _keys()
    jwk = {**ec_jwk(key_a), "kid": "shared"}
    jwks = {ISSUER_A: [jwk], ISSUER_B: [jwk]}
    for issuer in (ISSUER_A, ISSUER_B):
        report = verify(_token(key_a, issuer, "shared"), jwks=jwks)
        assert report.check("issuer").status == "pass"
        assert report.issuer == issuer
