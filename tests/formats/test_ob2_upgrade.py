"""OB2 → OB3 upgrade: schema-valid output, every field placed or lost, re-signable."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc.errors import MicrocredError, NetworkDisabled
from microcred_vc.formats.base import ConversionResult
from microcred_vc.formats.ob2 import OB3_CONTEXT, upgrade
from tests.fixture_paths import FIXTURES
from tests.formats.test_ob2_fixtures import OB2, OB20, make_fetch, read_fixture

SCHEMA_PATH = FIXTURES / "ob3" / "schemas" / "ob_v3p0_achievementcredential_schema.json"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft201909Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.Draft201909Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _assertion_fixtures() -> list[Path]:
    """Every fixture that is an OB2 Assertion (valid or not: upgrade does not verify)."""
    out = []
    for path in sorted([*OB20.glob("*.json"), *OB20.glob("*.jwt"), *OB2.glob("spec-*/*.json")]):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".jwt" or re.search(r'"type":\s*"Assertion"', text):
            out.append(path)
    return out


def _input(path: Path) -> Any:
    return path.read_text(encoding="utf-8").strip() if path.suffix == ".jwt" else read_fixture(path)


def _errors(validator: jsonschema.Draft201909Validator, doc: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(doc)]


@pytest.mark.parametrize("path", _assertion_fixtures(), ids=lambda p: p.name)
def test_fixture_upgrades_to_schema_valid_ob3(path: Path, validator):
    result = upgrade(_input(path), fetch=make_fetch())
    assert isinstance(result, ConversionResult)
    assert (result.source_format, result.target_format) == ("ob2", "ob3")
    assert _errors(validator, result.document) == []
    doc = result.document
    assert doc["@context"] == OB3_CONTEXT
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "proof" not in doc
    assert any(loss.field == "verification" for loss in result.losses)


def test_fixture_list_covers_the_known_assertions():
    names = {p.name for p in _assertion_fixtures()}
    assert {"basic-assertion.json", "simple.jwt", "spec-00-intro-example.json"} <= names
    assert "badge-class-with-language.json" not in names


def test_upgrade_through_optional_ob3_validator():
    validate = pytest.importorskip("microcred_vc.validate.ob3")
    doc = upgrade(read_fixture(OB20 / "basic-assertion.json"), fetch=make_fetch()).document
    findings = validate.validate_ob3(doc, schemas=SCHEMA_PATH.parent)
    assert [f for f in findings if f.severity == "error"] == []


# --- every OB2 field lands somewhere or is reported lost ------------------------
SHA = hashlib.sha256(b"learner@example.orgpepper").hexdigest()
ISSUER = {
    "@context": OB2_CONTEXT,
    "type": "Issuer",
    "id": "https://example.org/issuer.json",
    "name": "Issuer",
    "url": "https://example.org",
    "telephone": "+32 2 000 00 00",
    "description": "An issuer",
    "image": "https://example.org/logo.png",
    "email": "contact@example.org",
    "publicKey": "https://example.org/key.json",
    "verification": {"type": "VerificationObject", "allowedOrigins": "example.org"},
    "revocationList": "https://example.org/revocations.json",
    "endorsement": "https://example.org/issuer-endorsement.json",
}
BADGE = {
    "type": "BadgeClass",
    "id": "https://example.org/badge.json",
    "name": "Robotics",
    "description": "Robots",
    "image": {"id": "https://example.org/badge.png", "caption": "A robot", "author": "Bob"},
    "criteria": {"id": "https://example.org/criteria", "narrative": "Build a robot"},
    "issuer": ISSUER,
    "alignment": [
        {
            "targetName": "Robotics 101",
            "targetUrl": "https://example.org/frameworks/robotics",
            "targetDescription": "Intro",
            "targetFramework": "Example framework",
            "targetCode": "R101",
        }
    ],
    "tags": ["robots", "stem"],
    "endorsement": ["https://example.org/badge-endorsement.json"],
    "related": [{"id": "https://example.org/badge-es.json", "@language": "es", "version": 1}],
    "version": 2,
    "@language": "en-us",
}
FULL = {
    "@context": OB2_CONTEXT,
    "type": "Assertion",
    "id": "https://example.org/assertions/1",
    "uid": "abc123",
    "@language": "en",
    "recipient": {"type": "email", "hashed": True, "salt": "pepper", "identity": f"sha256${SHA}"},
    "badge": BADGE,
    "verification": {"type": "hosted"},
    "issuedOn": "2024-01-02T03:04:05+01:00",
    "expires": "2030-01-01T00:00:00Z",
    "image": {"id": "https://example.org/baked.png", "caption": "Baked", "author": "Ann"},
    "evidence": [
        {
            "id": "https://example.org/work",
            "narrative": "Built it",
            "name": "Work",
            "description": "A robot",
            "genre": "Project",
            "audience": "Teachers",
        },
        "https://example.org/work2",
    ],
    "narrative": "Did the thing",
    "revoked": False,
    "revocationReason": "none",
    "endorsement": "https://example.org/endorsement.json",
    "extensions:Example": {"type": ["Extension", "extensions:Example"], "text": "x"},
}
S, A = "credentialSubject", "credentialSubject.achievement"
#: OB2 leaf path -> (OB3 path, expected value there)
PLACES: dict[str, tuple[str, Any]] = {
    "type": ("type[1]", "OpenBadgeCredential"),
    "id": ("id", "https://example.org/assertions/1"),
    "recipient.type": (f"{S}.identifier[0].identityType", "emailAddress"),
    "recipient.hashed": (f"{S}.identifier[0].hashed", True),
    "recipient.salt": (f"{S}.identifier[0].salt", "pepper"),
    "recipient.identity": (f"{S}.identifier[0].identityHash", f"sha256${SHA}"),
    "issuedOn": ("validFrom", "2024-01-02T02:04:05Z"),
    "expires": ("validUntil", "2030-01-01T00:00:00Z"),
    "image.id": (f"{S}.image.id", "https://example.org/baked.png"),
    "image.caption": (f"{S}.image.caption", "Baked"),
    "narrative": (f"{S}.narrative", "Did the thing"),
    "evidence[1]": ("evidence[1].id", "https://example.org/work2"),
    "badge.type": (f"{A}.type[0]", "Achievement"),
    "badge.id": (f"{A}.id", "https://example.org/badge.json"),
    "badge.name": (f"{A}.name", "Robotics"),
    "badge.description": (f"{A}.description", "Robots"),
    "badge.image.id": (f"{A}.image.id", "https://example.org/badge.png"),
    "badge.image.caption": (f"{A}.image.caption", "A robot"),
    "badge.criteria.id": (f"{A}.criteria.id", "https://example.org/criteria"),
    "badge.criteria.narrative": (f"{A}.criteria.narrative", "Build a robot"),
    "badge.tags[0]": (f"{A}.tag[0]", "robots"),
    "badge.tags[1]": (f"{A}.tag[1]", "stem"),
    "badge.related[0].id": (f"{A}.related[0].id", "https://example.org/badge-es.json"),
    "badge.related[0].@language": (f"{A}.related[0].inLanguage", "es"),
    "badge.related[0].version": (f"{A}.related[0].version", "1"),
    "badge.version": (f"{A}.version", "2"),
    "badge.@language": (f"{A}.inLanguage", "en-US"),
    "badge.issuer.@context": ("issuer.type[0]", "Profile"),
    "badge.issuer.type": ("issuer.type[0]", "Profile"),
    "badge.issuer.id": ("issuer.id", "https://example.org/issuer.json"),
    "badge.issuer.name": ("issuer.name", "Issuer"),
    "badge.issuer.url": ("issuer.url", "https://example.org"),
    "badge.issuer.telephone": ("issuer.phone", "+32 2 000 00 00"),
    "badge.issuer.description": ("issuer.description", "An issuer"),
    "badge.issuer.image": ("issuer.image.id", "https://example.org/logo.png"),
    "badge.issuer.email": ("issuer.email", "contact@example.org"),
    "@context": ("@context[1]", OB3_CONTEXT[1]),
}
for _k in ("id", "narrative", "name", "description", "genre", "audience"):
    PLACES[f"evidence[0].{_k}"] = (f"evidence[0].{_k}", FULL["evidence"][0][_k])
for _k in ("targetName", "targetUrl", "targetDescription", "targetFramework", "targetCode"):
    PLACES[f"badge.alignment[0].{_k}"] = (f"{A}.alignment[0].{_k}", BADGE["alignment"][0][_k])


def _leaves(obj: Any, path: str = "") -> list[str]:
    if isinstance(obj, dict):
        return [leaf for k, v in obj.items() for leaf in _leaves(v, f"{path}.{k}" if path else k)]
    if isinstance(obj, list):
        return [leaf for i, v in enumerate(obj) for leaf in _leaves(v, f"{path}[{i}]")]
    return [path]


def _get(doc: Any, path: str) -> Any:
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        doc = doc[int(part[1:-1])] if part.startswith("[") else doc[part]
    return doc


def test_every_ob2_field_is_placed_or_reported_lost(validator):
    result = upgrade(FULL)
    doc = result.document
    assert _errors(validator, doc) == []
    lost = {loss.field for loss in result.losses}
    unaccounted = []
    for leaf in _leaves(FULL):
        if leaf in PLACES:
            where, value = PLACES[leaf]
            assert _get(doc, where) == value, leaf
        elif not any(leaf == f or leaf.startswith((f + ".", f + "[")) for f in lost):
            unaccounted.append(leaf)
    assert unaccounted == []
    # and nothing is reported lost that was in fact carried
    assert not lost & set(PLACES)
    expected_lost = {
        "uid", "@language", "verification", "revoked", "revocationReason", "endorsement",
        "extensions:Example", "image.author", "badge.image.author", "badge.endorsement",
        "badge.issuer.publicKey", "badge.issuer.verification", "badge.issuer.revocationList",
        "badge.issuer.endorsement",
    }  # fmt: skip
    assert lost == expected_lost
    assert all(loss.reason for loss in result.losses)


def test_issuer_is_also_the_achievement_creator():
    doc = upgrade(FULL).document
    assert doc[S]["achievement"]["creator"] == doc["issuer"]


@pytest.mark.parametrize(
    ("recipient", "identity_type", "hashed"),
    [
        ({"type": "email", "identity": "a@example.org"}, "emailAddress", False),
        ({"type": "email", "hashed": True, "identity": "md5$" + "0" * 32}, "emailAddress", True),
        ({"type": "url", "hashed": False, "identity": "https://me.example"}, "ext:url", False),
        ({"type": "telephone", "identity": "+3200"}, "ext:telephone", False),
        ({"type": "id", "identity": "did:example:1"}, "ext:id", False),
    ],
)
def test_recipient_becomes_identity_object(recipient, identity_type, hashed, validator):
    doc = upgrade({**FULL, "recipient": recipient}).document
    ident = doc[S]["identifier"][0]
    assert (ident["identityType"], ident["hashed"]) == (identity_type, hashed)
    assert ident["identityHash"] == recipient["identity"]
    assert _errors(validator, doc) == []


def test_malformed_identity_hash_is_a_typed_error():
    with pytest.raises(MicrocredError) as info:
        upgrade({**FULL, "recipient": {"type": "email", "hashed": True, "identity": "sha1$00"}})
    assert info.value.code == "OB2_BAD_IDENTITY_HASH"


def test_blank_node_ids_and_bad_language_are_reported():
    doc = {**FULL, "evidence": {"id": "_:b0", "narrative": "n"}}
    doc["badge"] = {**BADGE, "@language": "not a tag", "criteria": {"id": "_:c", "narrative": "x"}}
    result = upgrade(doc)
    lost = {loss.field for loss in result.losses}
    assert {"evidence.id", "badge.criteria.id", "badge.@language"} <= lost
    assert "id" not in result.document["evidence"][0]


def test_missing_reference_without_fetch_names_the_url():
    with pytest.raises(NetworkDisabled) as info:
        upgrade(read_fixture(OB20 / "basic-assertion.json"))
    assert "https://example.org/robotics-badge.json" in info.value.message


def test_upgrade_accepts_the_signed_form():
    token = (OB20 / "simple.jwt").read_text(encoding="utf-8")
    doc = upgrade(token, fetch=make_fetch()).document
    assert doc["id"] == "https://example.org/beths-robotics-badge.json"
    assert doc["issuer"]["id"] == "https://example.org/organization.json"


def test_upgraded_credential_can_be_resigned_and_verified():
    proofs = pytest.importorskip("microcred_vc.proofs")
    keys = pytest.importorskip("microcred_vc.keys")
    loader_mod = pytest.importorskip("microcred_vc.jsonld.loader")
    loader = loader_mod.DocumentLoader(extra_dirs=[FIXTURES / "contexts"])
    key = keys.generate_key("Ed25519")
    doc = upgrade(FULL).document
    doc["issuer"]["id"] = key.did  # the integrator re-issues under their own identifier
    signed = proofs.add_proof(doc, key, cryptosuite="eddsa-rdfc-2022", loader=loader)
    assert proofs.verify_proof(signed, loader=loader).verified
    tampered = json.loads(json.dumps(signed))
    tampered[S]["achievement"]["name"] = "Something else"
    assert not proofs.verify_proof(tampered, loader=loader).verified


# --- robustness -----------------------------------------------------------------
_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10))
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def _mutated(draw: st.DrawFn) -> dict[str, Any]:
    doc = json.loads(json.dumps(FULL))
    nodes = [doc, doc["badge"], doc["badge"]["issuer"], doc["recipient"], doc["evidence"][0]]
    for _ in range(draw(st.integers(1, 4))):
        target = draw(st.sampled_from(nodes))
        if not target:
            continue
        key = draw(st.sampled_from(sorted(target)))
        if draw(st.booleans()):
            target[key] = draw(_values)
        else:
            del target[key]
    return doc


@given(doc=_mutated())
def test_random_ob2_documents_raise_only_typed_errors(doc: dict[str, Any]):
    try:
        result = upgrade(doc, fetch=make_fetch())
    except MicrocredError:
        return
    json.dumps(result.document)
    assert result.document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


#: Leaves whose value is transformed rather than copied (checked in PLACES above).
_TRANSFORMED = ("type", "issuedOn", "expires", "recipient.type", "hashed", "version")


def _pairs(obj: Any, path: str = "") -> list[tuple[str, Any]]:
    """(path, leaf value) pairs; paths only need to match loss fields, not be parsable."""
    if isinstance(obj, dict):
        return [x for k, v in obj.items() for x in _pairs(v, f"{path}.{k}" if path else k)]
    if isinstance(obj, list):
        return [x for i, v in enumerate(obj) for x in _pairs(v, f"{path}[{i}]")]
    return [(path, obj)]


@given(doc=_mutated())
def test_random_ob2_documents_drop_nothing_silently(doc: dict[str, Any]):
    try:
        result = upgrade(doc, fetch=make_fetch())
    except MicrocredError:
        return
    carried = {json.dumps(value).lower() for _, value in _pairs(result.document)}
    lost = {loss.field for loss in result.losses}
    for leaf, value in _pairs(doc):
        structural = leaf.startswith("@context") or ".@context" in leaf
        if (
            value is None
            or structural
            or leaf.endswith(_TRANSFORMED)
            or any(leaf == f or leaf.startswith((f + ".", f + "[")) for f in lost)
        ):
            continue
        assert json.dumps(value).lower() in carried, (leaf, value, sorted(lost))
