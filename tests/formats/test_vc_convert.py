"""VC 1.1 ↔ 2.0: renamed dates, status types, contexts, and honest losses."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from microcred_vc.errors import ConversionError, FormatError
from microcred_vc.formats import ob3
from microcred_vc.formats.base import Loss
from microcred_vc.formats.vc import STATUS_2021_CONTEXT, VC_V1, VC_V2, to_v1, to_v2
from microcred_vc.jsonld.expand import expand
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.model import MicroCredential
from microcred_vc.validate.ob3 import errors, validate_ob3
from tests.fixture_paths import FIXTURES
from tests.model.strategies import micro_credentials
from tests.model.test_elements import BASE

OB30 = FIXTURES / "ob3" / "validator-fixtures" / "ob30"
PROOF_LOSS = Loss("proof", "the proof signed the other version; sign the result again")


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


V1_STATUS: dict[str, Any] = {
    "@context": [VC_V1, STATUS_2021_CONTEXT],
    "id": "https://example.eu/credentials/1",
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "issuanceDate": "2024-01-01T00:00:00Z",
    "expirationDate": "2029-01-01T00:00:00Z",
    "issued": "2024-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:learner"},
    "credentialStatus": {
        "id": "https://example.eu/status/3#94567",
        "type": "StatusList2021Entry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://example.eu/status/3",
    },
}


def test_v1_to_v2_renames_dates_status_and_context() -> None:
    result = to_v2(V1_STATUS)
    doc = result.document
    assert doc["@context"] == [VC_V2]
    assert doc["validFrom"] == "2024-01-01T00:00:00Z"
    assert doc["validUntil"] == "2029-01-01T00:00:00Z"
    assert "issuanceDate" not in doc and "expirationDate" not in doc and "issued" not in doc
    assert doc["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert result.losses == [
        Loss("issued", "VC 2.0 has no 'issued'; validFrom holds the issuance date"),
        Loss(
            "credentialStatus.statusListCredential",
            "https://example.eu/status/3 is still published as a StatusList2021Credential; "
            "publish a BitstringStatusListCredential",
        ),
    ]
    assert (result.source_format, result.target_format) == ("vc1", "vc2")
    assert V1_STATUS["credentialStatus"]["type"] == "StatusList2021Entry"  # input untouched


def test_v2_to_v1_and_back() -> None:
    v2 = to_v2(V1_STATUS).document
    back = to_v1(v2)
    expected = {k: v for k, v in V1_STATUS.items() if k != "issued"}
    assert back.document == expected
    assert back.losses == []


def test_status_list_credential_itself_is_retyped() -> None:
    v2 = _json(FIXTURES / "status" / "1edtech-validator" / "testlist")
    v1 = to_v1(v2).document
    assert v1["type"] == ["VerifiableCredential", "StatusList2021Credential"]
    assert v1["credentialSubject"]["type"] == "StatusList2021"
    assert v1["@context"] == [VC_V1, STATUS_2021_CONTEXT]
    again = to_v2(v1)
    assert again.document["type"] == v2["type"]
    assert again.document["credentialSubject"]["type"] == "BitstringStatusList"
    assert again.losses[0].field == "credentialSubject.encodedList"


def test_multi_bit_status_is_a_loss() -> None:
    doc = copy.deepcopy(to_v2(V1_STATUS).document)
    doc["credentialStatus"] = [
        {**doc["credentialStatus"], "statusPurpose": "message", "statusSize": 2,
         "statusMessage": [{"status": "0x0", "message": "ok"}]}
    ]  # fmt: skip
    losses = to_v1(doc).losses
    assert [loss.field for loss in losses] == [
        "credentialStatus[0].statusSize",
        "credentialStatus[0].statusMessage",
        "credentialStatus[0].statusPurpose",
    ]


def test_v2_only_terms_dropped_when_only_the_base_context_defines_them() -> None:
    doc = {**to_v2(V1_STATUS).document, "name": "Degree", "description": "A degree"}
    doc["@context"] = [VC_V2]
    doc.pop("credentialStatus")
    result = to_v1(doc)
    assert "name" not in result.document
    assert [loss.field for loss in result.losses] == ["name", "description"]


@pytest.mark.parametrize(
    "name",
    ["simple_v1.json", "simple-eddsa-2022.json", "credential-status-revoked.json"],
)
def test_official_ob30_vc11_credentials_upgrade_to_valid_ob303(name: str) -> None:
    result = to_v2(_json(OB30 / name))
    assert PROOF_LOSS in result.losses
    assert "proof" not in result.document
    found = validate_ob3(result.document, FIXTURES / "ob3" / "schemas")
    assert [f for f in errors(found) if f.path != "validUntil"] == []


def test_embedded_endorsements_are_converted_with_prefixed_losses() -> None:
    result = to_v2(_json(OB30 / "complete_v1.json"))
    endorsement = result.document["endorsement"][0]
    assert endorsement["@context"][0] == VC_V2 and "validFrom" in endorsement
    assert Loss("endorsement[0].proof", PROOF_LOSS.reason) in result.losses


@pytest.mark.parametrize(
    "path",
    sorted((FIXTURES / "vc2" / "spec-examples").glob("vcdm-0[01]*.json")),
    ids=lambda p: p.name,
)
def test_vc2_spec_examples_survive_a_round_trip(path: Path) -> None:
    doc = _json(path)
    if "credentialSubject" not in doc or "validFrom" not in doc:
        with pytest.raises((ConversionError, FormatError)):
            to_v1(doc)
        return
    there = to_v1(doc)
    back = to_v2(there.document)
    dropped = {loss.field for loss in there.losses}
    assert back.document == {k: v for k, v in doc.items() if k not in dropped}


def test_bad_input() -> None:
    with pytest.raises(FormatError, match="must be a JSON object"):
        to_v2("nope")
    with pytest.raises(FormatError, match="first @context must be"):
        to_v1({"@context": ["https://example.org/ctx"]})
    with pytest.raises(ConversionError, match="no validFrom"):
        to_v1({"@context": [VC_V2], "type": ["VerifiableCredential"]})
    assert to_v2({"@context": VC_V2}).document == {"@context": VC_V2}


def test_micro_credential_as_vc11_expands_and_loads() -> None:
    mc = MicroCredential(**BASE)
    v1 = to_v1(ob3.dump(mc))
    assert v1.losses == []
    assert v1.document["issuanceDate"] == "2026-06-30T12:00:00Z"
    expand(v1.document, loader=DocumentLoader(extra_dirs=[FIXTURES / "contexts"]), safe=True)
    assert ob3.load(v1.document) == (mc, [])


@settings(max_examples=15)
@given(micro_credentials())
def test_ob3_round_trips_through_vc11(mc: MicroCredential) -> None:
    doc = ob3.dump(mc)
    v1 = to_v1(doc)
    assert v1.losses == []
    back = to_v2(v1.document)
    assert back.document == doc and back.losses == []
