"""EU Trusted Lists and qualified seals: the LOTL, a national list, the CA's status at signing.

Oracles: the lists are written per ETSI TS 119 612 and signed by signxml (an
independent XML-DSig implementation) with scheme operator keys; certomancer
issues every certificate, QC statements included (tests/seal/tl_pki.yml);
certomancer's TimeStamper dates the seals whose signing time matters; the
QC statements of the EU's own sealed samples are the official oracle for the
certificate reader. Each failure has its own code.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from certomancer.services import TimeStamper
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

import microcred_vc
from microcred_vc.seal import seal_edc, verify_seal
from microcred_vc.seal.certs import load_certificate
from microcred_vc.seal.jades import b64url_decode
from microcred_vc.seal.qualified import qc_statements
from microcred_vc.seal.trusted_list import TrustedLists
from microcred_vc.seal.tsa import timestamp_request, token_from_response
from tests.fixture_paths import FIXTURES
from tests.seal.tl_pki import (
    TSA_QTST,
    ListSpec,
    PointerSpec,
    ServiceSpec,
    State,
    build_list,
    build_pki,
    sign_list,
)

NOW = datetime.now(UTC).replace(microsecond=0)
BE_URL = "https://tl.test/tsl-be.xml"
DOC = {
    "@context": ["https://www.w3.org/2018/credentials/v1"],
    "type": ["VerifiableCredential"],
    "issuer": {"id": "urn:test:issuer"},
    "credentialSubject": {"id": "urn:test:learner"},
}
GRANTED = [State("granted", NOW - timedelta(days=400))]
WITHDRAWN_5D = [State("withdrawn", NOW - timedelta(days=5)), *GRANTED]


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return build_pki(tmp_path_factory.mktemp("tl-keys"))


def national(
    pki,
    states=GRANTED,
    *,
    operator="be-operator",
    ca="ca-qc",
    qualifiers=(),
    ski=False,
    xades=False,
):
    tsa = ServiceSpec(
        "Test QTSP TSA",
        pki.certs["tsa"],
        [State("granted", NOW - timedelta(days=400), TSA_QTST, ())],
    )
    ca_states = [State(s.status, s.start, s.type, s.additional, qualifiers) for s in states]
    spec = ListSpec(
        "BE",
        NOW - timedelta(days=1),
        NOW + timedelta(days=180),
        services=[ServiceSpec("Test QTSP qualified eSeal CA", pki.certs[ca], ca_states, ski), tsa],
    )
    return sign_list(build_list(spec), pki, operator, xades=xades)


def lotl(pki, *, operator="lotl-operator"):
    pointer = PointerSpec(BE_URL, "BE", [pki.certs["be-operator"]])
    spec = ListSpec(
        "EU", NOW - timedelta(days=1), NOW + timedelta(days=180), pointers=[pointer], lotl=True
    )
    return sign_list(build_list(spec), pki, operator)


def load(pki, *sources, signers=("lotl-operator",)):
    return TrustedLists.load(list(sources), signers=[pki.certs[s] for s in signers])


def stamper_at(pki, when):
    """A tsa callable: certomancer's TimeStamper with its clock fixed at ``when``."""
    key = pki.keys["tsa"].private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    cert = asn1_x509.Certificate.load(pki.certs["tsa"].public_bytes(Encoding.DER))
    stamper = TimeStamper(
        cert, asn1_keys.PrivateKeyInfo.load(key), certs_to_embed=[cert], fixed_dt=when
    )

    def call(data: bytes) -> bytes:
        request = tsp.TimeStampReq.load(timestamp_request(data, 11))
        return token_from_response(stamper.request_tsa_response(request).dump(), data, 11)

    return call


def sealed(pki, cert="seal-qc", ca="ca-qc", *, at=None):
    chain = [pki.certs[cert], pki.certs[ca]]
    if at is None:
        return seal_edc(DOC, pki.keys["seal"], chain)
    return seal_edc(
        DOC, pki.keys["seal"], chain, signing_time=at, level="B-T", tsa=stamper_at(pki, at)
    )


def qualification(report):
    return [s for s in report.steps if s.name == "qualification"]


def test_qualified_seal_by_a_granted_ca_verifies_as_qualified(pki):
    lists = load(pki, lotl(pki), national(pki))
    assert not lists.problems and len(lists.lists) == 2
    report = verify_seal(sealed(pki), [], trusted_lists=lists, require_qualified=True)
    assert report.valid, report.reason
    assert report.qualification == "QESeal"
    (step,) = qualification(report)
    assert step.status == "pass" and "granted" in step.message
    # through plain verify(): the qualification is its own check
    result = microcred_vc.verify(sealed(pki), trusted_lists=lists, require_qualified=True)
    assert result.verified, result.errors
    assert result.check("seal-qualification").status == "pass"


