"""Which algorithm and which key a credential JWT may be verified with.

Kept apart from the report logic because this is the security boundary: the
token proposes (alg, kid, jwk, crit), the caller's allow-list and trusted keys
dispose. A token never chooses its own trust — with a trusted key set it can
only name a key in it, and an embedded ``jwk`` (which OB 3.0 allows) proves
who the issuer is only when it *is* a key the caller already trusts (``jwks``)
or one the issuer's own DID document lists under assertionMethod; otherwise it
proves integrity only (``JWT_KEY_SELF_ASSERTED``).
"""

from __future__ import annotations

from dataclasses import dataclass

from jwcrypto import jwk as jwcrypto_jwk

from microcred_vc.errors import JoseError, MicrocredError
from microcred_vc.jose.claims import holder_id, issuer_id
from microcred_vc.jose.compact import DecodedJwt
from microcred_vc.jose.keys import (
    Resolver,
    algs_for_key,
    issuer_key_for,
    key_from_resolution,
    resolve_kid,
    same_key,
    to_jwcrypto,
)
from microcred_vc.jose.trusted import TrustedKeys

#: Header parameters we understand and may therefore see listed in ``crit``.
UNDERSTOOD_CRIT: frozenset[str] = frozenset()
#: Registered JWS header names; RFC 7515 §4.1.11 forbids listing them in ``crit``.
_REGISTERED_HEADERS = frozenset(
    {"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"}
)


@dataclass
class KeyChoice:
    keys: list[jwcrypto_jwk.JWK]
    source: str  # "jwks" | "kid" | "document" (embedded jwk the issuer lists) | "embedded"
    detail: str
    controller: str | None = None


class KeyUnavailable(Exception):
    """No key could be found; carries the sentence and code for the report."""

    def __init__(self, message: str, code: str, *, fail: bool = False) -> None:
        super().__init__(message)
        self.message, self.code, self.fail = message, code, fail


def check_header(decoded: DecodedJwt, allowed: tuple[str, ...]) -> tuple[str, str] | None:
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


def _embedded_key(embedded: object) -> jwcrypto_jwk.JWK | None:
    """The header's ``jwk`` as a public key, or None when it is absent or unusable."""
    if not isinstance(embedded, dict) or "d" in embedded:
        return None
    try:
        return to_jwcrypto(embedded, private=False)
    except MicrocredError:
        return None


def _signer(decoded: DecodedJwt) -> str | None:
    """Who the token says signed it: the credential's issuer, or the presentation's holder."""
    try:
        if decoded.is_presentation:
            return holder_id(decoded.document)
        return issuer_id(decoded.credential)
    except MicrocredError:
        return None


def _bound(decoded: DecodedJwt, trusted: TrustedKeys, choice: KeyChoice) -> KeyChoice:
    """Narrow a choice from the trusted set to the keys trusted for the token's signer.

    A key the caller bound to other issuers only is refused: otherwise one trusted
    issuer could sign in another's name (``{issuer: keys}``, jose/trusted.py).
    """
    signer = _signer(decoded)
    mine = [k for k in choice.keys if signer is not None and signer in trusted.owners_of(k)]
    if mine:
        return KeyChoice(mine, "jwks", choice.detail, signer)
    unbound = [k for k in choice.keys if not trusted.owners_of(k)]
    if unbound:
        return KeyChoice(unbound, "jwks", choice.detail)
    owners = sorted(set().union(*(trusted.owners_of(k) for k in choice.keys)))
    raise KeyUnavailable(
        f"{choice.detail} is trusted for {', '.join(owners)}, not for {signer or 'an unnamed signer'}",
        "JWT_ISSUER_KEY_MISMATCH",
        fail=True,
    )


