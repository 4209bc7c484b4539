"""Verifiable presentations: a holder wraps credentials and proves who is presenting.

The presentation proof uses the authentication purpose and binds the
verifier's challenge (and domain), so a captured presentation cannot be
replayed. Verifying it means verifying that proof *and* every credential
inside, each reported as its own checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from microcred_vc.context import VerificationContext
from microcred_vc.errors import ProofCreationError
from microcred_vc.keys.keypair import KeyPair
from microcred_vc.proofs.engine import (
    DEFAULT_SKEW,
    ResolverLike,
    add_proof,
    current_time,
)
from microcred_vc.proofs.signed_facts import PRESENTATION_TYPE
from microcred_vc.proofs.verify import (
    VC_V1,
    VC_V2,
    StatusChecker,
    context_check,
    proof_check,
    signed_data_check,
    verify_credential,
)
from microcred_vc.proofs.verifying import verify_proof
from microcred_vc.report import Check, VerificationReport
from microcred_vc.validate.datamodel import datamodel_check

if TYPE_CHECKING:
    from microcred_vc.formats.registry import FormatRegistry


def _first_context(doc: Any) -> Any:
    ctx = doc.get("@context") if isinstance(doc, Mapping) else None
    return ctx[0] if isinstance(ctx, list) and ctx else ctx


def create_presentation(
    credentials: Sequence[Mapping[str, Any]] | Mapping[str, Any],
    holder_key: KeyPair,
    *,
    challenge: str,
    domain: str | list[str] | None = None,
    cryptosuite: str | None = None,
    presentation_id: str | None = None,
    created: datetime | str | None = None,
    loader: Any = None,
) -> dict[str, Any]:
    """A presentation of ``credentials`` signed by ``holder_key`` for one verifier."""
    if not isinstance(challenge, str) or not challenge:
        raise ProofCreationError("a presentation needs the verifier's challenge (a string)")
    creds = [credentials] if isinstance(credentials, Mapping) else list(credentials)
    # VC 1.1 credentials travel in a VC 1.1 presentation; mixing the two
    # protected base contexts in one document is not allowed.
    all_v1 = bool(creds) and all(_first_context(c) == VC_V1 for c in creds)
    vp: dict[str, Any] = {"@context": [VC_V1 if all_v1 else VC_V2]}
    if presentation_id:
        vp["id"] = presentation_id
    vp["type"] = ["VerifiablePresentation"]
    vp["holder"] = holder_key.did
    if creds:
        vp["verifiableCredential"] = creds
    return add_proof(
        vp,
        holder_key,
        cryptosuite=cryptosuite,
        purpose="authentication",
        challenge=challenge,
        domain=domain,
        created=created,
        loader=loader,
    )


def verify_presentation(
    vp: Any,
    *,
    challenge: str | None,
    domain: str | list[str] | None = None,
    now: datetime | None = None,
    loader: Any = None,
    resolver: ResolverLike | None = None,
    status_checker: StatusChecker | None = None,
    clock_skew: timedelta = DEFAULT_SKEW,
    context: VerificationContext | None = None,
    formats: FormatRegistry | None = None,
) -> VerificationReport:
    """The presentation's checks, then each credential's checks prefixed ``credential N:``.

    ``context`` (what ``microcred_vc.verify`` passes) replaces the loose options:
    the presentation and every credential inside are verified with it, and a
    credential that is not Data Integrity secured goes to ``context.verify``
    (the format registry), so no option is dropped on the way in. Without a
    context, ``formats`` is the registry such a credential is verified through.
    """
    if context is None:
        context = context_from_options(
            {
                "challenge": challenge,
                "domain": domain,
                "now": now,
                "loader": loader,
                "resolver": resolver,
                "clock_skew": clock_skew,
            }
        ).with_changes(formats=formats)
    else:
        status_checker = status_checker or context.status_checker()
    challenge, domain, loader, resolver = (
        context.challenge,
        context.domain,
        context.loader,
        context.resolver,
    )
    clock_skew = DEFAULT_SKEW if context.clock_skew is None else context.clock_skew
    report = VerificationReport(format="vp", document=vp)
    if not isinstance(vp, Mapping):
        report.add("parse", "fail", "a presentation must be a JSON object", "INPUT_INVALID")
        return report
    moment = current_time(context.now)
    result = verify_proof(
        vp,
        resolver=resolver,
        loader=loader,
        now=moment,
        clock_skew=clock_skew,
        purpose="authentication",
        challenge=challenge,
        domain=domain,
        suites=context.suites(),
    )
    report.checks.append(context_check(vp, result, loader))
    # each credential inside gets its own datamodel check below
    report.checks.append(datamodel_check(vp, kind="presentation", nested=False))
    check = proof_check(result)
    check.message = f"presentation: {check.message}"
    report.checks.append(check)
    facts, graph = signed_data_check(vp, result, loader, PRESENTATION_TYPE)
    report.checks.append(graph)
    # the holder the signature covers, never a key the JSON merely shows
    holders = facts.holders
    if len(holders) > 1:
        report.add(
            "holder", "fail", f"the presentation names {len(holders)} holders", "HOLDER_MISMATCH"
        )
    holder_id = holders[0] if len(holders) == 1 else None
    if holder_id is not None:
        if not result.controllers:
            report.add("holder", "skip", "no verified presentation proof to compare with holder")
        elif holder_id in result.controllers:
            report.add("holder", "pass", f"presented by the holder {holder_id}")
        else:
            report.add(
                "holder",
                "fail",
                f"signed by {result.controllers[0]}, but the holder is {holder_id}",
                "HOLDER_MISMATCH",
            )
    creds = vp.get("verifiableCredential", [])
    creds = creds if isinstance(creds, list) else [creds]
    for index, cred in enumerate(creds, start=1):
        checks = _credential_checks(cred, moment, context, status_checker, clock_skew)
        for inner in checks:
            report.checks.append(
                Check(inner.name, inner.status, f"credential {index}: {inner.message}", inner.code)
            )
    return report


def context_from_options(options: Mapping[str, Any]) -> VerificationContext:
    """A context for a direct call with loose options (status as ``verify`` defaults it)."""
    return VerificationContext(
        challenge=options.get("challenge"),
        domain=options.get("domain"),
        now=options.get("now"),
        loader=options.get("loader"),
        resolver=options.get("resolver"),
        clock_skew=options.get("clock_skew", DEFAULT_SKEW),
    )


def _credential_checks(
    cred: Any,
    now: datetime,
    context: VerificationContext,
    status_checker: StatusChecker | None,
    skew: timedelta,
) -> list[Check]:
    if isinstance(cred, Mapping) and "proof" in cred:
        report = verify_credential(
            cred,
            now=now,
            resolver=context.resolver,
            loader=context.loader,
            status_checker=status_checker,
            clock_skew=skew,
            suites=context.suites(),
        )
        return [*report.checks, context.trust_check(report)]  # issuer trust, per credential
    if isinstance(cred, str) or (isinstance(cred, Mapping) and "proof" not in cred):
        # An enveloped (JWT) credential or one secured some other way: hand it to
        # the format registry with the same context rather than guess here.
        payload = cred
        if isinstance(cred, Mapping) and cred.get("type") == "EnvelopedVerifiableCredential":
            payload = str(cred.get("id", "")).split(",", 1)[-1]
        inner = context.verify(payload)
        return [c for c in inner.checks if c.name != "format"] or [
            Check("proof", "fail", "credential could not be verified", "PROOF_MISSING")
        ]
    return [Check("parse", "fail", "credential entry is not a JSON object", "INPUT_INVALID")]
