"""Typed errors with stable codes.

Every error the library raises on purpose is a :class:`MicrocredError` with a
``code`` that never changes once released: CLI exit messages, HTTP problem
details and verification reports all carry it, so integrators can branch on
the code instead of parsing English. Messages are for people and may improve.

Areas add subclasses here (one module, so the error-code table in the docs is
generated from one place). ``all_error_classes()`` feeds that table; codes that
are not classes (check codes) are registered in :mod:`microcred_vc.codes`.
"""

from __future__ import annotations

from typing import Any, ClassVar


class MicrocredError(Exception):
    """Base of every deliberate error; ``code`` is stable, ``message`` is for people."""

    code: ClassVar[str] = "MICROCRED_ERROR"
    title: ClassVar[str] = "Micro-credential error"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code  # type: ignore[misc]
        self.details: dict[str, Any] = details

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """Problem-details shaped dict (RFC 9457 names) for HTTP and ``--json`` output."""
        out: dict[str, Any] = {"code": self.code, "title": self.title, "detail": self.message}
        safe = {k: v for k, v in self.details.items() if isinstance(v, str | int | float | bool)}
        if safe:
            out["details"] = safe
        return out


# --- input ----------------------------------------------------------------
class InputError(MicrocredError):
    code = "INPUT_INVALID"
    title = "Invalid input"


class InputTooLarge(InputError):
    code = "INPUT_TOO_LARGE"
    title = "Input too large"


class InvalidJson(InputError):
    code = "INVALID_JSON"
    title = "Not valid JSON"


class DuplicateJsonKey(InvalidJson):
    code = "JSON_DUPLICATE_KEY"
    title = "Duplicate JSON member name"


class WorkBudgetExceeded(InputTooLarge):
    """Each stage was within its caps, but together they cost too much (issue #16 V5)."""

    code = "WORK_BUDGET_EXCEEDED"
    title = "Verification work budget exceeded"


# --- JSON-LD ----------------------------------------------------------------
class JsonLdError(MicrocredError):
    code = "JSONLD_ERROR"
    title = "JSON-LD processing failed"


class ContextNotAllowed(JsonLdError):
    code = "CONTEXT_NOT_ALLOWED"
    title = "Context not allowed"


class ContextLoadError(JsonLdError):
    code = "CONTEXT_LOAD_FAILED"
    title = "Context could not be loaded"


class UndefinedTerm(JsonLdError):
    code = "UNDEFINED_TERM"
    title = "Term not defined by the context"


class CanonicalizationError(JsonLdError):
    code = "CANON_ERROR"
    title = "Canonicalisation failed"


class CanonicalizationBudgetExceeded(CanonicalizationError):
    code = "CANON_BUDGET_EXCEEDED"
    title = "Canonicalisation work budget exceeded"


class NQuadsParseError(CanonicalizationError):
    code = "NQUADS_PARSE_ERROR"
    title = "Invalid N-Quads"


# --- network ----------------------------------------------------------------
class NetworkError(MicrocredError):
    code = "NETWORK_ERROR"
    title = "Network request failed"


class NetworkDisabled(NetworkError):
    code = "NETWORK_DISABLED"
    title = "Network access is disabled"


class AddressNotAllowed(NetworkError):
    code = "ADDRESS_NOT_ALLOWED"
    title = "Address not allowed"


class NetworkDeadlineExceeded(NetworkError):
    """The whole request (lookups, redirects, body) outlived its deadline."""

    code = "NETWORK_DEADLINE"
    title = "Network request took longer than its deadline"


# --- keys and DIDs --------------------------------------------------------
class KeyError_(MicrocredError):  # trailing _ avoids shadowing builtins.KeyError
    code = "KEY_ERROR"
    title = "Key error"


class KeyFormatError(KeyError_):
    code = "KEY_FORMAT_INVALID"
    title = "Key material could not be read"


class UnsupportedKeyType(KeyError_):
    code = "KEY_TYPE_UNSUPPORTED"
    title = "Key type not supported"


class KeyPasswordError(KeyError_):
    code = "KEY_PASSWORD_INVALID"
    title = "Wrong or missing password for the key file"


class KeyFileError(KeyError_):
    code = "KEY_FILE_INVALID"
    title = "Key file could not be read or written"


class DidResolutionError(MicrocredError):
    code = "DID_RESOLUTION_FAILED"
    title = "DID could not be resolved"


class UnsupportedDidMethod(DidResolutionError):
    code = "DID_METHOD_UNSUPPORTED"
    title = "DID method not supported"


# --- proofs -----------------------------------------------------------------
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


# --- model and formats ------------------------------------------------------
class ModelError(MicrocredError):
    code = "MODEL_INVALID"
    title = "Micro-credential is not valid"


class CourseSpecError(ModelError):
    code = "COURSE_SPEC_INVALID"
    title = "Course specification is not valid"


class RosterError(ModelError):
    code = "ROSTER_INVALID"
    title = "Learner roster is not valid"


class RosterRowsInvalid(RosterError):
    """Every bad row of a roster at once (a batch checks all rows before issuing any).

    ``problems`` is a list of :class:`microcred_vc.batch.RowProblem` (row, column, code,
    message); :meth:`to_dict` carries them so an HTTP client can show them all.
    """

    code = "ROSTER_ROWS_INVALID"
    title = "Roster rows are not valid (nothing was issued)"

    def __init__(self, message: str, *, problems: list[Any], **details: Any) -> None:
        super().__init__(message, **details)
        self.problems = list(problems)

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["rows"] = [p.as_dict() for p in self.problems]
        return out


