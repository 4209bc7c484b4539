"""Keys and DIDs: Ed25519 / P-256 / P-384 key pairs, Multikey and JWK, did:key, did:jwk, did:web."""

from microcred_vc.keys.did import Resolver, VerificationMethod, resolve
from microcred_vc.keys.keypair import KEY_TYPES, KeyPair, PublicKey, generate_key

__all__ = [
    "KEY_TYPES",
    "KeyPair",
    "PublicKey",
    "Resolver",
    "VerificationMethod",
    "generate_key",
    "resolve",
]
