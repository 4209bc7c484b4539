"""Input limits applied before any JSON reaches the JSON-LD processor.

A verifier accepts documents from strangers: a 1 GB body, a 100 000-deep
array or ten million tiny nodes must be refused up front with a clear error,
not discovered as a MemoryError or RecursionError deep inside pyld.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from microcred_vc.errors import DuplicateJsonKey, InputTooLarge, InvalidJson


@dataclass(frozen=True)
class Limits:
    """Caps on untrusted JSON; generous for real credentials, fatal for bombs."""

    max_bytes: int = 2_000_000
    max_depth: int = 64
    max_nodes: int = 200_000


DEFAULT_LIMITS = Limits()


def check_limits(obj: Any, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise :class:`InputTooLarge` if ``obj`` is nested too deep or has too many nodes.

    Walked one depth level at a time: every verification runs this on the whole
    document, so it must cost a fraction of the signature check (a value-by-value
    stack of ``(value, depth)`` pairs was a fifth of an eddsa-jcs-2022 verify). The
    node cap is checked as each container is opened, so a ten-million-element list
    is refused before any of its elements is visited.
    """
    max_nodes, max_depth = limits.max_nodes, limits.max_depth
    nodes = 0
    level: list[Any] = [obj]
    depth = 1
    while level:
        if depth > max_depth:
            raise InputTooLarge(
                f"document is nested deeper than {max_depth} levels", limit=max_depth
            )
        nodes += len(level)
        deeper: list[Any] = []
        for value in level:
            kind = type(value)
            if kind is dict or (kind is not list and isinstance(value, dict)):
                deeper.extend(value.values())
            elif kind is list or isinstance(value, list):
                deeper.extend(value)
            elif isinstance(value, float) and not math.isfinite(value):
                # A Python caller can hand us float("nan"); JSON has no such number.
                raise InvalidJson(
                    f"{value!r} is not a JSON number (RFC 8259 has no NaN or Infinity)"
                )
            else:
                continue
            if nodes + len(deeper) > max_nodes:
                break
        if nodes + len(deeper) > max_nodes:
            raise InputTooLarge(f"document has more than {max_nodes} JSON values", limit=max_nodes)
        level = deeper
        depth += 1


def unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Refuse duplicate member names: "last one wins" lets a reader and a signer disagree.

    Two parsers may keep different duplicates (first vs last), so a document with
    ``"proof"`` or ``"validUntil"`` twice can mean one thing to whoever displays it and
    another to whoever checked it. RFC 8259 leaves it undefined; we refuse. The JWT
    parser uses this hook too.
    """
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateJsonKey(f"duplicate JSON member name {key!r}", member=key)
        out[key] = value
    return out


def no_constants(name: str) -> Any:
    """``parse_constant`` hook: ``NaN``, ``Infinity`` and ``-Infinity`` are not JSON.

    Python's decoder accepts them by default; other parsers (and every JSON-LD
    processor's canonical number form) do not, so a credential using them means
    different things to different readers. The JWT parser uses this hook too.
    """
    raise InvalidJson(f"{name} is not a JSON number (RFC 8259 has no NaN or Infinity)")


def strict_loads(data: str | bytes) -> Any:
    """``json.loads`` as the library reads JSON everywhere: no duplicate member names
    (:class:`DuplicateJsonKey`), no NaN/Infinity (:class:`InvalidJson`). Syntax errors
    stay ``ValueError`` so each caller can word them for its own input."""
    return json.loads(data, object_pairs_hook=unique_members, parse_constant=no_constants)


def parse_json(data: str | bytes | bytearray, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse untrusted JSON text with size, depth and node caps."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > limits.max_bytes:
        raise InputTooLarge(
            f"document is {size} bytes; the limit is {limits.max_bytes}", limit=limits.max_bytes
        )
    if isinstance(data, bytes | bytearray):
        data = bytes(data).removeprefix(b"\xef\xbb\xbf")  # a UTF-8 BOM is not content
    else:
        data = data.removeprefix("\ufeff")
    try:
        obj = strict_loads(data)
    except RecursionError as exc:  # the C decoder guards its own recursion
        raise InputTooLarge(f"document is nested deeper than {limits.max_depth} levels") from exc
    except InvalidJson:
        raise
    except ValueError as exc:
        raise InvalidJson(f"not valid JSON: {exc}") from exc
    check_limits(obj, limits)
    return obj
