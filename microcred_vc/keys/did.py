"""DID and controller-document resolution: did:key, did:jwk, did:web, plug-ins.

Verification needs two things from a verification method URL: the public key
and which relationships (assertionMethod, authentication, ...) the controller
lists it under, since a key allowed to authenticate is not thereby allowed to
issue. :class:`Resolver` returns both as a :class:`VerificationMethod`.
did:key and did:jwk are pure functions of the identifier and work offline;
did:web and https controller documents need the network, which is off unless
the caller turns it on. Other DID methods plug in with ``register``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from microcred_vc.errors import (
    AddressNotAllowed,
    DidResolutionError,
    InputTooLarge,
    KeyFormatError,
    NetworkDisabled,
    NetworkError,
    UnsupportedDidMethod,
    UnsupportedKeyType,
)
from microcred_vc.keys import multikey
from microcred_vc.keys.authority import RELATIONSHIPS, locate_method
from microcred_vc.keys.jwk import b64u, b64u_decode
from microcred_vc.keys.keypair import PublicKey

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
JWK_CONTEXT = "https://w3id.org/security/jwk/v1"

DocumentFn = Callable[[str], Mapping[str, Any]]


@dataclass(frozen=True)
class VerificationMethod:
    """A resolved key: what it is, who controls it, what it may be used for."""

    id: str
    type: str
    controller: str
    public_key: PublicKey
    relationships: frozenset[str]
    document: Mapping[str, Any] = field(repr=False, compare=False)

    def allows(self, purpose: str) -> bool:
        return purpose in self.relationships


# --- did:key and did:jwk ----------------------------------------------------
def did_key_document(did: str) -> dict[str, Any]:
    """The DID document did:key defines (Multikey form) for ``did:key:z…``."""
    mb = did.removeprefix("did:key:")
    try:
        PublicKey.from_multibase(mb)
    except (KeyFormatError, UnsupportedKeyType) as exc:
        raise DidResolutionError(f"invalid did:key {did!r}: {exc.message}") from exc
    vm_id = f"{did}#{mb}"
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [
            {"id": vm_id, "type": "Multikey", "controller": did, "publicKeyMultibase": mb}
        ],
        **{rel: [vm_id] for rel in RELATIONSHIPS if rel != "keyAgreement"},
    }


def did_jwk(jwk: Mapping[str, Any]) -> str:
    """did:jwk for a public JWK (private members and kid stripped)."""
    public = {k: v for k, v in jwk.items() if k in ("kty", "crv", "x", "y")}
    return "did:jwk:" + b64u(json.dumps(public, separators=(",", ":")).encode())


def did_jwk_document(did: str) -> dict[str, Any]:
    try:
        jwk = json.loads(b64u_decode(did.removeprefix("did:jwk:"), "did:jwk"))
        PublicKey.from_jwk(jwk)
    except (ValueError, KeyFormatError, UnsupportedKeyType) as exc:
        raise DidResolutionError(f"invalid did:jwk {did[:60]!r}: {exc}") from exc
    if "d" in jwk:
        raise DidResolutionError("did:jwk must not contain a private key")
    vm_id = f"{did}#0"
    rels = [r for r in RELATIONSHIPS if r != "keyAgreement"]
    if jwk.get("use") == "enc":
        rels = ["keyAgreement"]
    return {
        "@context": [DID_CONTEXT, JWK_CONTEXT],
        "id": did,
        "verificationMethod": [
            {"id": vm_id, "type": "JsonWebKey", "controller": did, "publicKeyJwk": jwk}
        ],
        **{rel: [vm_id] for rel in rels},
    }


def did_web_url(did: str) -> str:
    """The HTTPS URL of a did:web document (``:`` → ``/``, ``%3A`` → port colon)."""
    parts = did.removeprefix("did:web:").split(":")
    if not parts or not parts[0]:
        raise DidResolutionError(f"invalid did:web {did!r}")
    host = unquote(parts[0])
    if "/" in host or "@" in host:
        raise DidResolutionError(f"invalid did:web host in {did!r}")
    path = "/".join(unquote(p) for p in parts[1:])
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


# --- the resolver -----------------------------------------------------------
class Resolver:
    """Resolves verification method URLs to :class:`VerificationMethod`.

    ``documents`` pre-loads controller documents by id (offline did:web or
    https issuers, tests); ``methods`` maps a DID method name (``"example"``)
    or URL scheme to a function returning the controller document.
    """

    def __init__(
        self,
        *,
        allow_network: bool = False,
        timeout: float = 10.0,
        max_bytes: int = 256_000,
        documents: Mapping[str, Mapping[str, Any]] | None = None,
        methods: Mapping[str, DocumentFn] | None = None,
        transport: Any = None,
        block_private: bool = True,
        deadline: float | None = None,
    ) -> None:
        self.allow_network = allow_network
        #: refuse private, loopback and link-local hosts (SSRF), as the loader does
        self.block_private = block_private
        #: an httpx transport (tests use httpx.MockTransport); None = the guarded
        #: transport of microcred_vc.net (DNS pinned, non-public addresses refused)
        self.transport = transport
        self.timeout = timeout
        #: seconds for a whole fetch (None: timeout x 3); see microcred_vc.net.fetch_bytes
        self.deadline = deadline
        self.max_bytes = max_bytes
        self._documents: dict[str, Mapping[str, Any]] = dict(documents or {})
        self._methods: dict[str, DocumentFn] = {
            "key": did_key_document,
            "jwk": did_jwk_document,
            "web": self._did_web,
        }
        self._methods.update(methods or {})

    def register(self, method: str, fn: DocumentFn) -> None:
        """Add or replace the resolver for a DID method (``"web"``) or URL scheme."""
        self._methods[method] = fn

    def add_document(self, document: Mapping[str, Any]) -> None:
        """Trust this controller document for its ``id`` (no network needed)."""
        doc_id = document.get("id")
        if not isinstance(doc_id, str):
            raise DidResolutionError("a controller document needs a string id")
        self._documents[doc_id] = document

    def resolve_document(self, did_or_url: str) -> Mapping[str, Any]:
        """The controller (DID) document for a DID or URL; the fragment is ignored."""
        if not isinstance(did_or_url, str) or not did_or_url:
            raise DidResolutionError("verification method must be a non-empty string")
        base = did_or_url.split("#", 1)[0]
        if base in self._documents:
            return self._documents[base]
        if base.startswith("did:"):
            parts = base.split(":")
            if len(parts) < 3 or not parts[1] or not parts[2]:
                raise DidResolutionError(f"malformed DID {base!r}")
            fn = self._methods.get(parts[1])
            if fn is None:
                raise UnsupportedDidMethod(
                    f"DID method {parts[1]!r} is not supported (register a resolver for it)"
                )
        elif ":" in base:
            scheme = base.split(":", 1)[0].lower()
            fn = self._methods.get(scheme)
            if fn is None and scheme == "https":
                fn = self._fetch_json
            if fn is None:
                raise UnsupportedDidMethod(f"cannot resolve {scheme!r} verification methods")
        else:
            raise DidResolutionError(f"{did_or_url!r} is not a DID or absolute URL")
        document = fn(base)
        if not isinstance(document, Mapping):
            raise DidResolutionError(f"resolver for {base!r} did not return a document")
        return document

    def __call__(self, vm_url: str) -> VerificationMethod:
        if (
            isinstance(vm_url, str)
            and vm_url.startswith("did:key:")
            and self._methods.get("key") is did_key_document
            and vm_url.split("#", 1)[0] not in self._documents
        ):
            return _did_key_method(vm_url)  # pure function of the URL: cached
        document = self.resolve_document(vm_url)
        return method_from_document(document, vm_url)

    resolve = __call__

    # --- network ---------------------------------------------------------
    def _did_web(self, did: str) -> Mapping[str, Any]:
        document = self._fetch_json(did_web_url(did))
        if document.get("id") != did:
            raise DidResolutionError(f"did:web document id does not match {did!r}")
        return document

    def _check_url(self, url: str) -> None:
        """The per-hop check: https only, and a public host unless switched off."""
        from microcred_vc.net import check_public_http

        if not url.lower().startswith("https:"):
            raise NetworkError(f"{url}: controller documents are fetched over https only", url=url)
        try:
            check_public_http(url, block_private=self.block_private)
        except AddressNotAllowed:
            raise
        except NetworkError:
            if self.transport is None:  # an injected transport decides what the name means
                raise

    def _fetch_json(self, url: str) -> Mapping[str, Any]:
        if not self.allow_network:
            raise NetworkDisabled(
                f"resolving {url} needs the network; pass allow_network=True to allow it",
                url=url,
            )
        from microcred_vc.net import fetch_bytes

        try:
            body = fetch_bytes(
                url,
                timeout=self.timeout,
                max_bytes=self.max_bytes,
                max_redirects=0,  # a controller document is served where its id says
                check_url=self._check_url,
                headers={"Accept": "application/json"},
                deadline=self.deadline,
                block_private=self.block_private,
                transport=self.transport,
            )
        except InputTooLarge as exc:  # kept a NetworkError, as resolvers have always raised
            raise NetworkError(exc.message, url=url) from exc
        try:
            document = json.loads(body)
        except ValueError as exc:
            raise DidResolutionError(f"{url} did not return JSON") from exc
        if not isinstance(document, dict):
            raise DidResolutionError(f"{url} did not return a JSON object")
        return document


def method_from_document(document: Mapping[str, Any], vm_url: str) -> VerificationMethod:
    """Find ``vm_url`` in its controller document and read its key and relationships.

    The document must be the one ``vm_url`` names and the method's ``controller``
    must be that document's id (see :mod:`microcred_vc.keys.authority`): a
    document cannot hand out keys in someone else's name.
    """
    found = locate_method(document, vm_url)
    return VerificationMethod(
        id=found.id,
        type=str(found.item.get("type", "")),
        controller=found.controller,
        public_key=public_key_of(found.item),
        relationships=found.relationships,
        document=found.item,
    )


def public_key_of(item: Mapping[str, Any]) -> PublicKey:
    """Public key of a Multikey, JsonWebKey(2020), Ed25519VerificationKey2018/2020 entry."""
    try:
        if isinstance(item.get("publicKeyMultibase"), str):
            key = PublicKey.from_multibase(item["publicKeyMultibase"])
            jwk = item.get("publicKeyJwk")
            if isinstance(jwk, Mapping) and PublicKey.from_jwk(dict(jwk)).did != key.did:
                raise DidResolutionError(
                    f"verification method {item.get('id')!r} gives two different keys "
                    "(publicKeyMultibase and publicKeyJwk disagree); refusing to choose"
                )
            return key
        if isinstance(item.get("publicKeyJwk"), Mapping):
            return PublicKey.from_jwk(dict(item["publicKeyJwk"]))
        if isinstance(item.get("publicKeyBase58"), str):
            raw = multikey.multibase_decode("z" + item["publicKeyBase58"])
            return PublicKey.from_raw("Ed25519", raw)
    except (KeyFormatError, UnsupportedKeyType) as exc:
        raise DidResolutionError(
            f"key of {item.get('id')!r} cannot be read: {exc.message}"
        ) from exc
    raise DidResolutionError(f"verification method {item.get('id')!r} carries no public key")


@lru_cache(maxsize=1024)
def _did_key_method(vm_url: str) -> VerificationMethod:
    return method_from_document(did_key_document(vm_url.split("#", 1)[0]), vm_url)


_DEFAULT = Resolver()


def resolve(did_or_vm_url: str, *, allow_network: bool = False) -> VerificationMethod:
    """Resolve a verification method URL (or a single-key DID) with the default rules."""
    resolver = Resolver(allow_network=True) if allow_network else _DEFAULT
    return resolver(did_or_vm_url)
