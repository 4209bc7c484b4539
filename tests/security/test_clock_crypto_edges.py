"""Clock and cryptography edge cases: each ends as a clear result, never an exception.

Dates are where verifiers disagree (offsets, leap days, skew), and ECDSA is
where they quietly differ (high-S, out-of-range r/s, points off the curve), so
each case here pins what this library does and docs/security.md states it.
"""

from __future__ import annotations

import copy
import os
from datetime import datetime, timedelta
from typing import Any

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from microcred_vc import issue, verify
from microcred_vc.errors import MicrocredError
from microcred_vc.jose import sign_jwt, verify_jwt
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.keys import KeyPair, generate_key
from microcred_vc.keys.did import Resolver
from microcred_vc.keys.multikey import HEADERS, multibase_decode, multibase_encode
from microcred_vc.proofs import verify_credential
from microcred_vc.report import VerificationReport
from tests.issuing import issued_by
from tests.security.samples import ob3_credential
from tests.security.tamper_base import b64u, b64u_decode

#: group orders of the NIST curves (SEC 2)
ORDER = {
    "P-256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "P-384": int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
        16,
    ),
}
CURVES = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1}
SIGNED_AT = "2024-01-01T00:00:00Z"


def failed(report: VerificationReport, name: str) -> str:
    """The message of the failed check ``name`` (asserting it failed and says why)."""
    check = report.check(name)
    assert check is not None, report.to_dict()
    assert check.failed, report.to_dict()
    assert check.message.strip() and check.code, check
    return check.message


def sign(loader: DocumentLoader, suite: str = "eddsa-rdfc-2022", **fields: Any) -> dict[str, Any]:
    key_type = {"ecdsa-rdfc-2019": "P-256", "ecdsa-jcs-2019": "P-256"}.get(suite, "Ed25519")
    key = generate_key(key_type)
    doc = issued_by(ob3_credential(), key)
    doc.update(fields)
    return issue(doc, key, cryptosuite=suite, created=SIGNED_AT, loader=loader)


def sign_elsewhere(
    loader: DocumentLoader, suite: str = "eddsa-rdfc-2022", **fields: Any
) -> dict[str, Any]:
    """Like ``sign``, but with the engine directly: issue() refuses these dates (data model),
    and a verifier must still judge a credential someone else signed with them."""
    from microcred_vc.proofs import add_proof

    key = generate_key(
        {"ecdsa-rdfc-2019": "P-256", "ecdsa-jcs-2019": "P-256"}.get(suite, "Ed25519")
    )
    doc = ob3_credential()
    doc.update(fields)
    issuer = doc.get("issuer")
    doc["issuer"] = {**issuer, "id": key.did} if isinstance(issuer, dict) else key.did
    return add_proof(doc, key, cryptosuite=suite, created=SIGNED_AT, loader=loader)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- validity periods, offsets, leap days ------------------------------------------
def test_valid_from_in_the_future_fails_expiry(ob3_loader: DocumentLoader) -> None:
    vc = sign(ob3_loader, validFrom="2030-06-01T00:00:00Z")
    report = verify(vc, loader=ob3_loader, now=at("2026-01-01T00:00:00Z"))
    assert report.check("proof").passed  # the signature is fine; the date is the reason
    assert "not valid before" in failed(report, "expiry")
    assert report.check("expiry").code == "NOT_YET_VALID"
    assert verify(vc, loader=ob3_loader, now=at("2030-06-01T00:00:01Z")).verified


def test_valid_until_passed_fails_expiry(ob3_loader: DocumentLoader) -> None:
    vc = sign(ob3_loader, validUntil="2025-01-01T00:00:00Z")
    report = verify(vc, loader=ob3_loader, now=at("2026-01-01T00:00:00Z"))
    assert "expired" in failed(report, "expiry")
    assert report.check("expiry").code == "EXPIRED"
    assert verify(vc, loader=ob3_loader, now=at("2024-12-31T23:59:59Z")).verified


