"""Verifying credential JWTs into a :class:`~microcred_vc.report.VerificationReport`.

Each failure mode a wallet must explain (unsigned token, forbidden algorithm,
unknown critical header, unknown kid, bad signature, expired, not yet valid,
issuer that does not own the key) gets its own check status and stable code,
so a person sees *why* and a program can branch on the code. Bad tokens never
raise; only misuse by the caller (an unsafe allow-list, a malformed key set)
does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws
from jwcrypto.common import JWException

from microcred_vc.errors import JoseError, JwtInvalid, MicrocredError
from microcred_vc.jose.claims import (
    claim_mismatches,
    from_numeric_date,
    issuer_id,
    parse_datetime,
)
from microcred_vc.jose.compact import DecodedJwt, decode_unverified, is_jwt
from microcred_vc.jose.keys import (
    DEFAULT_ALGS,
    Resolver,
    algs_for_key,
    check_allowed_algs,
    default_resolver,
    key_from_resolution,
    key_set,
    to_jwcrypto,
)
from microcred_vc.report import VerificationReport

#: Header parameters we understand and may therefore see listed in ``crit``.
UNDERSTOOD_CRIT: frozenset[str] = frozenset()
#: Registered JWS header names; RFC 7515 §4.1.11 forbids listing them in ``crit``.
_REGISTERED_HEADERS = frozenset(
    {"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"}
)
DEFAULT_CLOCK_SKEW = timedelta(seconds=300)
FORMAT_NAMES = {"vc-jose-cose": "vc-jose-cose", "vc11": "vc11-jwt"}


@dataclass
class _KeyChoice:
    keys: list[jwcrypto_jwk.JWK]
    source: str  # "jwks" | "kid" | "embedded"
    detail: str
    controller: str | None = None


class _Unavailable(Exception):
    """No key could be found; carries the sentence and code for the report."""

    def __init__(self, message: str, code: str, *, fail: bool = False) -> None:
        super().__init__(message)
        self.message, self.code, self.fail = message, code, fail


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


def _check_alg(decoded: DecodedJwt, allowed: tuple[str, ...]) -> tuple[str, str] | None:
    """(message, code) when the header's algorithm or crit list is unacceptable."""
    alg = decoded.header.get("alg")
    if not isinstance(alg, str) or not alg:
        return "the JWT header has no algorithm (alg)", "JWT_ALG_MISSING"
    if alg.lower() == "none":
        return (
            "the token is unsigned (alg 'none'); unsigned credentials are refused",
            "JWT_ALG_NONE",
        )
    if alg.upper().startswith("HS"):
        return (
            f"algorithm {alg} is a shared-secret MAC; a credential must be signed with "
            "the issuer's private key and checked with its public key",
            "JWT_ALG_NOT_ALLOWED",
        )
    if alg not in allowed:
        return (
            f"algorithm {alg} is not in the allowed list ({', '.join(allowed)})",
            "JWT_ALG_NOT_ALLOWED",
        )
    if "b64" in decoded.header:
        return (
            "unencoded-payload JWS (RFC 7797 'b64') is not accepted for credentials",
            "JWT_CRIT_UNSUPPORTED",
        )
    crit = decoded.header.get("crit")
    if crit is not None:
        if not isinstance(crit, list) or not crit or not all(isinstance(c, str) for c in crit):
            return "the 'crit' header must be a non-empty list of names", "JWT_CRIT_INVALID"
        for name in crit:
            if name in _REGISTERED_HEADERS:
                return f"'crit' must not list the registered header {name!r}", "JWT_CRIT_INVALID"
            if name not in decoded.header:
                return (
                    f"critical header {name!r} is listed in 'crit' but absent",
                    "JWT_CRIT_INVALID",
                )
            if name not in UNDERSTOOD_CRIT:
                return (
                    f"the token marks header {name!r} as critical and this verifier does not "
                    "understand it",
                    "JWT_CRIT_UNSUPPORTED",
                )
    return None


