"""The caller's trusted JOSE keys, and whom each one is trusted for.

A plain key set (``[jwk, ...]``, ``{"keys": [...]}``, a JWKSet) says "these keys
are good", not "this key is the issuer's": with it a credential signed by one
trusted issuer's key could name another trusted issuer and pass. So a key set
can be *bound*: ``{issuer_id: keys, ...}`` trusts each key for the issuers it is
listed under, and a trusted key whose ``kid`` is a DID URL is bound to that DID.
A bound key proves its issuer (the ``issuer`` check passes and the trust check
may look the issuer up); a key bound to someone else fails; an unbound key
proves integrity and the caller's trust, and the issuer check says the link to
the named issuer is not shown (``JWT_KEY_NOT_BOUND``, a warning).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto.common import JWException

from microcred_vc.errors import JoseError
from microcred_vc.jose.keys import to_jwcrypto


class TrustedKeys(list[jwcrypto_jwk.JWK]):
    """Public keys the caller trusts, with the issuers each is bound to (if any)."""

    def __init__(self, keys: Iterable[jwcrypto_jwk.JWK] = (), owners: Any = None) -> None:
        super().__init__(keys)
        self._owners: dict[str, frozenset[str]] = dict(owners or {})

    def owners_of(self, key: jwcrypto_jwk.JWK) -> frozenset[str]:
        """The issuers ``key`` is trusted for; empty when the caller did not say."""
        try:
            return self._owners.get(key.thumbprint(), frozenset())
        except (JWException, KeyError, ValueError):
            return frozenset()

    @property
    def bound(self) -> bool:
        return bool(self._owners)


def _items(jwks: Any) -> list[Any]:
    if isinstance(jwks, jwcrypto_jwk.JWKSet):
        return list(jwks["keys"])
    if isinstance(jwks, Mapping) and "keys" in jwks:
        return list(jwks["keys"])
    if isinstance(jwks, list | tuple):
        return list(jwks)
    return [jwks]


def _is_binding(jwks: Any) -> bool:
    """``{issuer: keys}``: a mapping that is neither a JWK nor a JWK Set."""
    return (
        isinstance(jwks, Mapping)
        and bool(jwks)
        and "keys" not in jwks
        and "kty" not in jwks
        and all(isinstance(k, str) for k in jwks)
    )


def _did_of(kid: Any) -> str | None:
    if isinstance(kid, str) and kid.startswith("did:") and "#" in kid:
        return kid.split("#", 1)[0]
    return None


def key_set(jwks: Any) -> TrustedKeys:
    """A caller's trusted keys: a JWKSet, ``{"keys": [...]}``, a list, one key, or
    ``{issuer_id: any of those}`` binding keys to issuers."""
    if jwks is None:
        return TrustedKeys()
    groups = list(jwks.items()) if _is_binding(jwks) else [(None, jwks)]
    keys: list[jwcrypto_jwk.JWK] = []
    owners: dict[str, set[str]] = {}
    for issuer, group in groups:
        for item in _items(group):
            key = to_jwcrypto(item, private=False)
            keys.append(key)
            for owner in (issuer, _did_of(key.get("kid"))):
                if owner:
                    try:
                        owners.setdefault(key.thumbprint(), set()).add(owner)
                    except (JWException, KeyError, ValueError) as exc:
                        raise JoseError(f"trusted key has no thumbprint: {exc}") from exc
    return TrustedKeys(keys, {t: frozenset(o) for t, o in owners.items()})
