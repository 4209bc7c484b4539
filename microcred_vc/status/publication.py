"""Issuance and publication half of the status registry (mixed into StatusRegistry).

Kept apart from allocation because it is the only part that talks to the
proof engine, and because what it produces is public: the entry that goes
into a learner's credential and the signed list anyone may download.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from microcred_vc.errors import StatusError
from microcred_vc.status import schema
from microcred_vc.status.bitstring import Bitstring, build_list_credential, make_entry
from microcred_vc.status.db import ListInfo, iso, now_utc


class PublicationMixin:
    """``entry_for``, ``bitstring``, ``list_credential`` and ``publish``."""

    if TYPE_CHECKING:  # provided by StatusRegistry
        _lists: dict[str, ListInfo]
        _known_urls: set[tuple[str, str]]

        def _insert(self, table: Any) -> Any: ...
        def list_info(self, list_id: str) -> ListInfo: ...
        def _read(self) -> AbstractContextManager[Connection]: ...
        def _write(self) -> AbstractContextManager[Connection]: ...
        def allocate(
            self, list_id: str, purpose: str, *, credential_id: str | None = None
        ) -> int: ...

    def _remember_url(self, info: ListInfo, url: str) -> None:
        """Record that ``info`` is published under ``url``, keeping every earlier URL.

        A credential's entry names the URL its list had at issuance; if a new
        public URL replaced the old one, revoking or checking that credential
        could no longer find its list. So URLs accumulate and none is forgotten.
        """
        if (info.list_id, url) in self._known_urls:
            return
        if len(url) > 2000:
            raise StatusError(f"status list URL is longer than 2000 characters: {url[:80]}…")
        table = schema.status_list_urls
        stmt = (
            self._insert(table)
            .values(url=url, list_id=info.list_id, first_published_at=now_utc())
            .on_conflict_do_nothing(index_elements=["url"])
            .returning(table.c.url)
        )
        with self._write() as conn:
            added = conn.execute(stmt).first() is not None
            owner = conn.scalar(select(table.c.list_id).where(table.c.url == url))
            if owner != info.list_id:
                raise StatusError(
                    f"{url} is already the URL of status list {owner!r}, not {info.list_id!r}",
                    list_id=info.list_id,
                )
            if added:  # the informative "latest URL" column follows the newest one
                conn.execute(
                    schema.status_lists.update()
                    .where(schema.status_lists.c.list_id == info.list_id)
                    .values(url=url)
                )
        if added:
            self._lists.pop(info.list_id, None)
        self._known_urls.add((info.list_id, url))

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

    def entry_for(self, list_id: str, index: int, purpose: str, base_url: str) -> dict[str, Any]:
        """The ``credentialStatus`` entry to put in the credential holding ``index``."""
        info = self.list_info(list_id)
        if info.purpose != purpose:
            raise StatusError(f"status list {list_id!r} is for {info.purpose!r}, not {purpose!r}")
        if not 0 <= index < info.entries:
            raise StatusError(f"index {index} is outside list {list_id!r}")
        url = self.list_url(list_id, base_url)
        self._remember_url(info, url)
        return make_entry(url, index, purpose, status_size=info.status_size, messages=info.messages)

    @contextmanager
    def reserved_entry(
        self, list_id: str, purpose: str, base_url: str, *, credential_id: str | None = None
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
        base_url: str,
        issuer: str | Mapping[str, Any],
        validity: timedelta | None = None,
        ttl: int | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """The unsigned BitstringStatusListCredential for the list as it is now."""
        info = self.list_info(list_id)
        moment = now or now_utc()
        url = self.list_url(list_id, base_url)
        self._remember_url(info, url)
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
        base_url: str,
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
        return add_proof(doc, key, cryptosuite=cryptosuite, loader=loader)
