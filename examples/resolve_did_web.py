"""Guide — keys and resolvers: where a verifier finds the issuer's key, offline or not.

Run: ``.venv/bin/python examples/resolve_did_web.py``. It makes a did:web issuer, shows
where its did.json must be published, and verifies one credential three ways: with no
way to find the key, with the controller document given offline, and with a resolver
plug-in for a DID method of the caller's own.
"""

from __future__ import annotations

from typing import Any

from microcred_vc import Resolver, generate_key, issue_document, verify
from microcred_vc.keys.did import did_web_url


def credential(issuer: str) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner-1"},
    }


def outcome(label: str, report: Any) -> None:
    proof = next(c for c in report.checks if c.name == "proof")
    verdict = "VERIFIED" if report.verified else f"NOT VERIFIED ({proof.code})"
    print(f"{label}: {verdict}")


def main() -> None:
    # An institution's key, controlled by its own did:web (not a throw-away did:key).
    key = generate_key("Ed25519", controller="did:web:micro.uni.example")
    print("publish key.did_document() at", did_web_url(key.controller))
    signed = issue_document(credential(key.controller), key)

    # 1. Offline by default: a did:web document is never fetched unless asked for.
    outcome("no resolver, no network", verify(signed, status=False))

    # 2. The document given offline (a wallet's cache, a pinned copy, a test).
    resolver = Resolver(documents={key.controller: key.did_document()})
    outcome("did.json given offline", verify(signed, status=False, resolver=resolver))

    # 3. A DID method of your own: a function from DID to controller document.
    own = generate_key("Ed25519", controller="did:example:registry-42")
    published = {own.controller: own.did_document()}
    resolver.register("example", lambda did: published[did.split("#")[0]])
    signed_by_own = issue_document(credential(own.controller), own)
    outcome("did:example via a plug-in", verify(signed_by_own, status=False, resolver=resolver))


if __name__ == "__main__":
    main()
