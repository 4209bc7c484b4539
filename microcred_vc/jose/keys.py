"""Keys for JOSE: coercing the library's keys into jwcrypto, choosing and
checking algorithms, and finding the verification key of a token.

The algorithm is always decided by the *key* and the caller's allow-list,
never by the token alone: ``alg: none`` and HMAC algorithms keyed with a public
key ("alg swap") are the two classic JWT forgeries, and both die here because a
public key can only ever be paired with the one asymmetric algorithm its type
permits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto.common import JWException

from microcred_vc.errors import (
    DidResolutionError,
    JoseError,
    KeyFormatError,
    MicrocredError,
)

#: Algorithms verify_jwt accepts unless told otherwise.
DEFAULT_ALGS: tuple[str, ...] = ("EdDSA", "ES256", "ES384", "RS256")
#: Asymmetric algorithms a caller may add to the allow-list.
SUPPORTED_ALGS: frozenset[str] = frozenset(
    {"EdDSA", "ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
)
MIN_RSA_BITS = 2048

Resolver = Callable[[str], Any]


def check_allowed_algs(allowed: Iterable[str]) -> tuple[str, ...]:
    """Validate a caller's allow-list; symmetric or ``none`` algorithms are misuse."""
    algs = tuple(allowed)
    if not algs:
        raise JoseError("allowed_algs must name at least one algorithm")
    for alg in algs:
        if alg not in SUPPORTED_ALGS:
            raise JoseError(
                f"algorithm {alg!r} cannot be allowed: only asymmetric signature "
                f"algorithms are accepted ({', '.join(sorted(SUPPORTED_ALGS))})",
                alg=alg,
            )
    return algs


def _algs_for_type(kty: Any, crv: Any) -> tuple[str, ...]:
    if kty == "OKP" and crv == "Ed25519":
        return ("EdDSA",)
    if kty == "EC":
        return {"P-256": ("ES256",), "P-384": ("ES384",), "P-521": ("ES512",)}.get(crv, ())
    if kty == "RSA":
        return ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
    return ()


def algs_for_key(key: jwcrypto_jwk.JWK) -> tuple[str, ...]:
    """The algorithms this key may be used with (first is the default): those of
    its type, narrowed by the JWK's own ``alg`` and never for ``use: enc``."""
    algs = _algs_for_type(key.get("kty"), key.get("crv"))
    if key.get("use") not in (None, "sig"):
        return ()
    pinned = key.get("alg")
    if pinned is not None:
        return (pinned,) if pinned in algs else ()
    return algs


def rsa_bits(key: jwcrypto_jwk.JWK) -> int:
    from jwcrypto.common import base64url_decode

    return len(base64url_decode(key.get("n", ""))) * 8


def to_jwcrypto(key: Any, *, private: bool) -> jwcrypto_jwk.JWK:
    """Our KeyPair/PublicKey, a JWK dict or JSON text, a jwcrypto JWK, or a
    ``cryptography`` key object → jwcrypto JWK (private when signing)."""
    try:
        if isinstance(key, jwcrypto_jwk.JWK):
            out = key
        elif isinstance(key, Mapping):
            out = jwcrypto_jwk.JWK(**dict(key))
        elif isinstance(key, str | bytes):
            text = key.encode() if isinstance(key, str) else key
            if text.lstrip().startswith(b"-----BEGIN"):
                out = jwcrypto_jwk.JWK.from_pem(text)
            else:
                out = jwcrypto_jwk.JWK.from_json(text)
        elif hasattr(key, "to_jwk") and callable(key.to_jwk):
            out = jwcrypto_jwk.JWK(**(key.to_jwk(include_secret=True) if private else key.to_jwk()))
        else:
            out = jwcrypto_jwk.JWK.from_pyca(key)
    except MicrocredError:
        raise
    except (JWException, TypeError, ValueError) as exc:
        raise KeyFormatError(f"not a usable JOSE key: {exc}") from exc
    if out.get("kty") == "oct":
        raise KeyFormatError("symmetric (oct) keys are not accepted for credentials")
    if private and not out.has_private:
        raise KeyFormatError("signing needs a private key; this key is public only")
    if not algs_for_key(out):
        raise KeyFormatError(
            f"unusable JOSE signing key kty={out.get('kty')!r} crv={out.get('crv')!r} "
            f"alg={out.get('alg')!r} use={out.get('use')!r}"
        )
    if out.get("kty") == "RSA" and rsa_bits(out) < MIN_RSA_BITS:
        raise KeyFormatError(f"RSA keys shorter than {MIN_RSA_BITS} bits are refused")
    return out if private else _public(out)


