"""The names DESIGN.md promises, importable from the package root, working together."""

from __future__ import annotations

import microcred_vc
from microcred_vc import (
    KeyPair,
    MicroCredential,
    MicrocredError,
    VerificationReport,
    canonicalize,
    convert,
    generate_key,
    issue,
    verify,
)
from microcred_vc.jsonld.canon import canonicalize_nquads
from microcred_vc.keys import Resolver
from tests.example_data import example_micro_credential
from tests.issuing import issued_by


def test_all_names_resolve() -> None:
    for name in microcred_vc.__all__:
        assert getattr(microcred_vc, name) is not None


def test_design_snippet_end_to_end() -> None:
    mc = example_micro_credential()
    assert isinstance(mc, MicroCredential)
    # the institution signs as itself: a key of the course's did:web issuer, and the
    # did.json it publishes handed to the verifier's Resolver (offline)
    key = generate_key("Ed25519", controller=mc.issuer.id)
    assert isinstance(key, KeyPair) and key.did == mc.issuer.id
    assert key.did.startswith("did:web:")
    vc = issue(mc, key, format="ob3", cryptosuite="eddsa-rdfc-2022")
    assert vc["issuer"]["id"] == mc.issuer.id  # never rewritten
    rep = verify(vc, resolver=Resolver(documents={key.did: key.did_document()}))
    assert isinstance(rep, VerificationReport) and rep.verified, rep.errors
    assert rep.checks[0].name == "format"
    nq = canonicalize(vc, algorithm="RDFC-1.0")
    assert canonicalize_nquads(nq) == nq
    res = convert(vc, to="edc")
    assert "EuropeanDigitalCredential" in res.document["type"]
    assert any(loss.field == "proof" for loss in res.losses)


def test_verify_never_raises_on_garbage() -> None:
    for junk in (b"\x89PNG\r\n\x1a\nbroken", "eyJ.eyJ.sig", {"@context": 5}, "{}", b"", 7):
        report = verify(junk)
        assert report.verified is False
        assert report.checks and report.checks[0].name == "format"


def test_misuse_raises_typed_error() -> None:
    import pytest

    with pytest.raises(MicrocredError):
        issue(42, generate_key("Ed25519"))
    with pytest.raises(MicrocredError):
        convert(
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
            },
            to="pdf",
        )


def test_verify_clock_skew_option() -> None:
    from datetime import UTC, datetime, timedelta

    key = generate_key("Ed25519")
    mc = issued_by(example_micro_credential(), key)
    vc = issue(mc, key, created="2030-01-01T00:10:00Z")
    early = datetime(2030, 1, 1, 0, 0, tzinfo=UTC)  # ten minutes before validFrom
    assert not verify(vc, now=early).verified
    assert verify(vc, now=early, clock_skew=timedelta(minutes=15)).verified
    token = issue(mc, key, envelope="jwt")
    assert verify(token, clock_skew=timedelta(seconds=1)).verified
