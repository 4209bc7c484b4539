"""What a seal verification found: ordered steps, the level reached, and checks for ``verify``.

A seal is judged by several independent steps (format, signature, certificate
path, revocation, timestamps, qualification, issuer identity). A person needs
to see every one of them, not only the first that failed, so the report keeps
them all and :meth:`SealReport.to_report` turns each group into its own
:class:`~microcred_vc.report.Check` of the top-level ``verify`` report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from microcred_vc.report import Check, Status, VerificationReport

#: Which seal steps make up each check of a :class:`VerificationReport`, in order.
#: ``seal`` (the integrity check ``verified`` relies on) is the signature itself.
CHECK_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("seal-format", ("structure", "header", "certificate")),
    ("seal", ("signature",)),
    ("seal-certificate", ("key-usage", "signing-time", "certificate-path")),
    ("seal-revocation", ("revocation",)),
    ("seal-timestamp", ("data-timestamp", "signature-timestamp", "archive-timestamp")),
    ("seal-level", ("level",)),
    ("seal-qualification", ("qualification",)),
    ("seal-issuer", ("issuer",)),
)


@dataclass(frozen=True)
class SealStep:
    """One step of seal verification with a stable ``code`` when it failed."""

    name: str
    status: Status
    message: str
    code: str | None = None


@dataclass
class SealReport:
    """What a seal verification found; ``valid`` is derived from the steps.

    ``level`` is the JAdES baseline level the seal proves (``B-B``, ``B-T``,
    ``B-LT``, ``B-LTA``), ``proof_time`` the time the certificate was judged
    at: the signature timestamp's time when one verified, else the check time.
    """

    steps: list[SealStep] = field(default_factory=list)
    payload: Any = None
    header: dict[str, Any] = field(default_factory=dict)
    signer: str | None = None
    signing_time: datetime | None = None
    chain: tuple[str, ...] = ()
    level: str | None = None
    proof_time: datetime | None = None
    #: "QESeal" or "AdESeal/QC" when the Trusted Lists made the seal qualified
    qualification: str | None = None

    def add(self, name: str, status: Status, message: str, code: str | None = None) -> None:
        self.steps.append(SealStep(name, status, message, code))

    @property
    def valid(self) -> bool:
        if any(s.status == "fail" for s in self.steps):
            return False
        passed = {s.name for s in self.steps if s.status == "pass"}
        return {"signature", "certificate-path"} <= passed

    @property
    def failures(self) -> list[SealStep]:
        return [s for s in self.steps if s.status == "fail"]

    @property
    def reason(self) -> str | None:
        """The first failure as a sentence, or None when the seal is valid."""
        first = self.failures[:1]
        return f"{first[0].name}: {first[0].message}" if first else None

    @property
    def code(self) -> str | None:
        first = self.failures[:1]
        return first[0].code if first else None

    def step(self, name: str) -> SealStep | None:
        return next((s for s in self.steps if s.name == name), None)

    def steps_named(self, name: str) -> list[SealStep]:
        return [s for s in self.steps if s.name == name]

    def to_check(self) -> Check:
        """The seal as one summary check (the first failure, or the signer when valid)."""
        if self.valid:
            level = f" ({self.level})" if self.level else ""
            return Check("seal", "pass", f"JAdES seal{level} valid, sealed by {self.signer}", None)
        return Check(
            "seal", "fail", self.reason or "seal could not be verified", self.code or "SEAL_INVALID"
        )

    def to_checks(self) -> list[Check]:
        """One check per group of steps, so every seal step is visible in ``verify``."""
        checks: list[Check] = []
        for check_name, names in CHECK_GROUPS:
            steps = [s for s in self.steps if s.name in names]
            if not steps:
                continue
            failed = [s for s in steps if s.status == "fail"]
            if failed:
                message = "; ".join(f"{s.name}: {s.message}" for s in failed)
                checks.append(Check(check_name, "fail", message, failed[0].code or "SEAL_INVALID"))
                continue
            status: Status = next(
                (st for st in ("warn", "pass") if any(s.status == st for s in steps)), "skip"
            )
            checks.append(Check(check_name, status, "; ".join(s.message for s in steps), None))
        if not any(c.name == "seal" for c in checks):  # the envelope could not be read
            checks.append(self.to_check())
        return checks

    def to_report(self) -> VerificationReport:
        """Used by the top-level ``verify`` (microcred_vc.api)."""
        return self.to_verification_report()

    def to_verification_report(self) -> VerificationReport:
        report = VerificationReport(format="edc-jades", document=self.payload)
        report.extend(self.to_checks())
        return report
