"""The hub model, course specs and rosters, formats and conversions."""

from __future__ import annotations

from typing import Any

from microcred_vc.errors.base import InputError, MicrocredError


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
