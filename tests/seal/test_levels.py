"""JAdES B-T, B-LT and B-LTA seals made by the library and verified long-term.

Oracles: certomancer (an independent implementation, tests/pki/certomancer.yml)
makes the certificates, CRLs, OCSP responses and every timestamp (its TSAs
served over HTTP on 127.0.0.1); ETSI TS 119 182-1 says what each timestamp
covers; RFC 5280 (via pyhanko-certvalidator) judges paths.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import tsp

import microcred_vc
from microcred_vc.errors import AddressNotAllowed, SealCreationError
from microcred_vc.seal import seal_edc, verify_seal
from microcred_vc.seal.jades import b64url, b64url_decode
from microcred_vc.seal.tsa import HttpTimestamper, timestamp_request, token_from_response
from tests.pki import NOW

DOC = {
    "@context": ["https://www.w3.org/2018/credentials/v1"],
    "type": ["VerifiableCredential"],
    "issuer": {"id": "urn:test:issuer"},
    "credentialSubject": {"id": "urn:test:learner"},
}


def direct(stamper):
    """A tsa callable over a certomancer TimeStamper without HTTP (for odd TSAs)."""

    def call(data: bytes) -> bytes:
        request = tsp.TimeStampReq.load(timestamp_request(data, 7))
        return token_from_response(stamper.request_tsa_response(request).dump(), data, 7)

    return call


@pytest.fixture(scope="module")
def lta(pki, stamper, live):
    return seal_edc(
        DOC,
        pki.seal_key,
        [pki.seal, pki.inter],
        level="B-LTA",
        tsa=stamper,
        revocation=([live.crl()], []),
    )


@pytest.mark.parametrize("level", ["B-T", "B-LT", "B-LTA"])
def test_each_level_verifies_and_reports_itself(pki, stamper, live, level):
    sealed = seal_edc(
        DOC,
        pki.seal_key,
        [pki.seal, pki.inter],
        level=level,
        tsa=stamper,
        revocation=([live.crl()], []),
    )
    report = verify_seal(sealed, [pki.root])
    assert report.valid, report.reason
    assert report.level == level
    assert report.step("signature-timestamp").status == "pass"
    assert abs(report.proof_time - NOW) < timedelta(minutes=10)
    if level != "B-T":
        assert "rVals" in report.step("revocation").message


def test_lta_shows_every_step_through_plain_verify(lta, pki):
    report = microcred_vc.verify(lta, trust_roots=[pki.root])
    assert report.verified, report.errors
    names = [c.name for c in report.checks]
    for name in (
        "seal-format",
        "seal",
        "seal-certificate",
        "seal-revocation",
        "seal-timestamp",
        "seal-level",
        "seal-issuer",
    ):
        assert name in names


def test_tampered_payload_breaks_signature_and_archive_timestamp(lta, pki):
    forged = dict(lta, payload=lta["payload"].replace("learner", "intruder"))
    report = verify_seal(forged, [pki.root])
    assert report.step("signature").code == "SEAL_SIGNATURE_INVALID"
    assert report.step("archive-timestamp").code == "SEAL_TIMESTAMP_IMPRINT"


def test_timestamp_of_another_seal_fails_its_imprint(lta, pki, stamper):
    other = seal_edc(DOC, pki.seal_key, [pki.seal, pki.inter], level="B-T", tsa=stamper)
    forged = copy.deepcopy(lta)
    forged["signatures"][0]["header"]["etsiU"][0] = other["signatures"][0]["header"]["etsiU"][0]
    report = verify_seal(forged, [pki.root])
    assert report.step("signature-timestamp").code == "SEAL_TIMESTAMP_IMPRINT"
    assert report.level == "B-B" and not report.valid


def test_altered_timestamp_token_fails(pki, stamper):
    sealed = seal_edc(DOC, pki.seal_key, [pki.seal, pki.inter], level="B-T", tsa=stamper)
    entry = sealed["signatures"][0]["header"]["etsiU"]
    comp = json.loads(b64url_decode(entry[0]))
    val = comp["sigTst"]["tstTokens"][0]["val"]
    comp["sigTst"]["tstTokens"][0]["val"] = val[:-8] + ("A" if val[-8] != "A" else "B") + val[-7:]
    entry[0] = b64url(json.dumps(comp).encode())
    report = verify_seal(sealed, [pki.root])
    assert report.step("signature-timestamp").code == "SEAL_TIMESTAMP_INVALID"


def test_tsa_under_an_untrusted_root_fails(pki, live):
    """certomancer's rogue-tsa chains to its unrelated root, not to the trusted one."""
    sealed = seal_edc(
        DOC,
        pki.seal_key,
        [pki.seal, pki.inter],
        level="B-T",
        tsa=direct(live.stamper("rogue-tsa")),
    )
    report = verify_seal(sealed, [pki.root])
    assert report.step("signature-timestamp").code == "SEAL_TSA_UNTRUSTED"
    assert report.level == "B-B" and not report.valid


