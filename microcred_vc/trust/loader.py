"""Read a trust-registry file, whatever of the three formats it is in.

Detection is by shape, never by file name: a DCC registry (``registry`` map of
DIDs), an EBSI TIR issuer record (``did`` + ``attributes``) or issuer list
(``items`` + paging), a JSON allow-list (a list of ids, or ``issuers``), or a
text allow-list (one id a line). Anything else — binary data, JSON of another
shape, a line that is no id — is :class:`~microcred_vc.errors.TrustRegistryInvalid`
(``TRUST_REGISTRY_INVALID``) saying why, so a typo in a trust file can never
silently mean "trust nobody" or "trust everybody".
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from microcred_vc.errors import MicrocredError, TrustRegistryInvalid
from microcred_vc.jsonld.limits import Limits, parse_json
from microcred_vc.trust.allowlist import AllowList
from microcred_vc.trust.base import TrustRegistry
from microcred_vc.trust.dcc import DccRegistry, is_dcc_registry
from microcred_vc.trust.ebsi import (
    EbsiIssuerList,
    EbsiIssuerRecord,
    is_issuer_list,
    is_issuer_record,
)

#: A trust file is a list someone maintains by hand or exports; 16 MiB is plenty.
MAX_FILE_BYTES = 16 * 1024 * 1024
TRUST_LIMITS = Limits(max_bytes=MAX_FILE_BYTES, max_depth=64, max_nodes=2_000_000)


def registry_from_json(doc: Any, name: str) -> TrustRegistry:
    """The registry a parsed JSON document describes (see the module docstring)."""
    if is_dcc_registry(doc):
        return DccRegistry(doc, name)
    if is_issuer_record(doc):
        return EbsiIssuerRecord(doc, name)
    if is_issuer_list(doc):
        return EbsiIssuerList(doc, name)
    if isinstance(doc, list) or (isinstance(doc, dict) and "issuers" in doc):
        return AllowList.from_json(doc, name)
    shape = (
        f"an object with {', '.join(sorted(doc)[:5]) or 'no members'}"
        if isinstance(doc, dict)
        else type(doc).__name__
    )
    raise TrustRegistryInvalid(
        f"{name}: {shape} is not a trust registry (expected a DCC issuer registry, an EBSI "
        "TIR issuer or issuer list, or an allow-list)"
    )


def load_trust_registry(path: str | os.PathLike[str], name: str | None = None) -> TrustRegistry:
    """Read ``path`` as a trust registry; ``name`` (default: the file name) is what reports show."""
    source = Path(path)
    label = name or source.name
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise TrustRegistryInvalid(f"{label}: cannot read the file ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise TrustRegistryInvalid(f"{label}: {len(data)} bytes is too large for a trust registry")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise TrustRegistryInvalid(f"{label}: not UTF-8 text (binary data?)") from None
    if "\x00" in text:
        raise TrustRegistryInvalid(f"{label}: not a text file (NUL bytes)")
    if text.lstrip().startswith(("{", "[")):
        try:
            doc = parse_json(text, TRUST_LIMITS)
        except MicrocredError as exc:
            raise TrustRegistryInvalid(f"{label}: not valid JSON ({exc.message})") from None
        try:
            return registry_from_json(doc, label)
        except TrustRegistryInvalid as exc:
            if exc.message.startswith(f"{label}: "):
                raise
            raise TrustRegistryInvalid(f"{label}: {exc.message}") from None
    try:
        return AllowList.from_text(text, label)
    except TrustRegistryInvalid as exc:
        raise TrustRegistryInvalid(f"{label}: {exc.message}") from None


def as_registries(trust: Any) -> tuple[TrustRegistry, ...]:
    """What ``verify(trust=…)`` accepts: a registry, a file path, or a list of either."""
    if trust is None:
        return ()
    if isinstance(trust, (str, os.PathLike, TrustRegistry)):
        trust = [trust]
    if not isinstance(trust, Iterable):
        raise TrustRegistryInvalid(
            f"trust= takes registries or file paths, not {type(trust).__name__}"
        )
    out: list[TrustRegistry] = []
    for item in trust:
        if isinstance(item, str | os.PathLike):
            out.append(load_trust_registry(item))
        elif isinstance(item, TrustRegistry):
            out.append(item)
        else:
            raise TrustRegistryInvalid(
                f"trust= entry {item!r} is neither a TrustRegistry nor a file path "
                "(an in-memory list of ids is AllowList([...]))"
            )
    return tuple(out)
