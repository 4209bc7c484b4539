"""The rendered page shows EU concept labels (in the page's language), not codes or IRIs."""

from __future__ import annotations

from microcred_vc.model import vocab
from microcred_vc.render import element_rows
from microcred_vc.render.html import concept_text
from tests.example_data import example_micro_credential


def _rows(lang: str = "en") -> dict[str, str]:
    return {row["name"]: row["value"] for row in element_rows(example_micro_credential(), lang)}


def test_isced_language_and_country_show_labels() -> None:
    """Oracle: isced-f.xsd labels 0611 "Computer use"; language.xsd labels ENG "English";
    countries-skos.rdf names IRL "Ireland" / "Éire" / "Irlande" (examples/course.json
    uses these three)."""
    rows = _rows()
    assert rows["isced_f"] == "Computer use"
    assert "English" in rows["languages"] and "ENG" not in rows["languages"]
    assert "(Ireland)" in rows["issuer"]
    assert "(Éire)" in _rows("ga")["issuer"]
    assert "(Irlande)" in _rows("fr")["issuer"]
    for text in rows.values():
        assert "http://data.europa.eu/snb" not in text
        assert "publications.europa.eu" not in text


def test_label_language_order() -> None:
    """Property: the document's own label in the page's language first, then the table's
    in that language, then English (the document's, then the table's)."""
    ireland = vocab.country_iri("IE")
    given = vocab.Concept(id=ireland, pref_label={"en": "Republic of Ireland"})
    assert concept_text(given, "en") == "Republic of Ireland"
    assert concept_text(given, "de") == "Irland"  # the table has German; the document not
    bare = vocab.Concept(id=vocab.language_iri("ga"))
    assert concept_text(bare, "ga") == "Irish"  # the ELM list has English labels only
    unknown = vocab.Concept(id="http://example.org/concept/1")
    assert concept_text(unknown, "en") == ""
