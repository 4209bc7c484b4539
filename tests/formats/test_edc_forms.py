"""Every JSON-LD form of an EDC is read: compacted, expanded and flattened (issue 19 item 5).

Oracles:

- EDCI's own flattened test resource ``credFlatten.jsonld`` (its content, read
  by eye from the file: title, issuer, learner, dates, asserted literally);
- pyld itself, used directly here as an independent JSON-LD processor, to turn
  each official compacted EDC and each EDC the library writes into its expanded
  and flattened forms; the property is that every form reads to the same hub
  object as the compacted one (same RDF, so same credential).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from pyld import jsonld

from microcred_vc import convert
from microcred_vc.errors import ConversionError
from microcred_vc.formats import edc
from microcred_vc.formats.builtin import FORMATS
from microcred_vc.jsonld import DocumentLoader
from tests.fixture_paths import FIXTURES
from tests.formats.test_edc_load import SAMPLES, _read
from tests.formats.test_edc_roundtrip import edc_ready

detect = FORMATS.detect
FLAT = FIXTURES / "edc/edci/edci-data-model/src/test/resources/jsonld/credFlatten.jsonld"


def _pyld_options() -> dict[str, Any]:
    """pyld's own processing, fed the project's pinned context files (no network)."""
    loader = DocumentLoader()
    return {"documentLoader": loader, "base": None}


def forms(doc: dict[str, Any]) -> dict[str, Any]:
    """The expanded, flattened (no context) and flattened-compacted forms of ``doc``, by pyld."""
    options = _pyld_options()
    return {
        "expanded": jsonld.expand(doc, options),
        "flattened": jsonld.flatten(doc, None, options),
        "flattened-compacted": jsonld.flatten(doc, doc["@context"], options),
    }


def test_edci_flattened_resource_is_read() -> None:
    """Oracle: the file's own values (credFlatten.jsonld, EDCI test resources)."""
    doc = json.loads(FLAT.read_text(encoding="utf-8"))
    assert detect(doc).format == "edc"
    mc, losses = edc.load(doc)
    assert mc.title["en"] == "some kind of learning achievement"
    assert mc.issuer is not None and mc.issuer.id == "http://example.org/issuer565049"
    assert mc.issuer.legal_name["en"] == "some legal name"
    assert mc.issuer.eidas_id == "eidasIdentifier123"
    assert mc.learner is not None and mc.learner.full_name == "Max Power"
    assert mc.issued_at is not None and mc.issued_at.isoformat() == "2010-01-01T00:00:00+00:00"
    assert mc.valid_until is not None and mc.valid_until.year == 2024
    fields = {loss.field for loss in losses}
    assert "$.credentialSubject.birthName" in fields  # read honestly: named, not dropped
    assert mc.completeness.to_dict()["status"] == "incomplete"


