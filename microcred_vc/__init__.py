"""microcred_vc: EU micro-credentials as W3C Verifiable Credentials, Open Badges 3.0 and EDC.

The public API, re-exported here and nothing else::

    from microcred_vc import (MicroCredential, generate_key, KeyPair, issue, verify,
                              convert, canonicalize, VerificationReport, MicrocredError)
"""

from microcred_vc.api import convert, issue, verify
from microcred_vc.batch import BatchResult, issue_batch
from microcred_vc.errors import MicrocredError
from microcred_vc.formats.base import ConversionResult, Loss
from microcred_vc.jsonld import DocumentLoader, canonicalize
from microcred_vc.keys import KeyPair, generate_key, resolve
from microcred_vc.model import (
    MicroCredential,
    build_micro_credential,
    load_course_spec,
    load_roster,
)
from microcred_vc.proofs import (
    add_proof,
    create_presentation,
    verify_credential,
    verify_presentation,
    verify_proof,
)
from microcred_vc.report import Check, VerificationReport

__version__ = "0.1.0"

__all__ = [
    "BatchResult",
    "Check",
    "ConversionResult",
    "DocumentLoader",
    "KeyPair",
    "Loss",
    "MicroCredential",
    "MicrocredError",
    "VerificationReport",
    "__version__",
    "add_proof",
    "build_micro_credential",
    "canonicalize",
    "convert",
    "create_presentation",
    "generate_key",
    "issue",
    "issue_batch",
    "load_course_spec",
    "load_roster",
    "resolve",
    "verify",
    "verify_credential",
    "verify_presentation",
    "verify_proof",
]
