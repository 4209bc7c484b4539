"""The proof-configuration cache gives exactly what canonicalising afresh gives.

Oracle (property): for the same proof configuration, ``rdfc_proof_config`` returns
the bytes of the uncached ``rdfc`` stage, whatever the key order; an entry made
with one loader is never served to another loader object; a loader that fetches
remotely is asked every time. The DI test vectors (test_vectors.py) pin the
bytes themselves.
"""

from __future__ import annotations

from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.proofs.suites import config_cache
from microcred_vc.proofs.suites.base import StageContext, rdfc

CONFIG = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2024-01-01T00:00:00Z",
    "verificationMethod": "did:key:z6Mk#z6Mk",
    "proofPurpose": "assertionMethod",
}


def test_cached_equals_fresh_in_any_key_order() -> None:
    config_cache.clear()
    ctx = StageContext("Ed25519")
    fresh = rdfc(CONFIG, ctx)
    assert config_cache.rdfc_proof_config(CONFIG, ctx) == fresh
    reordered = dict(reversed(list(CONFIG.items())))
    assert config_cache.rdfc_proof_config(reordered, ctx) == fresh  # a hit, same bytes
    other = {**CONFIG, "created": "2025-01-01T00:00:00Z"}
    assert config_cache.rdfc_proof_config(other, ctx) == rdfc(other, ctx) != fresh


def test_entries_belong_to_their_loader_and_remote_loaders_bypass() -> None:
    config_cache.clear()
    first, second = DocumentLoader(), DocumentLoader()
    config_cache.rdfc_proof_config(CONFIG, StageContext("Ed25519", loader=first))
    key = next(iter(config_cache._cache))
    assert config_cache._cache[key][0] is first
    config_cache.rdfc_proof_config(CONFIG, StageContext("Ed25519", loader=second))
    assert all(v[0] is not None for v in config_cache._cache.values())
    assert {id(v[0]) for v in config_cache._cache.values()} == {id(first), id(second)}
    remote = DocumentLoader(allow_remote=True)
    before = len(config_cache._cache)
    out = config_cache.rdfc_proof_config(CONFIG, StageContext("Ed25519", loader=remote))
    assert out == rdfc(CONFIG, StageContext("Ed25519", loader=remote))
    assert len(config_cache._cache) == before
