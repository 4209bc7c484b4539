"""The ecdsa-rdfc-2019 rows of ``bench_node.py``: ours and Digital Bazaar's, P-256 and P-384.

A module of its own so ``bench_node.py`` stays readable; it is not a bench script
(``run_all.py`` does not run it). ECDSA signatures are random on Digital Bazaar's
side (WebCrypto) and deterministic on ours (RFC 6979), so the proofValues can
never match and the eddsa rows' oracle does not apply. A row counts only when:

1. Digital Bazaar verifies the credential we signed;
2. our ``verify_proof`` accepts the credential Digital Bazaar signed;
3. the canonical N-Quads of the document and of the proof configuration, and
   the hash data (proof hash || document hash) that Digital Bazaar signed, are
   byte-identical to ours: both sides sign the same document with the same key,
   ``created`` and verification method, so everything up to the signature must agree.

Otherwise the row shows no Digital Bazaar time or ratio, only what failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bench.common import best_of
from microcred_vc.keys import KeyPair, generate_key
from microcred_vc.proofs import add_proof, get_suite, verify_proof
from microcred_vc.proofs.engine import stages

SUITE = "ecdsa-rdfc-2019"
CURVES = ("P-256", "P-384")


@dataclass(frozen=True)
class Curve:
    """One curve's key and the credentials it signs (issuer set to its did:key)."""

    name: str
    key: KeyPair
    credentials: dict[str, dict[str, Any]]

    def label(self, credential: str) -> str:
        """The row name, distinct from the eddsa rows' bare credential names."""
        return f"{credential}, ecdsa {self.name}"


def with_issuer(doc: dict[str, Any], did: str) -> dict[str, Any]:
    """A copy of ``doc`` issued by ``did``: Digital Bazaar checks the issuer controls the key."""
    issuer = doc["issuer"]
    return {**doc, "issuer": {**issuer, "id": did} if isinstance(issuer, dict) else did}


def curves(credentials: Mapping[str, dict[str, Any]]) -> list[Curve]:
    """A fresh key per curve from our ``generate_key`` (no fixed seed is needed: the
    oracle does not compare signatures), each with its own copy of the credentials."""
    out = []
    for name in CURVES:
        key = generate_key(name)
        out.append(Curve(name, key, {n: with_issuer(d, key.did) for n, d in credentials.items()}))
    return out


def sign(doc: Mapping[str, Any], key: KeyPair, created: str, loader: Any) -> dict[str, Any]:
    return add_proof(doc, key, cryptosuite=SUITE, created=created, loader=loader)


def time_ours(
    setup: list[Curve], created: str, loader: Any, seconds: float
) -> dict[str, tuple[float, float]]:
    """Seconds per sign and per verify for every curve and credential, keyed by row name."""
    times: dict[str, tuple[float, float]] = {}
    for curve in setup:
        for name, doc in curve.credentials.items():
            signed = sign(doc, curve.key, created, loader)
            times[curve.label(name)] = (
                best_of(lambda d=doc, k=curve.key: sign(d, k, created, loader), min_time=seconds),
                best_of(lambda s=signed: verify_proof(s, loader=loader), min_time=seconds),
            )
    return times


def node_request(setup: list[Curve], created: str, loader: Any) -> dict[str, Any]:
    """The request's ``ecdsa`` part: per curve the key as Multikey (the same serialisation
    as tests/interop: id, controller, public and secret multibase), the unsigned
    credentials, and ours signed, for Digital Bazaar to verify."""
    return {
        curve.name: {
            "key": curve.key.to_multikey(include_secret=True),
            "credentials": curve.credentials,
            "ours": {
                name: sign(doc, curve.key, created, loader)
                for name, doc in curve.credentials.items()
            },
        }
        for curve in setup
    }


def our_stages(signed: Mapping[str, Any], key_type: str, loader: Any) -> dict[str, str]:
    """What our engine hashes for ``signed``: canonical document, canonical proof
    configuration, hash data (hex), in the shape dbvc.mjs reports Digital Bazaar's."""
    suite = get_suite(SUITE)
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    proof = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    got = stages(suite, unsecured, suite.configure(proof, unsecured), key_type, loader=loader)
    return {
        "document": got.canonical_document.decode(),
        "proof": got.canonical_proof_config.decode(),
        "hashData": got.hash_data.hex(),
    }


def oracle(curve: Curve, name: str, theirs: Mapping[str, Any], created: str, loader: Any) -> str:
    """Empty when the three checks of the module docstring pass, else what failed."""
    failed = []
    if not theirs["verified"]:
        failed.append(f"DB rejects ours: {theirs['error']}")
    result = verify_proof(theirs["signed"], loader=loader)
    if not result.verified:
        failed.append(f"we reject DB's: {result.reason}")
    ours = our_stages(sign(curve.credentials[name], curve.key, created, loader), curve.name, loader)
    differ = [part for part, value in ours.items() if theirs["stages"].get(part) != value]
    if differ:
        failed.append(f"{', '.join(differ)} differ")
    return "; ".join(failed)
