"""Seals verified against a real PKI served on 127.0.0.1, revocation fetched online.

Oracle: certomancer (an independent implementation, tests/pki/certomancer.yml)
makes every certificate, CRL, OCSP response and RFC 3161 timestamp here and
serves them over HTTP from its Animator WSGI app; the library only fetches
and judges them. Which certificate is revoked (since 2024-06-01, key
compromise) or expired (end of 2023) is the configuration's say, not the
code's. Each failure has its own code.
"""

from __future__ import annotations

import copy
import time
from datetime import UTC, datetime

import pytest
from asn1crypto import tsp
from cryptography.x509 import ObjectIdentifier

import microcred_vc
from microcred_vc.errors import SealCreationError
from microcred_vc.net import HttpFetcher
from microcred_vc.seal import seal_edc, verify_seal
from microcred_vc.seal.revocation import fetch_revocation, fetcher_for
from microcred_vc.seal.tsa import timestamp_request, token_from_response
from tests.pki.qc import QC_TYPE_ESEAL, QcStatements

DOC = {
    "@context": ["https://www.w3.org/2018/credentials/v1"],
    "type": ["VerifiableCredential"],
    "issuer": {"id": "urn:test:issuer"},
    "credentialSubject": {"id": "urn:test:learner"},
}
QC_STATEMENTS = "1.3.6.1.5.5.7.1.3"


def sealed_by(live, label: str, level: str = "B-T", tsa=None, **kwargs):
    """``DOC`` sealed with certomancer's certificate ``label``, stamped by its live TSA."""
    return seal_edc(
        DOC,
        live.key(label),
        live.chain(label),
        level=level,
        tsa=tsa or live.timestamper(),
        **kwargs,
    )


def direct(stamper):
    """A tsa callable over a certomancer TimeStamper without HTTP (a TSA fixed in the past)."""

    def call(data: bytes) -> bytes:
        request = tsp.TimeStampReq.load(timestamp_request(data, 7))
        return token_from_response(stamper.request_tsa_response(request).dump(), data, 7)

    return call


@pytest.fixture
def outage(live):
    """Switch certomancer's services off for one test (``outage["ocsp"] = "hang"``)."""
    yield live.outage
    live.outage.clear()


def test_qualified_seal_certificate_carries_qc_statements(live):
    """The QC seal has the qcStatements extension (with the eSeal QcType OID); the plain has not."""
    ext = live.cert("seal-qc").extensions.get_extension_for_oid(ObjectIdentifier(QC_STATEMENTS))
    statements = QcStatements.load(ext.value.value).native
    assert [s["statement_id"] for s in statements] == [
        "0.4.0.1862.1.1",
        "0.4.0.1862.1.6",
        "0.4.0.1862.1.4",
    ]
    assert QC_TYPE_ESEAL in str(statements[1]["statement_info"])
    assert QC_STATEMENTS not in {e.oid.dotted_string for e in live.cert("seal-plain").extensions}


@pytest.mark.parametrize("level", ["B-T", "B-LT", "B-LTA"])
def test_good_seals_verify_against_the_live_pki(live, level):
    """B-LT/B-LTA carry what the live OCSP responder said at sealing (rVals); B-T asks it now."""
    revocation = None
    if level != "B-T":
        revocation = fetch_revocation(live.chain("seal-qc"), live.fetcher(), extra=[live.root])
        assert revocation[1], "the live OCSP responder answered"
    sealed = sealed_by(live, "seal-qc", level, revocation=revocation)
    report = verify_seal(sealed, [live.root], fetch=live.fetcher())
    assert report.valid, report.reason
    assert report.level == level
    message = report.step("revocation").message
    assert ("rVals" if level != "B-T" else f"OCSP {live.ocsp_url()}") in message
    assert abs(report.proof_time - datetime.now(UTC)).total_seconds() < 600


def test_plain_verify_fetches_revocation_with_the_guarded_fetcher(live):
    sealed = sealed_by(live, "seal-qc")
    report = microcred_vc.verify(sealed, trust_roots=[live.root], fetch=live.fetcher())
    check = next(c for c in report.checks if c.name == "seal-revocation")
    assert check.status == "pass" and "fetched online" in check.message, check.message


def test_revoked_seal_certificate_via_ocsp(live):
    report = verify_seal(sealed_by(live, "seal-revoked"), [live.root], fetch=live.fetcher())
    step = report.step("revocation")
    assert step.code == "SEAL_CERT_REVOKED" and "OCSP" in step.message, step
    assert not report.valid


def test_revoked_seal_certificate_via_crl(live, outage):
    """With the OCSP responder refusing, the CRL distribution point decides."""
    outage["ocsp"] = "error"
    report = verify_seal(sealed_by(live, "seal-revoked"), [live.root], fetch=live.fetcher())
    step = report.step("revocation")
    assert step.code == "SEAL_CERT_REVOKED" and "CRL" in step.message, step


def test_revoked_seal_certificate_in_rvals_needs_no_network(live):
    sealed = sealed_by(live, "seal-revoked", "B-LT", revocation=([live.crl()], []))
    report = verify_seal(sealed, [live.root])
    assert report.step("revocation").code == "SEAL_CERT_REVOKED"


def test_certificate_expired_before_the_timestamp(live):
    report = verify_seal(sealed_by(live, "seal-expired"), [live.root], fetch=live.fetcher())
    assert report.step("certificate-path").code == "SEAL_CERT_EXPIRED"
    assert not report.valid


