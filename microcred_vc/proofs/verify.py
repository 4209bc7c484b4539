"""Verify a Data Integrity credential as a list of named, human-readable checks.

The top-level ``verify`` sends every embedded-proof credential here. Each step
(context, proof, expiry, issuer, status) becomes one :class:`Check`, because a
wallet must tell a learner *which* thing is wrong, not just "invalid".
Nothing in here raises on a bad credential.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from microcred_vc.errors import MicrocredError, UndefinedTerm
from microcred_vc.proofs.engine import (
    DEFAULT_SKEW,
    ProofResult,
    ResolverLike,
    current_time,
    parse_datetime,
)
from microcred_vc.proofs.signed_facts import (
    CREDENTIAL_TYPE,
    Facts,
    SignedGraphError,
    compared,
    facts_from_document,
    facts_from_nquads,
    json_facts,
    shared_expansion,
    sharing_expansion,
    unsecured_dataset,
)
from microcred_vc.proofs.suites.registry import SuiteRegistry
from microcred_vc.proofs.verifying import verify_proof
from microcred_vc.report import Check, VerificationReport
from microcred_vc.validate.datamodel import datamodel_check

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
BASE_CONTEXTS = (VC_V2, VC_V1)

StatusChecker = Callable[[Mapping[str, Any]], Check]


def verify_credential(
    doc: Any,
    *,
    now: datetime | None = None,
    resolver: ResolverLike | None = None,
    loader: Any = None,
    status_checker: StatusChecker | None = None,
    clock_skew: timedelta = DEFAULT_SKEW,
    purpose: str = "assertionMethod",
    suites: SuiteRegistry | None = None,
) -> VerificationReport:
    """Checks ``context``, ``proof``, ``expiry``, ``issuer`` (and ``status`` if asked).

    ``suites`` narrows the cryptosuites a proof may use (``SuiteRegistry(allowed=...)``);
    a proof of any other adds no trust.
    """
    report = VerificationReport(format="vc", document=doc)
    if not isinstance(doc, Mapping):
        report.add("parse", "fail", "a credential must be a JSON object", "INPUT_INVALID")
        return report
    moment = current_time(now)
    result = verify_proof(
        doc,
        resolver=resolver,
        loader=loader,
        now=moment,
        clock_skew=clock_skew,
        purpose=purpose,
        suites=suites,
    )
    with shared_expansion():  # the context and signed-data checks expand it once
        report.checks.append(context_check(doc, result, loader))
        report.checks.append(datamodel_check(doc))
        report.checks.append(proof_check(result))
        facts, graph = signed_data_check(doc, result, loader)
    report.checks.append(graph)
    report.checks.append(expiry_check(doc, moment, clock_skew, facts))
    issuer = issuer_check(doc, result, facts)
    report.checks.append(issuer)
    if issuer.passed:  # the key is linked to this issuer: what the trust check looks up
        report.issuer = _named_issuer(doc, facts)
    if status_checker is not None:
        report.checks.append(_status(facts.view(doc), status_checker))
    return report


def signed_facts(
    doc: Mapping[str, Any], result: ProofResult, loader: Any, root_type: str = CREDENTIAL_TYPE
) -> Facts | None:
    """The facts of the data a verified proof covers; None when no proof verified.

    An RDF suite's canonical N-Quads are parsed as they were hashed; for a JCS
    suite the signed JSON is the document itself, read as JSON-LD. Raises
    :class:`SignedGraphError` (or a MicrocredError) when there is no single
    ``root_type`` node to read.
    """
    verified = [p for p in result.proofs if p.verified and p.signed_document is not None]
    rdf = next((p for p in verified if p.signed_form == "nquads"), None)
    if rdf is not None and rdf.signed_document is not None:
        return facts_from_nquads(rdf.signed_document, root_type, doc.get("id"))
    if verified or result.verified:  # JCS suites, or only chained proofs verified
        return facts_from_document(doc, loader=loader, root_type=root_type)
    return None


def signed_data_check(
    doc: Mapping[str, Any], result: ProofResult, loader: Any, root_type: str = CREDENTIAL_TYPE
) -> tuple[Facts, Check]:
    """Facts for the other checks, and whether the JSON shows what was signed.

    Without a verified proof there is nothing signed to compare, so the checks
    read the JSON (the proof check has already failed the credential).
    """
    shown = json_facts(doc)
    try:
        signed = signed_facts(doc, result, loader, root_type)
    except (SignedGraphError, MicrocredError) as exc:
        message = exc.message if isinstance(exc, MicrocredError) else str(exc)
        return shown, Check("signed_data", "fail", message, "JSON_GRAPH_MISMATCH")
    if signed is None:
        return shown, Check("signed_data", "skip", "no verified proof: nothing signed to compare")
    return compared(signed, shown)


def proof_check(result: ProofResult, name: str = "proof") -> Check:
    if result.verified:
        return Check(name, "pass", result.reason)
    return Check(name, "fail", result.reason, result.code or "PROOF_INVALID")


def context_check(doc: Mapping[str, Any], result: ProofResult | None, loader: Any) -> Check:
    """Base context first, every context known to the loader, no undefined terms."""
    contexts = doc.get("@context")
    if contexts is None:
        return Check("context", "fail", "the document has no @context", "CONTEXT_MISSING")
    listed = contexts if isinstance(contexts, list) else [contexts]
    if not listed or listed[0] not in BASE_CONTEXTS:
        return Check(
            "context",
            "fail",
            f"the first @context must be {VC_V2} (or {VC_V1}), not {listed[0] if listed else None!r}",
            "CONTEXT_BASE_MISSING",
        )
    proofs = result.proofs if result is not None else []
    # A verified RDF proof already loaded every context through this loader and
    # expanded the document in safe mode; only otherwise do the work here.
    expanded = any(p.verified and p.expanded for p in proofs)
    if not expanded:
        from microcred_vc.jsonld.loader import default_loader

        load = loader if loader is not None else default_loader()
        for ctx in listed:
            if isinstance(ctx, str):
                try:
                    load(ctx, None)
                except MicrocredError as exc:
                    return Check("context", "fail", exc.message, exc.code)
            elif not isinstance(ctx, Mapping):
                return Check(
                    "context", "fail", f"@context entry {ctx!r} is not valid", "CONTEXT_INVALID"
                )
    undefined = next((p for p in proofs if p.code == UndefinedTerm.code), None)
    if undefined is not None:
        return Check("context", "fail", undefined.reason.split(": ", 1)[-1], UndefinedTerm.code)
    if not expanded:
        from microcred_vc.jsonld.expand import expand

        try:
            # proofs are the proof check's business (and may use unknown suites);
            # when the signed-data check will need the dataset, make it now, once
            if not sharing_expansion() or not _dataset_ok(doc, loader):
                expand({k: v for k, v in doc.items() if k != "proof"}, loader=loader, safe=True)
        except MicrocredError as exc:
            return Check("context", "fail", f"safe mode: {exc.message}", exc.code)
        except Exception as exc:  # malformed JSON-LD must not escape verify
            return Check(
                "context", "fail", f"JSON-LD could not be processed: {exc}", "JSONLD_ERROR"
            )
    n = len(listed)
    return Check(
        "context", "pass", f"{n} known context(s); every term is defined (safe mode)", None
    )


def _dataset_ok(doc: Mapping[str, Any], loader: Any) -> bool:
    """Make (and remember) the safe-mode dataset; False if that failed.

    On failure the caller runs plain safe-mode expansion, so the check's verdict
    and message stay exactly those of expansion alone.
    """
    try:
        unsecured_dataset(doc, loader)
    except Exception:  # the expansion below reports it as before
        return False
    return True


def expiry_check(
    doc: Mapping[str, Any], moment: datetime, skew: timedelta, facts: Facts | None = None
) -> Check:
    """validFrom/validUntil (VC 2.0) and issuanceDate/expirationDate (VC 1.1), with skew.

    Both pairs are read whatever the base context: OB 3.0 defines validFrom for
    VC 1.1 documents too, and a date the issuer signed must never be ignored.
    The dates come from ``facts`` (the signed graph) when given; a date signed
    twice counts with every value, so a second, later ``validUntil`` cannot
    hide the first.
    """
    facts = facts if facts is not None else json_facts(doc)
    parsed: dict[str, list[datetime]] = {}
    for name in ("validFrom", "issuanceDate", "validUntil", "expirationDate"):
        for value in facts.dates.get(name, ()):
            try:
                parsed.setdefault(name, []).append(parse_datetime(value))
            except (ValueError, TypeError):
                return Check(
                    "expiry", "fail", f"{name} {value!r} is not a dateTime", "DATE_INVALID"
                )
    starts = [n for n in ("validFrom", "issuanceDate") if n in parsed]
    ends = [n for n in ("validUntil", "expirationDate") if n in parsed]
    for name in starts:
        if max(parsed[name]) > moment + skew:
            return Check(
                "expiry",
                "fail",
                f"not valid before {_shown(facts, name, max)} ({name})",
                "NOT_YET_VALID",
            )
    for name in ends:
        if min(parsed[name]) < moment - skew:
            return Check(
                "expiry", "fail", f"expired at {_shown(facts, name, min)} ({name})", "EXPIRED"
            )
    for start in starts:
        for end in ends:
            if min(parsed[end]) < max(parsed[start]):
                return Check("expiry", "fail", f"{end} is before {start}", "DATE_INVALID")
    if not starts and not ends:
        return Check("expiry", "pass", "no validity period stated")
    begin = facts.date(starts[0]) if starts else "the start"
    finish = facts.date(ends[0]) if ends else "no end date"
    return Check("expiry", "pass", f"valid from {begin} until {finish}")


def _shown(facts: Facts, name: str, pick: Callable[..., Any]) -> str:
    """The lexical value of ``name`` whose instant ``pick`` (min/max) chose."""
    values = facts.dates.get(name, ())
    return pick(values, key=parse_datetime) if values else "?"


def issuer_id(doc: Mapping[str, Any]) -> str | None:
    issuer = doc.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, Mapping) and isinstance(issuer.get("id"), str):
        return issuer["id"]
    return None


def _named_issuer(doc: Mapping[str, Any], facts: Facts | None) -> str | None:
    """The issuer the signed data names (the JSON's only when nothing verified)."""
    return facts.issuer if facts is not None and facts.source != "JSON" else issuer_id(doc)


def issuer_check(doc: Mapping[str, Any], result: ProofResult, facts: Facts | None = None) -> Check:
    """Is the key that signed shown to belong to the issuer the credential names (and signed)?

    Three outcomes (docs/issuer-identity.md): ``pass`` when the issuer's own
    controller document lists the key; ``fail`` (``ISSUER_MISMATCH``) when the
    issuer is a DID and the key belongs to another DID -- a DID can list its
    keys, so a key it does not list is a forgery; ``warn`` (``ISSUER_NOT_LINKED``)
    when the issuer is not a DID (an https URL, say) and the key's controller is
    someone else: nothing links the two, so the proof shows who signed, not
    that the named issuer did. A warning does not fail the report.
    """
    if facts is not None and len(facts.issuers) > 1:
        return Check(
            "issuer",
            "fail",
            f"the signed data names {len(facts.issuers)} issuers: {', '.join(facts.issuers)}",
            "ISSUER_AMBIGUOUS",
        )
    wanted = _named_issuer(doc, facts)
    if wanted is None:
        return Check("issuer", "fail", "the credential names no issuer id", "ISSUER_MISSING")
    controllers = result.controllers
    if not controllers:
        return Check("issuer", "skip", "no verified proof to compare with the issuer")
    if wanted in controllers:
        return Check("issuer", "pass", f"signed by a key of the issuer {wanted}")
    if wanted.startswith("did:"):
        return Check(
            "issuer",
            "fail",
            f"signed by a key of {controllers[0]}, but the credential names {wanted} as issuer",
            "ISSUER_MISMATCH",
        )
    return Check(
        "issuer",
        "warn",
        f"the key is not shown to belong to {wanted}: it was signed by a key of "
        f"{controllers[0]}, and {wanted} is not a DID whose document could list that key",
        "ISSUER_NOT_LINKED",
    )


def _status(doc: Mapping[str, Any], checker: StatusChecker) -> Check:
    try:
        check = checker(doc)
    except MicrocredError as exc:
        return Check("status", "fail", exc.message, exc.code)
    except Exception as exc:  # a status checker bug must not make verify raise
        return Check("status", "fail", f"status check failed: {exc}", "STATUS_ERROR")
    if not isinstance(check, Check):
        return Check("status", "fail", "the status checker did not return a Check", "STATUS_ERROR")
    return check
