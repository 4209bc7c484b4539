"""The one guarded HTTP GET the library uses when a caller opts in to the network.

Status lists, OB2 hosted assertions and did:web documents are fetched through
``HttpFetcher``: a timeout, a size cap, a bounded number of redirects (each
hop re-checked) and, by default, no private, loopback or link-local
addresses, so a credential cannot make a verifier probe its own network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from microcred_vc.errors import AddressNotAllowed, InputTooLarge, NetworkError
from microcred_vc.jsonld.loader import MAX_REDIRECTS, _address_is_public


@dataclass
class HttpFetcher:
    """Callable ``fetch(url) -> JSON`` for the verify paths that accept ``fetch=``."""

    timeout: float = 10.0
    max_bytes: int = 5_000_000
    block_private: bool = True
    max_redirects: int = MAX_REDIRECTS

    def get_bytes(self, url: str) -> bytes:
        import httpx

        current = url
        for _ in range(self.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https"):
                raise NetworkError(f"{current}: only http(s) URLs are fetched", url=current)
            if self.block_private and not _address_is_public(parts.hostname or ""):
                raise AddressNotAllowed(
                    f"{current} resolves to a private, loopback or link-local address", url=current
                )
            try:
                with (
                    httpx.Client(timeout=self.timeout, follow_redirects=False) as client,
                    client.stream("GET", current) as response,
                ):
                    if response.is_redirect:
                        current = urljoin(current, response.headers.get("location", ""))
                        continue
                    if response.status_code != 200:
                        raise NetworkError(f"{current}: HTTP {response.status_code}", url=current)
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > self.max_bytes:
                            raise InputTooLarge(
                                f"{current} is larger than {self.max_bytes} bytes", url=current
                            )
                    return bytes(body)
            except httpx.HTTPError as exc:
                raise NetworkError(f"{current} could not be fetched: {exc}", url=current) from exc
        raise NetworkError(f"{url}: more than {self.max_redirects} redirects", url=url)

    def __call__(self, url: str) -> Any:
        body = self.get_bytes(url)
        try:
            return json.loads(body)
        except ValueError:
            return body.decode("utf-8", errors="replace").strip()
