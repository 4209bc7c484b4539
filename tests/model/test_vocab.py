"""EU vocabularies: IRIs, lookups, country and language code tables."""

from __future__ import annotations

import pytest
from lxml import etree
from pydantic_core import PydanticCustomError

from microcred_vc.model import vocab
from tests.fixture_paths import FIXTURES


def test_eqf_levels_and_iris() -> None:
    assert sorted(vocab.EQF.concepts) == [str(n) for n in range(1, 9)]
    assert vocab.eqf_iri(6) == "http://data.europa.eu/snb/eqf/6"
    assert vocab.eqf_level_from_iri("http://data.europa.eu/snb/eqf/6") == 6
    assert vocab.eqf_level_from_iri("http://data.europa.eu/snb/eqf/9") is None
    assert vocab.eqf_level_from_iri("http://example.org/eqf/6") is None
    assert vocab.EQF.iri == "http://data.europa.eu/snb/eqf/25831c2"


def test_participation_modes_map_to_eu_mode_of_learning() -> None:
    ids = {k: c.id.rsplit("/", 1)[1] for k, c in vocab.PARTICIPATION_MODES.items()}
    assert ids == {"online": "920fbb3cbe", "onsite": "9191af2ed9", "blended": "e92d221e4d"}


def test_resolve_by_key_iri_and_dict() -> None:
    by_key = vocab.SUPERVISION.resolve("supervised-id")
    assert by_key.id == "http://data.europa.eu/snb/supervision-verification/70be69aaf9"
    assert vocab.SUPERVISION.resolve(by_key.id) == by_key
    labelled = vocab.SUPERVISION.resolve({"id": by_key.id, "pref_label": {"fr": "Supervisé"}})
    assert labelled.pref_label == {"fr": "Supervisé"}
    # open scheme: an unlisted concept in its namespace is accepted
    other = vocab.SUPERVISION.resolve("http://data.europa.eu/snb/supervision-verification/abc")
    assert other.id.endswith("/abc")


def test_closed_scheme_rejects_unknown_iri_in_its_namespace() -> None:
    with pytest.raises(PydanticCustomError, match="not a known concept"):
        vocab.LEARNING_SETTING.resolve("http://data.europa.eu/snb/learning-setting/zzz")
    with pytest.raises(PydanticCustomError, match="use one of: formal, non-formal"):
        vocab.LEARNING_SETTING.resolve("informal")
    with pytest.raises(PydanticCustomError, match="must be a concept IRI"):
        vocab.LEARNING_SETTING.resolve(42)


@pytest.mark.parametrize(
    ("given", "alpha2"),
    [("IE", "IE"), ("ie", "IE"), ("IRL", "IE"), ("deu", "DE"), ("XX", None), ("Ireland", None),
     ("http://publications.europa.eu/resource/authority/country/PRT", "PT")],
)  # fmt: skip
def test_country_codes(given: str, alpha2: str | None) -> None:
    assert vocab.country_alpha2(given) == alpha2


def test_country_and_language_iris() -> None:
    assert vocab.country_iri("IE") == "http://publications.europa.eu/resource/authority/country/IRL"
    assert vocab.country_name("EE") == "Estonia"
    with pytest.raises(ValueError, match="unknown ISO 3166-1"):
        vocab.country_iri("XX")
    assert vocab.language_iri("pt-BR").endswith("/language/POR")
    assert vocab.language_iri("ga").endswith("/language/GLE")
    assert (
        vocab.language_tag("http://publications.europa.eu/resource/authority/language/DEU") == "de"
    )
    assert (
        vocab.language_tag("http://publications.europa.eu/resource/authority/language/QQQ") is None
    )
    with pytest.raises(ValueError, match="unknown language"):
        vocab.language_iri("zz")


#: Labels the live EU vocabulary has renamed since the 2023 XSDs (our output uses the new one).
NEWER_LABELS = {
    vocab.ECTS.id: "European Credit Transfer and Accumulation System",
}
CODELISTS = FIXTURES / "edc" / "vocabularies" / "elm-xsd-codelists"
XS = "{http://www.w3.org/2001/XMLSchema}"


def _enumerations(xsd: str) -> dict[str, str]:
    """IRI -> English documentation of every enumeration in an ELM code-list XSD."""
    root = etree.parse(str(CODELISTS / xsd)).getroot()
    out = {}
    for item in root.iter(f"{XS}enumeration"):
        doc = item.find(f"{XS}annotation/{XS}documentation")
        out[item.get("value")] = " ".join((doc.text or "").split()) if doc is not None else ""
    return out


@pytest.mark.parametrize(
    ("scheme", "xsd"),
    [
        (vocab.EQF, "eqf.xsd"),
        (vocab.ACCREDITATION, "europass-accreditation-types.xsd"),
        (vocab.ASSESSMENT, "europass-learning-assessment-types.xsd"),
        (vocab.LEARNING_OPPORTUNITY, "europass-learning-opportunity-types.xsd"),
        (vocab.LEARNING_SETTING, "europass-learning-setting-types.xsd"),
        (vocab.CREDIT, "credit-points.xsd"),
        (vocab.MODE, "europass-modes.xsd"),
    ],
    ids=lambda v: v.key if isinstance(v, vocab.Scheme) else None,
)
def test_scheme_holds_every_official_concept(scheme: vocab.Scheme, xsd: str) -> None:
    """Oracle: the ELM XSD code lists (European-Learning-Model, EUPL 1.2; MANIFEST.md).

    Every concept the EU lists is accepted by its short key as well as by IRI
    (issue #20: only one quality-assurance type used to be accepted); labels
    agree with the official ones, up to capitalisation.
    """
    official = _enumerations(xsd)
    ours = {c.id: c for c in scheme.concepts.values()}
    assert set(official) <= set(ours), sorted(set(official) - set(ours))
    for iri, label in official.items():
        label = NEWER_LABELS.get(iri, label)
        if label and scheme is not vocab.EQF:  # EQF's XSD documents levels as numbers
            assert ours[iri].label("en").casefold() == label.casefold(), iri
        assert scheme.resolve(iri).id == iri
    if not scheme.open:
        extra = set(ours) - set(official)
        assert extra <= {vocab.MODE.namespace + "c_3a90b26d"}, extra  # hybrid: newer than the XSD
