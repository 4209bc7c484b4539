"""JWS compact serialisation: strict decoding and format detection.

We parse the compact form ourselves (instead of letting jwcrypto do it) for two
reasons: the top-level ``verify`` must detect a JWT *before* trusting it, and a
wallet must be able to show what a token claims even when its signature cannot
be checked. Parsing is strict on purpose — non-canonical base64url, duplicate
JSON member names and oversized tokens are classic confusion vectors between
two JOSE implementations, so they are refused here rather than tolerated.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from microcred_vc.errors import DuplicateJsonKey, InvalidJson, JwtInvalid
from microcred_vc.jsonld.limits import strict_loads

if TYPE_CHECKING:
    from microcred_vc.report import VerificationReport

Encoding = Literal["vc-jose-cose", "vc11", "vp-jose-cose", "vp11"]
#: The encodings whose payload is a presentation (VC 1.1 ``vp`` claim, or ``vp+jwt``).
PRESENTATION_ENCODINGS = frozenset({"vp-jose-cose", "vp11"})

#: A credential JWT larger than this is refused before any decoding work.
MAX_TOKEN_CHARS = 1_000_000

_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_COMPACT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")

#: ``typ``/``cty`` values that announce a VC-JOSE-COSE secured credential
#: (current spec, plus the names used by its earlier drafts).
VC_JOSE_TYPES = frozenset({"vc+jwt", "application/vc+jwt", "vc+ld+json+jwt", "vc+ld+jwt"})
VC_JOSE_CTYS = frozenset({"vc", "application/vc", "vc+ld+json", "application/vc+ld+json"})
#: The same for a VC-JOSE-COSE secured presentation.
VP_JOSE_TYPES = frozenset({"vp+jwt", "application/vp+jwt", "vp+ld+json+jwt", "vp+ld+jwt"})
VP_JOSE_CTYS = frozenset({"vp", "application/vp", "vp+ld+json", "application/vp+ld+json"})


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str, *, what: str = "segment") -> bytes:
    """Decode unpadded base64url, refusing padding, foreign characters and
    non-canonical trailing bits (two spellings of one token must not exist)."""
    if not _B64URL.match(text) or len(text) % 4 == 1:
        raise JwtInvalid(f"JWT {what} is not valid base64url", segment=what)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JwtInvalid(f"JWT {what} is not valid base64url: {exc}", segment=what) from exc
    if b64url_encode(raw) != text:
        raise JwtInvalid(f"JWT {what} uses non-canonical base64url", segment=what)
    return raw


def parse_json_segment(raw: bytes, *, what: str) -> dict[str, Any]:
    """A JWT header or claims set: UTF-8 JSON object, no duplicate names."""
    try:
        obj = strict_loads(raw.decode("utf-8"))
    except DuplicateJsonKey as exc:
        member = exc.details["member"]
        raise JwtInvalid(f"duplicate JSON member name {member!r} in JWT", member=member) from exc
    except InvalidJson as exc:
        raise JwtInvalid(f"JWT {what} is not valid JSON: {exc.message}", segment=what) from exc
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise JwtInvalid(f"JWT {what} is not valid JSON: {exc}", segment=what) from exc
    if not isinstance(obj, dict):
        raise JwtInvalid(f"JWT {what} must be a JSON object", segment=what)
    return obj


@dataclass(frozen=True)
class DecodedJwt:
    """A parsed but *unverified* credential JWT."""

    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes
    encoding: Encoding

    @property
    def alg(self) -> str | None:
        alg = self.header.get("alg")
        return alg if isinstance(alg, str) else None

    @property
    def kid(self) -> str | None:
        kid = self.header.get("kid")
        return kid if isinstance(kid, str) else None

    @property
    def is_presentation(self) -> bool:
        return self.encoding in PRESENTATION_ENCODINGS

    @property
    def credential(self) -> dict[str, Any]:
        """The credential the token carries, with VC 1.1 claims mapped back."""
        from microcred_vc.jose.claims import credential_from_claims

        if self.is_presentation:
            raise JwtInvalid("the token is a presentation, not a credential; verify it as one")
        return credential_from_claims(self.claims, self.encoding)

    @property
    def document(self) -> dict[str, Any]:
        """What the token carries: its credential, or its presentation (``vp`` mapped back)."""
        from microcred_vc.jose.claims import presentation_from_claims

        if self.is_presentation:
            return presentation_from_claims(self.claims, self.encoding)
        return self.credential


def is_jwt(value: object) -> bool:
    """Cheap shape test for format detection: three base64url segments, and a
    header that decodes to a JSON object with an ``alg``."""
    if isinstance(value, bytes):
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            return False
    if not isinstance(value, str):
        return False
    text = value.strip()
    if len(text) > MAX_TOKEN_CHARS or not _COMPACT.match(text):
        return False
    try:
        header = parse_json_segment(b64url_decode(text.split(".")[0]), what="header")
    except JwtInvalid:
        return False
    return "alg" in header


def detect_encoding(header: dict[str, Any], claims: dict[str, Any]) -> Encoding:
    """VC 1.1 / OB 3.0 JWTs wrap the credential in a ``vc`` claim; VC-JOSE-COSE
    makes the claims set the credential itself."""
    typ = header.get("typ")
    cty = header.get("cty")
    if isinstance(cty, str) and cty.lower() == "jwt":
        raise JwtInvalid("nested JWTs (cty 'JWT') are not supported")
    if isinstance(typ, str) and typ.lower() in VC_JOSE_TYPES:
        if cty is not None and (not isinstance(cty, str) or cty.lower() not in VC_JOSE_CTYS):
            raise JwtInvalid(f"content type (cty) {cty!r} is not a credential")
        if "vc" in claims and "@context" not in claims:
            raise JwtInvalid("typ says VC-JOSE-COSE but the payload wraps the credential in 'vc'")
        return "vc-jose-cose"
    if isinstance(typ, str) and (typ.lower() in VP_JOSE_TYPES or typ.lower() == "vp"):
        if cty is not None and (not isinstance(cty, str) or cty.lower() not in VP_JOSE_CTYS):
            raise JwtInvalid(f"content type (cty) {cty!r} is not a presentation")
        return "vp11" if "vp" in claims and "@context" not in claims else "vp-jose-cose"
    if isinstance(claims.get("vc"), dict):
        return "vc11"
    if isinstance(claims.get("vp"), dict):
        return "vp11"
    if "@context" in claims:
        return "vp-jose-cose" if _typed_presentation(claims) else "vc-jose-cose"
    raise JwtInvalid(
        "JWT carries no credential: no 'vc' or 'vp' claim and the payload is neither a "
        "credential nor a presentation",
        reason="no_credential",
    )


def _typed_presentation(claims: dict[str, Any]) -> bool:
    types = claims.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    return "VerifiablePresentation" in types and "VerifiableCredential" not in types


def decode_unverified(token: str | bytes) -> DecodedJwt:
    """Split and decode a compact JWS credential without checking anything
    cryptographic. Raises :class:`JwtInvalid` when it is not one."""
    if isinstance(token, bytes):
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError as exc:
            raise JwtInvalid("JWT must be ASCII text") from exc
    if not isinstance(token, str):
        raise JwtInvalid(f"JWT must be a string, got {type(token).__name__}")
    token = token.strip()
    if len(token) > MAX_TOKEN_CHARS:
        raise JwtInvalid(f"JWT is larger than {MAX_TOKEN_CHARS} characters", limit=MAX_TOKEN_CHARS)
    parts = token.split(".")
    if len(parts) == 5:
        raise JwtInvalid("token is a JWE (encrypted); only signed JWTs are supported")
    if len(parts) != 3:
        raise JwtInvalid(f"JWT must have 3 dot-separated parts, found {len(parts)}")
    header = parse_json_segment(b64url_decode(parts[0], what="header"), what="header")
    claims = parse_json_segment(b64url_decode(parts[1], what="payload"), what="payload")
    signature = b64url_decode(parts[2], what="signature")
    encoding = detect_encoding(header, claims)
    return DecodedJwt(
        header=header,
        claims=claims,
        signing_input=f"{parts[0]}.{parts[1]}".encode("ascii"),
        signature=signature,
        encoding=encoding,
    )


def decode_into_report(token: object, report: VerificationReport) -> tuple[str, DecodedJwt] | None:
    """Decode ``token`` without verifying, recording the format/parse failure in ``report``.

    The credential and the presentation verifiers both start this way; sharing it keeps
    their first two checks (and codes) identical. Returns the stripped token and its
    decoding, or ``None`` once a check failed.
    """
    if isinstance(token, bytes):
        token = token.decode("ascii", errors="replace")
    if not isinstance(token, str) or not is_jwt(token):
        report.add("format", "fail", "not a compact JWS (header.payload.signature)", "JWT_INVALID")
        return None
    token = token.strip()
    try:
        return token, decode_unverified(token)
    except JwtInvalid as exc:
        report.add("format", "pass", "compact JWS")
        report.add("parse", "fail", exc.message, exc.code)
        return None
