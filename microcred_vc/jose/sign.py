"""Signing credentials as JWTs: VC-JOSE-COSE (``vc+jwt``) and VC 1.1 / OB 3.0.

VC-JOSE-COSE signs the credential itself as the claims set, so what is signed
is exactly what a JSON-LD verifier reads. The older VC 1.1 encoding (still what
most OB 3.0 wallets import) nests it in a ``vc`` claim and mirrors issuer,
subject, id and dates into registered claims; we fill those from the
credential so the two copies can never disagree at issuance.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from jwcrypto import jws
from jwcrypto.common import JWException

from microcred_vc.errors import JoseError, JwtInvalid
from microcred_vc.jose.claims import REGISTERED_CLAIMS, claims_for_vc11
from microcred_vc.jose.compact import Encoding, b64url_encode
from microcred_vc.jose.keys import algs_for_key, to_jwcrypto

_RESERVED_HEADERS = frozenset({"alg", "typ", "cty", "kid", "crit", "b64", "jku", "x5u"})


def _kid_for(key: Any, kid: str | None) -> str | None:
    if kid is not None:
        return kid
    vm = getattr(key, "verification_method", None)
    if isinstance(vm, str):
        return vm
    if isinstance(key, Mapping) and isinstance(key.get("kid"), str):
        return key["kid"]
    return None


def _claims(
    credential: Mapping[str, Any],
    encoding: Encoding,
    *,
    audience: str | list[str] | None,
    issued_at: int | None,
) -> dict[str, Any]:
    cred = dict(credential)
    if encoding == "vc-jose-cose":
        clash = sorted(k for k in REGISTERED_CLAIMS if k in cred)
        if clash:
            raise JwtInvalid(
                f"credential has members that are registered JWT claims: {', '.join(clash)}",
                members=",".join(clash),
            )
        claims = cred
    elif encoding == "vc11":
        claims = claims_for_vc11(cred)
        claims["vc"] = cred
    else:
        raise JoseError(f"unknown JWT encoding {encoding!r}; use 'vc-jose-cose' or 'vc11'")
    if audience is not None:
        claims["aud"] = audience
    if issued_at is not None:
        claims["iat"] = issued_at
    return claims


def sign_jwt(
    credential: Mapping[str, Any],
    key: Any,
    *,
    alg: str | None = None,
    encoding: Encoding = "vc-jose-cose",
    kid: str | None = None,
    audience: str | list[str] | None = None,
    issued_at: int | bool | None = None,
    headers: Mapping[str, Any] | None = None,
) -> str:
    """Sign ``credential`` and return a compact JWS.

    ``key``: a KeyPair, a private JWK (dict/JSON/jwcrypto) or a ``cryptography``
    private key; RS256 needs an RSA JWK. ``alg`` defaults to the key's only
    algorithm. ``kid`` defaults to the KeyPair's verification method so a
    verifier can resolve it (did:key). ``issued_at=True`` stamps ``iat`` now.
    """
    if not isinstance(credential, Mapping):
        raise JwtInvalid(f"credential must be a JSON object, got {type(credential).__name__}")
    iat = int(time.time()) if issued_at is True else (issued_at or None)
    claims = _claims(credential, encoding, audience=audience, issued_at=iat)
    typ = "vc+jwt" if encoding == "vc-jose-cose" else "JWT"
    cty = "vc" if encoding == "vc-jose-cose" else None
    return sign_claims(claims, key, typ=typ, cty=cty, alg=alg, kid=kid, headers=headers)


def sign_claims(
    claims: Mapping[str, Any],
    key: Any,
    *,
    typ: str,
    cty: str | None = None,
    alg: str | None = None,
    kid: str | None = None,
    headers: Mapping[str, Any] | None = None,
) -> str:
    """A compact JWS over ``claims`` exactly as given (credential and presentation tokens).

    The algorithm is the key's own (``alg`` may only pick among those it permits);
    ``kid`` defaults to the KeyPair's verification method.
    """
    signer = to_jwcrypto(key, private=True)
    permitted = algs_for_key(signer)
    chosen = alg or permitted[0]
    if chosen not in permitted:
        raise JoseError(
            f"algorithm {chosen!r} does not fit a {signer.get('kty')} "
            f"{signer.get('crv') or ''} key; use {', '.join(permitted)}",
            alg=chosen,
        )
    header: dict[str, Any] = {"alg": chosen, "typ": typ}
    if cty is not None:
        header["cty"] = cty
    if (key_id := _kid_for(key, kid)) is not None:
        header["kid"] = key_id
    for name, value in (headers or {}).items():
        if name in _RESERVED_HEADERS:
            raise JoseError(f"header {name!r} is set by sign_jwt and cannot be overridden")
        header[name] = value
    try:
        payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise JwtInvalid(f"credential is not JSON-serialisable: {exc}") from exc
    try:
        token = jws.JWS(payload)
        token.add_signature(signer, alg=chosen, protected=json.dumps(header, separators=(",", ":")))
        compact = token.serialize(compact=True)
    except (JWException, ValueError, TypeError) as exc:
        raise JoseError(f"JWT signing failed: {exc}") from exc
    # jwcrypto re-encodes the payload; make sure it signed the bytes we built.
    if compact.split(".")[1] != b64url_encode(payload):
        raise JoseError("JWT signing produced an unexpected payload encoding")
    return compact
