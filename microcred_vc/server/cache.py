"""The server's cache of signed status lists, safe under concurrent requests.

Signing a list takes milliseconds, so it is cached; but a revocation must
reach the served list at once. The race to avoid: a request starts building
the list, a revocation commits and invalidates, then the first request stores
its now-stale copy, which is served until the next change. So every entry is
stored only if no invalidation of its list happened since the build began (a
per-list generation number, read and written under one lock), and the build
itself runs outside the lock so one slow signature never blocks the others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class ListCache(Generic[T]):
    """Values keyed by ``(list_id, anything)``; invalidated per list or all at once."""

    def __init__(self, max_entries: int = 1024) -> None:
        self._lock = threading.Lock()
        self._values: dict[tuple[str, Hashable], T] = {}
        self._generations: dict[str, int] = {}
        self._everything = 0  # bumped by invalidate(None)
        self.max_entries = max_entries

    def _generation(self, list_id: str) -> tuple[int, int]:
        return self._everything, self._generations.get(list_id, 0)

    def get(self, list_id: str, key: Hashable = None) -> T | None:
        with self._lock:
            return self._values.get((list_id, key))

    def begin(self, list_id: str) -> tuple[int, int]:
        """The generation a build starts from; pass it to :meth:`put`."""
        with self._lock:
            return self._generation(list_id)

    def put(self, list_id: str, key: Hashable, value: T, generation: tuple[int, int]) -> bool:
        """Store ``value`` unless the list was invalidated after ``generation`` was taken."""
        with self._lock:
            if self._generation(list_id) != generation:
                return False
            if len(self._values) >= self.max_entries:
                self._values.clear()  # a bound, not a policy: lists are few in practice
            self._values[(list_id, key)] = value
            return True

    def get_or_build(self, list_id: str, key: Hashable, build: Callable[[], T]) -> T:
        """The cached value, or ``build()`` (stored only if still current)."""
        cached = self.get(list_id, key)
        if cached is not None:
            return cached
        generation = self.begin(list_id)
        value = build()
        self.put(list_id, key, value, generation)
        return value

    def invalidate(self, list_id: str | None = None) -> None:
        """Drop ``list_id``'s entries (every list's when None); builds under way are not kept."""
        with self._lock:
            if list_id is None:
                self._everything += 1
                self._values.clear()
                return
            self._generations[list_id] = self._generations.get(list_id, 0) + 1
            for stored in [k for k in self._values if k[0] == list_id]:
                del self._values[stored]
