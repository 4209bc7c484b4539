"""The generated vocabulary table: equal to a fresh generation, and true to its sources."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from microcred_vc import vocabularies
from microcred_vc.model import vocab
from tests.fixture_paths import FIXTURES, REPO

SOURCE = FIXTURES / "edc" / "vocabularies"
CODELISTS = SOURCE / "elm-xsd-codelists"

pytestmark = pytest.mark.skipif(not SOURCE.is_dir(), reason="shared vocabulary fixtures absent")


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_vocab", REPO / "scripts" / "gen_vocab.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _xsd_label(xsd: str, iri: str) -> str:
    """The documentation of one enumeration, read with a regex (not the generator's parser)."""
    text = (CODELISTS / xsd).read_text(encoding="utf-8")
    match = re.search(
        rf'value="{re.escape(iri)}">\s*<xs:annotation>\s*<xs:documentation>([^<]*)<', text
    )
    assert match, iri
    return " ".join(match.group(1).split())


def test_committed_table_equals_a_fresh_generation(tmp_path: Path) -> None:
    """Oracle: the generator run now on ../shared (ELM XSD code lists, OP SKOS tables).

    The committed table is the generator's output, not a hand edit: regenerating
    into tmp_path gives the same table (compared decoded, and as bytes, since the
    gzip is written with a fixed timestamp).
    """
    out = tmp_path / "table.json.gz"
    assert _generator().main(["--source", str(SOURCE), "--out", str(out)]) == 0
    committed = REPO / "microcred_vc" / "vocabularies" / vocabularies.TABLE_FILE
    assert vocabularies.decode(out.read_bytes()) == vocabularies.decode(committed.read_bytes())
    assert out.read_bytes() == committed.read_bytes()


def test_every_xsd_enumeration_is_in_the_table() -> None:
    """Oracle: each ELM XSD code list read independently (regex over the file): every
    enumeration value is a concept of the scheme named by the file's targetNamespace.
    """
    tables = {s.iri: s for s in vocabularies.schemes().values()}
    for xsd in sorted(CODELISTS.glob("*.xsd")):
        text = xsd.read_text(encoding="utf-8")
        namespace = re.search(r'targetNamespace="([^"]+)"', text).group(1)  # type: ignore[union-attr]
        values = re.findall(r'<xs:enumeration\s+value="([^"]+)"', text)
        assert values, xsd.name
        scheme = tables[namespace]
        missing = [v for v in values if v not in scheme]
        assert not missing, (xsd.name, missing[:5])


@pytest.mark.parametrize(
    ("iri", "xsd"),
    [
        ("http://data.europa.eu/snb/eqf/6", "eqf.xsd"),
        ("http://data.europa.eu/snb/isced-f/0613", "isced-f.xsd"),
        ("http://publications.europa.eu/resource/authority/language/GLE", "language.xsd"),
        (
            "http://data.europa.eu/snb/learning-setting/e207a81fc7",
            "europass-learning-setting-types.xsd",
        ),
        ("http://publications.europa.eu/resource/authority/atu/AUT_BLD_BURG", "atu.xsd"),
    ],
)
def test_spot_labels_match_the_xsd(iri: str, xsd: str) -> None:
    """Oracle: the xs:documentation of that enumeration in the official XSD file."""
    assert vocabularies.labels_of(iri)["en"] == _xsd_label(xsd, iri)  # type: ignore[index]


def test_spot_labels_by_fact() -> None:
    """Oracle: the published facts themselves — EQF level 6 is "Level 6"; ISCED-F 2013
    field 0613 is "Software and applications development and analysis"; the OP language
    GLE (BCP 47 ``ga``) is "Irish" in English. The ELM language list carries English
    labels only, so no Irish-language label is claimed (none is invented); the Irish name
    of Ireland, "Éire", comes from the OP country SKOS table (countries-skos.rdf).
    """
    assert vocab.concept_label(vocab.eqf_iri(6)) == "Level 6"
    assert vocab.ISCED_F.resolve("0613").label("en") == (
        "Software and applications development and analysis"
    )
    ga = vocab.language_iri("ga")
    assert vocab.concept_labels(ga) == {"en": "Irish"}
    assert vocab.concept_label(ga, "ga") == "Irish"  # English fallback, said as such
    ireland = vocab.concept_labels(vocab.country_iri("IE"))
    assert ireland is not None
    assert ireland["ga"] == "Éire" and ireland["en"] == "Ireland" and ireland["el"] == "Ιρλανδία"
    assert set(ireland) == set(vocabularies.raw_table()["languages"])  # all 24 EU languages
    skos = (SOURCE / "op-authority-skos" / "countries-skos.rdf").read_text(encoding="utf-8")
    assert '<skos:prefLabel xml:lang="ga">Éire</skos:prefLabel>' in skos


def test_closed_and_open_schemes() -> None:
    """Property: closed schemes refuse an unlisted IRI on issue (as before); on input the
    same concept is a ``VOCAB_CONCEPT_UNKNOWN`` finding, not an exception; open schemes
    (credential types: the EDCI sample's c_9a31f32a is newer than the XSD) are not judged.
    """
    from pydantic_core import PydanticCustomError

    with pytest.raises(PydanticCustomError, match="not a known concept"):
        vocab.ISCED_F.resolve("http://data.europa.eu/snb/isced-f/0699")
    doc = {
        "credentialSubject": {
            "thematicArea": [{"id": "http://data.europa.eu/snb/isced-f/0699"}],
            "eqf": {"id": "http://data.europa.eu/snb/eqf/6", "inScheme": {"id": vocab.EQF.iri}},
        },
        "credentialProfiles": {"id": "http://data.europa.eu/snb/credential/c_9a31f32a"},
    }
    findings = vocab.concept_findings(doc)
    assert [(f.code, f.path, f.iri) for f in findings] == [
        (
            "VOCAB_CONCEPT_UNKNOWN",
            "$.credentialSubject.thematicArea[0]",
            "http://data.europa.eu/snb/isced-f/0699",
        )
    ]
    assert findings[0].severity == "warning"


def test_table_is_compact_and_not_a_copy() -> None:
    """Property: the table is a compact extract (well under the 4.9 MB of sources), and no
    fixture file is copied into the repository (DESIGN.md: reference data is never copied).
    """
    committed = REPO / "microcred_vc" / "vocabularies" / vocabularies.TABLE_FILE
    assert committed.stat().st_size < 300_000
    names = {p.name for p in SOURCE.rglob("*") if p.is_file()}
    for path in (REPO / "microcred_vc").rglob("*"):
        assert path.name not in names, path


def test_skos_graph_gives_the_shapes_scheme_membership() -> None:
    """Oracle: EDC-generic-full.ttl restricts EQF levels with ``sh:path skos:inScheme;
    sh:hasValue <…/eqf/25831c2>``; the table's SKOS graph says exactly that of eqf/6,
    and carries the XSD's label (MANIFEST section 9 prescribes this construction)."""
    import rdflib
    from rdflib.namespace import RDF, SKOS

    shapes = (FIXTURES / "edc" / "elm" / "rdf" / "ap" / "edc" / "EDC-generic-full.ttl").read_text(
        encoding="utf-8"
    )
    assert "http://data.europa.eu/snb/eqf/25831c2" in shapes
    graph = vocabularies.skos_graph(("eqf", "isced_f"))
    level = rdflib.URIRef("http://data.europa.eu/snb/eqf/6")
    scheme = rdflib.URIRef("http://data.europa.eu/snb/eqf/25831c2")
    assert (level, RDF.type, SKOS.Concept) in graph
    assert (level, SKOS.inScheme, scheme) in graph
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert (level, SKOS.prefLabel, rdflib.Literal("Level 6", lang="en")) in graph
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == 8 + 220