class FormatError(MicrocredError):
    code = "FORMAT_ERROR"
    title = "Credential format error"


class UnknownFormat(FormatError):
    code = "UNKNOWN_FORMAT"
    title = "Unknown credential format"


class ConversionError(FormatError):
    code = "CONVERSION_FAILED"
    title = "Conversion failed"


class EdcProfileError(ConversionError):
    """The EDC written would break the EDC application profile; nothing was emitted."""

    code = "EDC_PROFILE_VIOLATION"
    title = "The EDC would not satisfy the EDC application profile"


class EdcIssuerNoLegalId(EdcProfileError):
    """The EDC AP gives the issuer exactly one eIDAS legal identifier (``eIDASIdentifier``)."""

    code = "EDC_ISSUER_NO_LEGAL_ID"
    title = "The EDC issuer has no eIDAS legal identifier"


class EdcIssuerSealMismatch(EdcProfileError):
    """The issuer's legal identifier is not the seal certificate's organizationIdentifier."""

    code = "EDC_ISSUER_SEAL_MISMATCH"
    title = "The EDC issuer's legal identifier is not the seal certificate's"


class LegalIdentifierInvalid(InputError):
    """Not a legal identifier in a form the library reads (ETSI EN 319 412-1, eIDAS, ELM)."""

    code = "LEGAL_ID_INVALID"
    title = "Legal identifier not readable"


class SchemaUnavailable(FormatError):
    code = "SCHEMA_UNAVAILABLE"
    title = "Validation schema or shapes not found"


class Ob2Invalid(FormatError):
    code = "OB2_INVALID"
    title = "Open Badges 2.0 badge is not valid"


class DataModelError(FormatError):
    """The document breaks a MUST of the W3C VC data model; nothing was signed.

    ``violations`` lists each broken rule with its JSON path and rule id
    (``microcred_vc.validate.datamodel.RULES``), so the caller can fix them all.
    """

    code = "DATAMODEL_INVALID"
    title = "Credential does not conform to the VC data model"

    def __init__(self, violations: list[Any], message: str | None = None) -> None:
        self.violations = list(violations)
        shown = "; ".join(str(v) for v in self.violations[:5])
        more = f" (and {len(self.violations) - 5} more)" if len(self.violations) > 5 else ""
        super().__init__(
            message or f"{len(self.violations)} data-model violation(s): {shown}{more}"
        )

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["violations"] = [v.to_dict() for v in self.violations]
        return out


# --- JOSE -------------------------------------------------------------------
class JoseError(MicrocredError):
    code = "JOSE_ERROR"
    title = "JOSE error"


class JwtInvalid(JoseError):
    code = "JWT_INVALID"
    title = "JWT is not valid"


# --- baking -----------------------------------------------------------------
class BakeError(MicrocredError):
    code = "BAKE_FAILED"
    title = "Baking failed"


class UnbakeError(BakeError):
    code = "UNBAKE_FAILED"
    title = "No badge could be read from the image"


class ImageLimitExceeded(UnbakeError):
    """A PNG with more chunks or pixels than any badge has (baking or reading it)."""

    code = "IMAGE_LIMIT_EXCEEDED"
    title = "Image has too many chunks or pixels"


# --- status -------------------------------------------------------------------
class StatusError(MicrocredError):
    code = "STATUS_ERROR"
    title = "Status list error"


class StatusDatabaseUnavailable(StatusError):
    """The status database cannot be reached or opened (a message, not a driver traceback)."""

    code = "STATUS_DB_UNAVAILABLE"
    title = "Status database unavailable"


class StatusListFull(StatusError):
    code = "STATUS_LIST_FULL"
    title = "Status list has no free index"


class StatusNotFound(StatusError):
    code = "STATUS_NOT_FOUND"
    title = "Status entry not found"


class StatusListInvalid(StatusError):
    code = "STATUS_LIST_INVALID"
    title = "Status list or status entry is malformed"


class StatusListTooLarge(StatusListInvalid):
    code = "STATUS_LIST_TOO_LARGE"
    title = "Status list inflates beyond the size cap"


# --- seal -------------------------------------------------------------------
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


# --- issuer trust ------------------------------------------------------------
class TrustRegistryInvalid(InputError):
    """A trust-registry file is none of the formats the library reads (allow-list,
    DCC issuer registry, EBSI TIR response), or is malformed."""

    code = "TRUST_REGISTRY_INVALID"
    title = "Not a trust registry file the library can read"


# --- service and configuration ---------------------------------------------
class ConfigError(MicrocredError):
    code = "CONFIG_INVALID"
    title = "Configuration is not valid"


def all_error_classes() -> list[type[MicrocredError]]:
    """Every error class, base first, for the generated error-code table."""
    seen: list[type[MicrocredError]] = []
    stack: list[type[MicrocredError]] = [MicrocredError]
    while stack:
        cls = stack.pop(0)
        if cls not in seen:
            seen.append(cls)
            stack.extend(cls.__subclasses__())
    return seen
