"""EDCI 1.x XML credentials: detected, XSD-validated, read into the hub, attacks refused.

Oracles:

- the EDCI samples and XSDs in ``../shared/fixtures/edc/edci-xml`` and the
  valid/invalid split recorded for them in ``MANIFEST.md`` section 10 (lxml
  against the schema each names; upstream's own test names ``…-KO``/``…-OK``);
- the content each valid sample states, read by eye from the XML (title of its
  first learning achievement, the issuer organisation's ``prefLabel``, the
  subject's ``fullName``, ``cred:issued``), asserted literally;
- for the attacks, the property that nothing is expanded, fetched or read from
  disk: the secret in a file an XXE names never appears, a billion-laughs
  document fails fast, and an ``<svg>`` root stays an image.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from microcred_vc import convert, verify
from microcred_vc.errors import ConversionError, InputTooLarge, MicrocredError, UnknownFormat
from microcred_vc.formats import edc, edci_xml
from microcred_vc.formats.builtin import FORMATS
from microcred_vc.formats.edci_xml import EdciXmlInvalid
from microcred_vc.jsonld.limits import Limits
from tests.fixture_paths import FIXTURES

ROOT = FIXTURES / "edc" / "edci-xml"
SAMPLES, XSD = ROOT / "samples", ROOT / "xsd"
GREEN = ("Climate, Society and Economics", "Green University and Research Center")
SEWING = {"fr": "Techniques de couture"}
SEAL_ORG = "Certificado TEST Sello Electronico"

#: sample -> ("valid", title, issuer name, learner, issued) | ("invalid", XSD words) |
#: ("refused", code) — the MANIFEST's split, with the content each file states.
EXPECTED: dict[str, tuple[Any, ...]] = {
    "credential-generic-contactPoint-choice-KO.xml": ("invalid", "Missing child element(s)"),
    "credential-generic-contactPoint-choice-OK.xml": (
        "valid",
        {"en": "Simle Accredited Cred"},
        SEAL_ORG,
        "Enric Sayos",
        "2022-01-27T13:12:00+00:00",
    ),
    "credential-generic-profile-xsd-ko.xml": ("invalid", "This element is not expected"),
    "credential-generic-profile-xsd-signed.xml": (
        "valid",
        {"en": GREEN[0]},
        GREEN[1],
        "Karolina OSTROWSKA",
        "2021-01-28T13:20:16+01:00",
    ),
    "credential-generic-profile-xsd_v1.0.xml": (
        "valid",
        {"en": GREEN[0]},
        GREEN[1],
        "Karolina OSTROWSKA",
        "2021-01-28T13:20:16+01:00",
    ),
    "credential-generic-profile-xsd_v1.1.xml": (
        "valid",
        SEWING,
        SEAL_ORG,
        "Lilly Rose",
        "2021-09-03T10:00:04+00:00",
    ),
    "credential-generic-profile-xsd_v1.2.xml": (
        "valid",
        SEWING,
        SEAL_ORG,
        "Lilly Rose",
        "2021-09-03T10:00:04+00:00",
    ),
    "issuer_test_seal_credential.xml": (
        "valid",
        {"en": "Seal testing credential title"},
        "Legal testing org",
        "First name Last name",
        "2021-05-18T11:29:36+02:00",
    ),
    "sewing_course.xml": ("valid", SEWING, SEAL_ORG, "Lilly Rose", "2021-08-16T12:50:34+02:00"),
    # an empty <europassCredential> without the EDCI namespace, only a signature
    "signedSampleXML-LT.xml": ("refused", "XML_ROOT_UNKNOWN"),
    # presentations: valid XML, but a presentation is not one credential to read
    "verificable_presentation_mandated-xsd_v1.2.xml": ("refused", "EDCI_XML_PRESENTATION"),
    "verificable_presentation_shared-xsd_v1.1.xml": ("invalid", "[facet 'enumeration']"),
}


def test_every_sample_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in SAMPLES.glob("*.xml"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample(name: str) -> None:
    data = (SAMPLES / name).read_bytes()
    kind, *expected = EXPECTED[name]
    if name != "signedSampleXML-LT.xml":
        assert FORMATS.detect(data).format == "edci-xml"
    if kind == "valid":
        mc, losses = edci_xml.load(data, xsd_dir=XSD)
        title, issuer, learner, issued = expected
        assert mc.title == title
        assert mc.issuer is not None and next(iter(mc.issuer.legal_name.values())) == issuer
        assert mc.learner is not None and mc.learner.full_name == learner
        assert mc.issued_at is not None and mc.issued_at.isoformat() == issued
        assert not mc.completeness.complete  # EDCI 1.x has no Annex I quality assurance
        assert losses and all(loss.reason for loss in losses)  # named, never silent
        assert not any(loss.field == "xsd" for loss in losses)  # it was schema-checked
    elif kind == "invalid":
        with pytest.raises(EdciXmlInvalid) as caught:
            edci_xml.load(data, xsd_dir=XSD)
        error = caught.value
        assert error.code == "EDCI_XML_INVALID" and expected[0] in error.details["xsd_message"]
        assert error.details["line"] > 0 and expected[0] in error.message
    else:
        with pytest.raises(MicrocredError) as refused:
            edci_xml.load(data, xsd_dir=XSD)
        assert refused.value.code == expected[0]


def test_outcomes_and_workload_are_read() -> None:
    """Oracle: credential-generic-profile-xsd_v1.2.xml's learningSpecification (PT100H, two
    outcomes, the first with one ESCO skill)."""
    mc, losses = edci_xml.load((SAMPLES / "credential-generic-profile-xsd_v1.2.xml").read_bytes())
    assert mc.workload_hours == 100
    assert [o.title for o in mc.learning_outcomes] == [
        {"fr": "Le stylisme"},
        {"fr": "Modelisme et patronage sur-mesure"},
    ]
    assert mc.learning_outcomes[0].esco_skill.startswith(
        "http://data.europa.eu/esco/skill/2ac79be0"
    )
    assert mc.learner.date_of_birth.isoformat() == "2021-02-01"
    # without an XSD folder the reader still reads, and says it did not validate
    assert losses[0].field == "xsd" and "not schema-checked" in losses[0].reason


def test_xsd_folder_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_EDCI_XSD", str(XSD))
    with pytest.raises(EdciXmlInvalid):
        edci_xml.load((SAMPLES / "credential-generic-contactPoint-choice-KO.xml").read_bytes())


def test_converts_to_edc_and_ob3_with_losses() -> None:
    """Property: the ELM 3 EDC written from the XML reads back with the XML's title; the
    signature that does not survive is named in the loss report."""
    data = (SAMPLES / "sewing_course.xml").read_bytes()
    result = convert(data, to="edc")
    assert result.source_format == "edci-xml" and result.completeness is not None
    back, _ = edc.load(result.document)
    assert back.title == SEWING
    assert any("proof" in loss.field for loss in result.losses)
    ob3 = convert(data.decode("utf-8"), to="ob3").document
    assert ob3["credentialSubject"]["achievement"]["name"] == "Techniques de couture"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("credential-generic-profile-xsd-signed.xml", "EDCI_XML_SIGNATURE_UNSUPPORTED"),
        ("issuer_test_seal_credential.xml", "PROOF_MISSING"),
        ("credential-generic-contactPoint-choice-KO.xml", "EDCI_XML_INVALID"),
    ],
)
def test_verify_gives_a_clear_answer(name: str, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Property: never "verified" (nothing here checks XAdES), never a traceback."""
    monkeypatch.setenv("MICROCRED_EDCI_XSD", str(XSD))
    report = verify((SAMPLES / name).read_bytes())
    assert not report.verified
    assert code in {c.code for c in report.checks if c.failed}


