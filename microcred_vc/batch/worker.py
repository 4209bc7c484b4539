"""What a batch runs in its executor's workers: checking rows and signing them.

Top-level functions (so they pickle to a process pool or a Dask worker), each a pure
function of its arguments: nothing here allocates a status index, journals or writes,
which all stay in the caller (:mod:`microcred_vc.batch.run`). A refused row comes back
as its :class:`~microcred_vc.errors.MicrocredError`, so it fails alone, as it would in
a serial run.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from microcred_vc.errors import MicrocredError
from microcred_vc.jsontext import dumps_indented

#: Keys this worker process has imported, by their pickled form: a batch sends the same
#: key with every task, and importing it (Multikey decoding, public key derivation) once
#: per worker instead of once per credential is what "one engine per worker" means here.
_WORKER_KEYS: dict[bytes, Any] = {}


_frozen = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run one task without the cyclic garbage collector, then let it catch up.

    Why: signing allocates a few thousand short-lived objects per credential, which
    set off a generation-0 collection every couple of credentials and, every few
    hundred, a full one over the whole heap (the loaded contexts, compiled tables and
    memos): measured, a tenth of signing time, in 50-70 ms pauses. Nearly all of it
    is freed by reference counting, so a task of a few rows runs with the collector
    off. After the first task the heap it built (modules, contexts, tables: what a
    worker keeps for its life) is frozen out of later full collections.

    Only in a worker process (one with a parent): a thread pool or an in-process
    Dask cluster runs tasks in the caller's process, whose collector is not ours to
    switch off or freeze.
    """
    global _frozen
    if multiprocessing.parent_process() is None:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        if not _frozen:
            _frozen = True
            gc.freeze()


def worker_key(blob: bytes) -> Any:
    """The key pickled as ``blob``, imported once per worker process."""
    key = _WORKER_KEYS.get(blob)
    if key is None:
        if len(_WORKER_KEYS) >= 4:  # a long-lived worker serving many issuers: keep a few
            _WORKER_KEYS.clear()
        key = _WORKER_KEYS.setdefault(blob, pickle.loads(blob))  # our own pickle (see sign_all)
    return key


def check_row(
    course: Any, row: Any, key: Any, *, format: str, moment: datetime, credential_id: str
) -> dict[str, Any]:
    """One row's unsigned document, or the error that refuses it.

    Built with the run's fixed id and issue time (so reruns and executors agree), for
    the issuer the key controls (``IssuerKeyMismatch`` otherwise), and checked against
    the data model: a credential the signer would refuse must not take a status index.
    """
    from microcred_vc.formats.builtin import dump_document
    from microcred_vc.model import build_micro_credential
    from microcred_vc.proofs.issue import check_issuer
    from microcred_vc.validate.datamodel import require_datamodel

    built = build_micro_credential(course, row, issued_at=moment, credential_id=credential_id)
    doc = dump_document(built, format)
    check_issuer(doc, key)
    require_datamodel(doc, require_issuance_date=False)
    return doc


def check_rows(
    course: Any, rows: list[tuple[Any, str]], key: Any, format: str, moment: datetime
) -> list[dict[str, Any] | MicrocredError]:
    """:func:`check_row` for each ``(row, credential id)``, each on its own."""
    out: list[dict[str, Any] | MicrocredError] = []
    for row, credential_id in rows:
        try:
            out.append(
                check_row(
                    course, row, key, format=format, moment=moment, credential_id=credential_id
                )
            )
        except MicrocredError as exc:
            out.append(exc)
    return out


def check_task(
    course: Any, rows: list[tuple[Any, str]], key_blob: bytes, format: str, moment: datetime
) -> list[dict[str, Any] | MicrocredError]:
    """In a worker: :func:`check_rows` with the pickled key."""
    key = worker_key(key_blob)
    with collector_paused():
        return check_rows(course, rows, key, format, moment)


def sign_one(doc: dict[str, Any], key: Any, cryptosuite: str | None, created: str) -> str:
    """Sign and serialise in the worker: the caller gets the file's text, one string
    to unpickle instead of a nested dict, and the encoding is not on its CPU."""
    from microcred_vc.proofs import issue_document

    # The row's document was built for this signature alone, so no deep copy (a tenth of
    # signing); signing only sets top-level members, so a shallow copy keeps ``doc`` as it
    # was should an executor run the task again.
    signed = issue_document(dict(doc), key, cryptosuite=cryptosuite, created=created, copy=False)
    return dumps_indented(signed)


def sign_task(
    docs: list[dict[str, Any]], key_blob: bytes, cryptosuite: str | None, created: str
) -> list[str | MicrocredError]:
    """In a worker: sign a few rows, each on its own."""
    key = worker_key(key_blob)
    out: list[str | MicrocredError] = []
    with collector_paused():
        for doc in docs:
            try:
                out.append(sign_one(doc, key, cryptosuite, created))
            except MicrocredError as exc:
                out.append(exc)
    return out
