"""Serving status lists under every URL they were published under.

A credential names its list by the URL it had at issuance. When the service
moves (a new ``public_url``, a path prefix added behind a proxy, the CLI's
``--status-base-url``), credentials issued before still point at the old URL,
so the service answers each path any of a list's URLs has, and signs the
served copy with the very URL it was asked for as its ``id``: a verifier
compares that ``id`` with the credential's ``statusListCredential``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from microcred_vc.errors import StatusNotFound

if TYPE_CHECKING:
    from microcred_vc.server.state import ServerState


def _path(url: str) -> str:
    return unquote(urlsplit(url).path)


def url_for_request(
    state: ServerState, list_id: str, path: str, host: str | None, *, fallback: bool
) -> str | None:
    """Which of the list's URLs a request for ``path`` on ``host`` asks for.

    Prefers a URL on the requested host, then the configured public URL. With
    ``fallback`` (the ``/status/{list_id}`` route) a list never published at
    this path is served under the configured public URL, as it always was.
    """
    try:
        state.registry.list_info(list_id)
    except StatusNotFound:
        return None
    current = state.registry.list_url(list_id, state.config.status_base_url)
    wanted = unquote(path)
    matches = [u for u in state.registry.list_urls(list_id) if _path(u) == wanted]
    if _path(current) == wanted and current not in matches:
        matches.append(current)
    for url in matches:
        if host and urlsplit(url).netloc.lower() == host.lower():
            return url
    if current in matches:
        return current
    if matches:
        return matches[0]
    return current if fallback else None


def signed_list(state: ServerState, list_id: str, url: str) -> dict[str, Any]:
    """The signed list with ``url`` as its id, from the cache when still current."""
    base_url = url[: -len(list_id) - 1]

    def build() -> dict[str, Any]:
        from microcred_vc.proofs import add_proof  # lazy: proofs is a heavier package

        key = state.key_for_suite("eddsa-rdfc-2022")
        signed = state.registry.publish(list_id, key, base_url=base_url)
        # Each key type is its own DID, and a verifier believes a list only when it is
        # signed by the credential's issuer (issue #16): so every other key that has
        # issued adds its proof to the set, and an ECDSA credential's list verifies too.
        for other in _other_issuing_keys(state):
            signed = add_proof(signed, other)
            # and the registry's own answers apply the same signer policy (status helper)
            state.registry.record_signer(list_id, other.did)
        return signed

    return state.list_cache.get_or_build(list_id, url, build)


def _other_issuing_keys(state: ServerState) -> list[Any]:
    """The server's non-Ed25519 keys that exist (a key is created when it first issues)."""
    keys = state.config.data_dir / "keys"
    return [
        state.key_for_suite("ecdsa-rdfc-2019", key_type)
        for key_type in ("P-256", "P-384")
        if (keys / f"{key_type}.json").is_file()
    ]


def list_at_path(state: ServerState, path: str, host: str | None) -> dict[str, Any] | None:
    """The list published under ``path`` on this server, or None (a plain 404)."""
    list_id = unquote(path.rstrip("/").rsplit("/", 1)[-1])
    if not list_id or len(list_id) > 200:
        return None
    url = url_for_request(state, list_id, path, host, fallback=False)
    return None if url is None else signed_list(state, list_id, url)
