"""JAdES seal: creation, verification and every failure with its reason."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred_vc.errors import CertificateError, SealCreationError
from microcred_vc.seal import seal_edc, verify_seal
from microcred_vc.seal.jades import b64url_decode

DOC = {
    "@context": [
        "https://www.w3.org/2018/credentials/v1",
        "http://data.europa.eu/snb/model/context/edc-ap",
    ],
    "id": "urn:credential:1",
    "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
    "credentialSubject": {"id": "urn:epass:person:1", "givenName": {"fr": "Zoë"}},
}


def _header(sealed: dict) -> dict:
    return json.loads(b64url_decode(sealed["signatures"][0]["protected"]))


@pytest.fixture(scope="module")
def sealed(pki):
    return seal_edc(DOC, pki.seal_key, [pki.seal, pki.inter])


def test_header_has_the_jades_shape_of_the_edci_samples(sealed, pki):
    header = _header(sealed)
    assert header["alg"] == "ES256"
    assert header["typ"] == "jose+json" and header["cty"] == "octet-stream"
    assert header["b64"] is False and header["crit"] == ["b64", "sigT"]
    assert len(header["x5c"]) == 2
    assert base64.b64decode(header["x5c"][0]) == pki.seal.public_bytes(
        __import__(
            "cryptography.hazmat.primitives.serialization", fromlist=["Encoding"]
        ).Encoding.DER
    )
    datetime.strptime(header["sigT"], "%Y-%m-%dT%H:%M:%SZ")
    assert json.loads(sealed["payload"]) == DOC  # unencoded payload: readable JSON


def test_valid_seal_verifies(sealed, pki):
    report = verify_seal(sealed, [pki.root])
    assert report.valid, report.reason
    assert report.payload == DOC
    assert "Test University Seal" in (report.signer or "")
    assert len(report.chain) == 3
    check = report.to_check()
    assert check.name == "seal" and check.status == "pass"
    assert report.to_verification_report().verified


def test_tampered_payload_fails(sealed, pki):
    tampered = dict(sealed, payload=sealed["payload"].replace("Zoë", "Zoe"))
    report = verify_seal(tampered, [pki.root])
    assert not report.valid
    assert report.code == "SEAL_SIGNATURE_INVALID"
    assert "altered" in (report.reason or "")
    assert report.to_verification_report().verified is False


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_any_single_byte_change_in_the_payload_fails(sealed, pki, data):
    payload = sealed["payload"]
    i = data.draw(st.integers(0, len(payload) - 1))
    ch = data.draw(st.characters(codec="utf-8").filter(lambda c: c != payload[i]))
    tampered = dict(sealed, payload=payload[:i] + ch + payload[i + 1 :])
    assert verify_seal(tampered, [pki.root]).step("signature").status == "fail"


def test_tampered_header_fails(sealed, pki):
    header = _header(sealed)
    header["sigT"] = "2020-01-01T00:00:00Z"
    forged = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    tampered = {
        "payload": sealed["payload"],
        "signatures": [dict(sealed["signatures"][0], protected=forged)],
    }
    report = verify_seal(tampered, [pki.root])
    assert report.step("signature").status == "fail"


def test_untrusted_root_fails(sealed, other_root):
    report = verify_seal(sealed, [other_root])
    assert report.step("signature").status == "pass"
    assert report.code == "SEAL_UNTRUSTED"
    assert "trusted root" in (report.reason or "")


def test_expired_certificate_fails(pki):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = pki.issue(
        "Expired Seal",
        key,
        usage=_sign_usage(),
        start=now - timedelta(days=400),
        end=now - timedelta(days=35),
    )
    sealed = seal_edc(DOC, key, [cert, pki.inter], signing_time=now - timedelta(days=40))
    report = verify_seal(sealed, [pki.root])
    assert report.step("signature").status == "pass"
    assert report.code == "SEAL_CERT_EXPIRED"
    assert "expired" in (report.reason or "")
    # validated at a moment when it was still valid: the path is fine
    past = verify_seal(sealed, [pki.root], moment=now - timedelta(days=40))
    assert past.valid, past.reason


def test_signing_time_after_expiry_fails(pki):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = pki.issue(
        "Short Seal",
        key,
        usage=_sign_usage(),
        start=now - timedelta(days=10),
        end=now + timedelta(days=1),
    )
    sealed = seal_edc(DOC, key, [cert, pki.inter], signing_time=now + timedelta(days=5))
    report = verify_seal(sealed, [pki.root])
    assert report.step("signing-time").code == "SEAL_CERT_EXPIRED"
    assert not report.valid


def test_wrong_key_usage_fails(pki, key_usage):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = pki.issue("Encryption Only", key, usage=key_usage(encipher=True))
    sealed = seal_edc(DOC, key, [cert, pki.inter])
    report = verify_seal(sealed, [pki.root])
    assert report.step("signature").status == "pass"
    assert report.code == "SEAL_KEY_USAGE"
    assert "digitalSignature" in (report.reason or "")


def test_revoked_certificate_fails_with_crl(live):
    """Oracle: certomancer's CRL lists seal-revoked (revoked in 2024)."""
    sealed = seal_edc(DOC, live.key("seal-revoked"), live.chain("seal-revoked"))
    assert verify_seal(sealed, [live.root]).valid  # no CRL supplied: revocation not checked
    report = verify_seal(sealed, [live.root], crls=[live.crl()])
    assert report.code == "SEAL_CERT_REVOKED"
    assert "revoked" in (report.reason or "")


