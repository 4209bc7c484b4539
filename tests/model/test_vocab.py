"""EU vocabularies: IRIs, lookups, country and language code tables."""

from __future__ import annotations

import pytest
from pydantic_core import PydanticCustomError

from microcred_vc.model import vocab


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
