"""Typed errors with stable codes.

Every error the library raises on purpose is a :class:`MicrocredError` with a
``code`` that never changes once released: CLI exit messages, HTTP problem
details and verification reports all carry it, so integrators can branch on
the code instead of parsing English. Messages are for people and may improve.

Each area's errors live in a module of this package; all are re-exported here, so
``from microcred_vc.errors import X`` stays the one import and the error-code table
in the docs is generated from one place. ``all_error_classes()`` feeds that table; codes that
are not classes (check codes) are registered in :mod:`microcred_vc.codes`.
"""

from __future__ import annotations

from microcred_vc.errors.bake import (
    BakeError,
    ImageLimitExceeded,
    UnbakeError,
)
from microcred_vc.errors.base import (
    DuplicateJsonKey,
    InputError,
    InputTooLarge,
    InvalidJson,
    MicrocredError,
    WorkBudgetExceeded,
    all_error_classes,
)
from microcred_vc.errors.formats import (
    ConversionError,
    CourseSpecError,
    DataModelError,
    EdcIssuerNoLegalId,
    EdcIssuerSealMismatch,
    EdcProfileError,
    FormatError,
    LegalIdentifierInvalid,
    ModelError,
    Ob2Invalid,
    RosterError,
    RosterRowsInvalid,
    SchemaUnavailable,
    UnknownFormat,
)
from microcred_vc.errors.jose import (
    JoseError,
    JwtInvalid,
)
from microcred_vc.errors.jsonld import (
    CanonicalizationBudgetExceeded,
    CanonicalizationError,
    ContextLoadError,
    ContextNotAllowed,
    JsonLdError,
    NQuadsParseError,
    UndefinedTerm,
)
from microcred_vc.errors.keys import (
    DidResolutionError,
    KeyError_,
    KeyFileError,
    KeyFormatError,
    KeyPasswordError,
    UnsupportedDidMethod,
    UnsupportedKeyType,
)
from microcred_vc.errors.network import (
    AddressNotAllowed,
    NetworkDeadlineExceeded,
    NetworkDisabled,
    NetworkError,
)
from microcred_vc.errors.proofs import (
    IssuerKeyMismatch,
    IssuerMissing,
    OptionUnsupported,
    ProofCreationError,
    ProofError,
    ProofVerificationError,
    RegistryConflict,
    UnknownCryptosuite,
)
from microcred_vc.errors.seal import (
    CertificateError,
    SealCreationError,
    SealError,
    SealFormatError,
)
from microcred_vc.errors.service import (
    ConfigError,
)
from microcred_vc.errors.status import (
    StatusDatabaseUnavailable,
    StatusError,
    StatusListFull,
    StatusListInvalid,
    StatusListTooLarge,
    StatusNotFound,
)
from microcred_vc.errors.trust import (
    TrustRegistryInvalid,
)

__all__ = [
    "AddressNotAllowed",
    "BakeError",
    "CanonicalizationBudgetExceeded",
    "CanonicalizationError",
    "CertificateError",
    "ConfigError",
    "ContextLoadError",
    "ContextNotAllowed",
    "ConversionError",
    "CourseSpecError",
    "DataModelError",
    "DidResolutionError",
    "DuplicateJsonKey",
    "EdcIssuerNoLegalId",
    "EdcIssuerSealMismatch",
    "EdcProfileError",
    "FormatError",
    "ImageLimitExceeded",
    "InputError",
    "InputTooLarge",
    "InvalidJson",
    "IssuerKeyMismatch",
    "IssuerMissing",
    "JoseError",
    "JsonLdError",
    "JwtInvalid",
    "KeyError_",
    "KeyFileError",
    "KeyFormatError",
    "KeyPasswordError",
    "LegalIdentifierInvalid",
    "MicrocredError",
    "ModelError",
    "NQuadsParseError",
    "NetworkDeadlineExceeded",
    "NetworkDisabled",
    "NetworkError",
    "Ob2Invalid",
    "OptionUnsupported",
    "ProofCreationError",
    "ProofError",
    "ProofVerificationError",
    "RegistryConflict",
    "RosterError",
    "RosterRowsInvalid",
    "SchemaUnavailable",
    "SealCreationError",
    "SealError",
    "SealFormatError",
    "StatusDatabaseUnavailable",
    "StatusError",
    "StatusListFull",
    "StatusListInvalid",
    "StatusListTooLarge",
    "StatusNotFound",
    "TrustRegistryInvalid",
    "UnbakeError",
    "UndefinedTerm",
    "UnknownCryptosuite",
    "UnknownFormat",
    "UnsupportedDidMethod",
    "UnsupportedKeyType",
    "WorkBudgetExceeded",
    "all_error_classes",
]