def test_crl_without_the_certificate_passes(pki, live, sealed):
    report = verify_seal(sealed, [pki.root], crls=[live.crl()])
    assert report.valid, report.reason
    assert "revocation checked" in report.step("revocation").message


def test_rsa_and_pss(pki, rsa_key):
    cert = pki.issue("RSA Seal", rsa_key, usage=_sign_usage())
    for alg in ("RS256", "PS256"):
        sealed = seal_edc(DOC, rsa_key, [cert, pki.inter], alg=alg)
        assert _header(sealed)["alg"] == alg
        assert verify_seal(sealed, [pki.root]).valid


def test_p384_uses_es384(pki):
    key = ec.generate_private_key(ec.SECP384R1())
    cert = pki.issue("P-384 Seal", key, usage=_sign_usage())
    sealed = seal_edc(DOC, key, [cert, pki.inter])
    assert _header(sealed)["alg"] == "ES384"
    assert verify_seal(json.dumps(sealed), [pki.root]).valid  # JSON text accepted too


def test_key_not_matching_certificate_is_misuse(pki):
    with pytest.raises(SealCreationError, match="does not belong"):
        seal_edc(DOC, ec.generate_private_key(ec.SECP256R1()), [pki.seal])
    with pytest.raises(SealCreationError, match="does not fit"):
        seal_edc(DOC, pki.seal_key, [pki.seal], alg="RS256")
    with pytest.raises(CertificateError):
        seal_edc(DOC, pki.seal_key, [b"not a certificate"])


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        "{}",
        {"payload": "x", "signatures": []},
        {"payload": 1, "protected": "a", "signature": "b"},
        [1],
    ],
    ids=["text", "empty", "no-signatures", "non-string", "list"],
)
def test_malformed_envelopes_are_reported_not_raised(bad, pki):
    report = verify_seal(bad, [pki.root])
    assert not report.valid and report.code == "SEAL_MALFORMED"


def test_unknown_critical_header_fails(sealed, pki):
    header = _header(sealed)
    header["crit"] = ["b64", "sigT", "futureThing"]
    header["futureThing"] = 1
    forged = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    report = verify_seal(
        {"payload": sealed["payload"], "protected": forged, "signature": "AA"}, [pki.root]
    )
    assert report.code == "SEAL_HEADER_INVALID" and "futureThing" in (report.reason or "")


def _sign_usage():
    from cryptography import x509

    return x509.KeyUsage(True, True, False, False, False, False, False, False, False)


def test_decode_sealed_payload_reads_without_verifying(sealed):
    from microcred_vc.errors import SealFormatError
    from microcred_vc.seal import decode_sealed_payload

    assert decode_sealed_payload(sealed) == DOC
    assert decode_sealed_payload(json.dumps(sealed)) == DOC
    with pytest.raises(SealFormatError):
        decode_sealed_payload({"payload": "x"})
    with pytest.raises(SealFormatError):
        decode_sealed_payload(dict(sealed, payload="{not json"))


def test_to_report_is_the_verification_report(sealed, pki, other_root):
    good = verify_seal(sealed, [pki.root]).to_report()
    assert good.verified and good.check("seal").status == "pass" and good.format == "edc-jades"
    bad = verify_seal(sealed, [other_root]).to_report()
    assert not bad.verified and bad.check("seal-certificate").code == "SEAL_UNTRUSTED"


