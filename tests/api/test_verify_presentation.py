"""verify() on a presentation gives each credential inside the full verification (#16 V3, #18).

Oracle: the same credential verified alone with the same options. A presentation may not
turn a revoked credential into a verified one, nor lose the caller's resolver.
"""

from __future__ import annotations

from typing import Any

from microcred_vc import verify
from microcred_vc.keys import Resolver, generate_key
from microcred_vc.proofs import create_presentation, issue_document
from microcred_vc.status import StatusRegistry

BASE = "https://status.example/lists"
DID_WEB = "did:web:university.example"


def _unsigned(issuer: str, status: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner"},
    }
    if status is not None:
        doc["credentialStatus"] = status
    return doc


def test_revoked_credential_fails_inside_a_presentation(tmp_path) -> None:
    issuer, holder = generate_key("Ed25519"), generate_key("Ed25519")
    with StatusRegistry(f"sqlite:///{tmp_path / 'status.db'}") as registry:
        index = registry.allocate("R", "revocation")
        vc = issue_document(
            _unsigned(issuer.did, registry.entry_for("R", index, "revocation", BASE)), issuer
        )
        vp = create_presentation([vc], holder, challenge="c-1")
        before = verify(vp, challenge="c-1", registry=registry)
        assert before.verified, before.summary() if hasattr(before, "summary") else before
        registry.set_status(vc, revoked=True)
        alone = verify(vc, registry=registry)
        inside = verify(vp, challenge="c-1", registry=registry)
    assert not alone.verified
    assert not inside.verified
    codes = [c.code for c in inside.checks if c.name == "status"]
    assert codes == ["STATUS_REVOKED"]


def test_presentation_passes_the_callers_resolver_to_each_credential() -> None:
    """A did:web issuer whose document the caller supplies offline (no network)."""
    issuer = generate_key("Ed25519", controller=DID_WEB)
    document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID_WEB,
        "verificationMethod": [issuer.to_multikey()],
        "assertionMethod": [issuer.verification_method],
    }
    document["verificationMethod"][0].pop("@context")
    resolver = Resolver()
    resolver.add_document(document)
    holder = generate_key("Ed25519")
    vc = issue_document(_unsigned(DID_WEB), issuer)
    assert verify(vc, resolver=resolver).verified
    vp = create_presentation([vc], holder, challenge="c-2")
    report = verify(vp, challenge="c-2", resolver=resolver)
    failing = [(c.name, c.code) for c in report.checks if c.status == "fail"]
    assert report.verified, failing
    assert "NETWORK_DISABLED" not in [c.code for c in report.checks]
