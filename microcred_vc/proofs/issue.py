"""Issue a credential document: check the issuer, fill in validity, then add the proof.

The issuer is the caller's: it is never filled in, replaced or rewritten. A
credential whose issuer is not the signing key's controller is refused
(:class:`IssuerKeyMismatch`) instead of being re-labelled, because re-labelling
lets anyone who re-signs a badge keep the original institution's name on it.
An institution signs as itself with a key controlled by its own DID
(``generate_key(controller="did:web:…")``, ``microcred keys new --did-web``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from microcred_vc.errors import IssuerKeyMismatch, IssuerMissing, ProofCreationError
from microcred_vc.keys.keypair import KeyPair
from microcred_vc.proofs.engine import add_proof, default_suite_for, format_datetime, json_copy
from microcred_vc.proofs.suites import get_suite
from microcred_vc.proofs.verify import VC_V1
from microcred_vc.validate.datamodel import require_datamodel


def credential_issuer(doc: Mapping[str, Any]) -> str:
    """The issuer id ``doc`` names; refuses a missing, null or id-less issuer."""
    issuer = doc.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
        if issuer is None:
            raise IssuerMissing(
                "the issuer object has no id: give the institution's DID or URL as issuer.id"
            )
    if issuer is None:
        raise IssuerMissing(
            "the credential names no issuer: the VC data model requires one; set issuer to "
            "the institution's DID (the controller of the signing key)"
        )
    if not isinstance(issuer, str) or not issuer:
        raise ProofCreationError(
            "issuer must be a URL string or an object with an id", code="ISSUER_INVALID"
        )
    return issuer


def check_issuer(doc: Mapping[str, Any], key: KeyPair) -> None:
    """Refuse to sign unless the key's controller is the issuer ``doc`` names.

    The check compares identifiers only; it never changes the document, so a
    caller who meant another issuer learns it here rather than from every
    verifier that later rejects the credential.
    """
    issuer = credential_issuer(doc)
    if issuer != key.did:
        raise IssuerKeyMismatch(
            f"the credential names {issuer} as issuer, but the signing key belongs to "
            f"{key.did}; the library never rewrites an issuer. Sign with a key the issuer "
            f'controls: generate_key("Ed25519", controller="{_suggested(issuer)}") or '
            f"`microcred keys new --did-web HOST[:PATH]`, then publish its DID document "
            f"(key.did_document(), the did.json) — or name {key.did} as the issuer",
            issuer=issuer,
            controller=key.did,
        )


def _suggested(issuer: str) -> str:
    return issuer if issuer.startswith("did:web:") else "did:web:your-institution.example"


def issue_document(
    doc: Mapping[str, Any],
    key: KeyPair,
    *,
    cryptosuite: str | None = None,
    created: datetime | str | None = None,
    loader: Any = None,
    purpose: str = "assertionMethod",
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
    copy: bool = True,
) -> dict[str, Any]:
    """A signed copy of ``doc``; the input is never modified (unless ``copy=False``).

    The issuer must be the key's controller (``key.did``): otherwise
    :class:`IssuerKeyMismatch`; without an issuer :class:`IssuerMissing`.
    ``cryptosuite`` defaults to eddsa-rdfc-2022 (Ed25519) or ecdsa-rdfc-2019
    (P-256/P-384). ``created`` (default now) is also used for a missing
    validFrom (VC 2.0) or issuanceDate (VC 1.1). ``copy=False`` signs ``doc`` itself,
    which the caller gives up (see :func:`~microcred_vc.proofs.engine.add_proof`).
    """
    if not isinstance(doc, Mapping):
        raise ProofCreationError("the credential to issue must be a JSON object")
    if not isinstance(key, KeyPair):
        raise ProofCreationError("issuing needs a KeyPair (see microcred_vc.keys.generate_key)")
    check_issuer(doc, key)
    out = json_copy(doc) if copy or not isinstance(doc, dict) else doc
    timestamp = format_datetime(created)
    contexts = out.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    if first == VC_V1:
        out.setdefault("issuanceDate", timestamp)
    else:
        out.setdefault("validFrom", timestamp)
    # emit strictly: what the library signs obeys the VC data model (DataModelError otherwise);
    # an RDF suite processes the contexts when it signs, a JCS suite would not, so check here
    suite = get_suite(cryptosuite or default_suite_for(key))
    require_datamodel(out, expand=not suite.uses_rdf, loader=loader)
    return add_proof(
        out,
        key,
        cryptosuite=cryptosuite,
        purpose=purpose,
        created=timestamp,
        proof_id=proof_id,
        previous_proof=previous_proof,
        loader=loader,
        copy=False,  # out is ours already
    )
