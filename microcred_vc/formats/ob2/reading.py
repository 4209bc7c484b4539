"""Reading Open Badges 2.0 assertions with their BadgeClass and Issuer.

An OB2 assertion is rarely self-contained: ``badge``, ``issuer``, keys and
revocation lists are usually URLs. The library never opens a socket on its own
(DESIGN.md: no network unless asked), so every referenced document comes from
a caller-supplied ``fetch(url) -> dict | bytes``. Without one, a reference that
is actually needed is a typed :class:`~microcred_vc.errors.NetworkDisabled`
naming the URL, so the caller knows exactly what to provide.

This module only *reads* (shape, types, references); judging trust lives in
``ob2.verifying`` and conversion in the ``ob2`` package.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from microcred_vc.errors import (
    InputError,
    InvalidJson,
    MicrocredError,
    NetworkDisabled,
    NetworkError,
    Ob2Invalid,
)
from microcred_vc.jsonld import limits

Fetch = Callable[[str], "dict[str, Any] | bytes | str"]
Form = Literal["hosted", "signed"]

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB2_VOCAB = "https://w3id.org/openbadges#"

#: Classes the OB2 context defines; anything else must be a full IRI (an extension class).
KNOWN_CLASSES = frozenset(
    {
        "Assertion",
        "BadgeClass",
        "Issuer",
        "Profile",
        "AlignmentObject",
        "CryptographicKey",
        "Criteria",
        "Endorsement",
        "Evidence",
        "Extension",
        "FrameValidation",
        "IdentityObject",
        "Image",
        "HostedBadge",
        "hosted",
        "RevocationList",
        "SignedBadge",
        "signed",
        "TypeValidation",
        "VerificationObject",
    }
)
_JWS_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_HASH_RE = re.compile(r"^(sha256|md5)\$([0-9a-fA-F]+)$", re.IGNORECASE)
_URL_RE = re.compile(r"^https?://\S+$")
_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


@dataclass
class Ob2Badge:
    """An assertion with its BadgeClass and Issuer resolved to JSON objects."""

    assertion: dict[str, Any]
    badge: dict[str, Any]
    issuer: dict[str, Any]
    form: Form
    jws: str | None = None
    #: URLs fetched while reading, in order (named in the report's parse check).
    fetched: list[str] = field(default_factory=list)


# --- JSON and fetching ------------------------------------------------------
def parse_json(data: str | bytes) -> Any:
    """Strict JSON under the library's input limits (size, depth, node count)."""
    return limits.parse_json(data)


def fetch_json(url: str, fetch: Fetch | None, fetched: list[str] | None = None) -> dict[str, Any]:
    """Get the JSON object at ``url`` through the caller's fetch function.

    The callback is foreign code: whatever it raises (404, timeout, our own
    errors) becomes a :class:`NetworkError` naming the URL, so a verifier can
    turn it into a failed check instead of crashing.
    """
    if fetch is None:
        raise NetworkDisabled(
            f"{url} is needed but no fetch function was given (network is off by default)",
            url=url,
        )
    try:
        raw = fetch(url)
    except MicrocredError as exc:
        raise NetworkError(f"could not fetch {url}: {exc.message}", url=url) from exc
    except Exception as exc:  # foreign callback: any failure is "unavailable"
        raise NetworkError(f"could not fetch {url}: {exc}", url=url) from exc
    if fetched is not None:
        fetched.append(url)
    obj = raw if isinstance(raw, dict) else _parse_fetched(url, raw)
    if isinstance(raw, dict):
        try:
            limits.check_limits(raw)
        except MicrocredError as exc:
            raise Ob2Invalid(f"{url}: {exc.message}", url=url) from exc
    if not isinstance(obj, dict):
        raise Ob2Invalid(f"{url} did not return a JSON object", url=url)
    return obj


def _parse_fetched(url: str, raw: object) -> Any:
    if not isinstance(raw, bytes | str):
        raise NetworkError(f"fetch({url}) returned {type(raw).__name__}, not dict/bytes", url=url)
    try:
        return parse_json(raw)
    except MicrocredError as exc:
        raise Ob2Invalid(f"{url}: {exc.message}", url=url) from exc


