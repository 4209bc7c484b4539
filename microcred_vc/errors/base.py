"""The root of every deliberate error, and the errors of input that reaches the library."""

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


def all_error_classes() -> list[type[MicrocredError]]:
    """Every error class, base first, for the generated error-code table.

    Breadth-first, each class's subclasses by code: the order must not depend on which
    area module happened to be imported first, or the generated page would churn.
    """
    seen: list[type[MicrocredError]] = []
    stack: list[type[MicrocredError]] = [MicrocredError]
    while stack:
        cls = stack.pop(0)
        if cls not in seen:
            seen.append(cls)
            stack.extend(sorted(cls.__subclasses__(), key=lambda sub: sub.code))
    return seen
