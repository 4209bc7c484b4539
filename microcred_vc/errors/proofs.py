"""Data Integrity proofs: suites, registries, creating and verifying."""

from __future__ import annotations

from microcred_vc.errors.base import InputError, MicrocredError


class ProofError(MicrocredError):
    code = "PROOF_ERROR"
    title = "Proof error"


class UnknownCryptosuite(ProofError):
    code = "UNKNOWN_CRYPTOSUITE"
    title = "Unknown cryptosuite"


class OptionUnsupported(InputError):
    """An issuing option the service does not implement: refused, never replaced."""

    code = "OPTION_UNSUPPORTED"
    title = "Unsupported issuing option"


class RegistryConflict(ProofError, ValueError):
    """A suite or purpose name is registered already: replacing it is refused, so no
    import can silently change what an existing name signs or accepts."""

    code = "REGISTRY_NAME_TAKEN"
    title = "Name already registered"


class ProofCreationError(ProofError):
    code = "PROOF_CREATION_FAILED"
    title = "Proof could not be created"


class IssuerKeyMismatch(ProofCreationError):
    """The signing key's controller is not the issuer the credential names."""

    code = "ISSUER_KEY_MISMATCH"
    title = "The key does not belong to the issuer"


class IssuerMissing(ProofCreationError):
    """The credential to sign names no issuer (the VC data model requires one)."""

    code = "ISSUER_MISSING"
    title = "The credential names no issuer"


class ProofVerificationError(ProofError):
    code = "PROOF_VERIFICATION_MISUSE"
    title = "Proof verification was called incorrectly"
