"""The official sealed EDC samples: real JAdES B-LTA envelopes made by the EU DSS library.

Oracle: the samples themselves (made by EDCI/DSS, an independent JAdES
implementation) and ETSI TS 119 182-1: sigTst covers the base64url signature
value, adoTst the payload, arcTst the payload, header, signature and earlier
etsiU entries. Their qualified-seal chains end at roots the samples do not
carry (ANF Global Root CA, Halcom Root), so the anchors a test can honestly
give are the certificates the samples do carry: the issuing CA from xVals (or
the seal certificate itself) and the TSA certificate.
"""

from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509

from microcred_vc.seal import verify_seal
from microcred_vc.seal.certs import load_certificate
from microcred_vc.seal.envelope import etsiu_components, validation_values
from microcred_vc.seal.jades import b64url, b64url_decode
from tests.fixture_paths import FIXTURES

SIGNED = sorted(
    p
    for p in (FIXTURES / "edc").rglob("*signed*.json*")
    if "unsigned" not in p.name and "signed_" not in p.name
)
EC_SAMPLE = FIXTURES / "edc" / "elm-v3-samples" / "Sample-MC-Annex1-signed.jsonld"

#: The EDCI unit-test credential names a made-up issuer id ("eidasIdentifier123")
#: while its test seal certificate says VATES-B00000000: a real mismatch.
ISSUER_MISMATCH = {"credential-signed.jsonld"}


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _leaf(doc: dict):
    header = json.loads(b64url_decode(doc["signatures"][0]["protected"]))
    return header, load_certificate(base64.b64decode(header["x5c"][0]))


def _xvals(doc: dict) -> dict[str, x509.Certificate]:
    certs = validation_values(etsiu_components(doc["signatures"][0].get("header", {})))[0]
    return {c.subject.rfc4514_string(): c for c in map(x509.load_der_x509_certificate, certs)}


def _tsa_certs(doc: dict) -> list[x509.Certificate]:
    """Certificates with the timestamping purpose among xVals (the samples' TSAs)."""
    out = []
    for cert in _xvals(doc).values():
        try:
            eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except (
            x509.ExtensionNotFound,
            ValueError,
        ):  # ValueError: an extension cryptography rejects
            continue
        if x509.ExtendedKeyUsageOID.TIME_STAMPING in eku:
            out.append(cert)
    return out


def test_samples_are_present():
    assert len(SIGNED) >= 3, SIGNED
    assert EC_SAMPLE in SIGNED


@pytest.mark.parametrize("path", SIGNED, ids=[p.name for p in SIGNED])
def test_official_seal_signature_verifies_but_chain_is_untrusted(path: Path, other_root):
    report = verify_seal(_load(path), [other_root])
    assert report.step("header").status == "pass"
    assert report.step("structure").status == "pass"
    assert report.step("signature").status == "pass", report.reason
    assert report.step("key-usage").status == "pass"
    # the real qualified-seal chain is not in our offline trust store: reported, not hidden
    assert not report.valid
    assert report.step("certificate-path").code in {"SEAL_UNTRUSTED", "SEAL_CERT_EXPIRED"}
    assert {s.code for s in report.steps_named("signature-timestamp")} == {"SEAL_TSA_UNTRUSTED"}
    assert isinstance(report.payload, dict) and report.payload.get("type")


@pytest.mark.parametrize("path", SIGNED, ids=[p.name for p in SIGNED])
def test_official_seal_is_long_term_valid_today_with_its_own_certificates_as_anchors(path: Path):
    """Checked today, long after the seal and TSA certificates expired: the timestamps prove it."""
    doc = _load(path)
    header, leaf = _leaf(doc)
    report = verify_seal(doc, [leaf, *_tsa_certs(doc)])
    assert header["crit"][:2] == ["b64", "sigT"]
    assert report.level == "B-LTA"
    assert report.step("signature-timestamp").status == "pass", report.reason
    assert report.step("archive-timestamp").status == "pass", report.reason
    assert report.proof_time < datetime.now(UTC)
    if path.name in ISSUER_MISMATCH:
        assert [s.name for s in report.failures] == ["issuer"]
        assert report.code == "SEAL_ISSUER_MISMATCH"
    else:
        assert report.valid, report.reason
        assert report.step("issuer").status == "pass"


