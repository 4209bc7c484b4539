"""VC-JOSE-COSE enveloping: a secured token carried as a ``data:`` URL in a JSON-LD object.

An ``EnvelopedVerifiableCredential`` (or ``...Presentation``) has no claims of
its own: its ``id`` is ``data:application/vc+jwt,<compact JWS>`` and everything
it says is in that token. Reading the URL strictly matters because the media
type is what tells a verifier which kind of document it is about to trust: a
presentation must not be accepted where a credential was expected, nor a
``data:`` URL with parameters or base64 encoding that another reader would
decode differently.

This module imports nothing of the package but its errors, so both the
presentation verifier (proofs) and the JOSE package can use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from microcred_vc.errors import JwtInvalid

Kind = Literal["credential", "presentation"]

#: Media types of a JWT-secured credential / presentation (current, then draft names).
MEDIA_TYPES: dict[str, tuple[str, ...]] = {
    "credential": ("application/vc+jwt", "application/vc+ld+json+jwt"),
    "presentation": ("application/vp+jwt", "application/vp+ld+json+jwt"),
}
TYPES = {
    "credential": "EnvelopedVerifiableCredential",
    "presentation": "EnvelopedVerifiablePresentation",
}
VC2 = "https://www.w3.org/ns/credentials/v2"


def envelope(token: str, kind: Kind = "credential") -> dict[str, Any]:
    """The enveloped form of a compact JWS (issuing side: what a wallet puts in a VP)."""
    return {"@context": [VC2], "id": f"data:{MEDIA_TYPES[kind][0]},{token}", "type": TYPES[kind]}


def _types(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [t for t in items if isinstance(t, str)]


def is_enveloped(doc: Any, kind: Kind | None = None) -> bool:
    """Typed ``EnvelopedVerifiable{Credential,Presentation}`` (either, or the one asked)."""
    if not isinstance(doc, Mapping):
        return False
    wanted = [TYPES[kind]] if kind else list(TYPES.values())
    return any(t in wanted for t in _types(doc.get("type")))


def enveloped_kind(doc: Mapping[str, Any]) -> Kind | None:
    """Which kind an enveloped object says it holds, by its ``data:`` URL's media type."""
    url = doc.get("id")
    if not isinstance(url, str) or not url.startswith("data:") or "," not in url:
        return None
    media = url[5:].split(",", 1)[0].lower()
    return next((k for k, names in MEDIA_TYPES.items() if media in names), None)  # type: ignore[return-value]


def enveloped_token(doc: Mapping[str, Any], kind: Kind) -> str:
    """The compact JWS inside an enveloped object of ``kind``; raises ``ENVELOPE_INVALID``.

    The media type must be one of ``kind``'s, with no parameters and no base64
    flag (the JWS is already text), and the body must be non-empty.
    """
    label = TYPES[kind]
    url = doc.get("id")
    if not isinstance(url, str) or not url.startswith("data:") or "," not in url:
        raise JwtInvalid(
            f"an {label} needs an id that is a data: URL holding the token",
            code="ENVELOPE_INVALID",
        )
    media, body = url[5:].split(",", 1)
    if media.lower() not in MEDIA_TYPES[kind]:
        other = enveloped_kind(doc)
        what = f"a {other}" if other and other != kind else f"media type {media!r}"
        raise JwtInvalid(
            f"the {label} holds {what}, not a {kind} (expected data:{MEDIA_TYPES[kind][0]},...)",
            code="PRESENTATION_NESTED" if other == "presentation" else "ENVELOPE_INVALID",
        )
    if not body.strip():
        raise JwtInvalid(f"the {label}'s data: URL is empty", code="ENVELOPE_INVALID")
    return body.strip()
