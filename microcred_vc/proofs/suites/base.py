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
from dataclasses import dataclass, field
from typing import Any

from microcred_vc.errors import ProofError
from microcred_vc.jsonld import canonicalize
from microcred_vc.jsonld.jcs import jcs
from microcred_vc.keys.keypair import KeyPair, PublicKey
from microcred_vc.keys.multikey import multibase_decode, multibase_encode

DATA_INTEGRITY_PROOF = "DataIntegrityProof"

Loader = Any  # microcred_vc.jsonld.loader.LoaderLike; kept loose to avoid a hard import cycle

#: Hash names the stages understand (the spelling RDFC-1.0 takes too).
HASHES: dict[str, Callable[[bytes], Any]] = {"SHA256": hashlib.sha256, "SHA384": hashlib.sha384}


@dataclass(frozen=True)
class StageContext:
    """Everything a stage may depend on besides the data itself.

    Stages used to get only ``(doc, loader)``, so nothing could follow the key:
    ecdsa-rdfc-2019 with a P-384 key must hash *and* canonicalise (RDFC-1.0
    blank-node labelling) with SHA-384. The engine builds one context per proof
    from the suite's own declaration (:meth:`Cryptosuite.stage_context`), so it
    never branches on a suite or a curve itself.
    """

    #: the signing/verifying key's type: "Ed25519", "P-256", "P-384"
    key_type: str
    #: the hash the suite declares for that key type (a key of :data:`HASHES`)
    hash_name: str = "SHA256"
    loader: Loader = None
    #: the proof options being signed or verified (read-only for stages)
    options: Mapping[str, Any] = field(default_factory=dict)

    def digest(self, data: bytes) -> bytes:
        return HASHES[self.hash_name](data).digest()


Transform = Callable[[Mapping[str, Any], StageContext], bytes]


def rdfc(doc: Mapping[str, Any], ctx: StageContext) -> bytes:
    """RDFC-1.0 canonical N-Quads (safe mode), labelling blank nodes with the context's hash."""
    return canonicalize(
        doc, "RDFC-1.0", loader=ctx.loader, hash_algorithm=ctx.hash_name, safe=True
    ).encode("utf-8")


def jcs_transform(doc: Mapping[str, Any], ctx: StageContext) -> bytes:
    """RFC 8785 canonical JSON; neither the loader nor the hash is needed."""
    return jcs(doc)


def context_hash(data: bytes, ctx: StageContext) -> bytes:
    """The digest the suite declared for this key type (``ctx.hash_name``)."""
    return ctx.digest(data)


Configure = Callable[[dict[str, Any], Mapping[str, Any]], dict[str, Any]]


def borrow_document_context(proof: dict[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    """Data Integrity over RDF: the proof options are canonicalised with the
    document's ``@context``, which the proof itself does not repeat."""
    config = dict(proof)
    if "@context" in document:
        config["@context"] = document["@context"]
    return config


def embed_document_context(proof: dict[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    """JCS suites: the proof carries the document's ``@context`` (the spec's proof
    configuration step), so the signed options are the proof as written."""
    if "@context" in document:
        proof["@context"] = document["@context"]
    return dict(proof)


def _options(proof: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in proof.items() if k != "proofValue"}


def document_context_options(
    proof: Mapping[str, Any], document: Mapping[str, Any]
) -> dict[str, Any]:
    """Verifying a Data Integrity proof: its options were signed with the document's
    ``@context``; a proof naming another one is refused (it would sign other terms)."""
    options = _options(proof)
    if "@context" in options and options["@context"] != document.get("@context"):
        raise ProofError(
            "the @context of the proof options differs from the document's @context",
            code="PROOF_CONTEXT_MISMATCH",
        )
    if "@context" in document:
        options["@context"] = document["@context"]
    return options


def own_context_options(proof: Mapping[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    """Legacy Linked Data proofs (Ed25519Signature2020) may define their terms with a
    ``@context`` of their own (as ssi/didkit emit); otherwise the document's is used."""
    options = _options(proof)
    if "@context" not in options and "@context" in document:
        options["@context"] = document["@context"]
    return options


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
    #: hash name per key type (e.g. P-384 -> SHA384); key types not listed use SHA256
    hashes: Mapping[str, str] = field(default_factory=dict, hash=False)
    #: (canonical bytes, stage context) -> digest; by default the declared hash
    hash: Callable[[bytes, StageContext], bytes] = context_hash
    #: signing's configuration step: (proof being built, unsecured document) ->
    #: the proof options to canonicalise; it may add to the proof (JCS suites
    #: embed the document's ``@context``, RDF suites only borrow it)
    configure: Configure = borrow_document_context
    #: verifying's counterpart: (proof, unsecured document) -> the proof options
    #: that were signed, or a typed error (e.g. PROOF_CONTEXT_MISMATCH)
    verification_options: Configure = document_context_options
    #: True when the transform expands JSON-LD (so safe mode was applied)
    uses_rdf: bool = True
    #: contexts the document must list for the proof terms to be defined
    required_contexts: tuple[tuple[str, ...], ...] = ()
    sign: Callable[[KeyPair, bytes], bytes] = raw_sign
    verify: Callable[[PublicKey, bytes, bytes], bool] = raw_verify
    encode_proof_value: Callable[[bytes], str] = multibase_encode
    decode_proof_value: Callable[[str], bytes] = multibase_decode
    #: the proof member holding the signature: "proofValue" for Data Integrity,
    #: "jws" for Ed25519Signature2018's detached JWS
    proof_value_key: str = "proofValue"
    #: False for legacy suites kept to verify what others issued (their
    #: configuration step refuses to sign; listings of suites to issue with skip them)
    issuable: bool = True

    def __post_init__(self) -> None:
        unknown = {h for h in self.hashes.values() if h not in HASHES}
        if unknown:
            raise ValueError(f"{self.name}: unknown hash {sorted(unknown)}; use {sorted(HASHES)}")

    def stage_context(
        self, key_type: str, *, loader: Loader = None, options: Mapping[str, Any] | None = None
    ) -> StageContext:
        """The context this suite's stages run in for a key of ``key_type``."""
        return StageContext(key_type, self.hashes.get(key_type, "SHA256"), loader, options or {})

    def hash_data(
        self, document: Mapping[str, Any], proof_config: Mapping[str, Any], ctx: StageContext
    ) -> bytes:
        """``hash(canonical proof config) || hash(canonical document)``."""
        proof_hash = self.hash(self.serialize_proof_config(proof_config, ctx), ctx)
        return proof_hash + self.hash(self.transform(document, ctx), ctx)