def test_xades_signed_lists_as_the_eu_publishes_them(pki):
    lists = load(pki, lotl(pki), national(pki, xades=True))
    assert not lists.problems
    report = verify_seal(sealed(pki), [], trusted_lists=lists, require_qualified=True)
    assert report.valid and report.qualification == "QESeal", report.reason


def test_ca_not_on_the_list_is_not_granted(pki):
    lists = load(pki, lotl(pki), national(pki))
    report = verify_seal(
        sealed(pki, "seal-other", "ca-other"), [pki.certs["root"]], trusted_lists=lists
    )
    assert report.code == "SEAL_CA_NOT_GRANTED", report.reason
    assert report.step("certificate-path").status == "pass"  # only the qualification fails


def test_ca_withdrawn_before_the_signing_time(pki):
    lists = load(pki, lotl(pki), national(pki, WITHDRAWN_5D))
    report = verify_seal(sealed(pki), [], trusted_lists=lists)
    assert report.code == "SEAL_CA_WITHDRAWN", report.reason


def test_ca_granted_at_signing_and_withdrawn_later_is_still_qualified(pki):
    """The signature timestamp proves the seal existed 10 days ago, when the CA was granted."""
    lists = load(pki, lotl(pki), national(pki, WITHDRAWN_5D))
    report = verify_seal(sealed(pki, at=NOW - timedelta(days=10)), [], trusted_lists=lists)
    assert report.valid, report.reason
    assert report.level == "B-T" and report.qualification == "QESeal"
    assert report.proof_time < NOW - timedelta(days=9)


def test_non_qualified_certificate_where_qualified_is_required(pki):
    lists = load(pki, lotl(pki), national(pki))
    report = verify_seal(sealed(pki, "seal-plain"), [], trusted_lists=lists, require_qualified=True)
    assert report.code == "SEAL_NOT_QUALIFIED", report.reason
    relaxed = verify_seal(sealed(pki, "seal-plain"), [], trusted_lists=lists)
    assert relaxed.valid and qualification(relaxed)[-1].status == "warn"


def test_qscd_from_the_certificate_or_the_list(pki):
    lists = load(pki, lotl(pki), national(pki))
    report = verify_seal(
        sealed(pki, "seal-noqscd"), [], trusted_lists=lists, require_qualified=True
    )
    assert report.code == "SEAL_QSCD_NOT_ATTESTED", report.reason
    qc_only = verify_seal(
        sealed(pki, "seal-noqscd"), [], trusted_lists=lists, require_qualified="QC"
    )
    assert qc_only.valid and qc_only.qualification == "AdESeal/QC"
    # the Qualifications extension of the list corrects the certificate (TS 119 612 §5.5.9.2)
    with_qscd = load(pki, lotl(pki), national(pki, qualifiers=("QCWithQSCD", "QCForESeal")))
    fixed = verify_seal(
        sealed(pki, "seal-noqscd"), [], trusted_lists=with_qscd, require_qualified=True
    )
    assert fixed.valid and fixed.qualification == "QESeal", fixed.reason


def test_ca_identified_by_its_subject_key_identifier(pki):
    lists = load(pki, lotl(pki), national(pki, ski=True))
    report = verify_seal(
        sealed(pki), [pki.certs["root"]], trusted_lists=lists, require_qualified=True
    )
    assert report.valid and report.qualification == "QESeal", report.reason


def test_stale_list_warns_and_no_list_cannot_prove_qualification(pki):
    old = ListSpec(
        "BE",
        NOW - timedelta(days=60),
        NOW - timedelta(days=1),
        services=[ServiceSpec("Test QTSP qualified eSeal CA", pki.certs["ca-qc"], GRANTED)],
    )
    lists = load(pki, sign_list(build_list(old), pki, "be-operator"), signers=("be-operator",))
    report = verify_seal(sealed(pki), [], trusted_lists=lists)
    assert report.valid and report.qualification == "QESeal", report.reason
    assert [s.code for s in qualification(report)] == ["TRUSTED_LIST_STALE", None]
    unproven = verify_seal(sealed(pki), [pki.certs["root"]], require_qualified=True)
    assert unproven.code == "TRUSTED_LIST_NOT_GIVEN"
    with pytest.raises(TypeError, match="TrustedLists.load"):
        verify_seal(sealed(pki), [], trusted_lists=[b"<xml/>"])


def test_tampered_list_signature(pki):
    tampered = national(pki, WITHDRAWN_5D).replace(b"Svcstatus/withdrawn", b"Svcstatus/granted")
    lists = load(pki, lotl(pki), tampered)
    assert [p.code for p in lists.problems] == ["TRUSTED_LIST_INVALID_SIGNATURE"]
    report = verify_seal(sealed(pki), [pki.certs["root"]], trusted_lists=lists)
    assert report.code == "TRUSTED_LIST_INVALID_SIGNATURE"


