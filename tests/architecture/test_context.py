"""Every branch of ``verify()`` receives the caller's whole context (issue 15 item 2).

Oracle: a property. ``verify`` is given a :class:`VerificationContext` whose every
field holds a non-default value; spies on each branch — every format's verify
hook (through a registry whose hooks record what they get), the credentials
inside a presentation (one Data Integrity, one enveloped JWT), the badge inside
a baked image, and the status list fetched by a status check — record what they
received. Each must see the caller's value of every field; a status list gets the
caller's clock, loader and resolver.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from microcred_vc import FORMATS, FormatRegistry, VerificationContext, verify
from microcred_vc.bake import bake_png
from microcred_vc.context import field_names
from microcred_vc.jose import sign_jwt
from microcred_vc.jsonld import DocumentLoader
from microcred_vc.keys import Resolver, generate_key
from microcred_vc.proofs import create_presentation, issue_document
from microcred_vc.report import Check, VerificationReport
from microcred_vc.status import StatusListCache

VC2 = "https://www.w3.org/ns/credentials/v2"


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new("RGBA", (4, 4), (200, 30, 40, 255)).save(buf, format="PNG")
    return buf.getvalue()


def _context(**changes: Any) -> VerificationContext:
    """Every field set to something that is not its default."""
    ctx = VerificationContext(
        loader=DocumentLoader(),
        resolver=Resolver(),
        fetch=lambda url: {},
        now=datetime(2031, 2, 3, tzinfo=UTC),
        clock_skew=timedelta(minutes=7),
        allowed_suites=frozenset({"eddsa-rdfc-2022"}),
        algorithms=("EdDSA",),
        trusted_keys={"keys": []},
        trust_roots=("a trust anchor",),
        trusted_lists=("a trusted list set",),
        require_qualified="QC",
        trust_registries=("a trust registry",),
        status=True,  # the default; the status=False run is test_status_policy_reaches_branches
        registry=object(),
        status_list_signers="any-verified",
        status_min_entries=100_000,
        status_cache=StatusListCache(3),
        accept_unchecked_status=True,
        limits=object(),
        recipient_email="learner@example.org",
        ob3_schemas=Path("/nonexistent/schemas"),
        challenge="challenge-1",
        domain="verifier.example",
        require_holder_is_subject=True,
    )
    return replace(ctx, **changes)


def _non_default_fields() -> list[str]:
    defaults = VerificationContext()
    ctx = _context()
    names = [n for n in field_names() if n not in ("formats", "status")]
    assert all(getattr(ctx, n) != getattr(defaults, n) for n in names)
    return names


def _same(seen: VerificationContext, given: VerificationContext, **expected: Any) -> None:
    for name in _non_default_fields():
        want = expected.get(name, getattr(given, name))
        assert getattr(seen, name) == want, f"field {name} dropped"
    assert seen.status == expected.get("status", given.status)


@pytest.fixture
def spied() -> tuple[FormatRegistry, list[tuple[str, VerificationContext]]]:
    """The built-in formats, each verify hook recording its context first."""
    calls: list[tuple[str, VerificationContext]] = []
    containers = {"vp", "png", "svg"}  # these really run, so their insides are dispatched

    def spy(name: str, real: Any) -> Any:
        def hook(value: Any, context: VerificationContext) -> VerificationReport:
            calls.append((name, context))
            if name in containers:
                return real(value, context)
            return VerificationReport(checks=[Check("proof", "pass", f"spy {name}")])

        return hook

    registry = FormatRegistry(
        [replace(f, verify=spy(f.name, f.verify)) for f in FORMATS if f.verify is not None]
    )
    return registry, calls


def _credential(issuer: Any) -> dict[str, Any]:
    return {
        "@context": [VC2],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did,
        "credentialSubject": {"id": "did:example:learner"},
    }


def test_every_format_hook_receives_the_whole_context(spied) -> None:
    registry, calls = spied
    ctx = _context()
    key = generate_key("Ed25519")
    samples = {
        "vc2": _credential(key),
        "ob2": {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"},
        "edc-sealed": {"payload": "x", "signatures": []},
        "jwt": sign_jwt(_credential(key), key),
    }
    for name, sample in samples.items():
        verify(sample, context=ctx, formats=registry)
        assert calls[-1][0] == name
        _same(calls[-1][1], ctx)


def test_presentation_credentials_and_baked_badges_receive_the_whole_context(
    spied, monkeypatch
) -> None:
    from microcred_vc.proofs import presentation

    registry, calls = spied
    ctx = _context()
    nested: list[dict[str, Any]] = []
    real = presentation.verify_credential

    def record(doc: Any, **kwargs: Any) -> VerificationReport:
        nested.append(kwargs)
        return real(doc, **kwargs)

    monkeypatch.setattr(presentation, "verify_credential", record)
    issuer, holder = generate_key("Ed25519"), generate_key("Ed25519")
    signed = issue_document(_credential(issuer), issuer)
    token = sign_jwt(_credential(issuer), issuer)
    enveloped = {
        "@context": [VC2],
        "type": "EnvelopedVerifiableCredential",
        "id": f"data:application/vc+jwt,{token}",
    }
    vp = create_presentation([signed, enveloped], holder, challenge="challenge-1")
    verify(vp, context=ctx, formats=registry)
    assert [name for name, _ in calls] == ["vp", "jwt"]
    for _, seen in calls:
        _same(seen, ctx)
    (kwargs,) = nested  # the Data Integrity credential: the context's own values
    assert kwargs["loader"] is ctx.loader and kwargs["resolver"] is ctx.resolver
    assert kwargs["now"] == ctx.now and kwargs["clock_skew"] == ctx.clock_skew
    assert kwargs["status_checker"] is not None
    assert kwargs["suites"].allowed == ctx.allowed_suites

    calls.clear()
    verify(bake_png(_png(), token), context=ctx, formats=registry)
    assert [name for name, _ in calls] == ["png", "jwt"]
    for _, seen in calls:
        _same(seen, ctx)


def test_status_lists_are_verified_in_the_context(monkeypatch) -> None:
    """The list credential a status check fetches sees the caller's clock, loader, resolver
    (and the signer policy decides who may sign it: status.list_trust)."""
    from microcred_vc.status import check as status_check

    ctx = _context(registry=None)
    seen: list[dict[str, Any]] = []

    def record(doc: Any, **kwargs: Any) -> VerificationReport:
        seen.append(kwargs)
        return VerificationReport(checks=[Check("proof", "pass", "spy")])

    monkeypatch.setattr(status_check, "verify_list_credential", record)
    from microcred_vc.status.bits import Bitstring
    from microcred_vc.status.bitstring import build_list_credential

    url = "https://status.example/lists/1"
    listed = build_list_credential(url, "did:example:issuer", Bitstring(), "revocation")
    checker = replace(ctx, fetch=lambda url: listed).status_checker()
    assert checker is not None
    entry = {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "3",
        "statusListCredential": url,
    }
    checker({"credentialStatus": entry})
    (kwargs,) = seen
    assert kwargs["loader"] is ctx.loader and kwargs["resolver"] is ctx.resolver
    assert kwargs["now"] == ctx.now
    assert kwargs["clock_skew"] == ctx.clock_skew
    assert kwargs["allowed_suites"] == ctx.allowed_suites


def test_status_policy_reaches_branches(spied) -> None:
    registry, calls = spied
    ctx = _context(status=False)
    checker = ctx.status_checker()  # status=False: the check says it was skipped by request
    assert checker is not None
    assert checker({"credentialStatus": {"type": "BitstringStatusListEntry"}}).code == (
        "STATUS_NOT_REQUESTED"
    )
    verify(_credential(generate_key("Ed25519")), context=ctx, formats=registry)
    _same(calls[-1][1], ctx, status=False)


def test_context_is_frozen() -> None:
    with pytest.raises(AttributeError):
        VerificationContext().now = datetime.now(UTC)  # type: ignore[misc]
    assert {f.name for f in fields(VerificationContext)} >= {"loader", "resolver", "fetch"}
