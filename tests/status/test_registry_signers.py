"""A local registry's answers obey the list-signer policy, as fetched lists do (issue 18).

Oracle (property, status/list_trust.py): a list says nothing about a credential
whose issuer did not sign it. The attack: Mallory issues a credential whose
credentialStatus names the university's list URL; a verifier running the
university's registry answered "not revoked" from its records, although the
university never signed anything for Mallory's credential. Before, registry
answers skipped the policy, so this passed.
"""

from __future__ import annotations

from typing import Any

from microcred_vc.keys import generate_key
from microcred_vc.status import StatusRegistry, check_status

BASE = "https://status.university.example/lists"


def _credential(issuer: str, entry: dict[str, Any]) -> dict[str, Any]:
    return {"type": ["VerifiableCredential"], "issuer": issuer, "credentialStatus": entry}


def test_registry_answers_are_held_to_the_signer_policy(registry: StatusRegistry) -> None:
    university, mallory = generate_key("Ed25519"), generate_key("Ed25519")
    index = registry.allocate("R", "revocation")
    entry = registry.entry_for("R", index, "revocation", BASE)
    ours, theirs = _credential(university.did, entry), _credential(mallory.did, entry)
    # never published: no signer is established yet, the registry's record answers
    assert check_status(theirs, registry=registry).status == "pass"
    registry.publish("R", university)
    assert registry.list_signers("R") == (university.did,)
    assert check_status(ours, registry=registry).status == "pass"
    refused = check_status(theirs, registry=registry)
    assert (refused.status, refused.code) == ("fail", "STATUS_LIST_SIGNER_MISMATCH")
    chosen = check_status(theirs, registry=registry, list_signers={mallory.did})
    assert chosen.code == "STATUS_LIST_SIGNER_MISMATCH"
    assert check_status(theirs, registry=registry, list_signers="any-verified").status == "pass"
    registry.set_status(ours, revoked=True)
    assert check_status(ours, registry=registry).code == "STATUS_REVOKED"
