"""The verification report every verifier in the library returns.

``verify`` never raises on a bad credential: a wallet shows the learner *why*
something failed, so each step is a named :class:`Check` with a sentence a
person can read. ``verified`` is derived, never set by hand, so no producer can
report success while a check failed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

#: "warn": the check could not establish something a person should know (an issuer
#: the key is not shown to belong to, say); it does not fail the report.
Status = Literal["pass", "fail", "skip", "warn"]

#: Check names that establish integrity; a report is verified only if one passed.
INTEGRITY_CHECKS = frozenset({"proof", "signature", "seal", "hosted"})
#: Checks that answer another question than "verified" (DESIGN.md: issuer trust is
#: separate from cryptography); they never change ``verified`` or ``errors``.
SEPARATE_CHECKS = frozenset({"trust"})


@dataclass
class Check:
    """One named step: parse, format, context, schema, proof, expiry, status, issuer..."""

    name: str
    status: Status
    message: str
    code: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def failed(self) -> bool:
        return self.status == "fail"


@dataclass
class VerificationReport:
    """Ordered checks plus what was seen; ``verified`` follows from the checks."""

    checks: list[Check] = field(default_factory=list)
    format: str | None = None
    document: Any = None
    #: The issuer a verified proof was shown to belong to (the issuer check linked
    #: the key to it); ``None`` when nothing proved who issued. The trust check reads
    #: this, never the JSON ``issuer`` field alone.
    issuer: str | None = None

    def add(self, name: str, status: Status, message: str, code: str | None = None) -> Check:
        check = Check(name, status, message, code)
        self.checks.append(check)
        return check

    def extend(self, checks: list[Check]) -> None:
        self.checks.extend(checks)

    @property
    def verified(self) -> bool:
        if any(c.failed and c.name not in SEPARATE_CHECKS for c in self.checks):
            return False
        return any(c.passed and c.name in INTEGRITY_CHECKS for c in self.checks)

    @property
    def errors(self) -> list[str]:
        return [
            f"{c.name}: {c.message}"
            for c in self.checks
            if c.failed and c.name not in SEPARATE_CHECKS
        ]

    @property
    def trusted(self) -> bool:
        """A trust registry the caller gave vouches for the proven issuer (every
        ``trust`` check passed, and there is one). Separate from ``verified``."""
        trust = [c for c in self.checks if c.name == "trust"]
        return bool(trust) and all(c.passed for c in trust)

    @property
    def warnings(self) -> list[str]:
        """Checks a wallet must show next to the verdict (``verified`` does not cover them)."""
        return [f"{c.name}: {c.message}" for c in self.checks if c.status == "warn"]

    def check(self, name: str) -> Check | None:
        """The first check with this name, or None."""
        return next((c for c in self.checks if c.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "trusted": self.trusted,
            "format": self.format,
            "checks": [asdict(c) for c in self.checks],
            "errors": self.errors,
            "warnings": self.warnings,
        }
