"""eddsa-rdfc-2022 and eddsa-jcs-2022 (W3C vc-di-eddsa): Ed25519 over SHA-256 hashes."""

from __future__ import annotations

from microcred_vc.proofs.suites.base import (
    DATA_INTEGRITY_PROOF,
    Cryptosuite,
    embed_document_context,
    jcs_transform,
    rdfc,
)
from microcred_vc.proofs.suites.config_cache import rdfc_proof_config
from microcred_vc.proofs.suites.registry import register_suite

#: Contexts that define DataIntegrityProof and its terms (the first is added when none is listed).
DI_CONTEXTS = (
    "https://w3id.org/security/data-integrity/v2",
    "https://www.w3.org/ns/credentials/v2",
    "https://w3id.org/security/data-integrity/v1",
)

EDDSA_RDFC_2022 = register_suite(
    Cryptosuite(
        name="eddsa-rdfc-2022",
        proof_type=DATA_INTEGRITY_PROOF,
        cryptosuite="eddsa-rdfc-2022",
        key_types=frozenset({"Ed25519"}),
        transform=rdfc,
        serialize_proof_config=rdfc_proof_config,
        required_contexts=(DI_CONTEXTS,),
    )
)

EDDSA_JCS_2022 = register_suite(
    Cryptosuite(
        name="eddsa-jcs-2022",
        proof_type=DATA_INTEGRITY_PROOF,
        cryptosuite="eddsa-jcs-2022",
        key_types=frozenset({"Ed25519"}),
        transform=jcs_transform,
        serialize_proof_config=jcs_transform,
        configure=embed_document_context,
        uses_rdf=False,
    )
)
