"""microcred_vc: EU micro-credentials as W3C Verifiable Credentials, Open Badges 3.0 and EDC.

The public API, re-exported here and nothing else::

    from microcred_vc import (MicroCredential, generate_key, KeyPair, issue, verify,
                              convert, canonicalize, VerificationReport, MicrocredError)
"""

from microcred_vc.api import convert, issue, verify, verify_presentation
from microcred_vc.batch import BatchResult, issue_batch
from microcred_vc.context import VerificationContext
from microcred_vc.errors import MicrocredError
from microcred_vc.formats.base import ConversionResult, Loss
from microcred_vc.formats.builtin import FORMATS
from microcred_vc.formats.registry import Format, FormatRegistry
from microcred_vc.jsonld import DocumentLoader, canonicalize
from microcred_vc.keys import (
    KeyPair,
    PublicKey,
    Resolver,
    VerificationMethod,
    generate_key,
    resolve,
)
from microcred_vc.model import (
    Assessment,
    Learner,
    LearningOutcome,
    MicroCredential,
    Organisation,
    QualityAssurance,
    build_micro_credential,
    load_course_spec,
    load_roster,
)
from microcred_vc.proofs import (
    Cryptosuite,
    ProofResult,
    add_proof,
    available_suites,
    create_presentation,
    issue_document,
    register_suite,
    verify_credential,
    verify_proof,
)
from microcred_vc.report import Check, VerificationReport

__version__ = "0.1.0"

#: Heavier spokes (pyshacl, SQLAlchemy, pyhanko, jwcrypto, Pillow) load on first use,
#: so ``import microcred_vc`` stays fast for a verifier that needs none of them.
_LAZY = {
    "StatusRegistry": "microcred_vc.status",
    "check_status": "microcred_vc.status",
    "validate_ob3": "microcred_vc.validate.ob3",
    "validate_edc": "microcred_vc.validate.edc",
    "seal_edc": "microcred_vc.seal",
    "verify_seal": "microcred_vc.seal",
    "sign_jwt": "microcred_vc.jose",
    "verify_jwt": "microcred_vc.jose",
    "bake_png": "microcred_vc.bake",
    "bake_svg": "microcred_vc.bake",
    "unbake": "microcred_vc.bake",
    "render_html": "microcred_vc.render",
    "load_trust_registry": "microcred_vc.trust",
    "AllowList": "microcred_vc.trust",
    "TrustRegistry": "microcred_vc.trust",
    "LegalIdentifier": "microcred_vc.identifiers",
    "parse_legal_identifier": "microcred_vc.identifiers",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'microcred_vc' has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "Format",
    "FormatRegistry",
    "VerificationContext",
    "Assessment",
    "BatchResult",
    "Cryptosuite",
    "Learner",
    "LearningOutcome",
    "Organisation",
    "ProofResult",
    "PublicKey",
    "QualityAssurance",
    "Resolver",
    "VerificationMethod",
    "available_suites",
    "issue_document",
    "register_suite",
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
    *_LAZY,
]
