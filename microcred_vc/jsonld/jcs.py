"""JSON Canonicalization Scheme (RFC 8785), for the *-jcs-* cryptosuites.

We use the ``rfc8785`` package rather than our own: number serialisation per
ECMAScript is subtle, and a well-tested implementation exists.
"""

from __future__ import annotations

from typing import Any

import rfc8785

from microcred_vc.errors import CanonicalizationError


def jcs(obj: Any) -> bytes:
    """Canonical UTF-8 bytes of ``obj`` under RFC 8785."""
    try:
        return rfc8785.dumps(obj)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise CanonicalizationError(f"value cannot be canonicalised with JCS: {exc}") from exc