def _tags_folded(value: Any) -> Any:
    """Language-map keys lower-cased: BCP 47 tags are case-insensitive (RFC 5646 2.1.1),
    and JSON-LD processors (pyld here, producing the test's forms) lower-case them."""
    if isinstance(value, dict):
        return {
            (k.lower() if isinstance(k, str) and isinstance(v, str) else k): _tags_folded(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_tags_folded(v) for v in value]
    return value


def _same(a: Any, b: Any) -> None:
    assert _tags_folded(a.model_dump()) == _tags_folded(b.model_dump())


def essentials(mc: Any) -> dict[str, Any]:
    """What both forms must agree on. RDF values of one property form a set, so where
    the hub keeps one of several (the first e-mail of a contact point) the choice may
    differ between forms; titles, names, ids, dates and outcomes may not."""
    return {
        "id": mc.id,
        "title": mc.title,
        "issuer": (mc.issuer.id, mc.issuer.legal_name) if mc.issuer else None,
        "learner": mc.learner.full_name if mc.learner else None,
        "issued_at": mc.issued_at,
        "valid_until": mc.valid_until,
        "outcomes": sorted(json.dumps(o.title, sort_keys=True) for o in mc.learning_outcomes),
        "ects": mc.ects,
        "eqf_level": mc.eqf_level,
        "awarding_bodies": sorted(b.id for b in mc.awarding_bodies),
    }


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_every_official_edc_reads_the_same_in_every_form(path: Path) -> None:
    """Property: the same RDF (pyld's expansion/flattening) reads to the same hub content."""
    doc = _read(path)
    compacted, _ = edc.load(doc)
    all_forms = forms(doc)
    del all_forms["flattened"]  # kept for the property test below: pyld is slow on big files
    old = _pre_elm3(all_forms["expanded"])
    for name, form in all_forms.items():
        assert detect(form).format == "edc", name
        assert detect(json.dumps(form)).format == "edc", name
        if old:
            _pre_elm3_form_is_read_as_far_as_it_can(name, form, compacted)
            continue
        found, _ = edc.load(form)
        assert essentials(found) == essentials(compacted), name


def _pre_elm3_form_is_read_as_far_as_it_can(name: str, form: Any, compacted: Any) -> None:
    """EDCI's test-data-json.jsonld uses a pre-ELM 3 inline context. Expanded, no
    pinned context speaks its terms: a clear refusal. Flattened with its own context,
    it frames, but that context gives cred:credentialSubject two terms
    ('credentialSubject' and 'owner '), and JSON-LD compaction picks the shorter one,
    so the subject sits under a key the EDC reader does not know; the rest agrees."""
    if name != "flattened-compacted":
        with pytest.raises(ConversionError, match="pre-ELM 3"):
            edc.load(form)
        return
    found, _ = edc.load(form)
    assert (found.id, found.issuer, found.issued_at) == (
        compacted.id,
        compacted.issuer,
        compacted.issued_at,
    )


def _pre_elm3(expanded: Any) -> bool:
    """EDCI's older contexts map ``elm:`` to …/snb/model/ (not …/model/elm/)."""
    return "http://data.europa.eu/snb/model/EuropeanDigitalCredential" in json.dumps(expanded)


@settings(
    max_examples=5,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(edc_ready)
def test_any_edc_the_library_writes_reads_back_equal_in_every_form(mc: Any) -> None:
    """Property: expanding or flattening (pyld) an EDC we wrote changes nothing that is read."""
    doc = json.loads(json.dumps(edc.dump(mc)))
    compacted, _ = edc.load(doc)
    for form in forms(doc).values():
        found, _ = edc.load(form)
        _same(found, compacted)


def test_a_flattened_edc_converts_to_ob3() -> None:
    """Oracle: credFlatten.jsonld's title reaches the OB3 achievement name."""
    doc = json.loads(FLAT.read_text(encoding="utf-8"))
    result = convert(doc, to="ob3")
    achievement = result.document["credentialSubject"]["achievement"]
    assert "some kind of learning achievement" in json.dumps(achievement)


def test_a_graph_of_two_credentials_is_refused() -> None:
    """Property: two EDC nodes in one graph are two credentials, never merged into one."""
    doc = json.loads(FLAT.read_text(encoding="utf-8"))
    twin = next(n for n in doc["@graph"] if "EuropeanDigitalCredential" in n.get("type", []))
    doc["@graph"].append({**twin, "id": "urn:credential:other"})
    with pytest.raises(ConversionError, match="2 EuropeanDigitalCredential"):
        edc.load(doc)


def test_an_undefined_term_in_a_flattened_edc_is_a_loss() -> None:
    """Property: what JSON-LD expansion drops is named in the losses, not lost silently."""
    doc = json.loads(FLAT.read_text(encoding="utf-8"))
    doc["@graph"][0]["madeUpTerm"] = "x"
    _, losses = edc.load(doc)
    assert any(loss.field == "madeUpTerm" for loss in losses)


def test_shared_nodes_do_not_blow_up_when_framed() -> None:
    """Attack: a chain where every node references the next one twice (by two properties)
    would frame to 2^depth copies with ``@embed: @always``; with ``@once`` it stays linear.
    Oracle: the output size, bounded by a small multiple of the input."""
    doc = json.loads(FLAT.read_text(encoding="utf-8"))
    depth = 40
    chain = [
        {
            "id": f"urn:n:{i}",
            "type": "Note",
            "seeAlso": f"urn:n:{i + 1}",
            "source": f"urn:n:{i + 1}",
        }
        for i in range(depth)
    ]
    doc["@context"] = [
        *doc["@context"],
        {
            "seeAlso": {"@id": "rdfs:seeAlso", "@type": "@id"},
            "source": {"@id": "dc:source", "@type": "@id"},
        },
    ]
    root = next(n for n in doc["@graph"] if "EuropeanDigitalCredential" in n.get("type", []))
    root["seeAlso"] = "urn:n:0"
    doc["@graph"] += chain
    from microcred_vc.formats.edc.framing import frame_edc

    tree, _ = frame_edc(doc)
    assert len(json.dumps(tree)) < 10 * len(json.dumps(doc))


def test_language_tags_keep_the_documents_spelling() -> None:
    """Property: never change what the caller gave. pyld lower-cases language tags when
    it expands; the framed tree gives them back as the flattened document spells them."""
    doc = json.loads(FLAT.read_text(encoding="utf-8"))
    claim = next(n for n in doc["@graph"] if n.get("type") == "LearningAchievement")
    claim["title"] = {"pt-BR": "Costura", "en": "Sewing"}
    mc, _ = edc.load(doc)
    assert mc.title == {"pt-BR": "Costura", "en": "Sewing"}


def test_an_upper_case_property_name_does_not_rename_ids() -> None:
    """Property: only language maps are re-spelled; a property called ``ID`` (shaped like a
    language tag) in the document leaves every node's ``id`` alone."""
    doc = json.loads(FLAT.read_text(encoding="utf-8"))
    doc["@context"] = [*doc["@context"], {"ID": "http://example.org/vocab#ID"}]
    doc["@graph"][0]["ID"] = "x"
    mc, _ = edc.load(doc)
    assert mc.issuer is not None and mc.issuer.id == "http://example.org/issuer565049"
    assert mc.id == "urn:credential:fa7586fa-6a6a-4a0c-b857-62a97ce43181"
