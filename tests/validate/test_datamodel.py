"""The VC data-model check, rule by rule (the W3C inputs are in test_datamodel_w3c.py).

Oracle: per rule, a document of our own that obeys the sentence of VCDM 2.0
§4–5 (or VC 1.1) quoted in ``RULES`` and one that breaks only it; the failing
one must name that rule at that JSON path. The value grammars are checked
against XML Schema 1.1 Part 2 and WHATWG URL examples.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from typing import Any

import pytest

from microcred_vc.validate.datamodel import RULES, check_datamodel
from microcred_vc.validate.datamodel_values import is_datetime, is_url

V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
DROP = object()
CONTENT = b'{"policy": "members only"}'
SRI = "sha384-" + base64.b64encode(hashlib.sha384(CONTENT).digest()).decode()
MULTIBASE = "u" + base64.urlsafe_b64encode(
    bytes([0x12, 0x20]) + hashlib.sha256(CONTENT).digest()
).decode().rstrip("=")
JWT = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZTppIn0.c2ln"

VC: dict[str, Any] = {
    "@context": [V2],
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "credentialSubject": {"id": "did:example:subject"},
}
VC11: dict[str, Any] = {**VC, "@context": [V1], "issuanceDate": "2024-01-01T00:00:00Z"}
VP: dict[str, Any] = {"@context": [V2], "type": ["VerifiablePresentation"]}


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(base)
    for key, value in changes.items():
        key = {"context": "@context"}.get(key, key)
        if value is DROP:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def vc(**changes: Any) -> dict[str, Any]:
    return _with(VC, **changes)


def vc11(**changes: Any) -> dict[str, Any]:
    return _with(VC11, **changes)


def vp(**changes: Any) -> dict[str, Any]:
    return _with(VP, **changes)


def _typed(prop: str, entry: Any) -> dict[str, Any]:
    return vc(**{prop: entry})


# (case id, rule, a document obeying the rule, one breaking it, the path named, options)
CASES: list[tuple[str, str, Any, Any, str, dict[str, Any]]] = [
    (
        "context-first",
        "context.base",
        vc(),
        vc(context=["https://x.example/ctx", V2]),
        "@context",
        {},
    ),
    ("context-missing", "context.base", vc(), vc(context=DROP), "@context", {}),
    ("context-v1", "context.base", vc11(), vc11(context=["https://x.example/v1"]), "@context", {}),
    (
        "context-item",
        "context.items",
        vc(context=[V2, {"X": "https://x.example/#X"}]),
        vc(context=[V2, 42]),
        "@context[1]",
        {},
    ),
    (
        "context-item-url",
        "context.items",
        vc(context=[V2, "https://x.example/ctx"]),
        vc(context=[V2, "https ://x.example/ctx"]),
        "@context[1]",
        {},
    ),
    (
        "id",
        "id.url",
        vc(id="urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5"),
        vc(id="credential-1"),
        "id",
        {},
    ),
    (
        "id-single",
        "id.url",
        vc(id="https://x.example/c/1"),
        vc(id=["https://x.example/c/1", "https://x.example/c/2"]),
        "id",
        {},
    ),
    (
        "id-subject",
        "id.url",
        vc(),
        vc(credentialSubject={"id": ["did:example:a", "did:example:b"]}),
        "credentialSubject.id",
        {},
    ),
    ("type-missing", "type.required", vc(), vc(type=DROP), "type", {}),
    (
        "type-value",
        "type.value",
        vc(type=["VerifiableCredential", "https://x.example/#T"]),
        vc(type=["VerifiableCredential", 7]),
        "type[1]",
        {},
    ),
    (
        "type-vc",
        "type.credential",
        vc(type=["https://x.example/#T", "VerifiableCredential"]),
        vc(type=["ExampleCredential"]),
        "type",
        {},
    ),
    (
        "type-vp",
        "type.presentation",
        vp(holder="did:example:holder"),
        vp(type=["ExamplePresentation"], holder="did:example:holder"),
        "type",
        {},
    ),
    ("issuer-missing", "issuer.required", vc(), vc(issuer=DROP), "issuer", {}),
    (
        "issuer-url",
        "issuer.url",
        vc(issuer="https://university.example/"),
        vc(issuer="fake-issuer"),
        "issuer",
        {},
    ),
    ("issuer-null", "issuer.url", vc(), vc(issuer=None), "issuer", {}),
    (
        "issuer-object",
        "issuer.url",
        vc(issuer={"id": "did:example:u", "name": "U"}),
        vc(issuer={"id": None, "name": "U"}),
        "issuer.id",
        {},
    ),
    (
        "subject-missing",
        "credentialSubject.required",
        vc(),
        vc(credentialSubject=DROP),
        "credentialSubject",
        {},
    ),
    (
        "subject-empty",
        "credentialSubject.claims",
        vc(credentialSubject={"name": "Ada"}),
        vc(credentialSubject={}),
        "credentialSubject",
        {},
    ),
    (
        "subject-null",
        "credentialSubject.claims",
        vc(),
        vc(credentialSubject=None),
        "credentialSubject",
        {},
    ),
    (
        "subject-empty-list",
        "credentialSubject.claims",
        vc(),
        vc(credentialSubject=[]),
        "credentialSubject",
        {},
    ),
    (
        "subject-one-empty",
        "credentialSubject.claims",
        vc(credentialSubject=[{"id": "did:example:a"}, {"id": "did:example:b"}]),
        vc(credentialSubject=[{"id": "did:example:a"}, {}]),
        "credentialSubject[1]",
        {},
    ),
    (
        "name",
        "name.value",
        vc(name={"@value": "Cert", "@language": "en", "@direction": "ltr"}),
        vc(name={"@value": "Cert", "@language": "en", "url": "did:example:c"}),
        "name",
        {},
    ),
    (
        "name-list",
        "name.value",
        vc(name=[{"@value": "Dog", "@language": "en"}, "Chien"]),
        vc(name=[{"@value": "Dog", "@language": "en"}, 3]),
        "name",
        {},
    ),
    (
        "issuer-description",
        "name.value",
        vc(issuer={"id": "did:example:u", "description": "A university"}),
        vc(issuer={"id": "did:example:u", "description": {"@value": "U", "@direction": "up"}}),
        "issuer.description",
        {},
    ),
    (
        "validFrom",
        "validFrom.datetime",
        vc(validFrom="2023-02-25T19:10:39-06:00"),
        vc(validFrom="Sat 25 Feb 2023 07:16:31 PM CST"),
        "validFrom",
        {},
    ),
    (
        "validFrom-timezone",
        "validFrom.datetime",
        vc(validFrom="2023-02-26T01:02:58.447Z"),
        vc(validFrom="2023-02-26T01:02:58"),
        "validFrom",
        {},
    ),
    (
        "validUntil",
        "validUntil.datetime",
        vc(validUntil="4023-02-26T01:02:58Z"),
        vc(validUntil="Sun, 26 Feb 2023 01:22:14 +0000"),
        "validUntil",
        {},
    ),
    (
        "validity-order",
        "validity.order",
        vc(validFrom="2023-02-26T01:21:23Z", validUntil="2023-02-25T19:21:29-06:00"),
        vc(validFrom="2023-02-26T01:21:23Z", validUntil="2023-02-25T19:21:29Z"),
        "validUntil",
        {},
    ),
    (
        "issuanceDate-missing",
        "issuanceDate.required",
        vc11(),
        vc11(issuanceDate=DROP),
        "issuanceDate",
        {},
    ),
    (
        "issuanceDate",
        "issuanceDate.datetime",
        vc11(issuanceDate="2024-01-01T00:00:00"),
        vc11(issuanceDate="2024-01-01"),
        "issuanceDate",
        {},
    ),
    (
        "expirationDate",
        "expirationDate.datetime",
        vc11(expirationDate="2030-01-01T00:00:00+01:00"),
        vc11(expirationDate="tomorrow"),
        "expirationDate",
        {},
    ),
    (
        "status-object",
        "typed.object",
        vc(credentialStatus={"id": "https://s.example/1#3", "type": "BitstringStatusListEntry"}),
        vc(credentialStatus="https://s.example/1#3"),
        "credentialStatus",
        {},
    ),
    (
        "status-list",
        "typed.type",
        vc(credentialStatus=[{"type": "A"}, {"type": ["B", "C"]}]),
        vc(credentialStatus=[{"type": "A"}, {"id": "https://s.example/1"}]),
        "credentialStatus[1].type",
        {},
    ),
    (
        "status-type-string",
        "typed.type",
        vc(credentialStatus={"type": "A"}),
        vc(credentialStatus={"type": 2}),
        "credentialStatus.type",
        {},
    ),
    (
        "schema-id",
        "typed.id",
        vc(credentialSchema={"id": "https://x.example/s.json", "type": "JsonSchema"}),
        vc(credentialSchema={"type": "JsonSchema"}),
        "credentialSchema.id",
        {},
    ),
    (
        "v1-status-id",
        "typed.id",
        vc11(credentialStatus={"id": "https://s.example/1", "type": "A"}),
        vc11(credentialStatus={"type": "A"}),
        "credentialStatus.id",
        {},
    ),
    (
        "v1-refresh-id",
        "typed.id",
        vc11(refreshService={"id": "https://r.example/", "type": "R"}),
        vc11(refreshService={"type": "R"}),
        "refreshService.id",
        {},
    ),
    (
        "related-object",
        "relatedResource.object",
        vc(relatedResource=[{"id": "https://x.example/p", "digestSRI": SRI}]),
        vc(relatedResource=["https://x.example/p"]),
        "relatedResource[0]",
        {},
    ),
    (
        "related-id",
        "relatedResource.id",
        vc(relatedResource=[{"id": "https://x.example/p", "digestMultibase": MULTIBASE}]),
        vc(relatedResource=[{"digestSRI": SRI}]),
        "relatedResource[0].id",
        {},
    ),
    (
        "related-unique",
        "relatedResource.unique",
        vc(
            relatedResource=[
                {"id": "https://x.example/a", "digestSRI": SRI},
                {"id": "https://x.example/b", "digestSRI": SRI},
            ]
        ),
        vc(
            relatedResource=[
                {"id": "https://x.example/a", "digestSRI": SRI},
                {"id": "https://x.example/a", "digestSRI": SRI},
            ]
        ),
        "relatedResource[1].id",
        {},
    ),
    (
        "related-digest",
        "relatedResource.digest",
        vc(
            relatedResource=[
                {"id": "https://x.example/p", "digestSRI": SRI, "mediaType": "application/json"}
            ]
        ),
        vc(relatedResource=[{"id": "https://x.example/p", "mediaType": "application/json"}]),
        "relatedResource[0]",
        {},
    ),
    (
        "related-digest-format",
        "relatedResource.digest",
        vc(relatedResource=[{"id": "https://x.example/p", "digestSRI": SRI}]),
        vc(relatedResource=[{"id": "https://x.example/p", "digestSRI": "sha384-not base64"}]),
        "relatedResource[0].digestSRI",
        {},
    ),
    (
        "related-match-sri",
        "relatedResource.match",
        vc(relatedResource=[{"id": "https://x.example/p", "digestSRI": SRI}]),
        vc(relatedResource=[{"id": "https://x.example/p", "digestSRI": SRI}]),
        "relatedResource[0]",
        {"resources": {"https://x.example/p": CONTENT}},
    ),
    (
        "related-match-multibase",
        "relatedResource.match",
        vc(relatedResource=[{"id": "https://x.example/p", "digestMultibase": MULTIBASE}]),
        vc(relatedResource=[{"id": "https://x.example/p", "digestMultibase": MULTIBASE}]),
        "relatedResource[0]",
        {"resources": {"https://x.example/p": CONTENT}},
    ),
    (
        "holder",
        "holder.url",
        vp(holder="did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj"),
        vp(holder="z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj"),
        "holder",
        {},
    ),
    (
        "holder-object",
        "holder.url",
        vp(holder={"id": "did:example:h", "name": "Acme"}),
        vp(holder={"name": "Acme"}),
        "holder",
        {},
    ),
    (
        "vc-object",
        "verifiableCredential.object",
        vp(verifiableCredential=[VC]),
        vp(verifiableCredential=[json.dumps(VC)]),
        "verifiableCredential[0]",
        {},
    ),
    (
        "vc-object-single",
        "verifiableCredential.object",
        vp(verifiableCredential=VC),
        vp(verifiableCredential=json.dumps(VC)),
        "verifiableCredential",
        {},
    ),
    (
        "vc-inner",
        "type.credential",
        vp(verifiableCredential=[VC]),
        vp(verifiableCredential=[vc(type=["X"])]),
        "verifiableCredential[0].type",
        {},
    ),
    (
        "envelope-id",
        "envelope.id",
        vp(
            verifiableCredential=[
                {
                    "@context": V2,
                    "type": "EnvelopedVerifiableCredential",
                    "id": f"data:application/vc+jwt,{JWT}",
                }
            ]
        ),
        vp(
            verifiableCredential=[
                {
                    "@context": V2,
                    "type": "EnvelopedVerifiableCredential",
                    "id": "https://x.example/c",
                }
            ]
        ),
        "verifiableCredential[0].id",
        {},
    ),
    (
        "envelope-context",
        "envelope.context",
        {
            "@context": V2,
            "type": "EnvelopedVerifiablePresentation",
            "id": f"data:application/vp+jwt,{JWT}",
        },
        {"type": "EnvelopedVerifiablePresentation", "id": f"data:application/vp+jwt,{JWT}"},
        "@context",
        {},
    ),
    (
        "envelope-type",
        "envelope.type",
        vp(
            verifiableCredential=[
                {
                    "@context": V2,
                    "type": "EnvelopedVerifiableCredential",
                    "id": f"data:application/vc+jwt,{JWT}",
                }
            ]
        ),
        vp(verifiableCredential=[{"@context": V2, "id": f"data:application/vc+jwt,{JWT}"}]),
        "verifiableCredential[0].type",
        {},
    ),
    (
        "context-processable",
        "context.processable",
        vc(
            context=[V2, {"Mine": "https://x.example/#Mine"}], type=["VerifiableCredential", "Mine"]
        ),
        vc(context=[V2, {"VerifiableCredential": "https://x.example/#Bad"}]),
        "@context",
        {"expand": True},
    ),
]
# the digest cases break the rule by giving other bytes than the digest's
_OTHER = {"https://x.example/p": b"something else"}
for _prop in (
    "credentialStatus",
    "credentialSchema",
    "refreshService",
    "termsOfUse",
    "evidence",
    "proof",
):
    _good = {"id": "https://x.example/e/1", "type": "ExampleType"}
    CASES.append(
        (
            f"{_prop}-type",
            "typed.type",
            _typed(_prop, _good),
            _typed(_prop, {"id": "https://x.example/e/1"}),
            f"{_prop}.type",
            {},
        )
    )
    CASES.append(
        (
            f"{_prop}-id",
            "id.url",
            _typed(_prop, _good),
            _typed(_prop, {**_good, "id": "https ://x.example/e/1"}),
            f"{_prop}.id",
            {},
        )
    )


@pytest.mark.parametrize(
    ("rule", "good", "options"), [(c[1], c[2], c[5]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_rule_passes(rule: str, good: Any, options: dict[str, Any]) -> None:
    assert rule in RULES
    assert check_datamodel(good, **options) == []


@pytest.mark.parametrize(
    ("rule", "bad", "path", "options"),
    [(c[1], c[3], c[4], c[5]) for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_rule_fails(rule: str, bad: Any, path: str, options: dict[str, Any]) -> None:
    if rule == "relatedResource.match":
        options = {**options, "resources": _OTHER}
    found = check_datamodel(bad, **options)
    assert (path, rule) in {(v.path, v.rule) for v in found}, found


def test_every_rule_has_a_case() -> None:
    assert set(RULES) == {c[1] for c in CASES}


def test_issuing_may_leave_the_v11_issuance_date_to_the_signer() -> None:
    assert check_datamodel(vc11(issuanceDate=DROP), require_issuance_date=False) == []


@pytest.mark.parametrize(
    "value",
    [
        "did:example:123",
        "urn:uuid:9c9a36f8-518f-4976-a934-6649502d0008",
        "https://a.example",
        "https://[::1]:8443/x",
        "http://user@host.example/p?q#f",
        "mailto:ada@example.org",
    ],
)
def test_urls(value: str) -> None:
    """Oracle: WHATWG URL parsing (absolute URLs with a scheme; special schemes need a host)."""
    assert is_url(value)


@pytest.mark.parametrize(
    "value",
    [
        "fake-issuer",
        "https ://not-a-url/x",
        "https://",
        "https:foo",
        "did:",
        "did:example",
        "z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj",
        "",
        None,
        5,
        "https://a.example/ b",
    ],
)
def test_not_urls(value: Any) -> None:
    assert not is_url(value)


@pytest.mark.parametrize(
    ("value", "stamp", "plain"),
    [
        ("2023-02-26T01:02:58.447Z", True, True),
        ("2023-02-25T19:10:39-06:00", True, True),
        ("4023-02-26T01:02:58Z", True, True),
        ("2024-02-29T00:00:00Z", True, True),
        ("2023-02-29T00:00:00Z", False, False),
        ("2023-13-01T00:00:00Z", False, False),
        ("2023-01-01T24:00:00Z", True, True),
        ("2023-01-01T24:00:01Z", False, False),
        ("2023-01-01T00:00:00+15:00", False, False),
        ("2023-01-01T00:00:00", False, True),
        ("2023-01-01", False, False),
        ("2023-01-01 00:00:00Z", False, False),
    ],
)
def test_xml_schema_datetimes(value: str, stamp: bool, plain: bool) -> None:
    """Oracle: XML Schema 1.1 Part 2 dateTime / dateTimeStamp lexical space."""
    assert is_datetime(value, timezone=True) is stamp
    assert is_datetime(value, timezone=False) is plain