@pytest.mark.parametrize(
    ("now", "ok"),
    [
        # validFrom 2024-02-29T23:30:00-01:00 is 2024-03-01T00:30:00Z (default skew 5 min)
        ("2024-03-01T00:24:59Z", False),
        ("2024-03-01T00:25:01Z", True),
        # validUntil 2028-02-29T00:00:00+14:00 is 2028-02-28T10:00:00Z
        ("2028-02-28T10:04:59Z", True),
        ("2028-02-28T10:05:01Z", False),
        # a leap day far from either end, in a zone that puts it on another UTC date
        ("2024-02-29T23:59:59-12:00", True),
    ],
)
def test_offsets_and_leap_days_are_compared_as_instants(
    ob3_loader: DocumentLoader, now: str, ok: bool
) -> None:
    vc = _leap_credential(ob3_loader)
    report = verify(vc, loader=ob3_loader, now=datetime.fromisoformat(now.replace("Z", "+00:00")))
    assert report.check("proof").passed
    assert report.verified is ok, report.to_dict()
    if not ok:
        failed(report, "expiry")


_LEAP: dict[str, Any] = {}


def _leap_credential(loader: DocumentLoader) -> dict[str, Any]:
    if not _LEAP:
        _LEAP.update(
            sign(
                loader,
                validFrom="2024-02-29T23:30:00-01:00",
                validUntil="2028-02-29T00:00:00+14:00",
            )
        )
    return copy.deepcopy(_LEAP)


def test_end_of_day_is_the_next_midnight(ob3_loader: DocumentLoader) -> None:
    """Oracle: XML Schema 1.1 Part 2, dateTime — ``24:00:00`` is allowed and denotes the
    first instant of the next day. The data-model check already accepted it; the expiry
    check now reads it the same way instead of calling it "not a dateTime"."""
    vc = sign_elsewhere(ob3_loader, suite="eddsa-jcs-2022", validFrom="2024-02-29T24:00:00Z")
    before = verify(vc, loader=ob3_loader, now=at("2024-02-29T23:00:00Z"))
    after = verify(vc, loader=ob3_loader, now=at("2024-03-01T00:10:00Z"))
    assert before.check("expiry").status == "fail" and after.check("expiry").status == "pass"
    assert before.check("datamodel").status == "pass"


@pytest.mark.parametrize(
    "value",
    [
        "2023-02-29T00:00:00Z",  # not a leap year
        "2024-02-30T00:00:00Z",
        "2024-02-29T24:00:01Z",  # 24:00:00 is the only hour-24 time XSD has
        "2024-02-29T23:30:00+25:00",  # offset out of range
        "29/02/2024",
        "",
    ],
)
def test_impossible_dates_fail_with_date_invalid(ob3_loader: DocumentLoader, value: str) -> None:
    vc = sign_elsewhere(ob3_loader, suite="eddsa-jcs-2022", validFrom=value)
    report = verify(vc, loader=ob3_loader, now=at("2026-01-01T00:00:00Z"))
    assert "is not a dateTime" in failed(report, "expiry")
    assert report.check("expiry").code == "DATE_INVALID"


def test_date_without_zone_is_read_as_utc(ob3_loader: DocumentLoader) -> None:
    """VC 2.0 asks for a dateTimeStamp: a zone-less value fails the datamodel check
    (and issue() refuses it); the expiry check still reads it as UTC (pinned)."""
    vc = sign_elsewhere(ob3_loader, validFrom="2024-02-29T23:30:00")
    skew = timedelta(0)
    before = verify_credential(
        vc, loader=ob3_loader, now=at("2024-02-29T23:29:59Z"), clock_skew=skew
    )
    after = verify_credential(
        vc, loader=ob3_loader, now=at("2024-02-29T23:30:00Z"), clock_skew=skew
    )
    assert before.check("expiry").failed and after.check("expiry").passed
    assert "validFrom.datetime" in failed(after, "datamodel")


def test_valid_until_before_valid_from_is_invalid(ob3_loader: DocumentLoader) -> None:
    vc = sign_elsewhere(
        ob3_loader, validFrom="2024-03-01T00:00:00Z", validUntil="2024-02-29T00:00:00Z"
    )
    report = verify(vc, loader=ob3_loader, now=at("2024-02-29T12:00:00Z"))
    assert report.check("expiry").failed
    assert "validity.order" in failed(report, "datamodel")


