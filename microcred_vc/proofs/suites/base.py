"""What a cryptosuite is: a declaration the generic engine drives.

Every Data Integrity suite in use follows the same recipe -- canonicalise the
document, canonicalise the proof options, hash both, concatenate
``hash(proof) || hash(document)``, sign -- and differs only in the pieces. So a
suite here is data plus a few functions, registered by name; the engine never
names a suite, and adding one means adding a module under ``suites/``.

Legacy proof types that predate the ``cryptosuite`` field (Ed25519Signature2020)
register under their ``type`` with ``cryptosuite=None``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from microcred_vc.errors import UnknownCryptosuite
from microcred_vc.jsonld import canonicalize
from microcred_vc.jsonld.jcs import jcs
from microcred_vc.keys.keypair import KeyPair, PublicKey
from microcred_vc.keys.multikey import multibase_decode, multibase_encode

DATA_INTEGRITY_PROOF = "DataIntegrityProof"

Loader = Any  # microcred_vc.jsonld.loader.LoaderLike; kept loose to avoid a hard import cycle
Transform = Callable[[Mapping[str, Any], Loader], bytes]


def rdfc(doc: Mapping[str, Any], loader: Loader) -> bytes:
    """RDFC-1.0 canonical N-Quads (safe mode: undefined terms are errors)."""
    return canonicalize(doc, "RDFC-1.0", loader=loader, safe=True).encode("utf-8")


def jcs_transform(doc: Mapping[str, Any], loader: Loader) -> bytes:
    """RFC 8785 canonical JSON; the loader is not needed."""
    return jcs(doc)


def sha256(data: bytes, key_type: str) -> bytes:
    return hashlib.sha256(data).digest()


def sha_by_curve(data: bytes, key_type: str) -> bytes:
    """SHA-384 for P-384 keys, SHA-256 otherwise (the ECDSA suites' rule)."""
    if key_type == "P-384":
        return hashlib.sha384(data).digest()
    return hashlib.sha256(data).digest()


def raw_sign(key: KeyPair, data: bytes) -> bytes:
    return key.sign(data)


def raw_verify(key: PublicKey, data: bytes, signature: bytes) -> bool:
    return key.verify(data, signature)


@dataclass(frozen=True)
class Cryptosuite:
    """One suite. ``name`` is the registry key (cryptosuite name or legacy proof type)."""

    name: str
    proof_type: str
    cryptosuite: str | None
    key_types: frozenset[str]
    #: unsecured document -> canonical bytes
    transform: Transform
    #: proof options (with @context when the suite wants it) -> canonical bytes
    serialize_proof_config: Transform
    #: (canonical bytes, key type) -> digest
    hash: Callable[[bytes, str], bytes]
    #: JCS suites keep ``@context`` in the proof; RDF suites borrow the document's
    embed_context: bool = False
    #: legacy Linked Data proofs (Ed25519Signature2020) may carry their own
    #: ``@context`` for the proof terms instead of relying on the document's
    own_proof_context: bool = False
    #: True when the transform expands JSON-LD (so safe mode was applied)
    uses_rdf: bool = True
    #: contexts the document must list for the proof terms to be defined
    required_contexts: tuple[tuple[str, ...], ...] = ()
    sign: Callable[[KeyPair, bytes], bytes] = raw_sign
    verify: Callable[[PublicKey, bytes, bytes], bool] = raw_verify
    encode_proof_value: Callable[[bytes], str] = multibase_encode
    decode_proof_value: Callable[[str], bytes] = multibase_decode

    def hash_data(
        self,
        document: Mapping[str, Any],
        proof_config: Mapping[str, Any],
        key_type: str,
        loader: Loader,
    ) -> bytes:
        """``hash(canonical proof config) || hash(canonical document)``."""
        proof_hash = self.hash(self.serialize_proof_config(proof_config, loader), key_type)
        doc_hash = self.hash(self.transform(document, loader), key_type)
        return proof_hash + doc_hash


_REGISTRY: dict[str, Cryptosuite] = {}


def register_suite(suite: Cryptosuite, *, replace: bool = False) -> Cryptosuite:
    """Make ``suite`` available to add_proof/verify_proof under ``suite.name``."""
    if suite.name in _REGISTRY and not replace:
        raise ValueError(f"cryptosuite {suite.name!r} is already registered")
    _REGISTRY[suite.name] = suite
    return suite


def get_suite(name: str) -> Cryptosuite:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownCryptosuite(
            f"unknown cryptosuite {name!r}; known: {', '.join(sorted(_REGISTRY))}",
            cryptosuite=str(name),
        ) from None


def suite_for_proof(proof: Mapping[str, Any]) -> Cryptosuite:
    """The suite a proof object declares (type + cryptosuite), or UnknownCryptosuite."""
    proof_type = proof.get("type")
    if proof_type == DATA_INTEGRITY_PROOF:
        name = proof.get("cryptosuite")
        if not isinstance(name, str):
            raise UnknownCryptosuite("DataIntegrityProof without a cryptosuite string")
        suite = get_suite(name)
    elif isinstance(proof_type, str):
        suite = get_suite(proof_type)
    else:
        raise UnknownCryptosuite(f"proof type {proof_type!r} is not a string")
    if suite.proof_type != proof_type:
        raise UnknownCryptosuite(
            f"cryptosuite {suite.name!r} is not used with proof type {proof_type!r}"
        )
    if suite.cryptosuite is None and "cryptosuite" in proof:
        raise UnknownCryptosuite(f"{proof_type} proofs carry no cryptosuite field")
    return suite


def available_suites() -> list[str]:
    return sorted(_REGISTRY)