# --- detection and attacks ------------------------------------------------------------
def test_other_xml_is_refused_by_name() -> None:
    with pytest.raises(UnknownFormat) as caught:
        FORMATS.detect(b'<?xml version="1.0"?><note xmlns="urn:x"><to>A</to></note>')
    assert caught.value.code == "XML_ROOT_UNKNOWN" and "{urn:x}note" in caught.value.message


def test_an_svg_with_edci_inside_is_an_image() -> None:
    """Attack: EDCI elements hidden in an SVG do not make it a credential; the root decides."""
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><europassCredential '
        b'xmlns="http://data.europa.eu/snb"/></svg>'
    )
    assert FORMATS.detect(svg).format == "svg"
    with pytest.raises(ConversionError) as caught:
        edci_xml.load(svg)
    assert caught.value.code == "XML_ROOT_UNKNOWN"


def test_xxe_is_refused_and_reads_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-XXE", encoding="utf-8")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<europassCredential xmlns="http://data.europa.eu/snb"><title><text lang="en">&x;'
        "</text></title></europassCredential>"
    ).encode()
    assert FORMATS.detect(xxe).format == "edci-xml"
    with pytest.raises(ConversionError) as caught:
        edci_xml.load(xxe)
    assert caught.value.code == "XML_DTD_REFUSED"
    report = verify(xxe)
    assert not report.verified and "TOP-SECRET" not in str(report.to_dict())