def test_certificate_expired_after_the_timestamp_verifies(live):
    """certomancer's TSA fixed in mid-2023 proves the seal existed while the certificate
    (valid through 2023) was; the CRL fetched now is accepted for that earlier time."""
    past = datetime(2023, 6, 1, tzinfo=UTC)
    sealed = sealed_by(
        live, "seal-expired", tsa=direct(live.stamper("tsa", at=past)), signing_time=past
    )
    report = verify_seal(sealed, [live.root], fetch=live.fetcher())
    assert report.valid, report.reason
    assert report.proof_time == past
    assert report.step("revocation").status == "pass"


def test_timestamp_imprint_tampered(live):
    sealed = sealed_by(live, "seal-qc")
    other = sealed_by(live, "seal-plain")
    forged = copy.deepcopy(sealed)
    forged["signatures"][0]["header"] = other["signatures"][0]["header"]
    report = verify_seal(forged, [live.root], fetch=live.fetcher())
    assert report.step("signature-timestamp").code == "SEAL_TIMESTAMP_IMPRINT"
    assert report.level == "B-B" and not report.valid


def test_tsa_certificate_not_trusted(live):
    """The rogue TSA chains to certomancer's unrelated root, which the verifier does not trust."""
    sealed = sealed_by(live, "seal-qc", tsa=live.timestamper("rogue-tsa"))
    report = verify_seal(sealed, [live.root], fetch=live.fetcher(), require_level="B-T")
    assert report.step("signature-timestamp").code == "SEAL_TSA_UNTRUSTED"
    assert report.step("level").code == "SEAL_LEVEL_NOT_MET"


def test_tsa_certificate_without_timestamping_purpose(live):
    sealed = sealed_by(live, "seal-qc", tsa=live.timestamper("not-tsa"))
    report = verify_seal(sealed, [live.root])
    assert report.step("signature-timestamp").code == "SEAL_TSA_NOT_TIMESTAMPING"


def test_payload_tampered(live):
    revocation = fetch_revocation(live.chain("seal-qc"), live.fetcher(), extra=[live.root])
    sealed = sealed_by(live, "seal-qc", "B-LTA", revocation=revocation)
    forged = dict(sealed, payload=sealed["payload"].replace("learner", "intruder"))
    report = verify_seal(forged, [live.root])
    assert report.step("signature").code == "SEAL_SIGNATURE_INVALID"
    assert report.step("archive-timestamp").code == "SEAL_TIMESTAMP_IMPRINT"


@pytest.mark.parametrize("mode", ["hang", "error"])
def test_revocation_services_down_is_revocation_unknown(live, outage, mode):
    """No crash and no hang: the responder that never answers is cut off by the timeout."""
    sealed = sealed_by(live, "seal-qc")
    outage["ocsp"] = mode
    outage["crls"] = mode
    started = time.monotonic()
    report = verify_seal(sealed, [live.root], fetch=live.fetcher(timeout=0.5))
    assert time.monotonic() - started < 4
    step = report.step("revocation")
    assert step.code == "SEAL_REVOCATION_UNKNOWN", step
    assert step.message.startswith("revocation unknown") and live.ocsp_url() in step.message
    assert not report.valid


def test_ocsp_down_falls_back_to_the_crl(live, outage):
    outage["ocsp"] = "error"
    report = verify_seal(sealed_by(live, "seal-qc"), [live.root], fetch=live.fetcher())
    assert report.valid, report.reason
    message = report.step("revocation").message
    assert f"CRL {live.crl_url()}" in message and "HTTP 503" in message


def test_ocsp_response_from_an_unauthorised_responder_is_not_used(live):
    """certomancer's rogue-ocsp signs with a seal certificate, not one the CA delegated
    (RFC 6960 §4.2.2.2); pyhanko-certvalidator refuses it, so the status stays unknown."""
    report = verify_seal(sealed_by(live, "seal-badocsp"), [live.root], fetch=live.fetcher())
    step = report.step("revocation")
    assert step.code == "SEAL_REVOCATION_UNKNOWN" and "unauthorized" in step.message, step


def test_offline_by_default_and_loopback_refused_by_the_default_fetcher(live):
    sealed = sealed_by(live, "seal-revoked")
    assert verify_seal(sealed, [live.root]).step("revocation").status == "skip"
    report = verify_seal(sealed, [live.root], fetch=HttpFetcher(timeout=1))
    step = report.step("revocation")
    assert step.code == "SEAL_REVOCATION_UNKNOWN" and "non-public" in step.message, step


def test_b_lt_cannot_be_made_when_revocation_cannot_be_fetched(live, outage):
    outage["ocsp"] = outage["crls"] = "error"
    with pytest.raises(SealCreationError, match="revocation data could not be fetched"):
        fetch_revocation(live.chain("seal-qc"), live.fetcher(), extra=[live.root])


def test_the_whole_chain_is_walked_and_a_ca_without_pointers_costs_no_request(live):
    """Property: each certificate is paired with the CA that signed it, up to the root;
    certomancer's issuing CA names no OCSP/CRL, so only the seal's status is fetched."""
    from microcred_vc.seal.revocation import chain_to_cover, gather

    seal, interm, root = live.cert("seal-qc"), live.cert("interm"), live.root
    pairs = chain_to_cover([seal], [root, interm, live.cert("rogue-root")])
    assert pairs == [(seal, interm), (interm, root)]
    got = gather(pairs, fetcher_for(live.fetcher()))
    assert len(got.ocsps) == 1 and not got.crls and not got.problems
