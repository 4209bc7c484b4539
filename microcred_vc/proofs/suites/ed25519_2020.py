"""Legacy Ed25519Signature2020: the proof ``type`` names the suite, no ``cryptosuite``.

Many Open Badges 3.0 credentials in circulation carry it. The algorithm is the
eddsa-rdfc-2022 one (RDF canonicalisation, SHA-256, Ed25519), but the proof
terms come from the ed25519-2020 context, which the document must list.
"""

from __future__ import annotations

from microcred_vc.proofs.suites.base import Cryptosuite, own_context_options, rdfc
from microcred_vc.proofs.suites.config_cache import rdfc_proof_config
from microcred_vc.proofs.suites.registry import register_suite

ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"

ED25519_SIGNATURE_2020 = register_suite(
    Cryptosuite(
        name="Ed25519Signature2020",
        proof_type="Ed25519Signature2020",
        cryptosuite=None,
        key_types=frozenset({"Ed25519"}),
        transform=rdfc,
        serialize_proof_config=rdfc_proof_config,
        required_contexts=((ED25519_2020_CONTEXT,),),
        verification_options=own_context_options,
    )
)
