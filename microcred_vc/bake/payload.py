"""What may be baked, and how a baked text is read back.

A baked badge is one of three things: a JWT (OB 3.0 / VC-JOSE or an OB 2.0
signed assertion), a JSON object (an OB 3.0 credential with an embedded proof,
or an OB 2.0 hosted assertion), or — OB 2.0 only — the URL of a hosted
assertion. Anything else is refused when baking, so a baked image never carries
something a verifier cannot classify.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from microcred_vc.errors import BakeError, InputError, UnbakeError
from microcred_vc.jose.compact import is_jwt
from microcred_vc.jsonld.limits import check_limits, parse_json

Version = Literal["ob3", "ob2"]
Kind = Literal["jwt", "json", "url"]

OB3_KEYWORD = "openbadgecredential"
OB2_KEYWORD = "openbadges"
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
OB2_NAMESPACE = "http://openbadges.org"
KEYWORDS: dict[str, Version] = {OB3_KEYWORD: "ob3", OB2_KEYWORD: "ob2"}
VERSIONS: tuple[Version, ...] = ("ob3", "ob2")
#: Largest badge text baked or unbaked (after any decompression): what we
#: would refuse to read back we also refuse to write.
MAX_BADGE_BYTES = 2_000_000


def check_version(version: str) -> Version:
    if version not in VERSIONS:
        raise BakeError(f"unknown badge version {version!r}; use 'ob3' or 'ob2'")
    return version  # type: ignore[return-value]


def _is_url(text: str) -> bool:
    return text.startswith(("https://", "http://")) and not any(c.isspace() for c in text)


def prepare(payload: Any, version: Version) -> tuple[Kind, str]:
    """Classify and serialise a payload for baking; JSON comes out ASCII-only so
    it is safe in any SVG encoding and inside CDATA."""
    kind, text = _classify(payload, version)
    if len(text) > MAX_BADGE_BYTES:
        raise BakeError(
            f"payload is {len(text)} bytes; a baked badge may hold at most {MAX_BADGE_BYTES}",
            limit=MAX_BADGE_BYTES,
        )
    return kind, text


def _classify(payload: Any, version: Version) -> tuple[Kind, str]:
    if isinstance(payload, Mapping):
        try:
            check_limits(payload)
            text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
        except InputError as exc:
            raise BakeError(f"payload is too large to bake: {exc.message}") from exc
        except (TypeError, ValueError) as exc:
            raise BakeError(f"payload is not JSON-serialisable: {exc}") from exc
        return "json", text
    if isinstance(payload, bytes | bytearray):
        try:
            payload = bytes(payload).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BakeError("payload bytes are not UTF-8 text") from exc
    if not isinstance(payload, str):
        raise BakeError(
            f"payload must be a dict, a JSON string or a JWT, got {type(payload).__name__}"
        )
    text = payload.strip()
    if is_jwt(text):
        return "jwt", text
    if text.startswith("{"):
        try:
            obj = parse_json(text)
        except InputError as exc:
            raise BakeError(f"payload is not usable JSON: {exc.message}") from exc
        return _classify(obj, version)
    if version == "ob2" and _is_url(text):
        return "url", text
    allowed = "a JWT or a JSON object" + (" or a hosted-assertion URL" if version == "ob2" else "")
    raise BakeError(f"payload must be {allowed}")


def read_back(text: str, *, where: str) -> str | dict[str, Any]:
    """A baked text → dict (JSON) or str (JWT, URL)."""
    stripped = text.strip()
    if not stripped:
        raise UnbakeError(f"the badge in {where} is empty")
    if stripped.startswith("{"):
        try:
            obj = parse_json(stripped)
        except InputError as exc:
            raise UnbakeError(f"the badge in {where} is not usable JSON: {exc.message}") from exc
        if not isinstance(obj, dict):
            raise UnbakeError(f"the badge in {where} is JSON but not an object")
        return obj
    if is_jwt(stripped) or _is_url(stripped):
        return stripped
    raise UnbakeError(f"the badge in {where} is neither JSON, a JWT nor a URL")


def is_hosted_url(payload: Any) -> bool:
    """An OB 2.0 baked badge that carries only the URL of its hosted assertion."""
    return isinstance(payload, str) and _is_url(payload.strip())


def fetch_hosted(url: str, fetch: Any) -> str | dict[str, Any]:
    """The hosted assertion a baked URL names, through the caller's ``fetch``.

    Hosted verification means fetching that URL; the caller's fetch (e.g.
    :class:`microcred_vc.net.HttpFetcher`, with its address guards and deadlines)
    is the only way out, and without one the error says so instead of calling
    a URL "neither JSON nor a JWT".
    """
    from microcred_vc.errors import MicrocredError, NetworkDisabled, NetworkError

    if fetch is None:
        raise NetworkDisabled(
            f"the image carries the hosted assertion URL {url}; verifying it means "
            "fetching that URL, and no fetch was given (network is off by default: "
            "pass fetch=, or --network on the command line)",
            url=url,
        )
    try:
        raw = fetch(url)
    except MicrocredError as exc:
        # keep the guard's own code (address not allowed, deadline…), not a generic one
        raise NetworkError(
            f"could not fetch the hosted assertion {url}: {exc.message}", code=exc.code
        ) from exc
    except Exception as exc:  # a foreign callback: any failure means "unavailable"
        raise NetworkError(f"could not fetch the hosted assertion {url}: {exc}") from exc
    if isinstance(raw, bytes | bytearray):
        raw = bytes(raw).decode("utf-8", errors="replace")
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        return read_back(raw, where=f"the response from {url}")
    raise NetworkError(f"fetch({url}) returned {type(raw).__name__}, not JSON or text", url=url)
