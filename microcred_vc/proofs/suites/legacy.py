"""Legacy suites a wallet meets in circulation: verified, never issued.

* **Ed25519Signature2018** (JFF plugfest badges, Open Badges 3.0 drafts, VC 1.1
  era credentials). The hash data is the one Data Integrity still uses --
  ``SHA-256(URDNA2015 proof options) || SHA-256(URDNA2015 document)`` -- but the
  signature is a *detached JWS with an unencoded payload* (RFC 7797) in the
  proof's ``jws`` member: ``base64url(header) ".." base64url(signature)``, the
  header ``{"alg":"EdDSA","b64":false,"crit":["b64"]}``, and Ed25519 signs
  ``ASCII(base64url(header) ".") || hash data``. The proof options may carry a
  ``@context`` of their own (older signers compacted them into the security
  context); otherwise they are read in the document's context.
* **eddsa-2022**: the name vc-di-eddsa gave eddsa-rdfc-2022 in its 2022-2023
  drafts (the 1EdTech validator still accepts it). The algorithm is the same --
  RDFC-1.0, SHA-256, Ed25519 over ``hash(proof options) || hash(document)`` --
  and since ``cryptosuite`` is one of the signed proof options, a proof
  relabelled from one name to the other does not verify.

Both refuse to sign with a typed :class:`ProofCreationError`
(``SUITE_VERIFY_ONLY``): "emit strictly" means the library only writes the
current suites.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from microcred_vc.errors import ProofCreationError, ProofError
from microcred_vc.keys.keypair import KeyPair, PublicKey
from microcred_vc.proofs.suites.base import (
    DATA_INTEGRITY_PROOF,
    Cryptosuite,
    document_context_options,
    rdfc,
)
from microcred_vc.proofs.suites.config_cache import rdfc_proof_config
from microcred_vc.proofs.suites.eddsa import DI_CONTEXTS
from microcred_vc.proofs.suites.registry import register_suite

ED25519_2018_CONTEXT = "https://w3id.org/security/suites/ed25519-2018/v1"
#: contexts that define Ed25519Signature2018 and its ``jws`` term
ED25519_2018_CONTEXTS = (
    ED25519_2018_CONTEXT,
    "https://www.w3.org/2018/credentials/v1",
    "https://w3id.org/security/v2",
)
#: the only header a 2018 proof may carry (jws-linked-data-signature writes exactly this)
JWS_HEADER = {"alg": "EdDSA", "b64": False, "crit": ["b64"]}
VERIFY_ONLY = "SUITE_VERIFY_ONLY"
#: proof members that hold a signature and are therefore not signed themselves
_SIGNATURE_MEMBERS = ("jws", "proofValue", "signatureValue")


def refuse_to_sign(proof: dict[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration step of a verify-only suite: signing stops before any work."""
    name = proof.get("cryptosuite") or proof.get("type")
    raise ProofCreationError(
        f"{name} is a legacy suite this library verifies but never issues; sign with "
        "eddsa-rdfc-2022 (or ecdsa-rdfc-2019) instead",
        code=VERIFY_ONLY,
        suite=str(name),
    )


def _no_signing(key: KeyPair, data: bytes) -> bytes:
    """Second lock: even a caller driving the stages by hand gets no legacy signature."""
    raise ProofCreationError("legacy suites are verify-only", code=VERIFY_ONLY)


def _b64u_decode(text: str) -> bytes:
    if not text or any(c in text for c in "+/="):
        raise ValueError("not unpadded base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decode_detached_jws(value: str) -> bytes:
    """Check the ``jws`` member's form and header; return it (as ASCII) for :func:`verify_jws`.

    The header is read from the token itself (its exact bytes are signed), and
    must be the RFC 7797 unencoded-payload header with ``alg: EdDSA``: any other
    algorithm, an encoded payload or extra critical members are refused rather
    than guessed at.
    """
    parts = value.split(".")
    if len(parts) != 3 or parts[1] != "":
        raise ProofError(
            "jws is not a detached JWS (header..signature)", code="PROOF_VALUE_INVALID"
        )
    try:
        header = json.loads(_b64u_decode(parts[0]))
        signature = _b64u_decode(parts[2])
    except ValueError as exc:
        raise ProofError(f"jws is not base64url JSON: {exc}", code="PROOF_VALUE_INVALID") from exc
    if header != JWS_HEADER:
        raise ProofError(
            f"jws header {header!r} is not {json.dumps(JWS_HEADER)} "
            "(Ed25519Signature2018 signs an unencoded payload with EdDSA)",
            code="PROOF_VALUE_INVALID",
        )
    if len(signature) != 64:
        raise ProofError("jws signature is not 64 bytes of Ed25519", code="PROOF_VALUE_INVALID")
    return value.encode("ascii")


def verify_jws(key: PublicKey, hash_data: bytes, jws: bytes) -> bool:
    """RFC 7797 signing input: the encoded header, a dot, then the raw hash data."""
    header_b64, _, signature_b64 = jws.decode("ascii").split(".")
    signing_input = header_b64.encode("ascii") + b"." + hash_data
    return key.verify(signing_input, _b64u_decode(signature_b64))


def jws_proof_options(proof: Mapping[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    """The signed options: the proof without its signature members, in its own
    ``@context`` when it has one, otherwise in the document's (what
    jsonld-signatures' ``canonizeProof`` does)."""
    options = {k: v for k, v in proof.items() if k not in _SIGNATURE_MEMBERS}
    if "@context" not in options and "@context" in document:
        options["@context"] = document["@context"]
    return options


def _no_encoding(signature: bytes) -> str:
    raise ProofCreationError("legacy suites are verify-only", code=VERIFY_ONLY)


ED25519_SIGNATURE_2018 = register_suite(
    Cryptosuite(
        name="Ed25519Signature2018",
        proof_type="Ed25519Signature2018",
        cryptosuite=None,
        key_types=frozenset({"Ed25519"}),
        transform=rdfc,
        serialize_proof_config=rdfc_proof_config,
        configure=refuse_to_sign,
        verification_options=jws_proof_options,
        required_contexts=(ED25519_2018_CONTEXTS,),
        sign=_no_signing,
        verify=verify_jws,
        encode_proof_value=_no_encoding,
        decode_proof_value=decode_detached_jws,
        proof_value_key="jws",
        issuable=False,
    )
)

EDDSA_2022 = register_suite(
    Cryptosuite(
        name="eddsa-2022",
        proof_type=DATA_INTEGRITY_PROOF,
        cryptosuite="eddsa-2022",
        key_types=frozenset({"Ed25519"}),
        transform=rdfc,
        serialize_proof_config=rdfc_proof_config,
        configure=refuse_to_sign,
        verification_options=document_context_options,
        required_contexts=(DI_CONTEXTS,),
        sign=_no_signing,
        issuable=False,
    )
)