def choose_keys(
    decoded: DecodedJwt,
    trusted: TrustedKeys,
    resolver: Resolver | None,
    allow_embedded_jwk: bool,
    purpose: str = "assertionMethod",
) -> KeyChoice:
    """The keys the token may be verified with; ``purpose`` is the relationship a
    resolved key must have (``authentication`` for a holder's presentation)."""
    kid = decoded.kid
    alg = decoded.alg or ""
    embedded = decoded.header.get("jwk")
    if trusted:
        if kid is not None:
            match = [k for k in trusted if k.get("kid") == kid]
            if match:
                return _bound(
                    decoded,
                    trusted,
                    KeyChoice(match, "jwks", f"key {kid!r} from the supplied key set"),
                )
        else:
            fitting = [k for k in trusted if alg in algs_for_key(k)]
            if fitting:
                return _bound(
                    decoded, trusted, KeyChoice(fitting, "jwks", "a key from the supplied key set")
                )
        known = _embedded_key(embedded) if allow_embedded_jwk else None
        listed = [k for k in trusted if known is not None and same_key(k, known)]
        if listed:
            detail = "the token's 'jwk' header key, which is in the supplied key set"
            return _bound(decoded, trusted, KeyChoice(listed, "jwks", detail))
    resolve_error: MicrocredError | None = None
    if kid is not None and resolver is not None:
        try:
            key, controller = key_from_resolution(resolve_kid(resolver, kid), kid, purpose)
            return KeyChoice([key], "kid", f"key {kid!r} resolved from its DID", controller)
        except MicrocredError as exc:
            # a key its controller does not vouch for is a forgery, not a missing key
            if exc.code in ("KEY_PURPOSE_NOT_ALLOWED", "KEY_CONTROLLER_MISMATCH"):
                raise KeyUnavailable(exc.message, exc.code, fail=True) from exc
            resolve_error = exc
        except Exception as exc:  # a caller's resolver must not crash verification
            resolve_error = JoseError(f"resolver failed: {type(exc).__name__}: {exc}")
    if trusted:
        # The caller named the keys it trusts: a token outside them fails, it
        # does not get to fall back to a key it carries itself.
        reason = f": {resolve_error.message}" if resolve_error is not None else ""
        what = f"key with kid {kid!r}" if kid is not None else f"key for algorithm {alg}"
        raise KeyUnavailable(
            f"no {what} in the supplied key set{reason}", "JWT_KID_UNKNOWN", fail=True
        )
    if embedded is not None and allow_embedded_jwk:
        if not isinstance(embedded, dict) or "d" in embedded:
            raise KeyUnavailable(
                "the 'jwk' header is not a public JWK", "JWT_KEY_INVALID", fail=True
            )
        try:
            key = to_jwcrypto(embedded, private=False)
        except MicrocredError as exc:
            raise KeyUnavailable(
                f"the 'jwk' header is unusable: {exc.message}", exc.code, fail=True
            ) from exc
        issuer = _signer(decoded)
        vm_id = issuer_key_for(resolver, issuer, key, purpose) if issuer else None
        if vm_id is not None:
            return KeyChoice(
                [key],
                "document",
                f"the token's 'jwk' header key, listed by {issuer} as {vm_id}",
                issuer,
            )
        return KeyChoice([key], "embedded", "the public key in the token's 'jwk' header")
    if resolve_error is not None:
        raise KeyUnavailable(
            f"the signing key {kid!r} could not be obtained: {resolve_error.message}",
            resolve_error.code,
        )
    issuer = _signer(decoded)
    where = f" (issuer {issuer} publishes no key that can be obtained offline)" if issuer else ""
    if kid is not None:
        msg = f"kid {kid!r} cannot be resolved offline and no key set was supplied{where}"
    elif embedded is not None:
        msg = "the token carries only an embedded 'jwk' key and embedded keys are not allowed"
    else:
        msg = f"the token names no key (no kid, no jwk) and no key set was supplied{where}"
    raise KeyUnavailable(msg, "JWT_KEY_UNAVAILABLE")
