"""VC 1.1 / OB 3.0 JWT claim mapping (VC Data Model 1.1 §6.3.1), both ways.

The VC 1.1 JWT encoding duplicates credential properties into registered JWT
claims (iss, sub, nbf, exp, jti). A generic JWT library only checks the claims,
a JSON-LD processor only reads the credential, so a token whose two copies
disagree would be read differently by each: :func:`claim_mismatches` finds such
disagreements so the verifier can fail them instead of picking a side.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from microcred_vc.errors import JwtInvalid

#: Registered JWT claims (RFC 7519 §4.1); in VC-JOSE-COSE they sit beside the
#: credential's own properties and are not part of the credential.
REGISTERED_CLAIMS = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti")


def parse_datetime(value: Any, *, field: str) -> datetime:
    """An XSD dateTime as used by VCs; a value without zone is read as UTC."""
    if not isinstance(value, str):
        raise JwtInvalid(f"{field} must be a date-time string", field=field)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise JwtInvalid(f"{field} is not a valid date-time: {value!r}", field=field) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def to_numeric_date(value: Any, *, field: str) -> int:
    return int(parse_datetime(value, field=field).timestamp())


def from_numeric_date(value: Any, *, claim: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise JwtInvalid(f"JWT claim {claim!r} must be a NumericDate (seconds)", claim=claim)
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise JwtInvalid(f"JWT claim {claim!r} is out of range", claim=claim) from exc


def format_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_typed(doc: Mapping[str, Any], wanted: str) -> bool:
    """A JSON-LD object (it has an ``@context``) whose ``type`` lists ``wanted``."""
    types = doc.get("type")
    types = [types] if isinstance(types, str) else types
    return "@context" in doc and isinstance(types, list) and wanted in types


def _id_of(value: Any) -> str | None:
    """A property's id: the string itself, or the ``id`` of an object."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def issuer_id(credential: dict[str, Any]) -> str | None:
    return _id_of(credential.get("issuer"))


def subject_id(credential: dict[str, Any]) -> str | None:
    """The single subject's id; several subjects have no one ``sub``."""
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if len(subject) == 1 else None
    if isinstance(subject, dict) and isinstance(subject.get("id"), str):
        return subject["id"]
    return None


def _is_v1(credential: dict[str, Any]) -> bool:
    ctx = credential.get("@context")
    first = ctx[0] if isinstance(ctx, list) and ctx else ctx
    return first == "https://www.w3.org/2018/credentials/v1"


def claims_for_vc11(credential: dict[str, Any]) -> dict[str, Any]:
    """Registered claims derived from a credential for the ``vc`` encoding."""
    claims: dict[str, Any] = {}
    if (iss := issuer_id(credential)) is not None:
        claims["iss"] = iss
    if (sub := subject_id(credential)) is not None:
        claims["sub"] = sub
    if isinstance(credential.get("id"), str):
        claims["jti"] = credential["id"]
    start = credential.get("issuanceDate", credential.get("validFrom"))
    if start is not None:
        claims["nbf"] = to_numeric_date(start, field="issuanceDate/validFrom")
    end = credential.get("expirationDate", credential.get("validUntil"))
    if end is not None:
        claims["exp"] = to_numeric_date(end, field="expirationDate/validUntil")
    return claims


