"""Issue a credential document: fill in issuer and validity, then add the proof.

The issuer id is set to the signing key's controller because the verifier's
issuer check demands exactly that: a credential whose issuer is one URL and
whose key belongs to another would be signed here and rejected everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from microcred_vc.errors import ProofCreationError
from microcred_vc.keys.keypair import KeyPair
from microcred_vc.proofs.engine import add_proof, default_suite_for, format_datetime, json_copy
from microcred_vc.proofs.suites import get_suite
from microcred_vc.proofs.verify import VC_V1
from microcred_vc.validate.datamodel import require_datamodel


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
) -> dict[str, Any]:
    """A signed copy of ``doc``; the input is never modified.

    ``cryptosuite`` defaults to eddsa-rdfc-2022 (Ed25519) or ecdsa-rdfc-2019
    (P-256/P-384). ``created`` (default now) is also used for a missing
    validFrom (VC 2.0) or issuanceDate (VC 1.1).
    """
    if not isinstance(doc, Mapping):
        raise ProofCreationError("the credential to issue must be a JSON object")
    if not isinstance(key, KeyPair):
        raise ProofCreationError("issuing needs a KeyPair (see microcred_vc.keys.generate_key)")
    out = json_copy(doc)
    issuer = out.get("issuer")
    if isinstance(issuer, Mapping):
        out["issuer"] = {**issuer, "id": key.did}
    elif issuer is None or isinstance(issuer, str):
        out["issuer"] = key.did
    else:
        raise ProofCreationError("issuer must be a string or an object with an id")
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
    )
