"""The one guarded HTTP GET the library uses when a caller opts in to the network.

Remote contexts, status lists, OB2 hosted assertions and did:web / https
controller documents are fetched through :func:`fetch_bytes`: a per-operation
timeout and a whole-request deadline, a size cap, a bounded number of
redirects with every hop re-checked and, by default, no address that is not
global (private, loopback, link-local, CGNAT, IPv4 hidden in IPv6), checked on
the one DNS answer the connection then uses. So a credential cannot make a
verifier probe its own network. ``HttpFetcher`` wraps it as the ``fetch=``
callable verifiers accept; :func:`url_under_prefix` is the allow-list match.
"""

from typing import Any

from microcred_vc.net.addresses import Resolution, embedded_ipv4, is_public_address
from microcred_vc.net.fetch import (
    DEADLINE_FACTOR,
    MAX_REDIRECTS,
    HttpFetcher,
    _address_is_public,
    check_public_http,
    effective_deadline,
    fetch_bytes,
)
from microcred_vc.net.urls import NormalUrl, UrlRejected, normalise_url, url_under_prefix

__all__ = [
    "DEADLINE_FACTOR",
    "MAX_REDIRECTS",
    "GuardedTransport",
    "HttpFetcher",
    "NormalUrl",
    "Resolution",
    "UrlRejected",
    "_address_is_public",
    "check_public_http",
    "effective_deadline",
    "embedded_ipv4",
    "fetch_bytes",
    "is_public_address",
    "normalise_url",
    "url_under_prefix",
]


def __getattr__(name: str) -> Any:
    """``GuardedTransport`` is imported on first use: it needs httpx, which is slow to import."""
    if name == "GuardedTransport":
        from microcred_vc.net.transport import GuardedTransport

        return GuardedTransport
    raise AttributeError(name)
