"""Generate the project's EU vocabulary table from the official code lists.

Why: the EU controlled vocabularies (EQF, ISCED-F, languages, countries, ATU,
Europass schemes…) are facts published by the Publications Office and the ELM
project. The library needs their concept IRIs (to check membership) and labels
(to write ``prefLabel`` and show people words, not codes), but the source files
are large, partly RDF/XML and not ours to ship. This script reads them from the
shared fixtures (``../shared/fixtures/edc/vocabularies``: ELM XSD code lists and
OP SKOS tables) and writes one compact, deterministic gzip'd JSON table into the
package (``microcred_vc/vocabularies/table.json.gz``). Only prefLabels in the 24
official EU languages are kept.

Run ``python scripts/gen_vocab.py`` after the fixtures change; the test
``tests/model/test_vocab_table.py`` regenerates the table and fails when the
committed one differs.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "fixtures" / "edc" / "vocabularies"
DEFAULT_OUT = REPO / "microcred_vc" / "vocabularies" / "table.json.gz"

#: The 24 official languages of the EU (Regulation No 1/1958 as amended).
EU_LANGUAGES = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr",
    "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
)  # fmt: skip

XS = "{http://www.w3.org/2001/XMLSchema}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
SKOS = "{http://www.w3.org/2004/02/skos/core#}"
AT = "{http://publications.europa.eu/ontology/authority/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: (key, title, XSD file, SKOS file or None, closed).
#: Closed: a fixed classification whose snapshot is complete (EQF, ISCED-F 2013,
#: the two learning settings, ...); an unknown IRI of its namespace is an error on
#: issue and a finding on input. Open: lists the EU extends (credential types,
#: NQF levels); an unlisted IRI is accepted (MANIFEST: absence is no proof).
SCHEMES: tuple[tuple[str, str, str, str | None, bool], ...] = (
    ("eqf", "European Qualifications Framework", "eqf.xsd", None, True),
    ("isced_f", "ISCED-F fields of education", "isced-f.xsd", None, True),
    ("learning_setting", "Learning setting", "europass-learning-setting-types.xsd", None, True),
    ("mode", "Mode of learning and assessment", "europass-modes.xsd", None, True),
    ("assessment", "Assessment type", "europass-learning-assessment-types.xsd", None, False),
    ("accreditation", "Accreditation type", "europass-accreditation-types.xsd", None, False),
    ("credential", "Credential type", "europass-credential-types.xsd", None, False),
    ("credit", "Education credit system", "credit-points.xsd", None, False),
    (
        "learning_opportunity",
        "Learning opportunity type",
        "europass-learning-opportunity-types.xsd",
        None,
        False,
    ),
    (
        "learning_activity",
        "Learning activity type",
        "europass-learning-activity-types.xsd",
        None,
        False,
    ),
    ("learning_schedule", "Learning schedule", "europass-learning-schedule-types.xsd", None, False),
    (
        "entitlement",
        "Learning entitlement type",
        "europass-learning-entitlement-types.xsd",
        None,
        False,
    ),
    (
        "entitlement_status",
        "Learning entitlement status",
        "europass-learning-entitlement-statuses.xsd",
        None,
        True,
    ),
    ("target_group", "Target group", "europass-target-groups.xsd", None, False),
    ("nqf", "National qualifications framework level", "nqf.xsd", None, False),
    ("skill_type", "Learning outcome type", "skill-types.xsd", None, True),
    ("reusability", "Reusability level", "skill-reuse-levels.xsd", None, True),
    ("encoding", "Content encoding", "europass-content-encoding-types.xsd", None, False),
    ("language", "Language (EU Publications Office)", "language.xsd", None, True),
    ("country", "Country (EU Publications Office)", "country.xsd", "countries-skos.rdf", True),
    ("currency", "Currency (EU Publications Office)", "currency.xsd", None, True),
    ("atu", "Administrative territorial unit (EU Publications Office)", "atu.xsd", None, False),
    (
        "file_type",
        "File type (EU Publications Office)",
        "file-type.xsd",
        "filetypes-skos.rdf",
        False,
    ),
)


def _namespace(scheme_iri: str) -> str:
    """Concept IRIs of a scheme share its namespace: ``…/snb/eqf/`` for ``…/snb/eqf/25831c2``."""
    if scheme_iri.startswith("http://data.europa.eu/snb/"):
        return scheme_iri.rsplit("/", 1)[0] + "/"
    return scheme_iri + "/"


def read_xsd(path: Path) -> tuple[str, dict[str, str]]:
    """(targetNamespace, {concept IRI: English label}) of one ELM code-list XSD."""
    root = ElementTree.parse(path).getroot()
    concepts: dict[str, str] = {}
    for item in root.iter(f"{XS}enumeration"):
        doc = item.find(f"{XS}annotation/{XS}documentation")
        text = " ".join((doc.text or "").split()) if doc is not None else ""
        concepts[item.get("value")] = text
    return root.get("targetNamespace"), concepts


def read_skos(path: Path) -> tuple[dict[str, dict[str, str]], set[str]]:
    """({concept IRI: {lang: prefLabel}} in EU languages, deprecated IRIs) of an OP table."""
    root = ElementTree.parse(path).getroot()
    labels: dict[str, dict[str, str]] = {}
    deprecated: set[str] = set()
    for node in root.iter(f"{SKOS}Concept"):
        iri = node.get(f"{RDF}about")
        if node.get(f"{AT}deprecated") == "true":
            deprecated.add(iri)
        found = {
            label.get(XML_LANG): " ".join((label.text or "").split())
            for label in node.findall(f"{SKOS}prefLabel")
        }
        labels[iri] = {lang: found[lang] for lang in EU_LANGUAGES if found.get(lang)}
    return labels, deprecated


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(source: Path) -> dict[str, Any]:
    """The vocabulary table as a JSON-ready dict (sorted, so output is deterministic)."""
    xsd_dir, skos_dir = source / "elm-xsd-codelists", source / "op-authority-skos"
    schemes = []
    for key, title, xsd, skos, closed in SCHEMES:
        scheme_iri, listed = read_xsd(xsd_dir / xsd)
        namespace = _namespace(scheme_iri)
        files = {f"elm-xsd-codelists/{xsd}": _sha256(xsd_dir / xsd)}
        labels: dict[str, dict[str, str]] = {
            iri: ({"en": text} if text else {}) for iri, text in listed.items()
        }
        deprecated: set[str] = set()
        if skos is not None:
            files[f"op-authority-skos/{skos}"] = _sha256(skos_dir / skos)
            skos_labels, deprecated = read_skos(skos_dir / skos)
            for iri, by_lang in skos_labels.items():
                if iri in deprecated and iri not in listed:
                    continue  # withdrawn and not in ELM's list: not an allowed value
                labels[iri] = {**labels.get(iri, {}), **by_lang}
        concepts = {}
        for iri in sorted(labels):
            if not iri.startswith(namespace):
                raise SystemExit(f"{iri} is outside the namespace {namespace} of {scheme_iri}")
            concepts[iri[len(namespace) :]] = dict(sorted(labels[iri].items()))
        schemes.append(
            {
                "key": key,
                "title": title,
                "iri": scheme_iri,
                "namespace": namespace,
                "closed": closed,
                "sources": files,
                "deprecated": sorted(i[len(namespace) :] for i in deprecated if i in labels),
                "concepts": concepts,
            }
        )
    return {
        "format": 1,
        "generated_by": "scripts/gen_vocab.py",
        "languages": list(EU_LANGUAGES),
        "schemes": schemes,
    }


def encode(table: dict[str, Any]) -> bytes:
    """Compact JSON, gzip'd with a zero timestamp so the same table gives the same bytes."""
    text = json.dumps(table, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.source / "elm-xsd-codelists").is_dir():
        print(f"vocabulary sources not found under {args.source}", file=sys.stderr)
        return 2
    table = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(encode(table))
    total = sum(len(s["concepts"]) for s in table["schemes"])
    print(f"wrote {args.out} ({len(table['schemes'])} schemes, {total} concepts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