@pytest.mark.parametrize(
    ("skew", "ok"),
    [(timedelta(0), False), (timedelta(minutes=2), True), (timedelta(hours=1), True)],
)
def test_clock_skew_option_of_the_data_integrity_path(
    ob3_loader: DocumentLoader, skew: timedelta, ok: bool
) -> None:
    """validFrom one minute ahead of the verifier's clock: only a skew tolerates it."""
    vc = sign(ob3_loader, validFrom="2026-01-01T00:01:00Z")
    report = verify_credential(
        vc, loader=ob3_loader, now=at("2026-01-01T00:00:00Z"), clock_skew=skew
    )
    assert report.verified is ok, report.to_dict()


def test_proof_created_in_the_future(ob3_loader: DocumentLoader) -> None:
    key = generate_key("Ed25519")
    vc = issue(
        issued_by(ob3_credential(), key), key, created="2026-01-01T00:10:00Z", loader=ob3_loader
    )
    now = at("2026-01-01T00:00:00Z")
    assert "in the future" in failed(verify(vc, loader=ob3_loader, now=now), "proof")
    hour = timedelta(hours=1)
    assert verify_credential(vc, loader=ob3_loader, now=now, clock_skew=hour).verified


def test_jwt_expiry_not_before_and_skew() -> None:
    key = generate_key("P-256")
    credential = ob3_credential()
    credential["issuer"]["id"] = key.did
    credential["validFrom"] = "2024-02-29T23:30:00-01:00"
    credential["validUntil"] = "2028-02-29T00:00:00+14:00"
    token = sign_jwt(credential, key)
    early = verify_jwt(token, now=at("2024-03-01T00:20:00Z"))
    assert failed(early, "expiry") and early.check("expiry").code == "JWT_NOT_YET_VALID"
    assert verify_jwt(token, now=at("2024-03-01T00:20:00Z"), clock_skew=3600).verified
    late = verify_jwt(token, now=at("2028-02-28T10:06:00Z"))
    assert late.check("expiry").code == "JWT_EXPIRED"
    assert verify_jwt(token, now=at("2028-02-28T10:06:00Z"), clock_skew=600).verified
    with pytest.raises(MicrocredError):
        verify_jwt(token, clock_skew=-1)  # a negative skew is misuse, said so


def test_naive_now_is_read_as_utc_or_refused_clearly(ob3_loader: DocumentLoader) -> None:
    vc = sign(ob3_loader)
    try:
        report = verify(vc, loader=ob3_loader, now=datetime(2026, 1, 1))
    except MicrocredError:
        return
    assert report.verified


def test_every_verifier_has_a_clock_skew_option() -> None:
    """Pinned so the doc stays true: verify, verify_credential and verify_jwt take clock_skew."""
    import inspect

    assert "clock_skew" in inspect.signature(verify).parameters
    assert "clock_skew" in inspect.signature(verify_credential).parameters
    assert "clock_skew" in inspect.signature(verify_jwt).parameters


# --- ECDSA signature values -----------------------------------------------------------
def _rs(vc: dict[str, Any]) -> tuple[int, int, int]:
    raw = multibase_decode(vc["proof"]["proofValue"])
    size = len(raw) // 2
    return int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big"), size


def _with_rs(vc: dict[str, Any], r: int, s: int, size: int) -> dict[str, Any]:
    out = copy.deepcopy(vc)
    raw = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    out["proof"]["proofValue"] = "z" + base58.b58encode(raw).decode()
    return out


ECDSA_CASES = [
    ("ecdsa-rdfc-2019", "P-256"),
    ("ecdsa-rdfc-2019", "P-384"),
    ("ecdsa-jcs-2019", "P-256"),
    ("ecdsa-jcs-2019", "P-384"),
]
_ECDSA: dict[tuple[str, str], dict[str, Any]] = {}


def _ecdsa_signed(loader: DocumentLoader, suite: str, curve: str) -> dict[str, Any]:
    if (suite, curve) not in _ECDSA:
        key = generate_key(curve)
        _ECDSA[(suite, curve)] = issue(
            issued_by(ob3_credential(), key),
            key,
            cryptosuite=suite,
            created=SIGNED_AT,
            loader=loader,
        )
    return copy.deepcopy(_ECDSA[(suite, curve)])


