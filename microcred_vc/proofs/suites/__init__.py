"""Cryptosuites, each a declaration registered by name (see :mod:`.base`, :mod:`.registry`).

Importing this package registers the built-in suites in :data:`DEFAULT_SUITES`;
a new suite is a new module here (or anywhere) calling :func:`register_suite`
with a new name, or a :class:`SuiteRegistry` of its own.
"""

from microcred_vc.proofs.suites import ecdsa, ed25519_2020, eddsa, legacy  # noqa: F401 - registers
from microcred_vc.proofs.suites.base import Cryptosuite, StageContext
from microcred_vc.proofs.suites.registry import (
    DEFAULT_SUITES,
    SuiteRegistry,
    available_suites,
    get_suite,
    register_suite,
    suite_for_proof,
)

__all__ = [
    "DEFAULT_SUITES",
    "Cryptosuite",
    "StageContext",
    "SuiteRegistry",
    "available_suites",
    "get_suite",
    "register_suite",
    "suite_for_proof",
]
