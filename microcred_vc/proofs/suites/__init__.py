"""Cryptosuites, each a declaration registered by name (see :mod:`.base`).

Importing this package registers the built-in suites; a new suite is a new
module here (or anywhere) calling :func:`register_suite`.
"""

from microcred_vc.proofs.suites import ecdsa, ed25519_2020, eddsa  # noqa: F401 - registers
from microcred_vc.proofs.suites.base import (
    Cryptosuite,
    StageContext,
    available_suites,
    get_suite,
    register_suite,
    suite_for_proof,
)

__all__ = [
    "Cryptosuite",
    "StageContext",
    "available_suites",
    "get_suite",
    "register_suite",
    "suite_for_proof",
]
