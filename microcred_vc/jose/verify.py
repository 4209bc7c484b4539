"""Verifying credential JWTs into a :class:`~microcred_vc.report.VerificationReport`.

Each failure mode a wallet must explain (unsigned token, forbidden algorithm,
unknown critical header, unknown kid, bad signature, expired, not yet valid,
issuer that does not own the key) gets its own check status and stable code,
so a person sees *why* and a program can branch on the code. Bad tokens never
raise; only misuse by the caller (an unsafe allow-list, a malformed key set)
does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws
from jwcrypto.common import JWException

from microcred_vc.errors import JoseError, JwtInvalid
from microcred_vc.jose.claims import (
    claim_mismatches,
    from_numeric_date,
    is_typed,
    issuer_id,
    parse_datetime,
)
from microcred_vc.jose.compact import DecodedJwt, decode_into_report
from microcred_vc.jose.keys import (
    DEFAULT_ALGS,
    Resolver,
    algs_for_key,
    check_allowed_algs,
    default_resolver,
)
from microcred_vc.jose.policy import KeyChoice, KeyUnavailable, check_header, choose_keys
from microcred_vc.jose.trusted import TrustedKeys, key_set
from microcred_vc.proofs.signed_facts import payload_facts
from microcred_vc.report import Check, VerificationReport

DEFAULT_CLOCK_SKEW = timedelta(seconds=300)
FORMAT_NAMES = {
    "vc-jose-cose": "vc-jose-cose",
    "vc11": "vc11-jwt",
    "vp-jose-cose": "vp-jose-cose",
    "vp11": "vp11-jwt",
}


def _as_datetime(now: datetime | int | float | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if isinstance(now, datetime):
        return now if now.tzinfo else now.replace(tzinfo=UTC)
    if isinstance(now, int | float) and not isinstance(now, bool):
        return datetime.fromtimestamp(now, tz=UTC)
    raise JoseError(f"now must be a datetime or a POSIX timestamp, got {type(now).__name__}")


def _as_skew(skew: timedelta | int | float) -> timedelta:
    out = skew if isinstance(skew, timedelta) else timedelta(seconds=skew)
    if out < timedelta(0):
        raise JoseError("clock_skew must not be negative")
    return out


def _verify_signature(token: str, alg: str, keys: Iterable[jwcrypto_jwk.JWK]) -> tuple[bool, str]:
    last = "no key fits"
    for key in keys:
        if alg not in algs_for_key(key):
            last = f"algorithm {alg} does not fit a {key.get('kty')} key"
            continue
        try:
            obj = jws.JWS()
            obj.allowed_algs = [alg]
            obj.deserialize(token)
            obj.verify(key, alg=alg)
            return True, ""
        except JWException as exc:
            last = str(exc)
        except Exception as exc:  # a bad token must end as a failed check, never a crash
            last = f"{type(exc).__name__}: {exc}"
    return False, last


def _signature_step(
    report: VerificationReport,
    token: str,
    decoded: DecodedJwt,
    *,
    allowed: tuple[str, ...],
    trusted: TrustedKeys,
    resolver: Resolver | None,
    allow_embedded_jwk: bool,
    purpose: str = "assertionMethod",
) -> KeyChoice | None:
    bad = check_header(decoded, allowed)
    if bad:
        report.add("signature", "fail", bad[0], bad[1])
        return None
    try:
        choice = choose_keys(decoded, trusted, resolver, allow_embedded_jwk, purpose)
    except KeyUnavailable as exc:
        # A key that cannot be obtained leaves the token unverified: say so as a
        # failed check, as the Data Integrity path does for an unresolvable method.
        report.add("signature", "fail", exc.message, exc.code)
        return None
    alg = decoded.alg or ""
    if not any(alg in algs_for_key(k) for k in choice.keys):
        kinds = ", ".join(sorted({str(k.get("kty")) for k in choice.keys}))
        report.add(
            "signature",
            "fail",
            f"algorithm {alg} does not match the {kinds} key of {choice.detail}",
            "JWT_ALG_KEY_MISMATCH",
        )
        return None
    ok, why = _verify_signature(token, alg, choice.keys)
    if not ok:
        report.add(
            "signature",
            "fail",
            f"the {alg} signature does not verify with {choice.detail} ({why})",
            "JWT_SIGNATURE_INVALID",
        )
        return None
    report.add("signature", "pass", f"{alg} signature verified with {choice.detail}")
    return choice


def _expiry_step(
    report: VerificationReport,
    decoded: DecodedJwt,
    credential: dict[str, Any],
    mismatches: dict[str, str],
    now: datetime,
    skew: timedelta,
) -> None:
    for claim in ("nbf", "exp"):
        if claim in mismatches:
            report.add("expiry", "fail", mismatches[claim], "JWT_CLAIM_MISMATCH")
            return
    try:
        start = end = None
        start_name = end_name = ""
        if "nbf" in decoded.claims:
            start, start_name = from_numeric_date(decoded.claims["nbf"], claim="nbf"), "nbf"
        else:
            for prop in ("validFrom", "issuanceDate"):
                if prop in credential:
                    start, start_name = parse_datetime(credential[prop], field=prop), prop
                    break
        if "exp" in decoded.claims:
            end, end_name = from_numeric_date(decoded.claims["exp"], claim="exp"), "exp"
        else:
            for prop in ("validUntil", "expirationDate"):
                if prop in credential:
                    end, end_name = parse_datetime(credential[prop], field=prop), prop
                    break
    except JwtInvalid as exc:
        report.add("expiry", "fail", exc.message, exc.code)
        return
    if end is not None and now >= end + skew:
        report.add("expiry", "fail", f"expired at {end.isoformat()} ({end_name})", "JWT_EXPIRED")
    elif start is not None and now < start - skew:
        report.add(
            "expiry",
            "fail",
            f"not valid before {start.isoformat()} ({start_name})",
            "JWT_NOT_YET_VALID",
        )
    elif end is not None:
        report.add("expiry", "pass", f"valid until {end.isoformat()}")
    else:
        report.add("expiry", "pass", "the credential has no expiry date")


def _issuer_step(
    report: VerificationReport,
    decoded: DecodedJwt,
    credential: dict[str, Any],
    mismatches: dict[str, str],
    choice: KeyChoice | None,
) -> None:
    if "iss" in mismatches:
        report.add("issuer", "fail", mismatches["iss"], "JWT_ISSUER_MISMATCH")
        return
    issuer = issuer_id(credential)
    if issuer is None:
        report.add("issuer", "fail", "the credential names no issuer id", "JWT_ISSUER_MISSING")
        return
    if choice is None:
        report.add("issuer", "skip", f"issuer {issuer} not checked: no verified signature")
    elif choice.source == "jwks" and choice.controller == issuer:
        report.add("issuer", "pass", f"issuer {issuer}: a key the caller trusts for {issuer}")
        report.issuer = issuer  # linked by the caller's binding
    elif choice.source == "jwks":
        report.add(
            "issuer",
            "warn",
            f"signed with a key from the caller's trusted key set, which does not say whose "
            f"it is: nothing shows {issuer} issued it (bind keys to issuers with "
            f"jwks={{issuer: keys}}, or give the key its DID URL as kid)",
            "JWT_KEY_NOT_BOUND",
        )
    elif choice.source == "embedded":
        # Anyone can sign with a key of their own and embed it: without a link
        # from the issuer to that key the credential is not shown to be theirs.
        report.add(
            "issuer",
            "fail",
            f"the key came from the token itself ('jwk' header): the signature proves the "
            f"token is intact, not that {issuer} issued it (pass the issuer's keys as jwks=)",
            "JWT_KEY_SELF_ASSERTED",
        )
    else:
        controller = choice.controller or (decoded.kid or "").split("#", 1)[0]
        if controller == issuer:
            report.add("issuer", "pass", f"signed with a key of the issuer {issuer}")
            report.issuer = issuer  # linked: what the trust check looks up
        elif not str(issuer).startswith("did:"):
            # the same linkage states as Data Integrity (docs/issuer-identity.md): a
            # non-DID issuer cannot list keys, so an unlinked key is a warning, not forgery
            report.add(
                "issuer",
                "warn",
                f"the key is not shown to belong to {issuer}: it was signed by a key of "
                f"{controller}, and {issuer} is not a DID whose document could list that key",
                "ISSUER_NOT_LINKED",
            )
        else:
            report.add(
                "issuer",
                "fail",
                f"the signing key belongs to {controller}, not to the issuer {issuer}",
                "JWT_ISSUER_KEY_MISMATCH",
            )


def verify_jwt(
    token: str | bytes,
    *,
    resolver: Resolver | None = None,
    jwks: Any = None,
    now: datetime | int | float | None = None,
    clock_skew: timedelta | int | float = DEFAULT_CLOCK_SKEW,
    allowed_algs: Iterable[str] = DEFAULT_ALGS,
    allow_embedded_jwk: bool = True,
    allow_network: bool = False,
    loader: Any = None,
    status_checker: Callable[[Mapping[str, Any]], Check] | None = None,
) -> VerificationReport:
    """Verify a credential JWT (VC-JOSE-COSE or VC 1.1 / OB 3.0).

    Keys, in order: ``jwks`` (trusted; matched by kid), the kid's DID through
    ``resolver`` (default: :func:`microcred_vc.keys.did.resolve`, offline unless
    ``allow_network``; a DID document's RSA, EC and OKP JWKs all serve), then
    the token's own ``jwk`` header, which OB 3.0 permits: it names the issuer
    only when it equals a key in ``jwks`` or one the issuer's DID document lists
    under assertionMethod, otherwise it proves integrity only
    (``JWT_KEY_SELF_ASSERTED``).
    ``loader`` reads the payload as JSON-LD (the signed facts); ``status_checker``
    gets the payload with its status entries as signed, once the rest verified.
    Checks: format, parse, signature, expiry, issuer; ``report.document`` is
    the decoded credential.
    """
    allowed = check_allowed_algs(allowed_algs)
    moment = _as_datetime(now)
    skew = _as_skew(clock_skew)
    trusted = key_set(jwks)
    if resolver is None:
        resolver = default_resolver(allow_network=allow_network)

    report = VerificationReport()
    parsed = decode_into_report(token, report)
    if parsed is None:
        return report
    token, decoded = parsed
    report.format = FORMAT_NAMES[decoded.encoding]
    if decoded.is_presentation:
        # a presentation's credentials are verified through the format registry
        report.add("format", "pass", "JWT presentation")
        report.add(
            "parse",
            "fail",
            "the token is a presentation, not a credential: verify it with "
            "microcred_vc.verify(token, challenge=..., domain=...)",
            "JWT_NOT_A_CREDENTIAL",
        )
        return report
    label = (
        "VC-JOSE-COSE (the payload is the credential)"
        if decoded.encoding == "vc-jose-cose"
        else ("VC 1.1 / OB 3.0 JWT (credential in the 'vc' claim)")
    )
    report.add("format", "pass", f"JWT, {label}")
    try:
        credential = decoded.credential
    except JwtInvalid as exc:
        report.add("parse", "fail", exc.message, exc.code)
        return report
    report.document = credential
    source = decoded.claims["vc"] if decoded.encoding == "vc11" else decoded.claims
    mismatches = claim_mismatches(decoded.claims, source)
    parse_problems = [mismatches[c] for c in ("jti", "sub") if c in mismatches]
    if parse_problems:
        report.add("parse", "fail", "; ".join(parse_problems), "JWT_CLAIM_MISMATCH")
    elif not is_typed(credential, "VerifiableCredential"):
        report.add(
            "parse",
            "fail",
            "the payload is not a verifiable credential (needs @context and a type "
            "including VerifiableCredential)",
            "JWT_NOT_A_CREDENTIAL",
        )
    else:
        report.add("parse", "pass", "header and claims decoded")
        from microcred_vc.validate.datamodel import datamodel_check

        # a VC 1.1 JWT may carry issuanceDate as nbf only
        vc11 = decoded.encoding == "vc11"
        report.checks.append(datamodel_check(credential, require_issuance_date=not vc11))
    choice = _signature_step(
        report,
        token,
        decoded,
        allowed=allowed,
        trusted=trusted,
        resolver=resolver,
        allow_embedded_jwk=allow_embedded_jwk,
    )
    # expiry and status judge the payload's JSON-LD meaning, not whichever keys it shows
    facts, graph = payload_facts(credential, loader=loader)
    report.checks.append(graph)
    _expiry_step(report, decoded, facts.view(credential), mismatches, moment, skew)
    _issuer_step(report, decoded, credential, mismatches, choice)
    if status_checker is not None and report.verified:
        # the status entries the payload means, even under renamed keys
        report.checks.append(status_checker(facts.view(credential)))
    return report
