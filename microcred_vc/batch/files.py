"""What a batch keeps on disk: credential files, the folder lock, the journal, rejects.

Everything here is written all-or-nothing (temporary file, fsync, rename), so a kill at
any moment leaves each file complete or absent. The journal is the batch's write-ahead
note: a credential id is appended to it *before* a status index is allocated for it, so
a resumed run can tell an index a crashed run of this folder left behind (reuse it: no
orphan) from a credential issued by another run elsewhere (a duplicate: refuse).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from microcred_vc.errors import MicrocredError

PUBLIC_FILE_MODE = 0o644
LOCK_NAME = ".microcred-batch.lock"
JOURNAL_NAME = ".microcred-batch.journal"
TEMP_PREFIX = ".tmp-"
#: default rejects file name inside the output folder (``--skip-invalid``)
REJECTS_NAME = "rejects.csv"


def output_name(course_key: str, learner: str) -> str:
    """Stable file name per (course, learner): the resumption key."""
    digest = hashlib.sha256(f"{course_key}\x00{learner}".encode()).hexdigest()[:20]
    return f"credential-{digest}.json"


def write_atomic(path: Path, data: str, *, mode: int = PUBLIC_FILE_MODE) -> None:
    """Write to a temporary file in the same folder, then rename: all or nothing.

    Credentials and rendered pages are public documents (the learner shares them), so
    they get ``mode`` (0644), not the 0600 a private temporary file would have; only
    keys are secret, and the key file writer sets its own mode. Plain ``os`` calls on
    a name unique to this process, thread and call (created exclusively) instead of
    ``mkstemp`` and a text wrapper: a batch writes one file per credential, and those
    layers were a third of the CPU a durable file costs here.
    """
    if not isinstance(data, str):
        raise TypeError(f"write_atomic writes text, not {type(data).__name__}")
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8")
    while True:
        tmp = path.with_name(
            f"{TEMP_PREFIX}{path.stem}-{os.getpid()}-{threading.get_ident()}-"
            f"{next(_TEMP_NUMBERS)}{path.suffix}"
        )
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        except FileExistsError:  # a leftover of a killed process with this pid: next name
            continue
        break
    try:
        try:
            os.fchmod(fd, mode)  # exactly ``mode``, whatever the umask
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


#: numbers for temporary names (``itertools.count`` is atomic under the GIL)
_TEMP_NUMBERS = itertools.count()


def lock_folder(out: Path) -> IO[str]:
    """An exclusive lock on ``out`` for the whole run: two runs must not issue twice.

    Returns the open lock file (closing it releases the lock); raises ``BATCH_LOCKED``
    when another run holds it. Holding the lock proves no run is writing here, so the
    temporary files a killed run left behind are removed (no half-written file stays).
    """
    import fcntl

    out.mkdir(parents=True, exist_ok=True)
    handle = open(out / LOCK_NAME, "a")  # noqa: SIM115 - held for the run
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise MicrocredError(
            f"another issue-batch run is writing to {out}; wait for it to finish "
            "(then re-run: finished learners are skipped)",
            code="BATCH_LOCKED",
        ) from None
    for stale in out.glob(f"{TEMP_PREFIX}*"):
        stale.unlink(missing_ok=True)
    return handle


class Journal:
    """The credential ids this folder has allocated (or was about to allocate) indexes for."""

    def __init__(self, out: Path) -> None:
        self.path = out / JOURNAL_NAME
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        self.ids = {line for line in text.splitlines() if line}
        self._handle: IO[str] | None = None
        self._needs_newline = bool(text) and not text.endswith("\n")  # a killed write

    def note(self, credential_id: str) -> None:
        """Durably record ``credential_id`` before its index is allocated."""
        self.note_many([credential_id])

    def note_many(self, credential_ids: Iterable[str]) -> None:
        """Durably record a block of ids (one fsync) before their indexes are allocated."""
        fresh = list(dict.fromkeys(c for c in credential_ids if c not in self.ids))
        if not fresh:
            return
        if self._handle is None:
            self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - run-long
            if self._needs_newline:
                self._handle.write("\n")
        self._handle.write("".join(c + "\n" for c in fresh))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.ids.update(fresh)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def write_rejects(
    path: Path, header: Sequence[str], rows: Iterable[tuple[int, str, Sequence[Any]]]
) -> None:
    """The rejected rows, original cells after their row number and reason.

    ``row`` and ``reason`` come first so the file, once fixed, can be given back as a
    roster: the two extra columns are not roster columns and are ignored.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    extra = ["row", "reason"]
    if set(extra) & {h.strip().lower() for h in header}:
        extra = ["rejected_row", "rejected_reason"]
    writer.writerow([*extra, *header])
    for row, reason, cells in rows:
        writer.writerow([row, reason, *cells])
    write_atomic(path, buffer.getvalue())