def _choose_keys(
    decoded: DecodedJwt,
    trusted: list[jwcrypto_jwk.JWK],
    resolver: Resolver | None,
    allow_embedded_jwk: bool,
) -> _KeyChoice:
    kid = decoded.kid
    alg = decoded.alg or ""
    if trusted:
        if kid is not None:
            match = [k for k in trusted if k.get("kid") == kid]
            if match:
                return _KeyChoice(match, "jwks", f"key {kid!r} from the supplied key set")
        else:
            fitting = [k for k in trusted if alg in algs_for_key(k)]
            if fitting:
                return _KeyChoice(fitting, "jwks", "a key from the supplied key set")
    resolve_error: MicrocredError | None = None
    if kid is not None and resolver is not None:
        try:
            key, controller = key_from_resolution(resolver(kid), kid)
            return _KeyChoice([key], "kid", f"key {kid!r} resolved from its DID", controller)
        except MicrocredError as exc:
            if exc.code == "KEY_PURPOSE_NOT_ALLOWED":
                raise _Unavailable(exc.message, exc.code, fail=True) from exc
            resolve_error = exc
        except Exception as exc:  # a caller's resolver must not crash verification
            resolve_error = JoseError(f"resolver failed: {type(exc).__name__}: {exc}")
    embedded = decoded.header.get("jwk")
    if embedded is not None and allow_embedded_jwk:
        if not isinstance(embedded, dict) or "d" in embedded:
            raise _Unavailable("the 'jwk' header is not a public JWK", "JWT_KEY_INVALID", fail=True)
        try:
            key = to_jwcrypto(embedded, private=False)
        except MicrocredError as exc:
            raise _Unavailable(
                f"the 'jwk' header is unusable: {exc.message}", exc.code, fail=True
            ) from exc
        return _KeyChoice([key], "embedded", "the public key in the token's 'jwk' header")
    if resolve_error is not None and trusted:
        raise _Unavailable(
            f"no key with kid {kid!r} in the supplied key set, and it could not be "
            f"resolved: {resolve_error.message}",
            "JWT_KID_UNKNOWN",
            fail=True,
        )
    if resolve_error is not None:
        raise _Unavailable(
            f"the signing key {kid!r} could not be obtained: {resolve_error.message}",
            resolve_error.code,
        )
    if kid is not None and trusted:
        raise _Unavailable(
            f"no key with kid {kid!r} in the supplied key set", "JWT_KID_UNKNOWN", fail=True
        )
    if trusted:
        raise _Unavailable(
            f"no key in the supplied key set fits algorithm {alg}", "JWT_KID_UNKNOWN", fail=True
        )
    issuer = issuer_id(decoded.credential) if isinstance(decoded.claims, dict) else None
    where = f" (issuer {issuer} publishes no key that can be obtained offline)" if issuer else ""
    if kid is not None:
        msg = f"kid {kid!r} cannot be resolved offline and no key set was supplied{where}"
    elif embedded is not None:
        msg = "the token carries only an embedded 'jwk' key and embedded keys are not allowed"
    else:
        msg = f"the token names no key (no kid, no jwk) and no key set was supplied{where}"
    raise _Unavailable(msg, "JWT_KEY_UNAVAILABLE")


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
    trusted: list[jwcrypto_jwk.JWK],
    resolver: Resolver | None,
    allow_embedded_jwk: bool,
) -> _KeyChoice | None:
    bad = _check_alg(decoded, allowed)
    if bad:
        report.add("signature", "fail", bad[0], bad[1])
        return None
    try:
        choice = _choose_keys(decoded, trusted, resolver, allow_embedded_jwk)
    except _Unavailable as exc:
        report.add("signature", "fail" if exc.fail else "skip", exc.message, exc.code)
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
    choice: _KeyChoice | None,
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
    elif choice.source == "jwks":
        report.add(
            "issuer", "pass", f"issuer {issuer}: key taken from the caller's trusted key set"
        )
    elif choice.source == "embedded":
        report.add(
            "issuer",
            "skip",
            f"the key came from the token itself ('jwk' header): the signature proves the "
            f"token is intact, not that {issuer} issued it",
            "JWT_KEY_SELF_ASSERTED",
        )
    else:
        controller = choice.controller or (decoded.kid or "").split("#", 1)[0]
        if controller == issuer:
            report.add("issuer", "pass", f"signed with a key of the issuer {issuer}")
        else:
            report.add(
                "issuer",
                "fail",
                f"the signing key belongs to {controller}, not to the issuer {issuer}",
                "JWT_ISSUER_KEY_MISMATCH",
            )


def _is_credential(doc: dict[str, Any]) -> bool:
    types = doc.get("type")
    types = [types] if isinstance(types, str) else types
    return "@context" in doc and isinstance(types, list) and "VerifiableCredential" in types


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
) -> VerificationReport:
    """Verify a credential JWT (VC-JOSE-COSE or VC 1.1 / OB 3.0).

    Keys, in order: ``jwks`` (trusted; matched by kid), the kid's DID through
    ``resolver`` (default: :func:`microcred_vc.keys.did.resolve`, offline unless
    ``allow_network``), then the token's own ``jwk`` header, which OB 3.0
    permits but which proves integrity only (the issuer check is skipped).
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
    if isinstance(token, bytes):
        token = token.decode("ascii", errors="replace")
    if not isinstance(token, str) or not is_jwt(token):
        report.add("format", "fail", "not a compact JWS (header.payload.signature)", "JWT_INVALID")
        return report
    token = token.strip()
    try:
        decoded = decode_unverified(token)
    except JwtInvalid as exc:
        report.add("format", "pass", "compact JWS")
        report.add("parse", "fail", exc.message, exc.code)
        return report
    report.format = FORMAT_NAMES[decoded.encoding]
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
    elif not _is_credential(credential):
        report.add(
            "parse",
            "fail",
            "the payload is not a verifiable credential (needs @context and a type "
            "including VerifiableCredential)",
            "JWT_NOT_A_CREDENTIAL",
        )
    else:
        report.add("parse", "pass", "header and claims decoded")
    choice = _signature_step(
        report,
        token,
        decoded,
        allowed=allowed,
        trusted=trusted,
        resolver=resolver,
        allow_embedded_jwk=allow_embedded_jwk,
    )
    _expiry_step(report, decoded, credential, mismatches, moment, skew)
    _issuer_step(report, decoded, credential, mismatches, choice)
    return report
