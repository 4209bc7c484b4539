"""verify_ob2 against every OB2 fixture, the signed-form negative matrix and recipients."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jwcrypto import jwk, jws

from microcred_vc.errors import InputError, MicrocredError
from microcred_vc.formats.ob2 import load_badge_class, recipient_matches, verify_ob2
from microcred_vc.formats.ob2.reading import check_types
from tests.formats.test_ob2_fixtures import (
    OB2,
    OB20,
    hosting_for,
    make_fetch,
    read_fixture,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NOBODY = "nobody@example.org"  # sha256(email + "deadsea") is the fixtures' recipient hash
RDF = OB20 / "rdf-validation"
SPEC = OB2 / "spec-examples"

#: file name -> (email to check, {check: expected failure code}); {} means it verifies.
EXPECTED: dict[str, tuple[str | None, dict[str, str]]] = {
    "assertion-with-data-image.json": (NOBODY, {}),
    "assertion-with-endorsements.json": (NOBODY, {}),
    "assertion-with-extension-node-basic.json": (NOBODY, {}),
    "assertion-with-extension-node-invalid.json": (NOBODY, {"schema": "OB2_EXTENSION_INVALID"}),
    "assertion-with-multiple-extensions.json": (NOBODY, {}),
    "badge-class-with-language.json": (NOBODY, {"format": "OB2_WRONG_TYPE"}),
    "basic-assertion-expired-before-issued.json": (
        NOBODY,
        {"expiry": "OB2_EXPIRES_BEFORE_ISSUED"},
    ),
    "basic-assertion-expired.json": (NOBODY, {"expiry": "OB2_EXPIRED"}),
    "basic-assertion-in-future.json": (NOBODY, {"expiry": "OB2_NOT_YET_VALID"}),
    "basic-assertion-invalid-context.json": (NOBODY, {"context": "OB2_INVALID_CONTEXT"}),
    "basic-assertion-invalid-type.json": (NOBODY, {"format": "OB2_INVALID_TYPE"}),
    "basic-assertion-no-public-key.json": (NOBODY, {}),
    "basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json": (
        NOBODY,
        {"hosted": "OB2_HOSTED_NOT_ALLOWED"},
    ),
    "basic-assertion-with-allowed-origins-invalid-starts-with.json": (
        NOBODY,
        {"hosted": "OB2_HOSTED_NOT_ALLOWED"},
    ),
    "basic-assertion-with-allowed-origins-valid-multiple-starts-with.json": (NOBODY, {}),
    "basic-assertion-with-allowed-origins-valid-starts-with.json": (NOBODY, {}),
    "basic-assertion-with-allowed-origins.json": (NOBODY, {}),
    "basic-assertion-with-language.json": (NOBODY, {}),
    "basic-assertion.json": (NOBODY, {}),
    "issuer-compact-iri-validation.json": (NOBODY, {"format": "OB2_WRONG_TYPE"}),
    "redirected-validation-subject.json": (NOBODY, {}),
    "warning-issuer-non-http.json": (NOBODY, {}),
    "warning-with-redirection.json": (NOBODY, {}),
    "simple.jwt": (NOBODY, {}),
    "simple-not-revoked.jwt": (NOBODY, {}),
    "simple-revoked.jwt": (NOBODY, {"status": "OB2_REVOKED"}),
    # rdf-validation: type rules on nodes that are not assertions
    "rdf-validation/badge-class-invalid-issuer-type.json": (None, {"format": "OB2_WRONG_TYPE"}),
    "rdf-validation/invalid-class.json": (None, {"format": "OB2_INVALID_TYPE"}),
    "rdf-validation/invalid-empty-type.json": (None, {"format": "OB2_INVALID_TYPE"}),
    "rdf-validation/invalid-one-invalid-class.json": (None, {"format": "OB2_INVALID_TYPE"}),
    "rdf-validation/valid-alignment-object.json": (None, {"format": "OB2_WRONG_TYPE"}),
    "rdf-validation/valid-badge-class-empty-criteria-type.json": (
        None,
        {"format": "OB2_WRONG_TYPE"},
    ),
    "rdf-validation/valid-badge-class.json": (None, {"format": "OB2_WRONG_TYPE"}),
    "rdf-validation/valid-cool-class.json": (None, {"format": "OB2_WRONG_TYPE"}),
    "rdf-validation/valid-issuer-extension.json": (None, {"format": "OB2_WRONG_TYPE"}),
    # spec examples: whole assertions, other classes, and typeless fragments
    "spec-examples/examples-00-assertion.json": (None, {"expiry": "OB2_EXPIRED"}),
    "spec-examples/examples-02-issuer.json": (None, {"format": "OB2_WRONG_TYPE"}),
    "spec-examples/examples-04-signedbadge.json": (None, {"format": "OB2_INVALID_TYPE"}),
    "spec-examples/examples-05-signedbadge.json": (
        None,
        {"signature": "OB2_SIGNATURE_MISSING"},
    ),
    "spec-examples/examples-06-cryptographickey.json": (None, {"format": "OB2_WRONG_TYPE"}),
    "spec-examples/examples-07-revocationlist.json": (None, {"format": "OB2_WRONG_TYPE"}),
    "spec-examples/examples-22-endorsement.json": (None, {"format": "OB2_WRONG_TYPE"}),
    "spec-examples/examples-23-endorsement.json": (None, {"format": "OB2_WRONG_TYPE"}),
    "spec-examples/examples-24-endorsement.json": (None, {"format": "OB2_WRONG_TYPE"}),
    "spec-examples/spec-00-intro-example.json": ("alice@example.org", {}),
    "spec-examples/spec-02-endorsement.json": (None, {"format": "OB2_WRONG_TYPE"}),
}
FRAGMENTS = ("08", "09", "12", "13", "16", "17", "18", "19", "20")
for _p in SPEC.glob("examples-*.json"):
    if _p.name.split("-")[1] in FRAGMENTS:  # typeless snippets of a larger document
        EXPECTED[f"spec-examples/{_p.name}"] = (None, {"format": "OB2_INVALID_TYPE"})


def _all_fixtures() -> list[Path]:
    files = [*OB20.glob("*.json"), *OB20.glob("*.jwt"), *RDF.glob("*.json"), *SPEC.glob("*.json")]
    return sorted(files)


def _name(path: Path) -> str:
    return path.relative_to(OB20 if path.is_relative_to(OB20) else OB2).as_posix()


def _load(path: Path) -> tuple[Any, dict[str, Any]]:
    if path.suffix == ".jwt":
        return path.read_text(encoding="utf-8").strip(), {}
    doc = read_fixture(path)
    return doc, hosting_for(doc, path)


def test_every_fixture_has_an_expectation():
    names = {_name(p) for p in _all_fixtures()}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("path", _all_fixtures(), ids=_name)
def test_fixture_verifies_or_fails_for_the_stated_reason(path: Path):
    name = _name(path)
    email, failures = EXPECTED[name]
    doc, hosting = _load(path)
    report = verify_ob2(doc, fetch=make_fetch(hosting), recipient_email=email, now=NOW)
    failed = {c.name: c.code for c in report.checks if c.failed}
    assert failed == failures, report.to_dict()
    assert report.verified is (not failures)
    assert report.checks[0].name == "format"
    assert report.format == ("ob2-jws" if path.suffix == ".jwt" else "ob2")
    if not failures:
        integrity = "signature" if path.suffix == ".jwt" else "hosted"
        assert report.check(integrity).passed
        assert report.check("recipient").passed


def test_non_http_issuer_is_reported_not_silently_trusted():
    path = OB20 / "warning-issuer-non-http.json"
    doc, hosting = _load(path)
    report = verify_ob2(doc, fetch=make_fetch(hosting), now=NOW)
    assert report.verified
    assert report.check("issuer").status == "skip"
    assert "urn:uuid:" in report.check("issuer").message


@pytest.mark.parametrize(
    "name", ["invalid-class.json", "invalid-empty-type.json", "invalid-one-invalid-class.json"]
)
def test_rdf_validation_invalid_types_are_rejected(name: str):
    with pytest.raises(MicrocredError) as info:
        check_types(read_fixture(RDF / name))
    assert info.value.code == "OB2_INVALID_TYPE"


@pytest.mark.parametrize(
    "name",
    [
        "valid-alignment-object.json",
        "valid-cool-class.json",
        "valid-issuer-extension.json",
        "valid-badge-class.json",
    ],
)
def test_rdf_validation_valid_types_are_accepted(name: str):
    assert check_types(read_fixture(RDF / name))


@pytest.mark.parametrize(
    "path",
    [
        RDF / "valid-badge-class.json",
        RDF / "valid-badge-class-empty-criteria-type.json",
        OB20 / "badge-class-with-language.json",
        OB20 / "assets" / "badgeclass-with-complex-image.json",
        OB20 / "assets" / "badge-with-data-image.json",
    ],
    ids=lambda p: p.name,
)
def test_badge_classes_load_with_their_issuer(path: Path):
    badge, issuer = load_badge_class(read_fixture(path), fetch=make_fetch())
    assert badge["type"] == "BadgeClass"
    assert issuer["type"] in ("Issuer", "Profile")


def test_badge_class_with_non_issuer_issuer_is_rejected():
    doc = read_fixture(RDF / "badge-class-invalid-issuer-type.json")
    with pytest.raises(MicrocredError) as info:
        load_badge_class(doc, fetch=make_fetch())
    assert info.value.code == "OB2_WRONG_TYPE"
    assert "Criteria" in info.value.message


# --- hosted -------------------------------------------------------------------
def _basic() -> dict[str, Any]:
    return read_fixture(OB20 / "basic-assertion.json")


def test_without_fetch_the_needed_url_is_named():
    report = verify_ob2(_basic(), now=NOW)
    assert not report.verified
    parse = report.check("parse")
    assert parse.failed and parse.code == "NETWORK_DISABLED"
    assert "https://example.org/robotics-badge.json" in parse.message


def test_unreachable_hosted_copy_fails_naming_the_url():
    report = verify_ob2(_basic(), fetch=make_fetch(), now=NOW)
    hosted = report.check("hosted")
    assert hosted.failed and hosted.code == "NETWORK_ERROR"
    assert "https://example.org/beths-robotics-badge.json" in hosted.message


def test_hosted_copy_differing_from_the_given_one_fails():
    given_doc = _basic()
    served = {**given_doc, "issuedOn": "2015-01-01T00:00:00Z"}
    report = verify_ob2(given_doc, fetch=make_fetch({given_doc["id"]: served}), now=NOW)
    assert report.check("hosted").code == "OB2_HOSTED_MISMATCH"
    assert not report.verified


def test_hosted_revocation_notice_fails_status():
    given_doc = read_fixture(SPEC / "examples-00-assertion.json")
    notice = read_fixture(SPEC / "examples-08-revoked-hosted-assertion.json")
    report = verify_ob2(given_doc, fetch=make_fetch({given_doc["id"]: notice}), now=NOW)
    status = report.check("status")
    assert status.failed and status.code == "OB2_REVOKED"
    assert "trenchcoat" in status.message


def test_hosted_assertion_with_urn_id_fails():
    doc = {**_basic(), "id": "urn:uuid:0b8ce1c8-8f5d-4dca-9ab2-7d8e0c3a0e11"}
    report = verify_ob2(doc, fetch=make_fetch({doc["id"]: doc}), now=NOW)
    assert report.check("hosted").code == "OB2_HOSTED_ID_NOT_URL"


def test_hosted_on_another_domain_fails():
    doc = {**_basic(), "id": "https://evil.example/beths-robotics-badge.json"}
    report = verify_ob2(doc, fetch=make_fetch({doc["id"]: doc}), now=NOW)
    assert report.check("hosted").code == "OB2_HOSTED_NOT_ALLOWED"
    assert "evil.example" in report.check("hosted").message


# --- signed -------------------------------------------------------------------
KEY_URL = "https://issuer.test/key.json"
ISSUER_URL = "https://issuer.test/issuer.json"
BADGE_URL = "https://issuer.test/badge.json"


@pytest.fixture(scope="module")
def rsa_key() -> jwk.JWK:
    return jwk.JWK.generate(kty="RSA", size=2048)


def _signed_world(key: jwk.JWK, owner: str = ISSUER_URL, **issuer_extra: Any) -> dict[str, Any]:
    pem = key.export_to_pem().decode()
    return {
        KEY_URL: {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "CryptographicKey",
            "id": KEY_URL,
            "owner": owner,
            "publicKeyPem": pem,
        },
        ISSUER_URL: {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Issuer",
            "id": ISSUER_URL,
            "name": "Test Issuer",
            "url": "https://issuer.test",
            "email": "a@issuer.test",
            "publicKey": KEY_URL,
            **issuer_extra,
        },
        BADGE_URL: {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "BadgeClass",
            "id": BADGE_URL,
            "name": "B",
            "description": "D",
            "criteria": {"narrative": "Do it."},
            "issuer": ISSUER_URL,
        },
    }


def _assertion(**extra: Any) -> dict[str, Any]:
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "urn:uuid:52e4c6b3-8c13-4fa8-8482-a5cf34ef37a9",
        "recipient": {"type": "email", "hashed": False, "identity": "learner@example.org"},
        "issuedOn": "2024-05-01T10:00:00Z",
        "badge": BADGE_URL,
        "verification": {"type": "SignedBadge", "creator": KEY_URL},
        **extra,
    }


def _sign(payload: dict[str, Any], key: jwk.JWK, alg: str = "RS256") -> str:
    token = jws.JWS(json.dumps(payload).encode())
    token.add_signature(key, alg=alg, protected=json.dumps({"alg": alg}))
    return token.serialize(compact=True)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_signed_assertion_verifies(rsa_key: jwk.JWK):
    token = _sign(_assertion(), rsa_key)
    report = verify_ob2(
        token,
        fetch=make_fetch(_signed_world(rsa_key)),
        now=NOW,
        recipient_email="Learner@Example.org",
    )
    assert report.verified, report.to_dict()
    assert report.check("status").status == "skip"
    assert verify_ob2(token.encode(), fetch=make_fetch(_signed_world(rsa_key)), now=NOW).verified


def test_tampered_payload_fails_signature(rsa_key: jwk.JWK):
    header, _, sig = _sign(_assertion(), rsa_key).split(".")
    forged = _b64(json.dumps(_assertion(issuedOn="2024-01-01T00:00:00Z")).encode())
    report = verify_ob2(
        f"{header}.{forged}.{sig}", fetch=make_fetch(_signed_world(rsa_key)), now=NOW
    )
    assert report.check("signature").code == "OB2_BAD_SIGNATURE"
    assert not report.verified


def test_alg_none_is_refused(rsa_key: jwk.JWK):
    header = _b64(b'{"alg":"none"}')
    body = _b64(json.dumps(_assertion()).encode())
    report = verify_ob2(f"{header}.{body}.", fetch=make_fetch(_signed_world(rsa_key)), now=NOW)
    assert report.check("signature").code == "OB2_BAD_ALG"


def test_hmac_with_the_public_key_is_refused(rsa_key: jwk.JWK):
    pem = rsa_key.export_to_pem()
    hmac_key = jwk.JWK(kty="oct", k=_b64(pem))
    token = _sign(_assertion(), hmac_key, alg="HS256")
    report = verify_ob2(token, fetch=make_fetch(_signed_world(rsa_key)), now=NOW)
    assert report.check("signature").code == "OB2_BAD_ALG"


def test_signature_by_another_key_fails(rsa_key: jwk.JWK):
    other = jwk.JWK.generate(kty="RSA", size=2048)
    report = verify_ob2(
        _sign(_assertion(), other), fetch=make_fetch(_signed_world(rsa_key)), now=NOW
    )
    assert report.check("signature").code == "OB2_BAD_SIGNATURE"


def test_key_not_owned_by_the_issuer_fails(rsa_key: jwk.JWK):
    world = _signed_world(rsa_key, owner="https://someone-else.test/issuer.json")
    report = verify_ob2(_sign(_assertion(), rsa_key), fetch=make_fetch(world), now=NOW)
    assert report.check("signature").code == "OB2_KEY_NOT_ISSUERS"


def test_signed_json_without_jws_fails(rsa_key: jwk.JWK):
    report = verify_ob2(_assertion(), fetch=make_fetch(_signed_world(rsa_key)), now=NOW)
    assert report.check("signature").code == "OB2_SIGNATURE_MISSING"


def test_revocation_by_uid_and_unreachable_list(rsa_key: jwk.JWK):
    rl = "https://issuer.test/revoked.json"
    world = _signed_world(rsa_key, revocationList=rl)
    world[rl] = {
        "type": "RevocationList",
        "id": rl,
        "revokedAssertions": [{"uid": "abc123", "revocationReason": "Issued in error."}],
    }
    token = _sign(_assertion(uid="abc123"), rsa_key)
    report = verify_ob2(token, fetch=make_fetch(world), now=NOW)
    assert report.check("status").code == "OB2_REVOKED"
    assert "Issued in error." in report.check("status").message
    del world[rl]
    report = verify_ob2(token, fetch=make_fetch(world), now=NOW)
    assert report.check("status").code == "NETWORK_ERROR"
    assert rl in report.check("status").message


# --- recipient ------------------------------------------------------------------
@pytest.mark.parametrize("algo", ["sha256", "md5"])
@pytest.mark.parametrize("salt", [None, "", "deadsea", "çà-☃"])
def test_recipient_hash_round_trip(algo: str, salt: str | None):
    email = "student@example.org"
    digest = hashlib.new(algo, (email + (salt or "")).encode()).hexdigest()
    recipient = {"type": "email", "hashed": True, "identity": f"{algo}${digest}"}
    if salt is not None:
        recipient["salt"] = salt
    assert recipient_matches(recipient, email)
    assert recipient_matches({**recipient, "identity": f"{algo}${digest.upper()}"}, email)
    assert not recipient_matches(recipient, "other@example.org")
    if salt:
        assert not recipient_matches({**recipient, "salt": salt + "x"}, email)


def test_recipient_check_in_report():
    doc, hosting = _load(OB20 / "basic-assertion.json")
    fetch = make_fetch(hosting)
    assert verify_ob2(doc, fetch=fetch, now=NOW).check("recipient").status == "skip"
    wrong = verify_ob2(doc, fetch=fetch, now=NOW, recipient_email="beth@example.org")
    assert wrong.check("recipient").code == "OB2_RECIPIENT_MISMATCH"
    assert not wrong.verified
    bad = {**doc, "recipient": {**doc["recipient"], "identity": "sha1$abc"}}
    report = verify_ob2(bad, fetch=make_fetch({doc["id"]: bad}), now=NOW, recipient_email=NOBODY)
    assert report.check("recipient").code == "OB2_BAD_IDENTITY_HASH"
    url = {**doc, "recipient": {"type": "url", "identity": "https://me.example"}}
    report = verify_ob2(url, fetch=make_fetch({doc["id"]: url}), now=NOW, recipient_email=NOBODY)
    assert report.check("recipient").code == "OB2_RECIPIENT_TYPE"


# --- misuse and robustness ------------------------------------------------------
@pytest.mark.parametrize("bad", [None, 42, ["x"], object()])
def test_non_badge_values_are_misuse(bad: Any):
    with pytest.raises(InputError):
        verify_ob2(bad)


def test_bad_arguments_are_misuse():
    with pytest.raises(InputError):
        verify_ob2({}, fetch="not callable")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        verify_ob2({}, now="2020-01-01")  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", "{", "a.b.c", "\xff"])
def test_unreadable_text_is_a_failed_parse(text: str):
    report = verify_ob2(text)
    assert not report.verified
    assert report.checks[0].name == "format" and report.checks[0].failed


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12))
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_ob2_like = st.fixed_dictionaries(
    {},
    optional={
        "@context": st.sampled_from(["https://w3id.org/openbadges/v2", "x", None]) | _values,
        "type": st.sampled_from(["Assertion", ["Assertion"], "BadgeClass", ""]) | _values,
        "id": st.sampled_from(["https://example.org/beths-robotics-badge.json", "urn:x"]) | _values,
        "recipient": st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(["email", "url"]) | _values,
                "hashed": _values,
                "salt": _values,
                "identity": st.sampled_from(["sha256$00", "md5$zz", "a@b"]) | _values,
            },
        )
        | _values,
        "badge": st.sampled_from(
            ["https://example.org/robotics-badge.json", "https://example.org/missing.json"]
        )
        | _values,
        "issuedOn": st.sampled_from(["2016-12-31T23:59:59Z", "yesterday", 1_500_000_000]) | _values,
        "expires": _values,
        "verification": st.sampled_from([{"type": "hosted"}, {"type": "signed"}]) | _values,
        "evidence": _values,
        "extensions:exampleExtension": st.fixed_dictionaries(
            {"type": st.sampled_from(["Extension", ["Extension", "extensions:ExampleExtension"]])},
            optional={
                "@context": st.sampled_from(
                    [
                        "https://w3id.org/openbadges/extensions/exampleExtension/context.json",
                        "https://w3id.org/openbadges/extensions/applyLinkExtension/context.json",
                    ]
                )
                | _values,
                "exampleProperty": _values,
                "http://schema.org/text": _values,
                "id": _values,
            },
        ),
    },
)


@given(doc=_ob2_like, email=st.none() | st.text(max_size=10))
def test_random_ob2_shaped_input_never_raises(doc: dict[str, Any], email: str | None):
    fetch = make_fetch({"https://example.org/beths-robotics-badge.json": doc})
    report = verify_ob2(doc, fetch=fetch, recipient_email=email, now=NOW)
    assert report.checks and report.checks[0].name == "format"
    json.dumps(report.to_dict())


@pytest.mark.parametrize(
    "value",
    [10**20, "9" * 30, "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
     "2016-13-01T00:00:00Z", True, None, {"@value": "2016-12-31"}],
)  # fmt: skip
def test_out_of_range_dates_are_failed_checks(value: Any):
    doc = {**_basic(), "issuedOn": value}
    report = verify_ob2(doc, fetch=make_fetch({doc["id"]: doc}), now=NOW)
    assert report.check("expiry").code == "OB2_BAD_DATE"
    assert not report.verified


def test_nan_date_is_not_json_at_all():
    """Oracle: RFC 8259 §6 has no NaN; a dict holding one fails as input, before any date check."""
    doc = {**_basic(), "issuedOn": float("nan")}
    report = verify_ob2(doc, fetch=make_fetch({doc["id"]: doc}), now=NOW)
    assert not report.verified
    assert "INVALID_JSON" in {c.code for c in report.checks if c.failed}


@pytest.mark.parametrize("served", [[1, 2], 7, b"[]", b"\xff\xfe", "{", RuntimeError("boom")])
def test_odd_fetch_results_fail_the_check_naming_the_url(served: Any):
    def fetch(url: str) -> Any:
        if isinstance(served, Exception):
            raise served
        return served

    report = verify_ob2(_basic(), fetch=fetch, now=NOW)
    parse = report.check("parse")
    assert parse.failed and "https://example.org/robotics-badge.json" in parse.message


def test_the_library_document_loader_serves_as_fetch():
    from microcred_vc.jsonld.loader import DocumentLoader

    doc, _ = _load(OB20 / "basic-assertion.json")
    served = {
        doc["id"]: doc,
        "https://example.org/robotics-badge.json": read_fixture(
            OB20 / "assets" / "robotics-badge.json"
        ),
        "https://example.org/organization.json": read_fixture(
            OB20 / "assets" / "organization.json"
        ),
    }
    loader = DocumentLoader(documents=served)
    assert verify_ob2(doc, fetch=loader.load, now=NOW).verified
    offline = verify_ob2(doc, fetch=DocumentLoader().load, now=NOW)
    assert offline.check("parse").code == "NETWORK_ERROR"
    assert "https://example.org/robotics-badge.json" in offline.check("parse").message


def test_baked_png_assertion_verifies_after_unbaking():
    bake = pytest.importorskip("microcred_vc.bake")
    payload = bake.unbake((OB20 / "simple-badge.png").read_bytes())
    assert isinstance(payload, dict)
    report = verify_ob2(
        payload, fetch=make_fetch({payload["id"]: payload}), now=NOW, recipient_email=NOBODY
    )
    assert report.verified, report.to_dict()


def test_hosted_url_is_fetched_and_verified():
    doc = _basic()
    fetch = make_fetch({doc["id"]: doc})
    report = verify_ob2(doc["id"], fetch=fetch, now=NOW)
    assert report.verified and report.document == doc
    missing = verify_ob2("https://example.org/nowhere.json", fetch=fetch, now=NOW)
    assert missing.check("parse").code == "NETWORK_ERROR"
    assert "https://example.org/nowhere.json" in missing.check("parse").message


# --- extensions -------------------------------------------------------------------
EXAMPLE_CTX = "https://w3id.org/openbadges/extensions/exampleExtension/context.json"
EXAMPLE_SCHEMA = "https://w3id.org/openbadges/extensions/exampleExtension/schema.json"


def _with_extension(value: Any) -> dict[str, Any]:
    doc = read_fixture(SPEC / "spec-00-intro-example.json")
    doc["extensions:exampleExtension"] = {
        "@context": EXAMPLE_CTX,
        "type": ["Extension", "extensions:ExampleExtension"],
        "exampleProperty": value,
    }
    return doc


def test_extension_validated_in_its_own_terms():
    doc = _with_extension("fine")
    report = verify_ob2(doc, fetch=make_fetch({doc["id"]: doc}), now=NOW)
    assert report.check("schema").passed and report.verified
    bad = _with_extension(["not", "text"])
    report = verify_ob2(bad, fetch=make_fetch({bad["id"]: bad}), now=NOW)
    assert report.check("schema").code == "OB2_EXTENSION_INVALID"
    assert "exampleProperty" in report.check("schema").message


def test_extension_without_fetch_is_skipped_naming_the_context():
    report = verify_ob2(_with_extension("fine"), now=NOW)
    schema = report.check("schema")
    assert schema.status == "skip" and EXAMPLE_CTX in schema.message


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ({"type": 12}, "is not a JSON Schema"),
        ({"$ref": "https://elsewhere.example/schema.json"}, "unresolvable $ref"),
    ],
)
def test_broken_extension_schema_fails_cleanly(schema: dict[str, Any], fragment: str):
    doc = _with_extension("fine")
    report = verify_ob2(doc, fetch=make_fetch({doc["id"]: doc, EXAMPLE_SCHEMA: schema}), now=NOW)
    assert report.check("schema").failed
    assert fragment in report.check("schema").message


@given(
    ext=st.dictionaries(
        st.sampled_from(["@context", "type", "id", "exampleProperty", "http://schema.org/text",
                         "@id", "@type", "extensions:other"]),
        _values | st.sampled_from([EXAMPLE_CTX, "Extension", ["Extension"], "_:b0"]),
    ),
    ctx=st.none() | _values,
)  # fmt: skip
def test_random_extension_nodes_never_raise(ext: dict[str, Any], ctx: Any):
    doc = _with_extension("x")
    doc["extensions:exampleExtension"] = {"type": "Extension", **ext}
    if ctx is not None:
        doc["@context"] = ["https://w3id.org/openbadges/v2", ctx]
    report = verify_ob2(doc, fetch=make_fetch({doc["id"]: doc}), now=NOW)
    assert report.check("parse").passed
    assert report.check("schema") is not None


def test_embedded_issuer_key_and_implicit_creator(rsa_key: jwk.JWK):
    world = _signed_world(rsa_key)
    key_node = world.pop(KEY_URL)
    world[ISSUER_URL]["publicKey"] = key_node
    assertion = _assertion(verification={"type": "signed"})
    report = verify_ob2(_sign(assertion, rsa_key), fetch=make_fetch(world), now=NOW)
    assert report.verified, report.to_dict()
    world[ISSUER_URL]["publicKey"] = []
    report = verify_ob2(_sign(assertion, rsa_key), fetch=make_fetch(world), now=NOW)
    assert report.check("signature").code == "OB2_NO_KEY"


def test_es256_signed_assertion_verifies_and_private_pem_is_refused():
    ec_key = jwk.JWK.generate(kty="EC", crv="P-256")
    world = _signed_world(ec_key)
    token = _sign(_assertion(), ec_key, alg="ES256")
    assert verify_ob2(token, fetch=make_fetch(world), now=NOW).verified
    world[KEY_URL]["publicKeyPem"] = ec_key.export_to_pem(private_key=True, password=None).decode()
    report = verify_ob2(token, fetch=make_fetch(world), now=NOW)
    assert report.check("signature").code == "OB2_NO_KEY"
    assert "private" in report.check("signature").message


def test_badge_class_on_a_foreign_domain_fails_hosted():
    doc = read_fixture(SPEC / "spec-00-intro-example.json")
    doc["badge"]["id"] = "https://badges.elsewhere.example/5"
    report = verify_ob2(doc, fetch=make_fetch({doc["id"]: doc}), now=NOW)
    assert report.check("hosted").code == "OB2_HOSTED_NOT_ALLOWED"
    assert "badges.elsewhere.example" in report.check("hosted").message
    doc["badge"]["issuer"]["verification"]["allowedOrigins"] = [
        "example.org",
        "badges.elsewhere.example",
    ]
    assert verify_ob2(doc, fetch=make_fetch({doc["id"]: doc}), now=NOW).verified


def test_parse_check_names_what_was_fetched_and_bounds_fetched_dicts():
    doc, hosting = _load(OB20 / "basic-assertion.json")
    report = verify_ob2(doc, fetch=make_fetch(hosting), now=NOW)
    assert "https://example.org/robotics-badge.json" in report.check("parse").message
    deep: Any = "x"
    for _ in range(200):
        deep = {"a": deep}
    report = verify_ob2(doc, fetch=make_fetch({**hosting, doc["badge"]: deep}), now=NOW)
    assert report.check("parse").failed
    assert doc["badge"] in report.check("parse").message
