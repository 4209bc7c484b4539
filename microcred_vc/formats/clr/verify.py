"""Verify a ``ClrCredential``: its own proof, then every credential it holds.

The CLR's proof says only that its publisher assembled this record; it vouches
for nothing inside. Each nested credential (an OB 3.0 AchievementCredential as
JSON, a compact JWT, or an ``EnvelopedVerifiableCredential``) is therefore
verified on its own terms through ``context.verify`` — the format registry,
with the very same :class:`~microcred_vc.context.VerificationContext` (loader,
resolver, fetch, clock, status policy…) — and its issuer is judged against its
own proof, never against the CLR's issuer. Its checks join the report prefixed
``credential N:``, the way a presentation reports the credentials it carries,
after one ``credential`` check with that credential's verdict, so a tampered,
expired or unsigned credential inside a validly signed CLR fails the whole report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microcred_vc.context import VerificationContext
from microcred_vc.formats.clr.summary import nested_credentials, summarize, summary_check
from microcred_vc.report import Check, VerificationReport


def verify_clr(value: Any, context: VerificationContext) -> VerificationReport:
    """The CLR's checks, an ``achievements`` summary, then each nested credential's."""
    report = context.verify_data_integrity(value)
    report.format = "clr"
    if not isinstance(value, Mapping):
        return report
    report.checks.append(summary_check(summarize(value)))
    for index, cred in enumerate(nested_credentials(value), start=1):
        report.extend(_nested_checks(index, cred, context))
    return report


def _payload(cred: Any) -> Any:
    """What to verify: an enveloped credential's data URL carries the token after the comma."""
    if isinstance(cred, Mapping) and cred.get("type") == "EnvelopedVerifiableCredential":
        return str(cred.get("id", "")).split(",", 1)[-1]
    return cred


def _title(cred: Any) -> str:
    """A name a person recognises: the achievement's, else the credential's."""
    if not isinstance(cred, Mapping):
        return ""
    subject = cred.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    for source in (achievement, cred):
        name = source.get("name") if isinstance(source, Mapping) else None
        if isinstance(name, str) and name.strip():
            return f" ({name.strip()[:80]})"
    return ""


def _nested_checks(index: int, cred: Any, context: VerificationContext) -> list[Check]:
    prefix = f"credential {index}"
    if not isinstance(cred, Mapping | str):
        return [
            Check(
                "credential",
                "fail",
                f"{prefix}: an entry of verifiableCredential is neither a JSON object nor a JWT",
                "INPUT_INVALID",
            )
        ]
    inner = context.verify(_payload(cred))
    shown = f"{prefix}{_title(cred)}"
    if inner.verified:
        head = Check("credential", "pass", f"{shown}: verified as {inner.format or 'a credential'}")
    else:
        first = next((c for c in inner.checks if c.failed), None)
        reason = first.message if first else "no check established its integrity"
        code = first.code if first else "PROOF_MISSING"
        head = Check("credential", "fail", f"{shown}: not verified: {reason}", code)
    # the inner format check stays only when it failed (it is the reason)
    kept = [c for c in inner.checks if c.name != "format" or c.failed]
    return [head] + [Check(c.name, c.status, f"{prefix}: {c.message}", c.code) for c in kept]