def _public(key: jwcrypto_jwk.JWK) -> jwcrypto_jwk.JWK:
    if not key.has_private:
        return key
    return jwcrypto_jwk.JWK(**json.loads(key.export_public()))


def key_set(jwks: Any) -> list[jwcrypto_jwk.JWK]:
    """A caller's trusted keys: JWKSet, ``{"keys": [...]}``, a list, or one key."""
    if jwks is None:
        return []
    if isinstance(jwks, jwcrypto_jwk.JWKSet):
        items: Iterable[Any] = list(jwks["keys"])
    elif isinstance(jwks, Mapping) and "keys" in jwks:
        items = jwks["keys"]
    elif isinstance(jwks, list | tuple):
        items = jwks
    else:
        items = [jwks]
    return [to_jwcrypto(item, private=False) for item in items]


def key_from_resolution(found: Any, kid: str) -> tuple[jwcrypto_jwk.JWK, str | None]:
    """Turn whatever a resolver returned into (public key, controller).

    Accepts the library's ``VerificationMethod`` (whose relationships must
    include ``assertionMethod``: a key the issuer only uses to log in must not
    sign credentials), a key object, a verification method dict or a whole DID
    document."""
    public_key = getattr(found, "public_key", None)
    if public_key is not None and hasattr(public_key, "to_jwk"):
        allows = getattr(found, "allows", None)
        if callable(allows) and not allows("assertionMethod"):
            raise DidResolutionError(
                f"{kid!r} is not an assertionMethod of its controller, so it may not "
                "sign credentials",
                code="KEY_PURPOSE_NOT_ALLOWED",
                kid=kid,
            )
        controller = getattr(found, "controller", None)
        return to_jwcrypto(public_key, private=False), controller if isinstance(
            controller, str
        ) else None
    if (hasattr(found, "to_jwk") and callable(found.to_jwk)) or isinstance(found, jwcrypto_jwk.JWK):
        return to_jwcrypto(found, private=False), None
    if isinstance(found, Mapping):
        methods = found.get("verificationMethod")
        if isinstance(methods, list):
            chosen = _select_method(methods, kid, found.get("id"))
            key, controller = key_from_resolution(chosen, kid)
            return key, controller or (found["id"] if isinstance(found.get("id"), str) else None)
        controller = found.get("controller") if isinstance(found.get("controller"), str) else None
        if isinstance(found.get("publicKeyJwk"), Mapping):
            return to_jwcrypto(found["publicKeyJwk"], private=False), controller
        if isinstance(found.get("publicKeyMultibase"), str):
            from microcred_vc.keys.keypair import PublicKey

            key = PublicKey.from_multibase(found["publicKeyMultibase"])
            return to_jwcrypto(key, private=False), controller
        if "kty" in found:
            return to_jwcrypto(found, private=False), None
    raise DidResolutionError(f"resolution of {kid!r} gave no usable public key", kid=kid)


def _select_method(methods: list[Any], kid: str, did: Any) -> Any:
    fragment = kid.split("#", 1)[1] if "#" in kid else None
    for method in methods:
        if not isinstance(method, Mapping):
            continue
        mid = method.get("id")
        if mid == kid or (
            fragment and isinstance(mid, str) and mid in (f"#{fragment}", f"{did}#{fragment}")
        ):
            return method
    if fragment is None and len(methods) == 1:
        return methods[0]
    raise DidResolutionError(f"the DID document has no verification method {kid!r}", kid=kid)


def default_resolver(*, allow_network: bool) -> Resolver:
    """The library's DID resolver (did:key, did:jwk, did:web when allowed)."""

    def resolve(kid: str) -> Any:
        if not kid.startswith("did:"):
            raise DidResolutionError(
                f"kid {kid!r} is not a DID URL; supply the key in a key set (jwks)", kid=kid
            )
        from microcred_vc.keys.did import resolve as did_resolve

        return did_resolve(kid, allow_network=allow_network)

    return resolve
