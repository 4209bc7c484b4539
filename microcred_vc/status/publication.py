"""Issuance and publication half of the status registry (mixed into StatusRegistry).

Kept apart from allocation because it is the only part that talks to the
proof engine, and because what it produces is public: the entry that goes
into a learner's credential and the signed list anyone may download.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from microcred_vc.errors import StatusError, StatusNotFound
from microcred_vc.status import schema
from microcred_vc.status.bitstring import Bitstring, build_list_credential, make_entry
from microcred_vc.status.db import ListInfo, aware, iso, now_utc
from microcred_vc.status.list_trust import credential_issuer

log = logging.getLogger("microcred_vc.status")
#: A list's URL is fixed; a different one needs ``relocate``.
URL_FIXED = "STATUS_LIST_URL_FIXED"


class PublicationMixin:
    """``entry_for``, ``bitstring``, ``list_credential`` and ``publish``."""

    if TYPE_CHECKING:  # provided by StatusRegistry
        _lists: dict[str, ListInfo]
        _dialect: str

        def _insert(self, table: Any) -> Any: ...
        def list_info(self, list_id: str) -> ListInfo: ...
        def list_for_url(self, url: str) -> ListInfo | None: ...
        def _read(self) -> AbstractContextManager[Connection]: ...
        def _write(self) -> AbstractContextManager[Connection]: ...
        def allocate(
            self, list_id: str, purpose: str, *, credential_id: str | None = None
        ) -> int: ...

    def _remember_url(self, info: ListInfo, url: str, *, alias_ok: bool = False) -> None:
        """Fix ``info``'s URL to ``url`` the first time; afterwards only that URL is accepted.

        A list's URL is fixed when it is first used (issue 20): an option with a
        different default base URL must never move it, or revoking would
        republish the list where no verifier looks. Moving it is :meth:`relocate`,
        explicit and logged. ``alias_ok`` lets a list be *served* under any URL it
        had before a relocation (earlier credentials still name them).
        """
        if len(url) > 2000:
            raise StatusError(f"status list URL is longer than 2000 characters: {url[:80]}…")
        table, lists = schema.status_list_urls, schema.status_lists
        # A read per call (not a per-process cache): another process may relocate the list.
        with self._read() as conn:
            current = conn.scalar(select(lists.c.url).where(lists.c.list_id == info.list_id))
            owner = conn.scalar(select(table.c.list_id).where(table.c.url == url))
        if current == url or (current is not None and alias_ok and owner == info.list_id):
            return
        if current is not None:
            raise StatusError(
                f"status list {info.list_id!r} is published at {current}, not {url}; "
                f"its URL is fixed (to move it: microcred status relocate {current} {url})",
                code=URL_FIXED,
                list_id=info.list_id,
                url=current,
            )
        with self._write() as conn:  # the first use fixes the URL
            query = select(lists.c.url).where(lists.c.list_id == info.list_id)
            if conn.scalar(query if self._dialect != "postgresql" else query.with_for_update()):
                fixed = 0  # another process fixed it first
            else:
                fixed = self._fix_first(conn, info, url)
        self._lists.pop(info.list_id, None)
        if not fixed:  # hold this URL to the one the other process fixed
            self._remember_url(info, url, alias_ok=alias_ok)

    def _fix_first(self, conn: Connection, info: ListInfo, url: str) -> int:
        """Record ``url`` as the list's first (fixed) URL inside the caller's transaction."""
        table, lists = schema.status_list_urls, schema.status_lists
        conn.execute(
            self._insert(table)
            .values(url=url, list_id=info.list_id, first_published_at=now_utc())
            .on_conflict_do_nothing(index_elements=["url"])
        )
        owner = conn.scalar(select(table.c.list_id).where(table.c.url == url))
        if owner != info.list_id:
            raise StatusError(
                f"{url} is already the URL of status list {owner!r}, not {info.list_id!r}",
                list_id=info.list_id,
            )
        return conn.execute(
            lists.update()
            .where(lists.c.list_id == info.list_id, lists.c.url.is_(None))
            .values(url=url)
        ).rowcount

    def relocate(self, old_url: str, new_url: str, *, reason: str | None = None) -> ListInfo:
        """Move a list from its current URL ``old_url`` to ``new_url`` (logged, recorded).

        Credentials issued before keep naming ``old_url``: it stays one of the
        list's URLs, so they are still found for revocation and checks, and the
        list may still be served there; new credentials and publications use
        ``new_url``. Every move is a row in ``status_list_moves`` and a log line.
        """
        info = self.list_for_url(old_url)
        if info is None:
            raise StatusNotFound(f"no status list is published at {old_url}")
        if info.url != old_url:
            raise StatusError(
                f"{old_url} is an earlier URL of status list {info.list_id!r}; "
                f"its current URL is {info.url}",
                code=URL_FIXED,
                list_id=info.list_id,
            )
        if not new_url.startswith(("https://", "http://")) or len(new_url) > 2000:
            raise StatusError(f"the new URL must be an http(s) URL: {new_url[:80]!r}")
        if new_url == old_url:
            return info
        table, lists = schema.status_list_urls, schema.status_lists
        moment = now_utc()
        with self._write() as conn:
            owner = conn.scalar(select(table.c.list_id).where(table.c.url == new_url))
            if owner is not None and owner != info.list_id:
                raise StatusError(f"{new_url} is already the URL of status list {owner!r}")
            if owner is None:
                conn.execute(
                    table.insert().values(
                        url=new_url, list_id=info.list_id, first_published_at=moment
                    )
                )
            conn.execute(lists.update().where(lists.c.list_id == info.list_id).values(url=new_url))
            conn.execute(
                schema.status_list_moves.insert().values(
                    list_id=info.list_id,
                    old_url=old_url,
                    new_url=new_url,
                    moved_at=moment,
                    reason=reason,
                )
            )
        log.warning("status list %s relocated: %s -> %s", info.list_id, old_url, new_url)
        self._lists.pop(info.list_id, None)
        return self.list_info(info.list_id)

    def relocations(self, list_id: str) -> list[tuple[str, str, datetime, str | None]]:
        """Every move of ``list_id``: (old URL, new URL, when, reason), oldest first."""
        moves = schema.status_list_moves
        with self._read() as conn:
            rows = conn.execute(
                select(moves.c.old_url, moves.c.new_url, moves.c.moved_at, moves.c.reason)
                .where(moves.c.list_id == list_id)
                .order_by(moves.c.moved_at)
            ).all()
        return [(r.old_url, r.new_url, aware(r.moved_at), r.reason) for r in rows]  # type: ignore[misc]

    def list_urls(self, list_id: str) -> list[str]:
        """Every URL ``list_id`` was published under, oldest first."""
        table = schema.status_list_urls
        with self._read() as conn:
            return list(
                conn.scalars(
                    select(table.c.url)
                    .where(table.c.list_id == list_id)
                    .order_by(table.c.first_published_at, table.c.url)
                )
            )

    def list_for_url(self, url: str) -> ListInfo | None:
        """The list published under ``url`` (any URL it ever had), or None if not ours."""
        table = schema.status_list_urls
        with self._read() as conn:
            list_id = conn.scalar(select(table.c.list_id).where(table.c.url == url))
        return self.list_info(list_id) if list_id is not None else None

    def list_url(self, list_id: str, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/{list_id}"

    def _url_for(self, info: ListInfo, base_url: str | None) -> str:
        """The list's URL under ``base_url``; ``None`` means the URL it already has."""
        if base_url is not None:
            return self.list_url(info.list_id, base_url)
        if info.url is None:
            raise StatusError(f"status list {info.list_id!r} has no URL yet; give base_url")
        return info.url

    def entry_for(
        self, list_id: str, index: int, purpose: str, base_url: str | None
    ) -> dict[str, Any]:
        """The ``credentialStatus`` entry to put in the credential holding ``index``.

        ``base_url`` fixes the list's URL on first use and must name it afterwards;
        ``None`` means "the list's own URL" (a service restarted elsewhere keeps it).
        """
        return self.entries_for(list_id, [index], purpose, base_url)[0]

    def entries_for(
        self, list_id: str, indexes: Sequence[int], purpose: str, base_url: str | None
    ) -> list[dict[str, Any]]:
        """:meth:`entry_for` for each of ``indexes``, checking the list's URL once.

        The URL check reads the database (another process may have relocated the
        list), so a batch asks once per block of credentials, not once per credential.
        """
        info = self.list_info(list_id)
        if info.purpose != purpose:
            raise StatusError(f"status list {list_id!r} is for {info.purpose!r}, not {purpose!r}")
        for index in indexes:
            if not 0 <= index < info.entries:
                raise StatusError(f"index {index} is outside list {list_id!r}")
        url = self._url_for(info, base_url)
        self._remember_url(info, url)
        return [
            make_entry(url, index, purpose, status_size=info.status_size, messages=info.messages)
            for index in indexes
        ]

    @contextmanager
    def reserved_entry(
        self,
        list_id: str,
        purpose: str,
        base_url: str | None,
        *,
        credential_id: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Allocate an index for one issue and yield its entry; released if the issue fails.

        A refused issue (invalid input, a signing error) must not consume an index
        (issue #16): the block signs, and if it raises, no signed credential can hold
        the index, so it is given back. Leave the block only once the credential is
        out of your hands (returned, written), so a failure after that keeps it.
        """
        index = self.allocate(list_id, purpose, credential_id=credential_id)
        try:
            yield self.entry_for(list_id, index, purpose, base_url)
        except BaseException:
            self.release(list_id, index)
            raise

    def release(self, list_id: str, index: int) -> bool:
        """Give back an index no issued credential holds; True when it was released.

        Only an entry never changed since allocation (status 0, no update) is
        removed, so a revocation can never be undone by releasing its index.
        """
        table = schema.status_entries
        with self._write() as conn:
            gone = conn.execute(
                table.delete().where(
                    table.c.list_id == list_id,
                    table.c.idx == index,
                    table.c.status == 0,
                    table.c.updated_at.is_(None),
                )
            )
        return bool(gone.rowcount)

    def bitstring(self, list_id: str) -> Bitstring:
        """The list's current bits, read in one statement (a consistent snapshot)."""
        info = self.list_info(list_id)
        table = schema.status_entries
        with self._read() as conn:
            rows = conn.execute(
                select(table.c.idx, table.c.status).where(
                    table.c.list_id == list_id, table.c.status != 0
                )
            ).all()
        bits = Bitstring(info.entries, status_size=info.status_size)
        for index, value in rows:
            bits.set(index, value)
        return bits

    def list_credential(
        self,
        list_id: str,
        *,
        base_url: str | None = None,
        issuer: str | Mapping[str, Any],
        validity: timedelta | None = None,
        ttl: int | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """The unsigned BitstringStatusListCredential for the list as it is now.

        ``base_url`` may be omitted (the list's own URL is used); given, it must
        name the list's URL or one it had before a relocation.
        """
        info = self.list_info(list_id)
        moment = now or now_utc()
        url = self._url_for(info, base_url)
        self._remember_url(info, url, alias_ok=True)
        return build_list_credential(
            url,
            issuer,
            self.bitstring(list_id),
            info.purpose,
            valid_from=iso(moment),
            valid_until=iso(moment + validity) if validity else None,
            ttl=ttl,
        )

    def publish(
        self,
        list_id: str,
        key: Any,
        *,
        base_url: str | None = None,
        cryptosuite: str | None = None,
        issuer: str | Mapping[str, Any] | None = None,
        validity: timedelta | None = None,
        ttl: int | None = None,
        now: datetime | None = None,
        loader: Any = None,
    ) -> dict[str, Any]:
        """The signed status list credential, ready to serve at ``base_url/list_id``.

        ``cryptosuite`` defaults to the key's usual suite; ``validity`` sets
        ``validUntil`` so verifiers refuse a stale copy; ``loader`` is the JSON-LD
        document loader used while signing.
        """
        from microcred_vc.proofs.engine import add_proof  # lazy: proofs is a heavier package

        doc = self.list_credential(
            list_id,
            base_url=base_url,
            issuer=issuer or key.did,
            validity=validity,
            ttl=ttl,
            now=now,
        )
        signed = add_proof(doc, key, cryptosuite=cryptosuite, loader=loader)
        self.record_signer(list_id, getattr(key, "did", None) or credential_issuer(doc))
        return signed

    def record_signer(self, list_id: str, signer: str | None) -> None:
        """Record that ``signer`` signs ``list_id`` (call it for each proof added after publish)."""
        if not signer:
            return
        table = schema.status_list_signers
        stmt = self._insert(table).values(list_id=list_id, signer=signer, first_signed_at=now_utc())
        with self._write() as conn:
            conn.execute(stmt.on_conflict_do_nothing(index_elements=["list_id", "signer"]))

    def list_signers(self, list_id: str) -> tuple[str, ...] | None:
        """The DIDs that signed ``list_id`` when it was published; None if never published.

        The status check holds the registry's answers to the list-signer policy
        with these, as it holds a fetched list to the DIDs its proof establishes.
        """
        table = schema.status_list_signers
        with self._read() as conn:
            found = tuple(
                conn.scalars(
                    select(table.c.signer).where(table.c.list_id == list_id).order_by("signer")
                )
            )
        return found or None
