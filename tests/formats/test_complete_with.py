"""convert(..., complete_with=course): an official OB3 badge + the institution's course → a valid EDC.

Oracles: the 1EdTech OB3 examples and the example course (``examples/course.json``)
as input; pySHACL on the official EDC shapes (``EDC-generic-no-cv.ttl``, the
structure, and ``EDC-generic-full.ttl``, the controlled vocabularies) as judge.
The shapes are parsed once per session (``validate_edc`` caches them). A fixed
sample of every third example keeps the test under a minute; the loads of all
examples are pinned by the golden tests.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from microcred_vc.api import convert
from microcred_vc.errors import ConversionError
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.validate.edc import errors_only, validate_edc
from tests.fixture_paths import FIXTURES
from tests.formats.test_edc_golden import OB3_EXAMPLES, _golden_name

AP = FIXTURES / "edc" / "elm" / "rdf" / "ap" / "edc"
SHAPES = [AP / "EDC-generic-no-cv.ttl", AP / "EDC-generic-full.ttl"]
COURSE = json.loads((Path(__file__).parents[2] / "examples" / "course.json").read_text())
SAMPLE = OB3_EXAMPLES[::3]


@pytest.fixture(scope="module")
def loader() -> DocumentLoader:
    loader = DocumentLoader()
    index = json.loads((FIXTURES / "contexts" / "INDEX.json").read_text())
    for url, name in index.items():
        loader.add_document(url, json.loads((FIXTURES / "contexts" / name).read_text()))
    return loader


def course_for(doc: dict[str, Any]) -> dict[str, Any]:
    """The example course as the badge issuer's own: the same issuer id, so its details
    (country, eIDAS identifier...) complete that issuer and nobody else."""
    course = copy.deepcopy(COURSE)
    issuer = doc.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id:
        course["issuer"]["id"] = course["awarding_bodies"][0]["id"] = issuer_id
    return course


@pytest.mark.parametrize("path", SAMPLE, ids=[_golden_name(p) for p in SAMPLE])
def test_official_badge_completed_with_the_course_is_a_valid_edc(path, loader):
    doc = json.loads(path.read_text(encoding="utf-8"))
    result = convert(doc, to="edc", complete_with=course_for(doc))
    findings = errors_only(validate_edc(result.document, SHAPES, loader=loader))
    assert findings == [], [(f.path, f.message) for f in findings]
    completeness = result.completeness
    # filled from the course, and said so; the learner's name is the badge's business
    assert {"quality_assurance", "participation_mode"} <= set(completeness.supplied)
    graded = [r for r in doc["credentialSubject"].get("result", []) if r.get("resultDescription")]
    if graded:
        # the badge's own results are its assessments (issue 19 item 4): found, never
        # replaced by the course's; their type is what the badge does not say
        assert "assessments" not in completeness.supplied
        assert {gap.code for gap in completeness.missing} <= {"M1", "M9"}
    else:
        assert "assessments" in completeness.supplied
        assert {gap.code for gap in completeness.missing} <= {"M1"}


def test_negative_control_an_edc_without_issuer_fails_the_shapes(loader):
    """The judge can say no: the same conversion without its issuer violates no-cv."""
    doc = json.loads(SAMPLE[0].read_text(encoding="utf-8"))
    edc = convert(doc, to="edc", complete_with=course_for(doc)).document
    del edc["issuer"]
    assert errors_only(validate_edc(edc, SHAPES, loader=loader))


def test_found_values_are_never_replaced_by_the_course():
    doc = json.loads(SAMPLE[0].read_text(encoding="utf-8"))
    result = convert(doc, to="edc", complete_with=course_for(doc))
    claim = result.document["credentialSubject"]["hasClaim"][0]
    assert doc["credentialSubject"]["achievement"]["name"] in claim["title"].values()
    assert "title" not in result.completeness.supplied


def test_require_annex_i_refuses_an_incomplete_badge_and_names_the_gaps():
    doc = json.loads(SAMPLE[0].read_text(encoding="utf-8"))
    with pytest.raises(ConversionError, match="Type of assessment") as info:
        convert(doc, to="edc", require="annex-i")
    assert info.value.code == "ANNEX_I_INCOMPLETE"
