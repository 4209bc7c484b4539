"""JSON-LD processing: contexts, undefined terms, canonicalisation."""

from __future__ import annotations

from microcred_vc.errors.base import MicrocredError


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
