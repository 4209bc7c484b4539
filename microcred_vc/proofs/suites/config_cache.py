"""RDFC-1.0 of proof configurations, remembered by their exact JSON shape.

Why: every credential of a batch is signed with the same proof options (the
same ``created`` stamp, verification method, purpose and contexts), and a
proof set verifies several proofs whose configurations repeat; canonicalising
that small JSON-LD document (expansion, toRdf, RDFC-1.0) is a large share of
signing a small credential. The canonical N-Quads depend only on the JSON and
the contexts it names, so they are reused when both are certainly the same:

* the key is the JSON with sorted keys (canonical N-Quads do not depend on key
  order; list order is kept), plus the hash that labels blank nodes;
* only with the built-in offline loader (``None`` or a :class:`DocumentLoader`
  that does not fetch): its contexts cannot change while the process runs. A
  remote-fetching or caller-written loader is asked every time;
* an entry keeps its loader object and must be reached with that same object, so
  a new loader with other context folders never sees another's answers;
* failures (unknown context, undefined term) are not remembered.

Bounded (least recently used first out), and guarded by a lock for threads.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.proofs.suites.base import StageContext, rdfc

MAX_ENTRIES = 256

_cache: OrderedDict[tuple[str, str, int], tuple[Any, bytes]] = OrderedDict()
_lock = threading.Lock()


def _cacheable(loader: Any) -> bool:
    return loader is None or (type(loader) is DocumentLoader and not loader.allow_remote)


def rdfc_proof_config(doc: Mapping[str, Any], ctx: StageContext) -> bytes:
    """:func:`~microcred_vc.proofs.suites.base.rdfc` of a proof configuration, cached."""
    loader = ctx.loader
    if not _cacheable(loader):
        return rdfc(doc, ctx)
    try:
        shape = json.dumps(doc, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):  # not plain JSON: no stable key
        return rdfc(doc, ctx)
    key = (shape, ctx.hash_name, id(loader))
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is loader:
            _cache.move_to_end(key)
            return hit[1]
    out = rdfc(doc, ctx)
    with _lock:
        _cache[key] = (loader, out)
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return out


def clear() -> None:
    """Forget every entry (tests; a process that swaps context folders)."""
    with _lock:
        _cache.clear()
