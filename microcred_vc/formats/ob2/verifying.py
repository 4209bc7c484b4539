"""Verifying Open Badges 2.0 assertions, hosted and signed, into a report.

OB2 has two trust models and neither is a Data Integrity proof:

* **hosted** — the issuer serves the assertion at its own ``id``; trust comes
  from the assertion being there, unchanged, on a domain the issuer controls
  (its ``id``'s origin, or the ``allowedOrigins`` / ``startsWith`` it declares);
* **signed** — a compact JWS whose key (``verification.creator``) belongs to the
  issuer profile; revocation is the issuer's ``revocationList``.

Like every verifier in the library this never raises on a bad badge: each step
is a named :class:`~microcred_vc.report.Check` with a sentence for people and a
stable code. It raises only on misuse (a non-badge Python value, a bad ``now``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from microcred_vc.errors import InputError, MicrocredError, Ob2Invalid
from microcred_vc.formats.ob2.extensions import extension_checks
from microcred_vc.formats.ob2.reading import (
    OB2_CONTEXT,
    Fetch,
    Ob2Badge,
    check_types,
    fetch_json,
    has_ob2_context,
    load_badge_class,
    load_input,
    node_id,
    parse_datetime,
    recipient_matches,
    verification_form,
)
from microcred_vc.formats.ob2.signed import (
    ALLOWED_ALGS,
    revocation_from_assertion,
    signature_checks,
)
from microcred_vc.report import VerificationReport


def verify_ob2(
    doc_or_jws: Any,
    *,
    fetch: Fetch | None = None,
    recipient_email: str | None = None,
    now: datetime | None = None,
) -> VerificationReport:
    """Verify an OB2 assertion (dict, JSON text/bytes or compact JWS) step by step.

    ``fetch(url) -> dict | bytes`` supplies every referenced document (BadgeClass,
    Issuer, key, revocation list, the hosted copy); without it, a needed URL is a
    failed check naming that URL. ``recipient_email`` checks the identity hash.

    To opt in to the network, pass the library's guarded fetcher (timeout, size
    cap, re-checked redirects, no private addresses): ``fetch=HttpFetcher()``
    from :mod:`microcred_vc.net`; ``DocumentLoader(documents=...).load`` serves
    a fixed, offline set of documents.
    """
    _check_arguments(doc_or_jws, fetch, recipient_email, now)
    moment = datetime.now(UTC) if now is None else now
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    report = VerificationReport(format="ob2")
    try:
        assertion, token = load_input(doc_or_jws, fetch)
    except MicrocredError as exc:
        report.add(
            "format", "fail", f"not a readable Open Badges 2.0 assertion: {exc.message}", exc.code
        )
        report.add("parse", "fail", exc.message, exc.code)
        return report
    report.document = assertion
    report.format = "ob2-jws" if token else "ob2"
    if not _format_check(report, assertion, token):
        return report
    if has_ob2_context(assertion):
        report.add("context", "pass", "uses the Open Badges 2.0 context")
    else:
        report.add(
            "context",
            "fail",
            f"@context must be {OB2_CONTEXT}, got {assertion.get('@context')!r}",
            "OB2_INVALID_CONTEXT",
        )
    badge = _parse_check(report, assertion, token, fetch)
    if badge is None:
        integrity = "signature" if token or _declared_form(assertion) == "signed" else "hosted"
        report.add(integrity, "skip", "not checked: the badge could not be read (see parse)")
    elif badge.form == "hosted":
        _hosted_checks(report, badge, fetch)
    else:
        signature_checks(report, badge, fetch)
    if badge is not None:
        extension_checks(report, badge, fetch)
    _expiry_check(report, assertion, moment)
    _recipient_check(report, assertion, recipient_email)
    return report


def _check_arguments(doc: Any, fetch: Any, email: Any, now: Any) -> None:
    if not isinstance(doc, dict | str | bytes):
        raise InputError(f"verify_ob2 takes a dict, JSON text or a JWS, not {type(doc).__name__}")
    if fetch is not None and not callable(fetch):
        raise InputError("fetch must be a callable fetch(url) -> dict | bytes")
    if email is not None and not isinstance(email, str):
        raise InputError("recipient_email must be a string")
    if now is not None and not isinstance(now, datetime):
        raise InputError("now must be a datetime")


def _declared_form(assertion: dict[str, Any]) -> str | None:
    try:
        return verification_form(assertion)
    except MicrocredError:
        return None


def _format_check(report: VerificationReport, assertion: dict[str, Any], token: str | None) -> bool:
    try:
        check_types(assertion, "Assertion")
    except MicrocredError as exc:
        report.add("format", "fail", f"not an Open Badges 2.0 Assertion: {exc.message}", exc.code)
        return False
    shape = "signed (compact JWS)" if token else "JSON"
    report.add("format", "pass", f"Open Badges 2.0 Assertion, {shape}")
    return True


def _parse_check(
    report: VerificationReport, assertion: dict[str, Any], token: str | None, fetch: Fetch | None
) -> Ob2Badge | None:
    fetched: list[str] = []
    try:
        form = verification_form(assertion)
        for key in ("id", "issuedOn", "recipient", "badge"):
            if assertion.get(key) in (None, "", {}):
                raise _invalid(f"the assertion has no {key}", "OB2_MISSING_PROPERTY")
        if not isinstance(assertion["id"], str):
            raise _invalid("the assertion id must be a string (an IRI)", "OB2_MISSING_PROPERTY")
        if not isinstance(assertion["recipient"], dict):
            raise _invalid("recipient must be an IdentityObject", "OB2_MISSING_PROPERTY")
        badge, issuer = load_badge_class(assertion["badge"], fetch=fetch, fetched=fetched)
    except MicrocredError as exc:
        report.add("parse", "fail", exc.message, exc.code)
        return None
    names = f"BadgeClass {badge.get('name')!r} from issuer {issuer.get('name') or issuer['id']!r}"
    via = f" (fetched {', '.join(fetched)})" if fetched else " (all embedded)"
    report.add("parse", "pass", f"assertion read with {names}{via}")
    return Ob2Badge(assertion, badge, issuer, form, token, fetched)


def _invalid(message: str, code: str) -> MicrocredError:
    return Ob2Invalid(message, code=code)


# --- hosted -------------------------------------------------------------------
def _hosted_checks(report: VerificationReport, badge: Ob2Badge, fetch: Fetch | None) -> None:
    assertion_id = str(node_id(badge.assertion.get("id")) or "")
    if badge.jws:
        report.add(
            "hosted",
            "fail",
            "a JWS was given but verification.type is hosted",
            "OB2_BAD_VERIFICATION",
        )
        return
    try:
        policy_note, enforced = _hosted_policy(assertion_id, badge, fetch)
        hosted = fetch_json(assertion_id, fetch)
    except MicrocredError as exc:
        report.add("hosted", "fail", exc.message, exc.code)
        report.add("status", "skip", "not checked: the hosted assertion was not available")
        return
    if hosted.get("revoked") is True:
        reason = hosted.get("revocationReason") or "no reason given"
        report.add("hosted", "skip", f"{assertion_id} now serves a revocation notice")
        report.add("status", "fail", f"the issuer revoked this assertion: {reason}", "OB2_REVOKED")
        return
    if hosted != badge.assertion:
        report.add(
            "hosted",
            "fail",
            f"the assertion served at {assertion_id} differs from the one given",
            "OB2_HOSTED_MISMATCH",
        )
        return
    report.add(
        "hosted", "pass", f"the issuer hosts this exact assertion at {assertion_id}{policy_note}"
    )
    if not enforced:
        report.add(
            "issuer",
            "skip",
            f"issuer {badge.issuer['id']} has no HTTP origin: where "
            "the assertion is hosted could not be tied to the issuer",
        )
    revocation_from_assertion(report, badge.assertion)


def _hosted_policy(assertion_id: str, badge: Ob2Badge, fetch: Fetch | None) -> tuple[str, bool]:
    """Apply the issuer's hosted verification policy: (note for the report, enforced?).

    Default policy (OB2 §VerificationObject): the assertion must live on the
    issuer id's host. ``startsWith`` narrows it by prefix, ``allowedOrigins``
    replaces the host list. The BadgeClass, when it has an HTTP id, must live on
    the issuer's host or an allowed one too. A non-HTTP issuer id with no explicit
    origins has no domain to enforce: the note says so rather than pretending.
    """
    issuer = badge.issuer
    scheme = urlsplit(assertion_id).scheme
    if scheme not in ("http", "https"):
        raise _invalid(
            f"a hosted assertion id must be an HTTP(S) URL, got {assertion_id!r}",
            "OB2_HOSTED_ID_NOT_URL",
        )
    policy = issuer.get("verification")
    if isinstance(policy, str):
        policy = fetch_json(policy, fetch)
    policy = policy if isinstance(policy, dict) else {}
    starts = _strings(policy.get("startsWith"))
    if starts and not any(assertion_id.startswith(s) for s in starts):
        raise _invalid(
            f"assertion id {assertion_id} does not start with any prefix the issuer "
            f"allows ({', '.join(starts)})",
            "OB2_HOSTED_NOT_ALLOWED",
        )
    origins = _strings(policy.get("allowedOrigins"))
    issuer_id = str(issuer["id"])
    if not origins:
        if urlsplit(issuer_id).scheme not in ("http", "https"):
            return f"; issuer {issuer_id} has no HTTP origin, so no domain policy applies", False
        origins = [urlsplit(issuer_id).netloc]
    host = urlsplit(assertion_id).netloc
    if host not in origins:
        raise _invalid(
            f"assertion {assertion_id} is not hosted on an origin the issuer allows "
            f"({', '.join(origins)})",
            "OB2_HOSTED_NOT_ALLOWED",
        )
    badge_id = str(node_id(badge.badge.get("id")) or "")
    badge_url = urlsplit(badge_id)
    issuer_url = urlsplit(issuer_id)
    own = {issuer_url.netloc} if issuer_url.scheme in ("http", "https") else set()
    if badge_url.scheme in ("http", "https") and badge_url.netloc not in {*origins, *own}:
        raise _invalid(
            f"BadgeClass {badge_id} is hosted on {badge_url.netloc}, neither the issuer's "
            "origin nor one it allows",
            "OB2_HOSTED_NOT_ALLOWED",
        )
    return f" on allowed origin {host}", True


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


# --- time and recipient -----------------------------------------------------------
def _expiry_check(report: VerificationReport, assertion: dict[str, Any], now: datetime) -> None:
    try:
        issued = parse_datetime(assertion.get("issuedOn"), "issuedOn")
        expires_raw = assertion.get("expires")
        expires = None if expires_raw is None else parse_datetime(expires_raw, "expires")
    except MicrocredError as exc:
        report.add("expiry", "fail", exc.message, exc.code)
        return
    if issued > now:
        report.add(
            "expiry", "fail", f"issued in the future ({issued.isoformat()})", "OB2_NOT_YET_VALID"
        )
    elif expires is not None and expires < issued:
        report.add(
            "expiry",
            "fail",
            f"expires ({expires.isoformat()}) before it was issued ({issued.isoformat()})",
            "OB2_EXPIRES_BEFORE_ISSUED",
        )
    elif expires is not None and expires <= now:
        report.add("expiry", "fail", f"expired on {expires.isoformat()}", "OB2_EXPIRED")
    else:
        until = f" until {expires.isoformat()}" if expires else ", no expiry date"
        report.add("expiry", "pass", f"issued {issued.isoformat()}, valid{until}")


def _recipient_check(
    report: VerificationReport, assertion: dict[str, Any], email: str | None
) -> None:
    if email is None:
        report.add("recipient", "skip", "no email given to compare with the recipient")
        return
    recipient = assertion.get("recipient")
    rtype = recipient.get("type") if isinstance(recipient, dict) else None
    if rtype != "email":
        report.add(
            "recipient",
            "fail",
            f"the recipient is identified by {rtype!r}, not by email",
            "OB2_RECIPIENT_TYPE",
        )
        return
    try:
        match = recipient_matches(recipient, email)
    except MicrocredError as exc:
        report.add("recipient", "fail", exc.message, exc.code)
        return
    if match:
        report.add("recipient", "pass", f"awarded to {email}")
    else:
        report.add("recipient", "fail", f"not awarded to {email}", "OB2_RECIPIENT_MISMATCH")


__all__ = ["ALLOWED_ALGS", "verify_ob2"]
