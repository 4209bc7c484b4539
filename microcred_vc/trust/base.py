"""What a trust registry answers, and the protocol every registry follows.

Cryptography says *who* signed; a trust registry says whether anyone the
verifier relies on vouches for that signer (DESIGN.md: issuer trust is a
separate check, shown separately). A registry is anything with a ``name`` and
``lookup(issuer_id, now=...)``: the three shipped ones read files the caller
provides and never touch the network, so a verifier's trust decision is exactly
the lists it chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, runtime_checkable

#: ``vouched``: listed and in force. ``not-listed``: the registry says nothing about
#: the issuer. ``revoked`` / ``expired``: listed, but no longer in force.
TrustStatus = Literal["vouched", "not-listed", "revoked", "expired"]


@dataclass(frozen=True)
class TrustAnswer:
    """One registry's answer about one issuer."""

    status: TrustStatus
    #: The registry that answered (its name as the caller or the file gives it).
    registry: str
    #: The issuer id that was looked up.
    issuer: str
    #: The matched entry as the registry holds it (a line, a JSON object), if any.
    entry: Any = None
    #: The entry's display name for the issuer ("University of Example"), if given.
    name: str | None = None
    #: A sentence saying why (which entry matched, what was revoked or expired).
    detail: str = ""

    @property
    def vouched(self) -> bool:
        return self.status == "vouched"


@runtime_checkable
class TrustRegistry(Protocol):
    """A list of issuers someone vouches for."""

    name: str

    def lookup(self, issuer_id: str, *, now: datetime | None = None) -> TrustAnswer:
        """What this registry says about ``issuer_id`` at ``now`` (None: the current time)."""
        ...


def moment(now: datetime | None) -> datetime:
    """``now`` as an aware datetime (naive values are read as UTC)."""
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def parse_instant(value: Any) -> datetime | None:
    """An ISO date-time or a NumericDate (JWT ``exp``), as an aware datetime; None if neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
