"""JAdES seals, certificates and Trusted Lists."""

from __future__ import annotations

from microcred_vc.errors.base import MicrocredError


class SealError(MicrocredError):
    code = "SEAL_ERROR"
    title = "Seal error"


class CertificateError(SealError):
    code = "CERTIFICATE_INVALID"
    title = "Certificate could not be read or used"


class SealCreationError(SealError):
    code = "SEAL_CREATION_FAILED"
    title = "Seal could not be created"


class SealFormatError(SealError):
    code = "SEAL_MALFORMED"
    title = "Sealed document could not be read"