def resolve(
    value: Any, what: str, fetch: Fetch | None, fetched: list[str] | None = None
) -> dict[str, Any]:
    """An embedded node as is, or the node a URL points to."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.strip():
        return fetch_json(value.strip(), fetch, fetched)
    raise Ob2Invalid(f"{what} must be a URL or an embedded object, got {_short(value)}")


# --- node helpers -----------------------------------------------------------
def types_of(node: dict[str, Any]) -> list[str]:
    """The ``type`` values as a list; a missing or empty type is invalid in OB2."""
    raw = node.get("type", node.get("@type"))
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list) and raw and all(isinstance(t, str) for t in raw):
        return list(raw)
    raise Ob2Invalid(
        f"node {_node_name(node)} has no usable type: {_short(raw)}", code="OB2_INVALID_TYPE"
    )


def check_types(node: dict[str, Any], *expected: str) -> list[str]:
    """Validate ``type`` against the OB2 vocabulary and require one of ``expected``.

    A term the OB2 context does not define is an error (plain JSON-LD would drop
    it silently); a full IRI is an extension class and is allowed alongside.
    """
    found = types_of(node)
    unknown = [t for t in found if t not in KNOWN_CLASSES and not _IRI_RE.match(t)]
    if unknown:
        raise Ob2Invalid(
            f"node {_node_name(node)} has type {unknown[0]!r}, which is not an Open Badges 2.0 "
            "class nor an IRI",
            code="OB2_INVALID_TYPE",
        )
    if expected and not any(t in expected for t in found):
        raise Ob2Invalid(
            f"node {_node_name(node)} is a {'/'.join(found)}, expected {' or '.join(expected)}",
            code="OB2_WRONG_TYPE",
        )
    return found


def has_ob2_context(node: dict[str, Any]) -> bool:
    """True when the node uses the OB2 context (by URL, or an inline copy of it)."""
    ctx = node.get("@context")
    items = ctx if isinstance(ctx, list) else [ctx]
    for item in items:
        if isinstance(item, str) and item.rstrip("/") == OB2_CONTEXT:
            return True
        if isinstance(item, dict) and item.get("obi") == OB2_VOCAB and "Assertion" in item:
            return True
    return False


def verification_form(assertion: dict[str, Any]) -> Form:
    """``hosted`` or ``signed`` from ``verification.type`` (both spellings of each)."""
    ver = assertion.get("verification")
    vtype = ver.get("type") if isinstance(ver, dict) else None
    if vtype in ("hosted", "HostedBadge"):
        return "hosted"
    if vtype in ("signed", "SignedBadge"):
        return "signed"
    raise Ob2Invalid(
        f"verification.type must be hosted or signed, got {_short(vtype)}",
        code="OB2_BAD_VERIFICATION",
    )


def node_id(value: Any) -> str | None:
    """The id of a reference: the string itself or an embedded node's ``id``."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"].strip() or None
    return None


def parse_datetime(value: Any, what: str) -> datetime:
    """OB2 DateTime: ISO 8601 (timezone-less taken as UTC) or a legacy Unix timestamp.

    The result is in UTC, so dates near the ends of the calendar that cannot be
    shifted are rejected here instead of overflowing later in a comparison.
    """
    try:
        parsed = _parse_datetime(value)
        if parsed is not None:
            return parsed.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise Ob2Invalid(f"{what} is not an ISO 8601 date-time: {_short(value)}", code="OB2_BAD_DATE")


def _parse_datetime(value: Any) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), tz=UTC)
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# --- recipient identity -----------------------------------------------------
def hash_identity(identity: str, algorithm: str, salt: str = "") -> str:
    """``algo$hex`` of identity+salt as OB2 defines it (UTF-8, sha256 or md5)."""
    algo = algorithm.lower()
    if algo not in ("sha256", "md5"):
        raise Ob2Invalid(f"identity hash algorithm {algorithm!r} is not sha256 or md5")
    digest = hashlib.new(algo, (identity + salt).encode("utf-8")).hexdigest()
    return f"{algo}${digest}"


def is_hashed(recipient: dict[str, Any]) -> bool:
    """OB2 ``hashed`` defaults by shape when absent (``algo$...`` is a hash)."""
    hashed = recipient.get("hashed")
    identity = recipient.get("identity")
    if hashed is not None and not isinstance(hashed, bool):
        raise Ob2Invalid(
            f"recipient.hashed must be true or false, got {_short(hashed)}",
            code="OB2_BAD_IDENTITY_HASH",
        )
    return hashed is True or (hashed is None and isinstance(identity, str) and "$" in identity)


def split_identity_hash(identity: str) -> tuple[str, str]:
    """``(algorithm, hex)`` of an OB2 identity hash; anything else is :class:`Ob2Invalid`."""
    match = _HASH_RE.match(identity.strip())
    if match is None:
        raise Ob2Invalid(
            f"recipient.identity {_short(identity)} is not sha256$hex or md5$hex",
            code="OB2_BAD_IDENTITY_HASH",
        )
    return match.group(1).lower(), match.group(2)


def recipient_matches(recipient: Any, identity: str) -> bool:
    """Does the assertion's recipient object designate ``identity`` (e.g. an email)?

    Hashes compare in constant time and hex case-insensitively. An email is also
    tried lower-cased, as issuers commonly normalise addresses before hashing.
    """
    if not isinstance(recipient, dict):
        raise Ob2Invalid("recipient must be an IdentityObject")
    stored = recipient.get("identity")
    if not isinstance(stored, str) or not stored:
        raise Ob2Invalid("recipient.identity is missing")
    candidates = dict.fromkeys([identity.strip(), identity.strip().lower()])
    if is_hashed(recipient):
        algo, _ = split_identity_hash(stored)
        salt = recipient.get("salt") or ""
        if not isinstance(salt, str):
            raise Ob2Invalid("recipient.salt must be a string")
        want = stored.lower().encode()
        return any(
            hmac.compare_digest(hash_identity(c, algo, salt).lower().encode(), want)
            for c in candidates
        )
    return any(c.lower() == stored.strip().lower() for c in candidates)


