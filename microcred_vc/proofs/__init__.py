"""Data Integrity proofs: one generic engine, cryptosuites as registered declarations."""

from microcred_vc.proofs.engine import ProofResult, SingleProofResult, add_proof, verify_proof
from microcred_vc.proofs.suites import Cryptosuite, available_suites, get_suite, register_suite

__all__ = [
    "Cryptosuite",
    "ProofResult",
    "SingleProofResult",
    "add_proof",
    "available_suites",
    "get_suite",
    "register_suite",
    "verify_proof",
]
