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
from microcred_vc.envelope import enveloped_kind, enveloped_token, is_enveloped
from microcred_vc.errors import MicrocredError, ProofCreationError
from microcred_vc.keys.keypair import KeyPair
from microcred_vc.proofs.engine import (
    DEFAULT_SKEW,
    ResolverLike,
    add_proof,
    current_time,
)
from microcred_vc.proofs.signed_facts import PRESENTATION_TYPE, json_facts
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

#: A presentation carrying more credentials is refused before any is verified: each
#: one may cost key resolution, status fetches and canonicalisation.
MAX_PRESENTED_CREDENTIALS = 100
#: Report formats of presentations (which must not stand in for a credential).
PRESENTATION_FORMATS = frozenset({"vp", "vp11-jwt", "vp-jose-cose", "vp-enveloped"})


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
    report.checks.extend(
        presented_credential_checks(
            vp.get("verifiableCredential"),
            context,
            holder=holder_id,
            now=moment,
            status_checker=status_checker,
        )
    )
    return report


def presented_credential_checks(
    credentials: Any,
    context: VerificationContext,
    *,
    holder: str | None,
    now: datetime | None = None,
    status_checker: StatusChecker | None = None,
) -> list[Check]:
    """Each presented credential's checks, prefixed ``credential N:`` (every presentation form).

    A Data Integrity credential is verified here, anything else (a JWT, an
    ``EnvelopedVerifiableCredential``) through ``context.verify`` with the same
    context; a presentation where a credential belongs fails. With
    ``context.require_holder_is_subject`` each credential also gets a ``subject``
    check: its verified subject must be ``holder``.
    """
    if credentials is None:
        return []
    creds = credentials if isinstance(credentials, list) else [credentials]
    limit = getattr(context.limits, "max_presented_credentials", None) or MAX_PRESENTED_CREDENTIALS
    if len(creds) > limit:
        # refused before any work: each credential may mean key resolution and status fetches
        return [
            Check(
                "credentials",
                "fail",
                f"the presentation carries {len(creds)} credentials; at most {limit} are verified",
                "PRESENTATION_TOO_LARGE",
            )
        ]
    moment = current_time(context.now if now is None else now)
    skew = DEFAULT_SKEW if context.clock_skew is None else context.clock_skew
    out: list[Check] = []
    for index, cred in enumerate(creds, start=1):
        checks, document = _credential_checks(cred, moment, context, status_checker, skew)
        if context.require_holder_is_subject:
            checks.append(_subject_check(document, holder))
        out.extend(
            Check(c.name, c.status, f"credential {index}: {c.message}", c.code) for c in checks
        )
    return out


def _subject_check(document: Any, holder: str | None) -> Check:
    """The holder is a subject of the credential (read from the verified document)."""
    if holder is None:
        return Check(
            "subject", "fail", "the presentation names no holder to compare", "HOLDER_NOT_SUBJECT"
        )
    if not isinstance(document, Mapping):
        return Check("subject", "fail", "no verified credential to compare", "HOLDER_NOT_SUBJECT")
    # The signed_data check of the credential has shown these JSON ids are the signed ones.
    subjects = json_facts(document).subjects
    if holder in subjects:
        return Check("subject", "pass", f"the holder {holder} is the credential's subject")
    shown = ", ".join(subjects) or "a subject without an id"
    return Check(
        "subject",
        "fail",
        f"the credential is about {shown}, not the holder {holder}",
        "HOLDER_NOT_SUBJECT",
    )


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
) -> tuple[list[Check], Any]:
    """The checks of one presented credential, and the document they verified."""
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
        # issuer trust, per credential
        return [*report.checks, context.trust_check(report)], cred
    if isinstance(cred, str | Mapping):
        # An enveloped (JWT) credential or one secured some other way: hand it to
        # the format registry with the same context rather than guess here.
        payload: Any = cred
        if is_enveloped(cred) or (isinstance(cred, Mapping) and enveloped_kind(cred)):
            try:
                payload = enveloped_token(cred, "credential")  # type: ignore[arg-type]
            except MicrocredError as exc:
                return [Check("format", "fail", exc.message, exc.code)], None
        inner = context.verify(payload)
        if inner.format in PRESENTATION_FORMATS:
            message = "a presentation sits where a credential belongs"
            return [Check("format", "fail", message, "PRESENTATION_NESTED")], None
        checks = [c for c in inner.checks if c.name != "format" or c.failed] or [
            Check("proof", "fail", "credential could not be verified", "PROOF_MISSING")
        ]
        return checks, inner.document
    return [Check("parse", "fail", "credential entry is not a JSON object", "INPUT_INVALID")], None
