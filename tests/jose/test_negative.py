"""The JWT negative matrix: each forgery or invalid token fails with its own reason."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jwcrypto import jwk

from microcred_vc.errors import JoseError
from microcred_vc.jose import sign_jwt, verify_jwt
from microcred_vc.keys.keypair import KeyPair, generate_key
from tests.jose.conftest import b64, make_credential

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def _sig(report) -> tuple[str, str | None]:
    check = report.check("signature")
    return check.status, check.code


def test_alg_none_refused(forge, credential: dict, ed_key: KeyPair) -> None:
    token = forge({"alg": "none", "kid": ed_key.verification_method}, credential, signature=b"")
    report = verify_jwt(token)
    assert _sig(report) == ("fail", "JWT_ALG_NONE")
    assert "unsigned" in report.check("signature").message
    assert not report.verified


def test_alg_swap_hs256_with_public_key_as_secret(credential: dict, rsa_jwk: jwk.JWK) -> None:
    public_json = rsa_jwk.export_public()
    header = b64(json.dumps({"alg": "HS256", "kid": "rsa-1"}).encode())
    payload = b64(json.dumps(credential).encode())
    for secret in (public_json.encode(), rsa_jwk.export_to_pem()):
        mac = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        report = verify_jwt(f"{header}.{payload}.{b64(mac)}", jwks=[json.loads(public_json)])
        assert _sig(report) == ("fail", "JWT_ALG_NOT_ALLOWED")
        assert "shared-secret" in report.check("signature").message
        assert not report.verified


def test_alg_swap_between_asymmetric_algorithms(forge, credential: dict, ed_key: KeyPair) -> None:
    # Header claims ES256 but the kid names an Ed25519 key: the key decides.
    token = forge({"alg": "ES256", "kid": ed_key.verification_method}, credential)
    assert _sig(verify_jwt(token)) == ("fail", "JWT_ALG_KEY_MISMATCH")


def test_alg_outside_allow_list(credential: dict) -> None:
    key = generate_key("P-384")
    token = sign_jwt(make_credential(key.did), key)
    report = verify_jwt(token, allowed_algs=["EdDSA"])
    assert _sig(report) == ("fail", "JWT_ALG_NOT_ALLOWED")
    assert verify_jwt(token).verified


def test_wrong_kid_not_in_key_set(ed_key: KeyPair, credential: dict) -> None:
    token = sign_jwt(credential, ed_key, kid="key-2")
    report = verify_jwt(token, jwks=[ed_key.public.to_jwk(kid="key-1")])
    assert _sig(report) == ("fail", "JWT_KID_UNKNOWN")
    assert "key-2" in report.check("signature").message


def test_wrong_kid_names_another_did(
    ed_key: KeyPair, other_ed_key: KeyPair, credential: dict
) -> None:
    # Signed by ed_key, but the kid points at someone else's did:key.
    token = sign_jwt(credential, ed_key, kid=other_ed_key.verification_method)
    report = verify_jwt(token)
    assert _sig(report) == ("fail", "JWT_SIGNATURE_INVALID")
    assert not report.verified


def test_signed_by_a_key_the_issuer_does_not_own(other_ed_key: KeyPair, credential: dict) -> None:
    # Valid signature, but the issuer is ed_key's DID, not the signer's.
    report = verify_jwt(sign_jwt(credential, other_ed_key))
    assert report.check("signature").status == "pass"
    assert report.check("issuer").code == "JWT_ISSUER_KEY_MISMATCH"
    assert not report.verified


@pytest.mark.parametrize("encoding", ["vc-jose-cose", "vc11"])
def test_expired(ed_key: KeyPair, encoding: str) -> None:
    cred = make_credential(ed_key.did, validUntil="2025-01-01T00:00:00Z")
    if encoding == "vc11":
        cred = make_credential(ed_key.did, v1=True, expirationDate="2025-01-01T00:00:00Z")
    report = verify_jwt(sign_jwt(cred, ed_key, encoding=encoding), now=NOW)
    assert report.check("expiry").code == "JWT_EXPIRED"
    assert report.check("signature").status == "pass"
    assert not report.verified


@pytest.mark.parametrize("encoding", ["vc-jose-cose", "vc11"])
def test_not_yet_valid(ed_key: KeyPair, encoding: str) -> None:
    cred = make_credential(ed_key.did, v1=encoding == "vc11")
    report = verify_jwt(
        sign_jwt(cred, ed_key, encoding=encoding), now=datetime(2023, 1, 1, tzinfo=UTC)
    )
    assert report.check("expiry").code == "JWT_NOT_YET_VALID"
    assert not report.verified


def test_clock_skew_tolerates_small_drift(ed_key: KeyPair) -> None:
    cred = make_credential(ed_key.did, validUntil="2025-06-01T00:00:00Z")
    token = sign_jwt(cred, ed_key)
    just_after = NOW + timedelta(seconds=30)
    assert verify_jwt(token, now=just_after, clock_skew=60).verified
    assert verify_jwt(token, now=just_after, clock_skew=0).check("expiry").code == "JWT_EXPIRED"
    with pytest.raises(JoseError):
        verify_jwt(token, clock_skew=-1)


def test_tampered_payload(ed_key: KeyPair, credential: dict) -> None:
    header, _, sig = sign_jwt(credential, ed_key).split(".")
    forged = b64(json.dumps({**credential, "name": "PhD"}).encode())
    report = verify_jwt(f"{header}.{forged}.{sig}")
    assert _sig(report) == ("fail", "JWT_SIGNATURE_INVALID")
    assert report.document["name"] == "PhD"  # shown to the person, marked unverified
    assert not report.verified


def test_tampered_header(ed_key: KeyPair, credential: dict) -> None:
    _, payload, sig = sign_jwt(credential, ed_key).split(".")
    header = b64(
        json.dumps({"alg": "EdDSA", "typ": "vc+jwt", "kid": ed_key.verification_method}).encode()
    )
    report = verify_jwt(f"{header}.{payload}.{sig}")
    assert _sig(report) == ("fail", "JWT_SIGNATURE_INVALID")


def test_tampered_signature(ed_key: KeyPair, credential: dict) -> None:
    header, payload, sig = sign_jwt(credential, ed_key).split(".")
    flipped = sig[:10] + ("A" if sig[10] != "A" else "B") + sig[11:]
    assert _sig(verify_jwt(f"{header}.{payload}.{flipped}"))[0] == "fail"


def test_unknown_critical_header(forge, ed_key: KeyPair, credential: dict) -> None:
    header = {
        "alg": "EdDSA",
        "kid": ed_key.verification_method,
        "crit": ["exp-policy"],
        "exp-policy": 1,
    }
    report = verify_jwt(forge(header, credential))
    assert _sig(report) == ("fail", "JWT_CRIT_UNSUPPORTED")
    assert "exp-policy" in report.check("signature").message


@pytest.mark.parametrize(
    "crit",
    [[], "b64", ["alg"], ["missing"]],
    ids=["empty", "not-a-list", "registered-name", "absent-member"],
)
def test_malformed_crit(forge, ed_key: KeyPair, credential: dict, crit) -> None:
    report = verify_jwt(
        forge({"alg": "EdDSA", "kid": ed_key.verification_method, "crit": crit}, credential)
    )
    assert _sig(report) == ("fail", "JWT_CRIT_INVALID")


def test_iss_claim_contradicts_issuer(forge, ed_key: KeyPair) -> None:
    cred = make_credential(ed_key.did, v1=True)
    claims = {"vc": cred, "iss": "did:example:someone-else"}
    report = verify_jwt(forge({"alg": "EdDSA", "kid": ed_key.verification_method}, claims))
    assert report.check("signature").status == "pass"
    assert report.check("issuer").code == "JWT_ISSUER_MISMATCH"
    assert not report.verified


def test_nbf_claim_contradicts_issuance_date(forge, ed_key: KeyPair) -> None:
    cred = make_credential(ed_key.did, v1=True)
    claims = {"vc": cred, "nbf": 0}
    report = verify_jwt(forge({"alg": "EdDSA", "kid": ed_key.verification_method}, claims))
    assert report.check("expiry").code == "JWT_CLAIM_MISMATCH"


def test_jti_claim_contradicts_id(forge, ed_key: KeyPair) -> None:
    claims = {"vc": make_credential(ed_key.did, v1=True), "jti": "urn:other"}
    report = verify_jwt(forge({"alg": "EdDSA", "kid": ed_key.verification_method}, claims))
    assert report.check("parse").code == "JWT_CLAIM_MISMATCH"


def test_no_credential_in_token(forge, ed_key: KeyPair) -> None:
    report = verify_jwt(forge({"alg": "EdDSA"}, {"sub": "x"}))
    assert report.check("format").status == "pass"
    assert report.check("parse").status == "fail"


def test_private_jwk_header_refused(forge, ed_key: KeyPair, credential: dict) -> None:
    header = {"alg": "EdDSA", "jwk": ed_key.to_jwk(include_secret=True)}
    assert _sig(verify_jwt(forge(header, credential)))[1] == "JWT_KEY_INVALID"


def test_allow_list_misuse_raises() -> None:
    for bad in (["none"], ["HS256"], []):
        with pytest.raises(JoseError):
            verify_jwt("a.b.c", allowed_algs=bad)


@given(st.text(max_size=200) | st.binary(max_size=200))
def test_garbage_never_raises(garbage) -> None:
    report = verify_jwt(garbage)
    assert not report.verified
    assert report.checks[0].name == "format"


@given(
    st.lists(
        st.text(
            alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=40
        ),
        min_size=3,
        max_size=3,
    )
)
def test_random_segments_never_raise(parts: list[str]) -> None:
    report = verify_jwt(".".join(parts))
    assert not report.verified


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=1, max_value=255))
def test_any_byte_flip_fails(ed_key: KeyPair, index: int, delta: int) -> None:
    token = sign_jwt(make_credential(ed_key.did), ed_key)
    raw = bytearray(token.encode())
    pos = index % len(raw)
    raw[pos] = (raw[pos] + delta) % 256
    if bytes(raw) == token.encode():
        return
    report = verify_jwt(bytes(raw))
    assert not report.verified


def test_unencoded_payload_header_refused(forge, ed_key: KeyPair, credential: dict) -> None:
    header = {"alg": "EdDSA", "kid": ed_key.verification_method, "b64": False, "crit": ["b64"]}
    report = verify_jwt(forge(header, credential))
    assert _sig(report) == ("fail", "JWT_CRIT_UNSUPPORTED")
    assert "b64" in report.check("signature").message


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ({"typ": "vp+jwt"}, "presentation"),
        ({"cty": "JWT"}, "nested"),
        ({"typ": "vc+jwt", "cty": "text/plain"}, "content type"),
    ],
    ids=["presentation", "nested-jwt", "wrong-cty"],
)
def test_typ_and_cty_checked(
    forge, ed_key: KeyPair, credential: dict, extra: dict, match: str
) -> None:
    report = verify_jwt(
        forge({"alg": "EdDSA", "kid": ed_key.verification_method, **extra}, credential)
    )
    assert report.check("parse").status == "fail"
    assert match in report.check("parse").message
    assert not report.verified


def test_payload_that_is_not_a_credential(forge, ed_key: KeyPair) -> None:
    claims = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
    }
    report = verify_jwt(forge({"alg": "EdDSA", "kid": ed_key.verification_method}, claims))
    assert report.check("parse").code == "JWT_NOT_A_CREDENTIAL"
    assert not report.verified


_values = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10)
)


@given(
    header=st.dictionaries(
        st.sampled_from(["alg", "kid", "typ", "cty", "crit", "jwk", "b64", "x"]),
        _values
        | st.lists(_values, max_size=3)
        | st.dictionaries(st.text(max_size=4), _values, max_size=3),
        max_size=6,
    ),
    claims=st.dictionaries(
        st.sampled_from(
            ["@context", "type", "vc", "iss", "sub", "nbf", "exp", "jti", "issuer", "validUntil"]
        ),
        _values
        | st.lists(_values, max_size=3)
        | st.dictionaries(st.text(max_size=4), _values, max_size=3),
        max_size=8,
    ),
)
def test_structured_nonsense_never_raises(
    forge, ed_key: KeyPair, header: dict, claims: dict
) -> None:
    token = forge(header, claims)
    report = verify_jwt(token, jwks=[ed_key.public.to_jwk(kid="k")])
    assert report.checks[0].name == "format"
    assert not report.verified or (
        report.check("signature").passed and report.check("parse").passed
    )


def test_trusted_key_set_never_falls_back_to_embedded_key(
    forge, ed_key: KeyPair, other_ed_key: KeyPair, credential: dict
) -> None:
    # Attacker signs with their own key and ships it in the header.
    header = {"alg": "EdDSA", "jwk": other_ed_key.public.to_jwk()}
    token = forge(header, credential, key=other_ed_key)
    assert verify_jwt(token).check("signature").status == "pass"  # integrity only...
    assert verify_jwt(token).check("issuer").code == "JWT_KEY_SELF_ASSERTED"
    # ...and with the verifier's own trusted keys the token's key is ignored.
    report = verify_jwt(token, jwks=[ed_key.public.to_jwk(kid="issuer-key")])
    assert _sig(report) == ("fail", "JWT_SIGNATURE_INVALID")
    with_kid = forge({**header, "kid": "attacker"}, credential, key=other_ed_key)
    report = verify_jwt(with_kid, jwks=[ed_key.public.to_jwk(kid="issuer-key")])
    assert _sig(report) == ("fail", "JWT_KID_UNKNOWN")


def test_https_issuer_signed_by_a_did_key_is_a_warning(ed_key: KeyPair) -> None:
    """Oracle: the issuer linkage states of docs/issuer-identity.md, as for Data Integrity.

    A DID issuer can list its keys, so another DID's key is a forgery (above); an https
    issuer cannot be linked to a did:key by anything in the token, so the signature
    verifies and the report warns that nobody showed the key is the issuer's.
    """
    cred = make_credential("https://vc.example/issuers/5678")
    report = verify_jwt(sign_jwt(cred, ed_key))
    issuer = report.check("issuer")
    assert (issuer.status, issuer.code) == ("warn", "ISSUER_NOT_LINKED")
    assert "https://vc.example/issuers/5678" in issuer.message
    assert report.verified