def test_billion_laughs_is_refused_fast() -> None:
    levels = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE c [{"".join(levels)}]>'
        '<europassCredential xmlns="http://data.europa.eu/snb">&l9;</europassCredential>'
    ).encode()
    started = time.perf_counter()
    with pytest.raises(ConversionError) as caught:
        edci_xml.load(bomb)
    assert caught.value.code == "XML_DTD_REFUSED"
    assert time.perf_counter() - started < 2


def test_a_huge_file_is_refused_before_parsing() -> None:
    head = b'<europassCredential xmlns="http://data.europa.eu/snb">'
    huge = head + b"<title>" + b"x" * 3_000_000 + b"</title></europassCredential>"
    with pytest.raises(InputTooLarge):
        FORMATS.detect(huge)
    with pytest.raises(InputTooLarge):
        edci_xml.load(huge)
    with pytest.raises(InputTooLarge):
        edci_xml.load(head + b"</europassCredential>", limits=Limits(max_bytes=10))


def test_the_head_era_edci_xml_is_read_generously_but_fails_its_named_xsd() -> None:
    """Oracle: MANIFEST section 10 — EDCI's HEAD copies changed ``<availableLanguages>`` to
    ``<language>`` and no longer validate against the 1.x XSDs; without an XSD folder the
    reader still reads what it states (read generously, and say it was not checked)."""
    path = FIXTURES / "edc/edci/edci-data-model/src/main/resources/jsonld/validXMLCredential.xml"
    with pytest.raises(EdciXmlInvalid, match="This element is not expected"):
        edci_xml.load(path.read_bytes(), xsd_dir=XSD)
    mc, losses = edci_xml.load(path.read_bytes())
    assert mc.title == {"en": "Simle Accredited Cred"} and mc.learner.full_name == "Enric Sayos"
    assert losses[0].field == "xsd"


def test_a_qualification_with_its_awarding_process_is_read() -> None:
    """Oracle: credential-generic-profile-xsd_v1.0.xml — qualification:1 (PT300H, EQF 6,
    English and Irish), awarded on 2020-10-20T17:00:00+02:00 by org:2 (registration
    GREE-011-10101), the first assessment graded 1."""
    data = (SAMPLES / "credential-generic-profile-xsd_v1.0.xml").read_bytes()
    mc, _ = edci_xml.load(data, xsd_dir=XSD)
    assert (mc.workload_hours, mc.eqf_level, mc.languages) == (300, 6, ["en", "ga"])
    assert mc.awarded_at.isoformat() == "2020-10-20T17:00:00+02:00"
    assert [b.eidas_id for b in mc.awarding_bodies] == ["GREE-011-10101"]
    assert mc.grade == "1"


def test_broken_xml_is_named_and_a_broken_svg_still_goes_to_the_unbaker() -> None:
    """Property: a file that starts like XML gets an XML answer, never "not an SVG" for
    something that never claimed to be one; a broken SVG keeps the un-baker's message."""
    with pytest.raises(UnknownFormat) as caught:
        FORMATS.detect("<<not xml>>")
    assert caught.value.code == "XML_MALFORMED"
    truncated = "<europassCredential xmlns='http://data.europa.eu/snb'><title>"
    assert FORMATS.detect(truncated).format == "edci-xml"  # the root says what it is
    with pytest.raises(ConversionError) as broken:
        edci_xml.load(truncated)
    assert broken.value.code == "XML_MALFORMED" and broken.value.details["line"] == 1
    assert FORMATS.detect(b'<svg xmlns="http://www.w3.org/2000/svg"><g>').format == "svg"
