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
from microcred_vc.keys import jwk as _jwk
from microcred_vc.keys.authority import RELATIONSHIPS, base_of, locate_method
from microcred_vc.keys.errors import KeyControllerMismatch

#: Algorithms verify_jwt accepts unless told otherwise.
DEFAULT_ALGS: tuple[str, ...] = ("EdDSA", "ES256", "ES384", "RS256")
#: Asymmetric algorithms a caller may add to the allow-list.
SUPPORTED_ALGS: frozenset[str] = frozenset(
    {"EdDSA", "ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
)
MIN_RSA_BITS = _jwk.MIN_RSA_BITS

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
    if out.get("kty") == "RSA":  # typed KEY_TOO_WEAK below 2048 bits, whatever the source
        _jwk.rsa_public_from_jwk(json.loads(out.export_public()))
    return out if private else _public(out)


def _public(key: jwcrypto_jwk.JWK) -> jwcrypto_jwk.JWK:
    if not key.has_private:
        return key
    return jwcrypto_jwk.JWK(**json.loads(key.export_public()))


def key_from_resolution(
    found: Any, kid: str, purpose: str = "assertionMethod"
) -> tuple[jwcrypto_jwk.JWK, str | None]:
    """Turn whatever a resolver returned into (public key, controller).

    Accepts the library's ``VerificationMethod`` (whose relationships must
    include ``purpose``: ``assertionMethod`` for a credential, since a key the
    issuer only uses to log in must not sign credentials; ``authentication``
    for a holder's presentation), a key object, a verification method dict or a
    whole DID document."""
    what = "sign credentials" if purpose == "assertionMethod" else f"be used for {purpose}"
    public_key = getattr(found, "public_key", None)
    if public_key is not None and hasattr(public_key, "to_jwk"):
        allows = getattr(found, "allows", None)
        if callable(allows) and not allows(purpose):
            raise DidResolutionError(
                f"{kid!r} is not an {purpose} method of its controller, so it may not {what}",
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
        if "verificationMethod" in found or any(rel in found for rel in RELATIONSHIPS):
            # a controller document: it must be the kid's own and vouch for the key
            located = locate_method(found, kid)
            if purpose not in located.relationships:
                raise DidResolutionError(
                    f"{kid!r} is not an {purpose} method of {located.controller}, so it may "
                    f"not {what}",
                    code="KEY_PURPOSE_NOT_ALLOWED",
                    kid=kid,
                )
            return _bare_key(located.item, kid), located.controller
        # a lone method entry proves no controller: it may only speak for the kid's DID
        claimed = found.get("controller")
        if isinstance(claimed, str) and "#" in kid and claimed != base_of(kid):
            raise KeyControllerMismatch(
                f"the key for {kid!r} claims controller {claimed!r}; only the controller's "
                "own document can vouch for a key",
                vm=kid,
            )
        key = _bare_key(found, kid)
        return key, None
    raise DidResolutionError(f"resolution of {kid!r} gave no usable public key", kid=kid)


def _bare_key(item: Mapping[str, Any], kid: str) -> jwcrypto_jwk.JWK:
    """The public key of one method entry (publicKeyJwk, publicKeyMultibase) or a bare JWK."""
    if isinstance(item.get("publicKeyJwk"), Mapping):
        return to_jwcrypto(item["publicKeyJwk"], private=False)
    if isinstance(item.get("publicKeyMultibase"), str):
        from microcred_vc.keys.keypair import PublicKey

        return to_jwcrypto(PublicKey.from_multibase(item["publicKeyMultibase"]), private=False)
    if "kty" in item:
        return to_jwcrypto(item, private=False)
    raise DidResolutionError(f"resolution of {kid!r} gave no usable public key", kid=kid)


class _DefaultResolver:
    """The library's DID resolver (did:key, did:jwk, did:web when allowed) for JWT kids.

    Besides ``kid -> VerificationMethod`` it serves whole documents
    (:meth:`resolve_document`), which is how keys the library's
    :class:`~microcred_vc.keys.keypair.PublicKey` does not model (RSA) are still
    read from a DID document, and how an embedded ``jwk`` is looked up among the
    issuer's keys.
    """

    def __init__(self, *, allow_network: bool) -> None:
        self.allow_network = allow_network

    @staticmethod
    def _only_dids(kid: str) -> None:
        if not isinstance(kid, str) or not kid.startswith("did:"):
            raise DidResolutionError(
                f"kid {kid!r} is not a DID URL; supply the key in a key set (jwks)", kid=kid
            )

    def __call__(self, kid: str) -> Any:
        self._only_dids(kid)
        from microcred_vc.keys.did import resolve as did_resolve

        return did_resolve(kid, allow_network=self.allow_network)

    def resolve_document(self, did_or_url: str) -> Mapping[str, Any]:
        self._only_dids(did_or_url)
        from microcred_vc.keys.did import Resolver as DidResolver

        return DidResolver(allow_network=self.allow_network).resolve_document(did_or_url)


def default_resolver(*, allow_network: bool) -> Resolver:
    """The library's DID resolver (did:key, did:jwk, did:web when allowed)."""
    return _DefaultResolver(allow_network=allow_network)


def resolve_kid(resolver: Resolver, kid: str) -> Any:
    """What a resolver knows about ``kid``: the controller document when it can
    serve documents (so RSA and every other JWK type is read by jwcrypto, with
    the document's own relationships), else whatever its call returns."""
    serve = getattr(resolver, "resolve_document", None)
    if callable(serve):
        document = serve(kid)
        if isinstance(document, Mapping):
            return document
    return resolver(kid)


def same_key(a: jwcrypto_jwk.JWK, b: jwcrypto_jwk.JWK) -> bool:
    """The same public key (RFC 7638 thumbprints; kid/alg/use do not count)."""
    try:
        return bool(a.thumbprint() == b.thumbprint())
    except (JWException, KeyError, ValueError):
        return False


def issuer_key_for(
    resolver: Resolver | None, issuer: str, key: jwcrypto_jwk.JWK, purpose: str = "assertionMethod"
) -> str | None:
    """The id of the method in ``issuer``'s own document that is ``key`` and may
    sign credentials (assertionMethod), or None.

    This is what makes an embedded ``jwk`` the issuer's: not the token saying
    so, but the issuer's controller document listing the same key. Any failure
    to obtain the document (offline, unknown method) simply finds nothing.
    """
    if resolver is None or not isinstance(issuer, str) or not issuer:
        return None
    try:
        found = resolve_kid(resolver, issuer)
    except Exception:  # a missing document means "not listed", never a crash
        return None
    if not isinstance(found, Mapping) or found.get("id") != issuer:
        return None
    ids = [
        entry if isinstance(entry, str) else entry.get("id")
        for entry in _as_list(found.get(purpose))
        if isinstance(entry, str | Mapping)
    ]
    for vm_id in ids:
        if not isinstance(vm_id, str):
            continue
        vm_url = issuer + vm_id if vm_id.startswith("#") else vm_id
        try:
            located = locate_method(found, vm_url)
            if purpose not in located.relationships:
                continue
            if same_key(_bare_key(located.item, vm_url), key):
                return located.id
        except MicrocredError:
            continue
    return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