@pytest.mark.parametrize(("suite", "curve"), ECDSA_CASES, ids=[f"{s}-{c}" for s, c in ECDSA_CASES])
def test_high_s_signature_is_accepted(ob3_loader: DocumentLoader, suite: str, curve: str) -> None:
    """(r, n−s) is as valid as (r, s) in ECDSA; the W3C suites do not require low-S.

    We accept it (OpenSSL does not normalise S), so a proofValue is not a unique
    identifier of a credential: never deduplicate or index credentials by it.
    """
    vc = _ecdsa_signed(ob3_loader, suite, curve)
    r, s, size = _rs(vc)
    flipped = _with_rs(vc, r, ORDER[curve] - s, size)
    assert flipped["proof"]["proofValue"] != vc["proof"]["proofValue"]
    assert verify(flipped, loader=ob3_loader).verified


def test_high_s_jwt_signature_is_accepted() -> None:
    key = generate_key("P-256")
    credential = ob3_credential()
    credential["issuer"]["id"] = key.did
    header, payload, signature = sign_jwt(credential, key).split(".")
    raw = b64u_decode(signature)
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    high = r.to_bytes(32, "big") + (ORDER["P-256"] - s).to_bytes(32, "big")
    assert verify(f"{header}.{payload}.{b64u(high)}").verified


@pytest.mark.parametrize(
    "case", ["r=0", "s=0", "r=n", "s=n", "r=n+1", "s=n+1", "r=2^k-1", "s=2^k-1", "r=s=0"]
)
@pytest.mark.parametrize(("suite", "curve"), ECDSA_CASES, ids=[f"{s}-{c}" for s, c in ECDSA_CASES])
def test_out_of_range_r_or_s_is_a_failed_proof(
    ob3_loader: DocumentLoader, suite: str, curve: str, case: str
) -> None:
    vc = _ecdsa_signed(ob3_loader, suite, curve)
    r, s, size = _rs(vc)
    n, top = ORDER[curve], 2 ** (8 * size) - 1
    values = {
        "r=0": (0, s),
        "s=0": (r, 0),
        "r=n": (n, s),
        "s=n": (r, n),
        "r=n+1": (n + 1, s),
        "s=n+1": (r, n + 1),
        "r=2^k-1": (top, s),
        "s=2^k-1": (r, top),
        "r=s=0": (0, 0),
    }
    report = verify(_with_rs(vc, *values[case], size), loader=ob3_loader)
    assert not report.verified
    failed(report, "proof")


# --- keys that are not what they claim ------------------------------------------------
def _off_curve(curve: str) -> bytes:
    """A compressed point whose x has no y on the curve (about half of all x do not)."""
    size = 32 if curve == "P-256" else 48
    while True:
        candidate = b"\x02" + os.urandom(size)
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(CURVES[curve](), candidate)
        except ValueError:
            return candidate


def _uncompressed(curve: str) -> bytes:
    key = ec.generate_private_key(CURVES[curve]()).public_key()
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def raw_multikey(key_type: str, raw: bytes) -> str:
    """publicKeyMultibase with the right multicodec header and whatever bytes we like."""
    return multibase_encode(HEADERS[key_type][0] + raw)


BAD_KEYS = {
    "P-256-off-curve": lambda: raw_multikey("P-256", _off_curve("P-256")),
    "P-384-off-curve": lambda: raw_multikey("P-384", _off_curve("P-384")),
    "P-256-uncompressed": lambda: raw_multikey("P-256", _uncompressed("P-256")),
    "P-256-truncated": lambda: raw_multikey("P-256", _off_curve("P-256")[:20]),
    "P-256-infinity": lambda: raw_multikey("P-256", b"\x00"),
    "P-256-all-zero": lambda: raw_multikey("P-256", b"\x02" + bytes(32)),
    "Ed25519-short": lambda: raw_multikey("Ed25519", b"\x01" * 31),
    "Ed25519-not-a-point": lambda: raw_multikey("Ed25519", b"\xff" * 32),
}


