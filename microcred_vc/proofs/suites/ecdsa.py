"""ecdsa-rdfc-2019 and ecdsa-jcs-2019 (W3C vc-di-ecdsa): P-256/SHA-256 and P-384/SHA-384.

The hash follows the key's curve (declared in ``CURVE_HASHES``; for RDFC this
includes the canonicalisation's hash), so one suite name covers both curves; the
signature is ECDSA over the 64- or 96-byte hash data, in raw r||s form, and
deterministic (RFC 6979), which is why the W3C vectors reproduce exactly.
"""

from __future__ import annotations

from microcred_vc.proofs.suites.base import (
    DATA_INTEGRITY_PROOF,
    Cryptosuite,
    embed_document_context,
    jcs_transform,
    rdfc,
)
from microcred_vc.proofs.suites.config_cache import rdfc_proof_config
from microcred_vc.proofs.suites.eddsa import DI_CONTEXTS
from microcred_vc.proofs.suites.registry import register_suite

#: vc-di-ecdsa: P-256 hashes with SHA-256, P-384 with SHA-384 -- the document
#: and proof-config digests and, for the RDFC suite, RDFC-1.0's own labelling hash.
CURVE_HASHES = {"P-256": "SHA256", "P-384": "SHA384"}

ECDSA_RDFC_2019 = register_suite(
    Cryptosuite(
        name="ecdsa-rdfc-2019",
        proof_type=DATA_INTEGRITY_PROOF,
        cryptosuite="ecdsa-rdfc-2019",
        key_types=frozenset({"P-256", "P-384"}),
        transform=rdfc,
        serialize_proof_config=rdfc_proof_config,
        hashes=CURVE_HASHES,
        required_contexts=(DI_CONTEXTS,),
    )
)

ECDSA_JCS_2019 = register_suite(
    Cryptosuite(
        name="ecdsa-jcs-2019",
        proof_type=DATA_INTEGRITY_PROOF,
        cryptosuite="ecdsa-jcs-2019",
        key_types=frozenset({"P-256", "P-384"}),
        transform=jcs_transform,
        serialize_proof_config=jcs_transform,
        hashes=CURVE_HASHES,
        configure=embed_document_context,
        uses_rdf=False,
    )
)