def test_list_signed_by_a_key_the_lotl_does_not_list(pki):
    lists = load(pki, lotl(pki), national(pki, operator="rogue-operator"))
    assert [p.code for p in lists.problems] == ["TRUSTED_LIST_SIGNER_UNTRUSTED"]
    report = verify_seal(sealed(pki), [pki.certs["root"]], trusted_lists=lists)
    assert report.code == "TRUSTED_LIST_SIGNER_UNTRUSTED"
    # and the LOTL itself must be signed by a certificate the caller trusts
    rogue_lotl = load(pki, lotl(pki, operator="rogue-operator"), national(pki))
    assert "TRUSTED_LIST_SIGNER_UNTRUSTED" in {p.code for p in rogue_lotl.problems}


def test_lotl_pointer_to_a_list_not_given(pki):
    lists = load(pki, lotl(pki))
    assert [p.location for p in lists.missing] == [BE_URL]
    report = verify_seal(sealed(pki), [pki.certs["root"]], trusted_lists=lists)
    assert report.code == "TRUSTED_LIST_NOT_GIVEN" and BE_URL in report.reason


def test_pointers_matched_by_location_when_files_are_keyed(pki):
    signers = [pki.certs["lotl-operator"]]
    keyed = TrustedLists.load({"lotl": lotl(pki), BE_URL: national(pki)}, signers=signers)
    assert not keyed.problems and not keyed.missing
    elsewhere = TrustedLists.load(
        {"lotl": lotl(pki), "https://other/x.xml": national(pki)}, signers=signers
    )
    assert [p.location for p in elsewhere.missing] == [BE_URL]
    # not followed from the LOTL, the BE list then needs its own trusted signer
    assert [p.code for p in elsewhere.problems] == ["TRUSTED_LIST_SIGNER_UNTRUSTED"]


def test_hostile_or_foreign_xml_is_an_invalid_list(pki):
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    )
    other = b'<TrustServiceStatusList xmlns="urn:not-etsi"/>'
    lists = load(pki, entity, other, b"not xml")
    assert [p.code for p in lists.problems] == ["TRUSTED_LIST_INVALID"] * 3


def test_unsigned_content_appended_to_a_signed_list_is_refused(pki):
    """An extra provider after the signature changes the digest (signature wrapping)."""
    signed = national(pki, ca="ca-other")
    extra = (
        national(pki)
        .split(b"<TrustServiceProviderList>")[1]
        .split(b"</TrustServiceProviderList>")[0]
    )
    wrapped = signed.replace(
        b"</TrustServiceProviderList>", extra + b"</TrustServiceProviderList>", 1
    )
    lists = load(pki, lotl(pki), wrapped)
    assert [p.code for p in lists.problems] == ["TRUSTED_LIST_INVALID_SIGNATURE"]


def test_official_seal_certificates_qc_statements():
    """The EU's sealed samples are qualified eSeal certificates (ANF, Halcom) without QcSSCD."""
    paths = sorted((FIXTURES / "edc").rglob("*-signed.jsonld"))
    assert paths
    for path in paths:
        header = json.loads(
            b64url_decode(json.loads(path.read_text())["signatures"][0]["protected"])
        )
        info = qc_statements(load_certificate(base64.b64decode(header["x5c"][0])))
        assert info.compliance and info.types == {"eseal"} and not info.sscd, path.name


def _cli(monkeypatch, args: list[str]) -> tuple[int, str]:
    """``microcred ARGS`` in-process through the console entry point."""
    import importlib
    import io
    from contextlib import redirect_stdout

    from microcred_vc.cli import main

    app_module = importlib.import_module("microcred_vc.cli.app")

    out = io.StringIO()
    monkeypatch.setattr(app_module.console, "file", out)
    with redirect_stdout(out):
        code = main(args)
    return code, out.getvalue()


def test_cli_verify_with_trusted_lists(pki, tmp_path, monkeypatch):
    (tmp_path / "lotl.xml").write_bytes(lotl(pki))
    (tmp_path / "be.xml").write_bytes(national(pki))
    (tmp_path / "lotl-signer.pem").write_bytes(pki.pem_cert("lotl-operator"))
    (tmp_path / "sealed.json").write_text(json.dumps(sealed(pki)))
    args = ["verify", str(tmp_path / "sealed.json"), "--require-qualified", "--json"]
    args += [
        "--trusted-list",
        str(tmp_path / "lotl.xml"),
        "--trusted-list",
        str(tmp_path / "be.xml"),
    ]
    args += ["--trusted-list-signer", str(tmp_path / "lotl-signer.pem")]
    code, out = _cli(monkeypatch, args)
    assert code == 0, out
    checks = {c["name"]: c for c in json.loads(out)["checks"]}
    assert checks["seal-qualification"]["status"] == "pass"
    (tmp_path / "sealed.json").write_text(json.dumps(sealed(pki, "seal-plain")))
    code, out = _cli(monkeypatch, args)
    assert code == 1 and "SEAL_NOT_QUALIFIED" in out
