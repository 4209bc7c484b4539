"""Concepts in the EDC output carry their EU labels (issue 19: {"en": "en"}, no ISCED label)."""

from __future__ import annotations

from typing import Any

from microcred_vc.formats.edc import dump
from tests.example_data import example_micro_credential


def _concepts(node: Any, out: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    if isinstance(node, dict):
        if node.get("type") == "Concept":
            out[node["id"]] = node.get("prefLabel", {})
        for value in node.values():
            _concepts(value, out)
    elif isinstance(node, list):
        for value in node:
            _concepts(value, out)
    return out


def test_edc_concepts_carry_eu_labels() -> None:
    """Oracle: language.xsd (GLE "Irish", ENG "English"), isced-f.xsd (0611 "Computer
    use"), countries-skos.rdf (IRL "Éire" in Irish, all 24 EU languages). Every EU
    vocabulary concept the writer emits has a prefLabel; ESCO skills are not in the
    fixture data (MANIFEST section 9), so only they may lack one."""
    found = _concepts(dump(example_micro_credential()), {})
    lang = "http://publications.europa.eu/resource/authority/language/"
    assert found[lang + "GLE"] == {"en": "Irish"}
    assert found[lang + "ENG"] == {"en": "English"}
    assert found["http://data.europa.eu/snb/isced-f/0611"] == {"en": "Computer use"}
    ireland = found["http://publications.europa.eu/resource/authority/country/IRL"]
    assert ireland["ga"] == "Éire" and len(ireland) == 24
    unlabelled = [iri for iri, label in found.items() if not label]
    assert all(iri.startswith("http://data.europa.eu/esco/") for iri in unlabelled), unlabelled
