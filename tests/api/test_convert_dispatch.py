"""convert() reads every envelope and routes through the hub."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from microcred_vc import convert, generate_key, issue
from microcred_vc.bake import bake_png
from microcred_vc.errors import ConversionError, UnknownFormat
from tests.example_data import example_micro_credential


@pytest.fixture(scope="module")
def mc():
    return example_micro_credential()


@pytest.fixture(scope="module")
def key(mc):
    """The course's own issuer key (did:web), as an institution issues: nothing is rewritten."""
    return generate_key("Ed25519", controller=mc.issuer.id)


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, format="PNG")
    return buf.getvalue()


def test_jwt_to_edc(mc, key) -> None:
    token = issue(mc, key, envelope="jwt")
    result = convert(token, to="edc")
    assert result.source_format == "ob3" and "EuropeanDigitalCredential" in result.document["type"]


def test_baked_png_to_edc(mc, key) -> None:
    result = convert(bake_png(_png(), issue(mc, key)), to="edc")
    assert "EuropeanDigitalCredential" in result.document["type"]


def test_edc_round_trip_keeps_the_council_elements(mc, key) -> None:
    from microcred_vc.formats import ob3

    edc = convert(issue(mc, key, format="edc"), to="ob3")
    back, _ = ob3.load(edc.document)
    assert back.title == mc.title and back.ects == mc.ects and back.eqf_level == mc.eqf_level
    assert [o.title for o in back.learning_outcomes] == [o.title for o in mc.learning_outcomes]


def test_vc1_to_vc2_reports_losses() -> None:
    v1 = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2024-01-01T00:00:00Z",
        "expirationDate": "2030-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:subject"},
    }
    result = convert(v1, to="vc2")
    assert result.document["validFrom"] == "2024-01-01T00:00:00Z"
    assert result.document["validUntil"] == "2030-01-01T00:00:00Z"
    assert result.document["@context"][0] == "https://www.w3.org/ns/credentials/v2"


def test_same_format_is_identity_without_proof(mc, key) -> None:
    vc = issue(mc, key)
    result = convert(vc, to="ob3")
    assert "proof" not in result.document and [loss.field for loss in result.losses] == ["proof"]


def test_presentation_cannot_be_converted(key) -> None:
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"]}
    with pytest.raises(ConversionError):
        convert(vp, to="ob3")


def test_unknown_target() -> None:
    with pytest.raises(UnknownFormat):
        convert({"@context": ["https://www.w3.org/ns/credentials/v2"]}, to="docx")