@pytest.mark.parametrize("bad", list(BAD_KEYS))
def test_malformed_public_key_in_did_key_is_a_failed_proof(
    ob3_loader: DocumentLoader, bad: str
) -> None:
    suite = "eddsa-rdfc-2022" if bad.startswith("Ed25519") else "ecdsa-rdfc-2019"
    vc = (
        _ecdsa_signed(ob3_loader, suite, "P-256")
        if suite != "eddsa-rdfc-2022"
        else sign(ob3_loader)
    )
    multibase = BAD_KEYS[bad]()
    did = f"did:key:{multibase}"
    vc["proof"]["verificationMethod"] = f"{did}#{multibase}"
    vc["issuer"]["id"] = did
    report = verify(vc, loader=ob3_loader)
    assert not report.verified
    failed(report, "proof")


@pytest.mark.parametrize(
    ("wrong", "suite"),
    [("Ed25519", "ecdsa-rdfc-2019"), ("P-384", "ecdsa-rdfc-2019"), ("P-256", "eddsa-rdfc-2022")],
)
def test_key_of_the_wrong_type_for_the_suite(
    ob3_loader: DocumentLoader, wrong: str, suite: str
) -> None:
    """The proof names a key whose type the suite cannot use, or the other curve's key."""
    vc = (
        _ecdsa_signed(ob3_loader, suite, "P-256") if suite.startswith("ecdsa") else sign(ob3_loader)
    )
    other = generate_key(wrong)
    vc["proof"]["verificationMethod"] = other.verification_method
    vc["issuer"]["id"] = other.did
    report = verify(vc, loader=ob3_loader)
    assert not report.verified
    message = failed(report, "proof")
    if wrong == "Ed25519":
        assert "Ed25519" in message  # says which key type was wrong


ISSUER = "https://issuer.example/org"


def _controller_document(vm: str, multibase: str, jwk: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": ISSUER,
        "verificationMethod": [
            {
                "id": vm,
                "type": "Multikey",
                "controller": ISSUER,
                "publicKeyMultibase": multibase,
                "publicKeyJwk": jwk,
            }
        ],
        "assertionMethod": [vm],
    }


@pytest.fixture(scope="module")
def controlled(ob3_loader: DocumentLoader) -> tuple[KeyPair, dict[str, Any]]:
    """A credential signed by a key of an https issuer (controller document by URL)."""
    key = KeyPair.from_multikey(
        generate_key("P-256").to_multikey(include_secret=True), controller=ISSUER
    )
    vc = issue(
        issued_by(ob3_credential(), key), key, cryptosuite="ecdsa-rdfc-2019", loader=ob3_loader
    )
    return key, vc


def test_multikey_and_jwk_agreeing_verifies(ob3_loader: DocumentLoader, controlled) -> None:
    key, vc = controlled
    doc = _controller_document(key.verification_method, key.public.multibase, key.to_jwk())
    assert verify(vc, loader=ob3_loader, resolver=Resolver(documents={ISSUER: doc})).verified


def test_jwk_naming_the_signer_but_multikey_another_fails(
    ob3_loader: DocumentLoader, controlled
) -> None:
    key, vc = controlled
    other = generate_key("P-256")
    doc = _controller_document(key.verification_method, other.public.multibase, key.to_jwk())
    report = verify(vc, loader=ob3_loader, resolver=Resolver(documents={ISSUER: doc}))
    assert not report.verified
    failed(report, "proof")


def test_multikey_naming_the_signer_but_jwk_another_is_refused(
    ob3_loader: DocumentLoader, controlled
) -> None:
    key, vc = controlled
    other = generate_key("P-256")
    doc = _controller_document(key.verification_method, key.public.multibase, other.to_jwk())
    report = verify(vc, loader=ob3_loader, resolver=Resolver(documents={ISSUER: doc}))
    assert not report.verified
    failed(report, "proof")


@pytest.mark.parametrize("wrong", ["Ed25519", "P-384"])
def test_controller_document_giving_the_signing_vm_a_key_of_another_type(
    ob3_loader: DocumentLoader, controlled, wrong: str
) -> None:
    """Same verificationMethod URL (so the signed proof options are intact), wrong key type."""
    key, vc = controlled
    other = generate_key(wrong)
    doc = _controller_document(key.verification_method, other.public.multibase, other.to_jwk())
    report = verify(vc, loader=ob3_loader, resolver=Resolver(documents={ISSUER: doc}))
    assert not report.verified
    message = failed(report, "proof")
    if wrong == "Ed25519":
        assert "Ed25519" in message
