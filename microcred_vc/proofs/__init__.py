"""Data Integrity proofs: one generic engine, cryptosuites as registered declarations."""

from microcred_vc.proofs.engine import ProofResult, SingleProofResult, add_proof
from microcred_vc.proofs.issue import issue_document
from microcred_vc.proofs.presentation import create_presentation, verify_presentation
from microcred_vc.proofs.purposes import ProofPurpose, PurposeRegistry
from microcred_vc.proofs.suites import (
    Cryptosuite,
    StageContext,
    SuiteRegistry,
    available_suites,
    get_suite,
    register_suite,
)
from microcred_vc.proofs.verify import verify_credential
from microcred_vc.proofs.verifying import verify_proof

__all__ = [
    "Cryptosuite",
    "ProofPurpose",
    "ProofResult",
    "PurposeRegistry",
    "SingleProofResult",
    "StageContext",
    "SuiteRegistry",
    "add_proof",
    "available_suites",
    "create_presentation",
    "get_suite",
    "issue_document",
    "register_suite",
    "verify_credential",
    "verify_presentation",
    "verify_proof",
]
