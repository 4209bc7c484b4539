"""Value predicates of the VC data model: URLs, XML Schema date-times, language values, digests.

They are kept apart from the rules (``datamodel.py``) because each is a small
grammar taken from a specification the data model points to (WHATWG URL,
XML Schema 1.1 Part 2, JSON-LD value objects, Subresource Integrity,
multibase/multihash), and each is tested on its own.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import hashlib
import re
from collections.abc import Mapping
from typing import Any

#: URL schemes the WHATWG URL standard calls "special": they need ``//`` and a host.
_SPECIAL = frozenset({"http", "https", "ws", "wss", "ftp"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(.+)", re.DOTALL)
#: what no URL holds: a space, a C0 control character or DEL
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def is_url(value: Any) -> bool:
    """An absolute URL: a scheme, then something; no spaces or control characters.

    The data model requires identifiers to be URLs (``did:``, ``urn:``, ``https:``
    ...). A relative reference such as ``fake-issuer`` has no scheme, and
    ``https ://x`` has a space where a scheme must end, so neither is one.
    ``http(s)`` URLs need an authority with a host, as the URL parser demands.
    """
    if not isinstance(value, str) or _SPACE_OR_CONTROL.search(value) is not None:
        return False
    match = _SCHEME.fullmatch(value)
    if match is None:
        return False
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme in _SPECIAL:
        if not rest.startswith("//"):
            return False
        authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0].rsplit("@", 1)[-1]
        host = authority if authority.startswith("[") else authority.split(":", 1)[0]
        return bool(host)
    if scheme == "did":
        # did:method:method-specific-id (W3C DID Core syntax)
        return re.fullmatch(r"[a-z0-9]+:[A-Za-z0-9._%:\-]*[A-Za-z0-9._%\-].*", rest) is not None
    return True


_DATETIME = re.compile(
    r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)


def _days_in(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return calendar.monthrange(2001, month)[1]


def is_datetime(value: Any, *, timezone: bool) -> bool:
    """An XML Schema 1.1 ``dateTime`` (``timezone=False``) or ``dateTimeStamp`` (``True``).

    ``dateTimeStamp`` is ``dateTime`` with a required timezone; VC 2.0 uses it for
    validFrom/validUntil, VC 1.1 uses ``dateTime`` for issuanceDate/expirationDate.
    Years beyond 9999 are legal (the W3C suite issues one for 4023).
    """
    if not isinstance(value, str):
        return False
    match = _DATETIME.fullmatch(value)
    if match is None:
        return False
    year_s, month_s, day_s, hour_s, minute_s, second_s, fraction, zone = match.groups()
    if zone is None and timezone:
        return False
    if year_s.lstrip("-").startswith("0") and len(year_s.lstrip("-")) > 4:
        return False  # more than four digits may not start with 0
    year, month, day = int(year_s), int(month_s), int(day_s)
    hour, minute, second = int(hour_s), int(minute_s), int(second_s)
    if not 1 <= month <= 12 or not 1 <= day <= _days_in(year, month):
        return False
    if minute > 59 or second > 59:
        return False
    if hour > 24 or (hour == 24 and (minute or second or (fraction or "").strip(".0"))):
        return False  # 24:00:00 is the only hour-24 time
    if zone not in (None, "Z"):
        zh, zm = int(zone[1:3]), int(zone[4:6])
        if zm > 59 or zh * 60 + zm > 14 * 60:
            return False
    return True


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_VALUE_KEYS = frozenset({"@value", "@language", "@direction"})


def language_value_problem(value: Any) -> str | None:
    """Why ``value`` is not a string or a language value object (None when it is one).

    VC 2.0 §11.1: a language value object has ``@value`` (a string) and may have
    ``@language`` (a BCP47 tag) and ``@direction`` (``ltr``/``rtl``); it is a
    JSON-LD value object, so no other member is allowed. A list of them gives
    the value in several languages.
    """
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            continue
        if not isinstance(item, Mapping):
            return "must be a string or a language value object"
        if not isinstance(item.get("@value"), str):
            return "a language value object needs a string @value"
        extra = sorted(set(item) - _VALUE_KEYS)
        if extra:
            return f"a language value object may not have {', '.join(extra)}"
        lang = item.get("@language")
        if lang is not None and not (isinstance(lang, str) and _LANGUAGE_TAG.fullmatch(lang)):
            return f"@language {lang!r} is not a language tag"
        direction = item.get("@direction")
        if direction is not None and direction not in ("ltr", "rtl"):
            return f"@direction {direction!r} is not 'ltr' or 'rtl'"
    return None


_SRI_HASHES = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}
_SRI = re.compile(r"(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?[!-~]*)?")
#: multihash codes of the SHA-2 digests (multicodec table) and their lengths
_MULTIHASH = {0x12: ("sha256", 32), 0x20: ("sha384", 48), 0x13: ("sha512", 64)}


def _tokens(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [t for v in value for t in v.split()]
    return None


def sri_digests(value: Any) -> list[tuple[str, bytes]] | None:
    """``digestSRI`` as (algorithm, digest) pairs, or None when it is not SRI metadata."""
    tokens = _tokens(value)
    if not tokens:
        return None
    out = []
    for token in tokens:
        match = _SRI.fullmatch(token)
        if match is None:
            return None
        try:
            digest = base64.b64decode(match.group(2), validate=True)
        except binascii.Error:
            return None
        if len(digest) != _SRI_HASHES[match.group(1)]().digest_size:
            return None
        out.append((match.group(1), digest))
    return out


def _multibase(value: str) -> bytes | None:
    from microcred_vc.errors import MicrocredError
    from microcred_vc.keys.multikey import multibase_decode

    if value[:1] == "z":
        try:
            return multibase_decode(value)
        except MicrocredError:
            return None
    if value[:1] == "u" and re.fullmatch(r"[A-Za-z0-9_\-]+", value[1:]):
        try:
            return base64.urlsafe_b64decode(value[1:] + "=" * (-len(value[1:]) % 4))
        except binascii.Error:
            return None
    return None


def multibase_digests(value: Any) -> list[tuple[str, bytes]] | None:
    """``digestMultibase`` (base58btc ``z`` or base64url ``u`` multihash) as pairs, or None."""
    tokens = _tokens(value)
    if not tokens:
        return None
    out = []
    for token in tokens:
        raw = _multibase(token)
        if raw is None or len(raw) < 2 or raw[0] not in _MULTIHASH:
            return None
        name, size = _MULTIHASH[raw[0]]
        if raw[1] != size or len(raw) != size + 2:
            return None
        out.append((name, raw[2:]))
    return out


def digests_match(digests: list[tuple[str, bytes]], content: bytes) -> bool:
    """Every stated digest is the digest of ``content``."""
    return all(_SRI_HASHES[name](content).digest() == digest for name, digest in digests)
