"""The ``trust`` check: does a registry the caller gave vouch for the *proven* issuer?

It reads :attr:`VerificationReport.issuer`, which the issuer check sets only when
it linked the signing key to the issuer (docs/issuer-identity.md), never the
JSON ``issuer`` field: a credential that names a vouched-for university but is
signed by someone else's key gets ``fail`` ``TRUST_ISSUER_UNPROVEN``, not
``pass``. The check never changes ``verified`` (report.SEPARATE_CHECKS): it is
shown beside the verdict and summarised as ``report.trusted``.

Registries are consulted in the order given; a registry that lists the issuer
as revoked or expired wins over one that vouches (a withdrawal is news the
other list may not have yet).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from microcred_vc.errors import MicrocredError
from microcred_vc.report import Check, VerificationReport
from microcred_vc.trust.base import TrustAnswer

NO_REGISTRY = "no trust registry was given: nobody is shown to vouch for this issuer"


def _claimed(doc: Any) -> str:
    issuer = doc.get("issuer") if isinstance(doc, Mapping) else None
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else "the issuer"


def _ask(registry: Any, issuer: str, now: datetime | None) -> TrustAnswer | Check:
    name = getattr(registry, "name", repr(registry))
    try:
        answer = registry.lookup(issuer, now=now)
    except MicrocredError as exc:
        return Check("trust", "fail", f"{name}: {exc.message}", "TRUST_REGISTRY_ERROR")
    except Exception as exc:  # a registry bug must not make verify raise
        return Check("trust", "fail", f"{name} could not answer: {exc}", "TRUST_REGISTRY_ERROR")
    if not isinstance(answer, TrustAnswer):
        return Check("trust", "fail", f"{name} gave no TrustAnswer", "TRUST_REGISTRY_ERROR")
    return answer


def trust_check(
    report: VerificationReport, registries: Sequence[Any], now: datetime | None = None
) -> Check:
    """``pass`` (vouched: registry and entry name), ``fail`` (not vouched), ``skip`` (no registry)."""
    if not registries:
        return Check("trust", "skip", NO_REGISTRY)
    issuer = report.issuer
    if issuer is None:
        return Check(
            "trust",
            "fail",
            f"no verified proof shows the credential comes from "
            f"{_claimed(report.document)} (see the issuer check), so no registry was asked",
            "TRUST_ISSUER_UNPROVEN",
        )
    answers: list[TrustAnswer] = []
    for registry in registries:
        answer = _ask(registry, issuer, now)
        if isinstance(answer, Check):
            return answer
        answers.append(answer)
    withdrawn = next((a for a in answers if a.status in ("revoked", "expired")), None)
    if withdrawn is not None:
        code = "TRUST_REVOKED" if withdrawn.status == "revoked" else "TRUST_EXPIRED"
        return Check(
            "trust",
            "fail",
            f"{withdrawn.registry} lists {issuer} as {withdrawn.status} ({withdrawn.detail})",
            code,
        )
    vouched = next((a for a in answers if a.vouched), None)
    if vouched is not None:
        named = f" as {vouched.name!r}" if vouched.name else ""
        return Check(
            "trust",
            "pass",
            f"{issuer} is vouched for by {vouched.registry}{named} ({vouched.detail})",
        )
    names = ", ".join(a.registry for a in answers)
    return Check(
        "trust",
        "fail",
        f"{issuer} is not listed in {names}",
        "TRUST_NOT_LISTED",
    )
