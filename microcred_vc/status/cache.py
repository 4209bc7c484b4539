"""A cache of verified status lists that honours each list's ``ttl``.

Every credential of an issuer points at the same few lists, so a wallet or a
server verifying many of them would fetch the same list again and again. The
Bitstring Status List Recommendation lets the list say how long it may be
cached (``ttl``, milliseconds; 300,000 when absent). Only a list that passed
verification is stored — a forged or broken list must be fetched (and fail)
again, never remembered — and the cache is bounded, keyed by URL, and reads an
injectable clock so tests (and servers with their own time source) control
expiry.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

#: The Recommendation's default ``ttl`` when the list gives none (5 minutes).
DEFAULT_TTL_MS = 300_000


class StatusListCache:
    """Verified status lists by URL, each kept for its ``ttl``; least recently used goes first.

    ``clock()`` returns seconds (default :func:`time.monotonic`). ``max_ttl_ms``
    caps a list's own ``ttl`` so a list cannot ask to be believed for a year.
    Safe to share between threads (a server's request handlers).
    """

    def __init__(
        self,
        max_entries: int = 256,
        *,
        clock: Callable[[], float] | None = None,
        max_ttl_ms: int = 24 * 3600 * 1000,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self.max_ttl_ms = max_ttl_ms
        self._clock = clock or time.monotonic
        self._items: OrderedDict[str, tuple[float, Mapping[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> Mapping[str, Any] | None:
        """The list stored for ``url`` if its ttl has not run out, else None."""
        with self._lock:
            item = self._items.get(url)
            if item is None:
                return None
            if self._clock() >= item[0]:
                del self._items[url]
                return None
            self._items.move_to_end(url)
            return item[1]

    def put(self, url: str, doc: Mapping[str, Any], ttl_ms: int | None) -> None:
        """Remember a list that passed verification, for ``ttl_ms`` (default 300,000)."""
        ttl = DEFAULT_TTL_MS if ttl_ms is None else min(max(int(ttl_ms), 0), self.max_ttl_ms)
        if ttl == 0:
            return
        with self._lock:
            self._items[url] = (self._clock() + ttl / 1000, doc)
            self._items.move_to_end(url)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def discard(self, url: str) -> None:
        with self._lock:
            self._items.pop(url, None)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and self.get(url) is not None