# --- compact JWS ---------------------------------------------------------------
def looks_like_jws(text: str) -> bool:
    return bool(_JWS_RE.match(text.strip()))


def jws_payload(token: str) -> dict[str, Any]:
    """The (unverified) payload of a compact JWS: the signed OB2 assertion."""
    try:
        part = token.strip().split(".")[1]
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (IndexError, ValueError, binascii.Error):
        raise Ob2Invalid("the JWS payload is not base64url", code="OB2_BAD_JWS") from None
    obj = parse_json(raw)
    if not isinstance(obj, dict):
        raise Ob2Invalid("the JWS payload is not a JSON object", code="OB2_BAD_JWS")
    return obj


# --- reading ------------------------------------------------------------------
def load_input(doc_or_jws: Any, fetch: Fetch | None = None) -> tuple[dict[str, Any], str | None]:
    """The assertion object and, for the signed form, the JWS it came from.

    A bare http(s) URL (what an OB2 image baked with a hosted badge carries) is
    the hosted assertion's id and is fetched. Raises :class:`InputError` for
    values no badge can be (misuse), and typed format/network errors for a bad badge.
    """
    if isinstance(doc_or_jws, bytes):
        try:
            doc_or_jws = doc_or_jws.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidJson("input bytes are not UTF-8 text") from None
    if isinstance(doc_or_jws, dict):
        limits.check_limits(doc_or_jws)
        return doc_or_jws, None
    if isinstance(doc_or_jws, str):
        if _URL_RE.match(doc_or_jws.strip()):
            return fetch_json(doc_or_jws.strip(), fetch), None
        if looks_like_jws(doc_or_jws):
            token = doc_or_jws.strip()
            return jws_payload(token), token
        obj = parse_json(doc_or_jws)
        if not isinstance(obj, dict):
            raise Ob2Invalid("an OB2 assertion must be a JSON object")
        return obj, None
    raise InputError(
        f"expected an OB2 assertion as dict, JSON text or compact JWS, got {type(doc_or_jws).__name__}"
    )


def load_badge_class(
    value: Any, *, fetch: Fetch | None = None, fetched: list[str] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A BadgeClass (embedded or by URL) and its Issuer profile, both type-checked."""
    badge = resolve(value, "badge", fetch, fetched)
    check_types(badge, "BadgeClass")
    for key in ("name", "description"):
        if not isinstance(badge.get(key), str):
            raise Ob2Invalid(f"BadgeClass {_node_name(badge)} has no {key}")
    if badge.get("criteria") in (None, "", {}):
        raise Ob2Invalid(f"BadgeClass {_node_name(badge)} has no criteria")
    issuer = resolve(badge.get("issuer"), "BadgeClass issuer", fetch, fetched)
    check_types(issuer, "Issuer", "Profile")
    if not isinstance(issuer.get("id"), str):
        raise Ob2Invalid("the issuer profile has no id")
    return badge, issuer


def read_ob2(doc_or_jws: Any, *, fetch: Fetch | None = None) -> Ob2Badge:
    """Read an assertion (dict, JSON text or JWS) and resolve its BadgeClass and Issuer.

    This checks structure only, not trust: use ``verify_ob2`` for that.
    """
    assertion, jws = load_input(doc_or_jws, fetch)
    check_types(assertion, "Assertion")
    form = verification_form(assertion)
    if not isinstance(assertion.get("id"), str) or not assertion["id"].strip():
        raise Ob2Invalid("the assertion has no id", code="OB2_MISSING_PROPERTY")
    if assertion.get("issuedOn") in (None, ""):
        raise Ob2Invalid("the assertion has no issuedOn", code="OB2_MISSING_PROPERTY")
    if not isinstance(assertion.get("recipient"), dict):
        raise Ob2Invalid("the assertion has no recipient object", code="OB2_MISSING_PROPERTY")
    parse_datetime(assertion["issuedOn"], "issuedOn")
    if assertion.get("expires") is not None:
        parse_datetime(assertion["expires"], "expires")
    fetched: list[str] = []
    badge, issuer = load_badge_class(assertion.get("badge"), fetch=fetch, fetched=fetched)
    return Ob2Badge(assertion, badge, issuer, form, jws, fetched)


def _node_name(node: dict[str, Any]) -> str:
    ident = node.get("id")
    return repr(ident) if isinstance(ident, str) else "(no id)"


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