def test_ec_sample_verifies_today_against_its_issuing_ca_and_tsa():
    """The EC's Annex I sample, B-LTA: the seal certificate expired in 2025.

    Anchors: the issuing CA "ANF AC Qualified Certificates for eSeal" and the
    TSA "good-tsa", both from the sample's xVals. What is proven: the seal key
    signed at 2023-09-27T11:54:20Z (sigTst) while its certificate, issued by
    that CA, was valid and not revoked (the OCSP response in rVals); the
    archive timestamp keeps that proof. Not proven offline: that the CA
    chains to ANF Global Root CA, which the sample does not carry (a verifier
    gets it from the Spanish Trusted List).
    """
    doc = _load(EC_SAMPLE)
    xvals = _xvals(doc)
    ca = next(
        c for n, c in xvals.items() if n.startswith("CN=ANF AC Qualified Certificates for eSeal,")
    )
    tsa = next(c for n, c in xvals.items() if "CN=good-tsa" in n)
    _, leaf = _leaf(doc)
    assert leaf.not_valid_after_utc < datetime.now(UTC)  # expired: only the timestamp saves it
    report = verify_seal(doc, [ca, tsa])
    assert report.valid, report.reason
    assert report.level == "B-LTA"
    assert report.proof_time == datetime(2023, 9, 27, 11, 54, 20, tzinfo=UTC)
    assert report.step("revocation").status == "pass"
    assert "rVals" in report.step("revocation").message
    # adoTst is the signed data-objects timestamp, not an archive timestamp
    assert "data-objects" in report.step("data-timestamp").message
    checks = {c.name: c.status for c in report.to_report().checks}
    assert checks == {
        "seal-format": "pass",
        "seal": "pass",
        "seal-certificate": "pass",
        "seal-revocation": "pass",
        "seal-timestamp": "pass",
        "seal-level": "pass",
        "seal-issuer": "pass",
    }


def test_ec_sample_tsa_root_only_cannot_prove_the_newest_timestamp_today():
    """With only the TSA's root (expired 2024) as anchor, good-tsa (expired 2023-12) is no
    longer trustworthy today: the newest timestamp fails. At a time when it was valid it holds."""
    doc = _load(EC_SAMPLE)
    xvals = _xvals(doc)
    ca = next(
        c for n, c in xvals.items() if n.startswith("CN=ANF AC Qualified Certificates for eSeal,")
    )
    tsa_root = next(c for n, c in xvals.items() if "CN=root-ca" in n)
    today = verify_seal(doc, [ca, tsa_root])
    assert today.step("archive-timestamp").code == "SEAL_TSA_UNTRUSTED"
    assert not today.valid
    then = verify_seal(doc, [ca, tsa_root], moment=datetime(2023, 10, 1, tzinfo=UTC))
    assert then.valid, then.reason


def test_ec_sample_timestamp_swapped_for_another_fails_its_imprint():
    """ETSI rule: a sigTst must cover this signature value; the arcTst token does not."""
    doc = copy.deepcopy(_load(EC_SAMPLE))
    etsiu = doc["signatures"][0]["header"]["etsiU"]
    arc = json.loads(b64url_decode(etsiu[3]))["arcTst"]
    etsiu[0] = b64url(json.dumps({"sigTst": arc}, separators=(",", ":")).encode())
    xvals = _xvals(doc)
    report = verify_seal(doc, list(xvals.values()))
    assert report.step("signature-timestamp").code == "SEAL_TIMESTAMP_IMPRINT"
    # the archive timestamp covered the original sigTst entry: it no longer matches either
    assert report.step("archive-timestamp").code == "SEAL_TIMESTAMP_IMPRINT"
    assert report.level == "B-B" and not report.valid


def test_ec_sample_without_timestamps_is_judged_today_and_expired():
    """Regression: before etsiU was read, the sample was reported SEAL_CERT_EXPIRED."""
    doc = copy.deepcopy(_load(EC_SAMPLE))
    xvals = _xvals(doc)
    del doc["signatures"][0]["header"]
    report = verify_seal(doc, list(xvals.values()))
    assert report.step("certificate-path").code == "SEAL_CERT_EXPIRED"
    assert report.level == "B-B"


@pytest.mark.parametrize("path", SIGNED, ids=[p.name for p in SIGNED])
def test_official_seal_tampered_payload_fails(path: Path):
    doc = _load(path)
    _, leaf = _leaf(doc)
    payload = json.loads(doc["payload"])
    payload["id"] = "urn:credential:forged"
    forged = dict(doc, payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
    report = verify_seal(forged, [leaf, *_tsa_certs(forged)])
    assert report.code == "SEAL_SIGNATURE_INVALID"
    assert report.step("archive-timestamp").code == "SEAL_TIMESTAMP_IMPRINT"
