"""The official sealed EDC samples: real JAdES envelopes whose chains we cannot trust offline."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from microcred_vc.seal import verify_seal
from microcred_vc.seal.certs import load_certificate
from microcred_vc.seal.jades import b64url_decode
from tests.fixture_paths import FIXTURES

SIGNED = sorted(
    p
    for p in (FIXTURES / "edc").rglob("*signed*.json*")
    if "unsigned" not in p.name and "signed_" not in p.name
)


def _leaf(doc: dict):
    header = json.loads(b64url_decode(doc["signatures"][0]["protected"]))
    return header, load_certificate(base64.b64decode(header["x5c"][0]))


def test_samples_are_present():
    assert len(SIGNED) >= 3, SIGNED


@pytest.mark.parametrize("path", SIGNED, ids=[p.name for p in SIGNED])
def test_official_seal_signature_verifies_but_chain_is_untrusted(path: Path, other_root):
    doc = json.loads(path.read_text(encoding="utf-8"))
    report = verify_seal(doc, [other_root])
    assert report.step("header").status == "pass"
    assert report.step("structure").status == "pass"
    assert report.step("signature").status == "pass", report.reason
    assert report.step("key-usage").status == "pass"
    # the real qualified-seal chain is not in our offline trust store: reported, not hidden
    assert not report.valid
    assert report.step("certificate-path").code in {"SEAL_UNTRUSTED", "SEAL_CERT_EXPIRED"}
    assert isinstance(report.payload, dict) and report.payload.get("type")


#: The EDCI unit-test credential names a made-up issuer id ("eidasIdentifier123")
#: while its test seal certificate says VATES-B00000000: a real mismatch.
ISSUER_MISMATCH = {"credential-signed.jsonld"}


@pytest.mark.parametrize("path", SIGNED, ids=[p.name for p in SIGNED])
def test_official_seal_valid_when_its_certificate_is_trusted_at_signing_time(path: Path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    header, leaf = _leaf(doc)
    first = verify_seal(doc, [leaf])
    report = verify_seal(doc, [leaf], moment=first.signing_time)
    assert header["crit"][:2] == ["b64", "sigT"]
    if path.name in ISSUER_MISMATCH:
        assert [s.name for s in report.failures] == ["issuer"]
        assert report.code == "SEAL_ISSUER_MISMATCH"
    else:
        assert report.valid, report.reason
        assert report.step("issuer").status == "pass"


@pytest.mark.parametrize("path", SIGNED, ids=[p.name for p in SIGNED])
def test_official_seal_tampered_payload_fails(path: Path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    _, leaf = _leaf(doc)
    payload = json.loads(doc["payload"])
    payload["id"] = "urn:credential:forged"
    forged = dict(doc, payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
    report = verify_seal(forged, [leaf])
    assert report.code == "SEAL_SIGNATURE_INVALID"