@pytest.mark.parametrize(
    ("org_id", "notation", "status"),
    [
        ("VATBE-0123456789", "VATBE-0123456789", "pass"),
        ("VATBE-0123456789", "0123456789", "pass"),
        ("VATBE-0123456789", "0999999999", "fail"),
        (None, "0123456789", "skip"),
    ],
    ids=["same", "etsi-prefix", "other-issuer", "no-org-id"],
)
def test_seal_must_belong_to_the_issuer(pki, org_id, notation, status):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = pki.issue("University Seal", key, usage=_sign_usage(), org_id=org_id)
    # an ELM LegalIdentifier states its country (spatial, sh:minCount 1): a bare number needs it
    belgium = {"id": "http://publications.europa.eu/resource/authority/country/BEL"}
    legal_id = {"notation": notation, "spatial": belgium}
    doc = dict(DOC, issuer={"id": "https://uni.example", "eIDASIdentifier": legal_id})
    report = verify_seal(seal_edc(doc, key, [cert, pki.inter]), [pki.root])
    assert report.step("issuer").status == status
    assert report.valid is (status != "fail")
    if status == "fail":
        assert report.code == "SEAL_ISSUER_MISMATCH" and notation in (report.reason or "")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["payload", "signatures", "protected", "signature", "header"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(_json)
def test_verify_seal_never_raises_on_garbage(pki, garbage):
    report = verify_seal(garbage, [pki.root])
    assert not report.valid and report.reason


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["alg", "crit", "x5c", "sigT", "b64", "x5t#S256"]), _json, max_size=6
    )
)
def test_verify_seal_never_raises_on_a_garbage_header(pki, sealed, header):
    protected = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    report = verify_seal(
        dict(sealed["signatures"][0], payload=sealed["payload"], protected=protected), [pki.root]
    )
    assert not report.valid


@pytest.mark.parametrize("revoked", [True, False], ids=["revoked", "good"])
def test_ocsp_response_supplied_offline(live, revoked):
    """Oracle: certomancer's OCSP responder (delegated by the issuing CA)."""
    label = "seal-revoked" if revoked else "seal-plain"
    sealed = seal_edc(DOC, live.key(label), live.chain(label))
    report = verify_seal(sealed, [live.root], ocsps=[live.ocsp(label)])
    if revoked:
        assert report.code == "SEAL_CERT_REVOKED"
    else:
        assert report.valid, report.reason
        assert "revocation checked" in report.step("revocation").message


def test_revocation_data_for_another_certificate_is_not_enough(live):
    sealed = seal_edc(DOC, live.key("seal-qc"), live.chain("seal-qc"))
    report = verify_seal(sealed, [live.root], ocsps=[live.ocsp("seal-plain")])
    assert not report.valid
    assert report.step("revocation").code == "SEAL_REVOCATION_UNKNOWN"


def test_library_keypair_can_seal(pki):
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from microcred_vc.keys import generate_key

    pair = generate_key("P-384")
    private = load_pem_private_key(pair.to_pem(), password=None)
    cert = pki.issue("KeyPair Seal", private, usage=_sign_usage())
    sealed = seal_edc(DOC, pair, [cert, pki.inter])
    assert _header(sealed)["alg"] == "ES384"
    assert verify_seal(sealed, [pki.root]).valid
    with pytest.raises(SealCreationError, match="cannot seal"):
        seal_edc(DOC, generate_key("Ed25519"), [cert])


def test_organisation_identifier_fills_the_edc_issuer(pki):
    from microcred_vc.seal.certs import organisation_identifier

    key = ec.generate_private_key(ec.SECP256R1())
    cert = pki.issue("Seal", key, usage=_sign_usage(), org_id="VATBE-0123456789")
    assert organisation_identifier(cert) == "VATBE-0123456789"
    assert organisation_identifier(pki.seal) is None
    doc = dict(
        DOC,
        issuer={
            "id": "https://uni.example",
            "eIDASIdentifier": {"notation": organisation_identifier(cert)},
        },
    )
    assert (
        verify_seal(seal_edc(doc, key, [cert, pki.inter]), [pki.root]).step("issuer").status
        == "pass"
    )
