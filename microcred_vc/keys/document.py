"""The controller (DID) document an institution publishes for its signing keys.

An institution issues as itself: its credentials name its own DID (a did:web,
say) as issuer and are signed with a key that DID's document lists under
``assertionMethod``. :func:`did_document` builds that document from the key
pairs, so what the institution publishes at ``did_web_url(did)`` is exactly
what the library signs with, and a verifier (online, or offline with
``Resolver(documents=[...])`` / ``microcred verify --did-document``) finds the
key under the purpose the proof uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from microcred_vc.errors import DidResolutionError

if TYPE_CHECKING:
    from microcred_vc.keys.keypair import KeyPair

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"

#: assertionMethod signs credentials; authentication signs presentations and logins.
DEFAULT_RELATIONSHIPS = ("assertionMethod", "authentication")

_HOST = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)
_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")


def did_web(host_path: str) -> str:
    """``did:web`` for ``HOST[:PORT][/PATH]`` or ``HOST[:PATH]`` (did:web method rules).

    The port colon is percent-encoded (``%3A``) and path segments become
    ``:``-separated, so ``example.edu/issuers/1`` and ``example.edu:issuers:1``
    both give ``did:web:example.edu:issuers:1``. An existing ``did:web:`` is
    checked and returned unchanged.
    """
    if not isinstance(host_path, str) or not host_path.strip():
        raise DidResolutionError("a did:web needs a host name, e.g. example.edu")
    given = host_path.strip().removeprefix("did:web:")
    given = given.removeprefix("https://").rstrip("/")
    if "/" in given:
        host, _, path = given.partition("/")
        segments = [s for s in path.split("/") if s]
    else:
        host, *segments = given.split(":")
        if segments and segments[0].isdigit():  # HOST:PORT written with a plain colon
            host, segments = f"{host}%3A{segments[0]}", segments[1:]
    name, _, port = host.replace("%3a", "%3A").partition("%3A")
    if ":" in name and not port:
        name, _, port = name.partition(":")
    if not _HOST.match(name) or (port and not port.isdigit()):
        raise DidResolutionError(f"{host_path!r} does not start with a valid host name")
    for segment in segments:
        if not _SEGMENT.match(segment):
            raise DidResolutionError(f"did:web path segment {segment!r} is not allowed")
    authority = name.lower() + (f"%3A{port}" if port else "")
    return ":".join(["did:web", quote(authority, safe="%"), *segments])


def did_document(
    keys: KeyPair | Iterable[KeyPair],
    *,
    relationships: Iterable[str] = DEFAULT_RELATIONSHIPS,
) -> dict[str, Any]:
    """The DID document listing ``keys`` (one controller) as Multikey methods.

    Every key is listed under each of ``relationships``; all keys must share a
    controller, since the document is that controller's. A did:key controller
    needs no published document (did:key resolves from the identifier itself).
    """
    # one key or many, told apart by shape: keypair imports this module (no circle)
    pairs = [keys] if hasattr(keys, "verification_method") else list(keys)
    if not pairs:
        raise DidResolutionError("a DID document needs at least one key")
    controller = pairs[0].did
    if any(k.did != controller for k in pairs):
        raise DidResolutionError(
            "the keys have different controllers: "
            + ", ".join(sorted({k.did for k in pairs}))
            + "; one document lists one controller's keys"
        )
    methods = []
    for key in pairs:
        vm = key.verification_method
        if vm.split("#", 1)[0] != controller or "#" not in vm:
            raise DidResolutionError(
                f"verification method {vm!r} does not lie inside {controller!r}"
            )
        methods.append(
            {
                "id": vm,
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": key.public.multibase,
            }
        )
    ids = [m["id"] for m in methods]
    if len(set(ids)) != len(ids):
        raise DidResolutionError("two keys share one verification method id")
    doc: dict[str, Any] = {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": controller,
        "verificationMethod": methods,
    }
    for rel in relationships:
        doc[rel] = list(ids)
    return doc