def test_tsa_certificate_without_timestamping_purpose_fails(pki, live):
    sealed = seal_edc(
        DOC,
        pki.seal_key,
        [pki.seal, pki.inter],
        level="B-T",
        tsa=direct(live.stamper("not-tsa")),
    )
    report = verify_seal(sealed, [pki.root])
    assert report.step("signature-timestamp").code == "SEAL_TSA_NOT_TIMESTAMPING"


def test_revoked_seal_certificate_in_rvals_fails(live, stamper):
    """certomancer's OCSP responder and CRL both say seal-revoked was revoked in 2024."""
    key, chain = live.key("seal-revoked"), live.chain("seal-revoked")
    for revocation in (([], [live.ocsp("seal-revoked")]), ([live.crl()], [])):
        sealed = seal_edc(DOC, key, chain, level="B-LT", tsa=stamper, revocation=revocation)
        report = verify_seal(sealed, [live.root])
        assert report.step("revocation").code == "SEAL_CERT_REVOKED", report.reason


def test_certificate_expired_before_the_timestamp_fails(live, stamper):
    """seal-expired lapsed at the start of 2024; the live TSA stamps today."""
    sealed = seal_edc(
        DOC,
        live.key("seal-expired"),
        live.chain("seal-expired"),
        level="B-T",
        tsa=stamper,
        signing_time=datetime(2023, 12, 1, tzinfo=UTC),
    )
    report = verify_seal(sealed, [live.root])
    assert report.step("certificate-path").code == "SEAL_CERT_EXPIRED"


def test_certificate_expired_after_the_timestamp_still_verifies(live, pki):
    """Regression: before sigTst was read this was SEAL_CERT_EXPIRED. The timestamp
    (certomancer's TSA fixed in mid-2023) proves the seal existed while the
    certificate (valid through 2023) was."""
    when = datetime(2023, 6, 1, tzinfo=UTC)
    sealed = seal_edc(
        DOC,
        live.key("seal-expired"),
        live.chain("seal-expired"),
        level="B-T",
        tsa=direct(live.stamper("tsa", at=when)),
        signing_time=when,
    )
    report = verify_seal(sealed, [pki.root])
    assert report.valid, report.reason
    assert report.proof_time == when
    without = copy.deepcopy(sealed)
    del without["signatures"][0]["header"]
    assert verify_seal(without, [pki.root]).step("certificate-path").code == "SEAL_CERT_EXPIRED"


def test_required_level_not_met(pki):
    sealed = seal_edc(DOC, pki.seal_key, [pki.seal, pki.inter])
    report = verify_seal(sealed, [pki.root], require_level="B-T")
    assert report.level == "B-B"
    assert report.step("level").code == "SEAL_LEVEL_NOT_MET"


def test_levels_need_their_inputs(pki, stamper):
    with pytest.raises(SealCreationError, match="timestamp authority"):
        seal_edc(DOC, pki.seal_key, [pki.seal], level="B-T")
    with pytest.raises(SealCreationError, match="revocation"):
        seal_edc(DOC, pki.seal_key, [pki.seal], level="B-LT", tsa=stamper)
    with pytest.raises(SealCreationError, match="level"):
        seal_edc(DOC, pki.seal_key, [pki.seal], level="B-X", tsa=stamper)


def test_tsa_client_keeps_the_network_guard(tsa):
    """The library's rule: no loopback/private address unless the caller allows it."""
    with pytest.raises(AddressNotAllowed):
        HttpTimestamper(tsa.url, timeout=5)(b"data")
