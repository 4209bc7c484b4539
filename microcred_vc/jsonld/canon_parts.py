"""The small parts of RDFC-1.0 (:mod:`.canon`) that need no canonicaliser state.

The hash choice (RDFC-1.0 takes SHA-256 or, for suites that ask, SHA-384), the
identifier issuer, and the reference implementations' permutation order; kept
apart so the algorithm module reads as the specification's sections.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

from microcred_vc.errors import CanonicalizationError

_HASHES: dict[str, Callable[..., Any]] = {
    "SHA256": hashlib.sha256,
    "SHA384": hashlib.sha384,
}


def hash_factory(name: str) -> Callable[..., Any]:
    """The hashlib constructor for ``name`` (``SHA256``, ``sha-384``, ...)."""
    got = _HASHES.get(name)  # the usual spelling: no string work per call
    if got is not None:
        return got
    key = str(name).upper().replace("-", "").replace("_", "")
    try:
        return _HASHES[key]
    except KeyError:
        raise CanonicalizationError(
            f"unsupported RDFC-1.0 hash algorithm {name!r}; use SHA256 or SHA384",
            algorithm=str(name),
        ) from None


class Issuer:
    """Identifier issuer: insertion-ordered map plus counter, cheap to copy."""

    __slots__ = ("counter", "issued", "prefix")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.counter = 0
        self.issued: dict[str, str] = {}

    def issue(self, existing: str) -> str:
        got = self.issued.get(existing)
        if got is None:
            got = f"{self.prefix}{self.counter}"
            self.counter += 1
            self.issued[existing] = got
        return got

    def copy(self) -> Issuer:
        new = Issuer.__new__(Issuer)
        new.prefix = self.prefix
        new.counter = self.counter
        new.issued = self.issued.copy()
        return new


def permutations(items: list[str]) -> Iterator[list[str]]:
    """Steinhaus-Johnson-Trotter over the sorted list, as jsonld.js/pyld do.

    The order only matters when two permutations give the same path; then the
    first one wins, and matching the reference order keeps identifier maps
    identical to the suite's (duplicates keep the references' quirks too).
    """
    elements = sorted(items)
    left = dict.fromkeys(elements, True)
    length = len(elements)
    last = length - 1
    while True:
        yield elements
        k: str | None = None
        pos = 0
        for i in range(length):
            e = elements[i]
            if (k is None or e > k) and (
                (left[e] and i > 0 and e > elements[i - 1])
                or (not left[e] and i < last and e > elements[i + 1])
            ):
                k, pos = e, i
        if k is None:
            return
        swap = pos - 1 if left[k] else pos + 1
        elements[pos], elements[swap] = elements[swap], k
        for e in elements:
            if e > k:
                left[e] = not left[e]
