"""Who signed a status list, and whether that signer may speak for the credential.

The credential's signed data names the list's URL, but not who may sign what
is served there. Whoever controls that URL's content (a hosting provider, a
CDN, a hijacked DNS name, anyone with write access to the web server) can
serve a list whose proof verifies perfectly — under *their own* key — with
every bit cleared, "un-revoking" everything. So a verified proof is not
enough: by default the list must be signed by a key of the credential's own
issuer (issue #16, item 2). The signer is the controller the proof engine
proved (a key listed in its controller's document), never a claimed field.

Policies (``list_signers``):

- ``"issuer"`` (default): a verified signer of the list is the credential's issuer;
- ``"any-verified"``: any verified signer (the behaviour before this check);
- a collection of DIDs: a verified signer is one of them (a status service
  that signs lists for several issuers).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from microcred_vc.errors import StatusError

ListSigners = str | Collection[str]
POLICIES = ("issuer", "any-verified")
SIGNER_MISMATCH = "STATUS_LIST_SIGNER_MISMATCH"
SIGNER_UNKNOWN = "STATUS_LIST_SIGNER_UNKNOWN"


@dataclass(frozen=True)
class ListVerdict:
    """What verifying a status list credential established."""

    verified: bool
    errors: list[str] = field(default_factory=list)
    #: controllers proven by the list's verified proofs; None when the verifier did not say
    signers: tuple[str, ...] | None = None
    #: the list as signed (dates from the signed graph), for the validity check
    signed: Mapping[str, Any] | None = None
    #: encodedList / statusPurpose / ttl as the proof covers them (None: not known)
    values: Mapping[str, tuple[str, ...]] | None = None


def check_policy(policy: Any) -> ListSigners:
    """``policy`` when it is one :func:`signer_problem` understands; StatusError if not."""
    if isinstance(policy, str):
        if policy not in POLICIES:
            raise StatusError(
                f"list_signers must be 'issuer', 'any-verified' or a set of DIDs, not {policy!r}"
            )
        return policy
    if isinstance(policy, Collection) and all(isinstance(d, str) and d for d in policy):
        return frozenset(policy)
    raise StatusError("list_signers must be 'issuer', 'any-verified' or a set of DIDs")


def verify_list_credential(
    doc: Mapping[str, Any],
    *,
    now: datetime | None = None,
    loader: Any = None,
    resolver: Any = None,
    clock_skew: timedelta | None = None,
    allowed_suites: Collection[str] | None = None,
) -> ListVerdict:
    """The checks a credential gets, bar expiry, in the caller's verification context.

    ``now``, ``clock_skew``, ``loader``, ``resolver`` and ``allowed_suites`` are
    the credential's own, so a list is judged exactly as the credential is.
    Expiry is left to the status check, which reports it with the list's own
    codes (``STATUS_LIST_EXPIRED``) from the dates in ``signed``.
    """
    from microcred_vc.proofs.engine import current_time  # lazy: avoid an import cycle
    from microcred_vc.proofs.verify import (
        context_check,
        issuer_check,
        proof_check,
        signed_data_check,
    )
    from microcred_vc.proofs.verifying import verify_proof
    from microcred_vc.report import VerificationReport
    from microcred_vc.status.signed_list import signed_list_values

    options: dict[str, Any] = {} if clock_skew is None else {"clock_skew": clock_skew}
    if allowed_suites is not None:
        from microcred_vc.proofs.suites.registry import SuiteRegistry

        options["suites"] = SuiteRegistry(allowed=allowed_suites)
    result = verify_proof(doc, resolver=resolver, loader=loader, now=current_time(now), **options)
    report = VerificationReport(checks=[context_check(doc, result, loader), proof_check(result)])
    facts, graph = signed_data_check(doc, result, loader)
    report.checks += [graph, issuer_check(doc, result, facts)]
    try:
        values = signed_list_values(doc, result, loader)
    except Exception as exc:  # unreadable signed data is not belief
        report.add("signed_data", "fail", f"the signed list cannot be read: {exc}")
        values = None
    return ListVerdict(
        report.verified, report.errors, tuple(result.controllers), facts.view(doc), values
    )


def as_verdict(result: Any) -> ListVerdict:
    """Accept a ListVerdict, a VerificationReport, a Check-like object or a bool."""
    if isinstance(result, ListVerdict):
        return result
    if isinstance(result, bool):
        return ListVerdict(result, [] if result else ["its proof did not verify"])
    verified = getattr(result, "verified", None)
    if verified is None:
        verified = getattr(result, "passed", False)
    errors = [str(e) for e in getattr(result, "errors", None) or []]
    signers = getattr(result, "signers", None)
    known = tuple(str(s) for s in signers) if signers is not None else None
    return ListVerdict(bool(verified), errors or ["its proof did not verify"], known)


def credential_issuer(credential: Mapping[str, Any]) -> str | None:
    """The issuer id of the credential (the signed graph's, in a verifier's view)."""
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def signer_problem(
    policy: ListSigners, signers: tuple[str, ...] | None, issuer: str | None
) -> tuple[str, str] | None:
    """(sentence, code) when the list's signers do not satisfy ``policy``; else None."""
    if policy == "any-verified":
        return None
    if signers is None:
        return (
            "its verifier did not say who signed it (return an object with .signers, "
            "or choose list_signers='any-verified')",
            SIGNER_UNKNOWN,
        )
    shown = ", ".join(signers) or "nobody"
    if policy == "issuer":
        if issuer is None:
            return "the credential names no issuer id to compare its signer with", SIGNER_MISMATCH
        if issuer in signers:
            return None
        return f"it is signed by {shown}, not by the credential's issuer {issuer}", SIGNER_MISMATCH
    if any(s in policy for s in signers):
        return None
    return f"it is signed by {shown}, none of the trusted list signers", SIGNER_MISMATCH