def credential_from_claims(claims: dict[str, Any], encoding: str) -> dict[str, Any]:
    """The credential a token carries. For ``vc11`` properties the issuer moved
    into claims only are restored (VC 1.1 lets the ``vc`` object omit them)."""
    if encoding == "vc-jose-cose":
        return {k: copy.deepcopy(v) for k, v in claims.items() if k not in REGISTERED_CLAIMS}
    vc = claims.get("vc")
    if not isinstance(vc, dict):
        raise JwtInvalid("VC 1.1 JWT has no 'vc' object claim")
    cred = copy.deepcopy(vc)
    if "iss" in claims and "issuer" not in cred:
        cred["issuer"] = claims["iss"]
    if "jti" in claims and "id" not in cred:
        cred["id"] = claims["jti"]
    if "sub" in claims:
        subject = cred.get("credentialSubject")
        if subject is None:
            cred["credentialSubject"] = {"id": claims["sub"]}
        elif isinstance(subject, dict) and "id" not in subject:
            subject["id"] = claims["sub"]
    start_field = "issuanceDate" if _is_v1(cred) else "validFrom"
    if "nbf" in claims and "issuanceDate" not in cred and "validFrom" not in cred:
        cred[start_field] = format_datetime(from_numeric_date(claims["nbf"], claim="nbf"))
    end_field = "expirationDate" if _is_v1(cred) else "validUntil"
    if "exp" in claims and "expirationDate" not in cred and "validUntil" not in cred:
        cred[end_field] = format_datetime(from_numeric_date(claims["exp"], claim="exp"))
    return cred


def claim_mismatches(claims: dict[str, Any], credential: dict[str, Any]) -> dict[str, str]:
    """Claim name → sentence, for each registered claim that contradicts the
    credential property it represents (dates compared to the second)."""
    problems: dict[str, str] = {}

    def differ(claim: str, prop: str, value: Any) -> None:
        if claim in claims and value is not None and claims[claim] != value:
            problems[claim] = f"claim {claim}={claims[claim]!r} contradicts {prop}={value!r}"

    differ("iss", "issuer", issuer_id(credential))
    differ("sub", "credentialSubject.id", subject_id(credential))
    differ("jti", "id", credential.get("id") if isinstance(credential.get("id"), str) else None)
    for claim, props in (
        ("nbf", ("issuanceDate", "validFrom")),
        ("exp", ("expirationDate", "validUntil")),
    ):
        if claim not in claims:
            continue
        prop = next((p for p in props if p in credential), None)
        if prop is None:
            continue
        try:
            expected = to_numeric_date(credential[prop], field=prop)
            actual = int(from_numeric_date(claims[claim], claim=claim).timestamp())
        except JwtInvalid as exc:
            problems[claim] = exc.message
            continue
        if expected != actual:
            problems[claim] = (
                f"claim {claim}={claims[claim]!r} contradicts {prop}={credential[prop]!r}"
            )
    return problems


#: JWT claims a presentation token carries beside the presentation (RFC 7519, and
#: ``nonce`` for the verifier's challenge as OpenID4VP and VC 1.1 use it).
PRESENTATION_CLAIMS = (*REGISTERED_CLAIMS, "nonce")


def holder_id(presentation: dict[str, Any]) -> str | None:
    return _id_of(presentation.get("holder"))


def presentation_from_claims(claims: dict[str, Any], encoding: str) -> dict[str, Any]:
    """The presentation a token carries. In the VC 1.1 ``vp`` encoding ``iss`` is the
    holder and ``jti`` the id, restored when the ``vp`` object omits them."""
    if encoding == "vp-jose-cose":
        return {k: copy.deepcopy(v) for k, v in claims.items() if k not in PRESENTATION_CLAIMS}
    vp = claims.get("vp")
    if not isinstance(vp, dict):
        raise JwtInvalid("VC 1.1 JWT presentation has no 'vp' object claim")
    out = copy.deepcopy(vp)
    if isinstance(claims.get("iss"), str) and "holder" not in out:
        out["holder"] = claims["iss"]
    if isinstance(claims.get("jti"), str) and "id" not in out:
        out["id"] = claims["jti"]
    return out


def presentation_mismatches(claims: dict[str, Any], presentation: dict[str, Any]) -> list[str]:
    """Sentences for the registered claims that contradict the presentation (iss, jti)."""
    problems = []
    holder = holder_id(presentation)
    if "iss" in claims and holder is not None and claims["iss"] != holder:
        problems.append(f"claim iss={claims['iss']!r} contradicts holder={holder!r}")
    vp_id = presentation.get("id")
    if "jti" in claims and isinstance(vp_id, str) and claims["jti"] != vp_id:
        problems.append(f"claim jti={claims['jti']!r} contradicts id={vp_id!r}")
    return problems
