"""MicroCredential → EDC → MicroCredential, and EDC output against the official shapes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from microcred_vc.errors import EdcIssuerNoLegalId
from microcred_vc.formats import edc
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.model import MicroCredential
from microcred_vc.validate.edc import MICROCREDENTIAL_SHAPES, validate_edc
from tests.fixture_paths import FIXTURES
from tests.model.strategies import micro_credentials

NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
AP = FIXTURES / "edc" / "elm" / "rdf" / "ap" / "edc"
OFFICIAL = [AP / "EDC-generic-no-cv.ttl", AP / "EDC-generic-full.ttl"]
#: Annex I mandatory elements: these must survive every round trip, never be a loss.
COUNCIL = (
    "learner",
    "title",
    "issuer",
    "awarding_bodies",
    "issued_at",
    "learning_outcomes",
    "ects",
    "workload_hours",
    "credit_system",
    "eqf_level",
    "assessments",
    "participation_mode",
    "quality_assurance",
)


@pytest.fixture(scope="module")
def loader() -> DocumentLoader:
    loader = DocumentLoader()
    index = json.loads((FIXTURES / "contexts" / "INDEX.json").read_text())
    for url, name in index.items():
        loader.add_document(url, json.loads((FIXTURES / "contexts" / name).read_text()))
    return loader


def _distinct_organisations(mc: MicroCredential) -> bool:
    orgs = [mc.issuer, *mc.awarding_bodies, *(qa.agent for qa in mc.quality_assurance)]
    by_id: dict[str, Any] = {}
    return all(by_id.setdefault(o.id, o) == o for o in orgs)


def _with_eidas(mc: MicroCredential) -> MicroCredential:
    issuer = mc.issuer.model_copy(update={"eidas_id": mc.issuer.eidas_id or "BE0123456789"})
    bodies = [issuer if b.id == issuer.id else b for b in mc.awarding_bodies]
    agents = [
        qa.model_copy(update={"agent": issuer}) if qa.agent.id == issuer.id else qa
        for qa in mc.quality_assurance
    ]
    return mc.model_copy(
        update={"issuer": issuer, "awarding_bodies": bodies, "quality_assurance": agents}
    )


edc_ready = micro_credentials().filter(_distinct_organisations).map(_with_eidas)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(edc_ready)
def test_round_trip_is_equal_except_reported_losses(mc):
    result = edc.dump_with_losses(mc)
    back, load_losses = edc.load(json.loads(json.dumps(result.document)))
    lost = {loss.field.split("[")[0].split(".")[0] for loss in result.losses}
    assert not lost & set(COUNCIL), result.losses
    before, after = mc.model_dump(), back.model_dump()
    for name in before:
        if name not in lost:
            assert after[name] == before[name], name
    # reading our own output loses only the writer-regenerated parts
    assert {loss.field for loss in load_losses} == {
        "$.credentialProfiles",
        "$.credentialSchema",
        "$.displayParameter",
    }


@settings(
    max_examples=8,
    deadline=None,
    phases=NO_SHRINK,  # SHACL runs are slow; a failing example is reported unshrunk
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(mc=edc_ready)
def test_output_passes_official_and_micro_credential_shapes(mc, loader):
    doc = edc.dump(mc)
    for shapes in [*OFFICIAL, MICROCREDENTIAL_SHAPES]:
        assert validate_edc(doc, shapes, loader=loader) == [], shapes.name


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(edc_ready)
def test_dump_is_deterministic(mc):
    assert edc.dump(mc) == edc.dump(mc)


@given(data=st.data())
@settings(
    max_examples=5,
    deadline=None,
    phases=NO_SHRINK,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_without_eidas_id_the_dump_is_refused_with_the_code(data):
    """Oracle: EDC-generic-no-cv.ttl, edc:IssuerNodeShape (sh:minCount 1 on
    elm:eidasLegalIdentifier): such an EDC breaks the profile, so it is refused, not emitted."""
    mc = data.draw(micro_credentials().filter(_distinct_organisations))
    assume(not mc.issuer.eidas_id)
    with pytest.raises(EdcIssuerNoLegalId) as refused:
        edc.dump_with_losses(mc)
    assert refused.value.code == "EDC_ISSUER_NO_LEGAL_ID"
    assert "seal_certificate" in refused.value.message  # says how to fix it
