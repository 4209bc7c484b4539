"""Which IP addresses a credential may make a verifier contact, and name resolution.

An address is public only when :mod:`ipaddress` calls it global, it is not
multicast, it is outside a few ranges older Pythons still call global (CGNAT
100.64.0.0/10, Teredo, IPv4-compatible ``::a.b.c.d``, local NAT64), and any
IPv4 address embedded in it (IPv4-mapped ``::ffff:a.b.c.d``, NAT64
``64:ff9b::/96``, 6to4 ``2002::/16``, Teredo server and client) is public too:
``2002:7f00:1::`` reaches 127.0.0.1 through a 6to4 relay, so it is not public.

Names are resolved once per request (:class:`Resolution`): the check and the
connection use the same answer, so a DNS server cannot answer "public" to the
check and "127.0.0.1" to the connection (rebinding).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from typing import Any

from microcred_vc.errors import AddressNotAllowed, NetworkDeadlineExceeded, NetworkError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Refused whatever the running Python's ipaddress tables say (they changed in 3.12/3.13).
ALWAYS_BLOCKED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches localhost on Linux
        "100.64.0.0/10",  # CGNAT; cloud metadata at 100.100.100.200
        "192.0.0.0/24",  # IETF protocol assignments
        "198.18.0.0/15",  # benchmarking
        "::/96",  # IPv4-compatible (deprecated), ::, ::1
        "64:ff9b:1::/48",  # local-use NAT64
        "2001::/32",  # Teredo
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def embedded_ipv4(addr: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, NAT64, 6to4, Teredo)."""
    found: list[ipaddress.IPv4Address] = []
    if addr.ipv4_mapped is not None:
        found.append(addr.ipv4_mapped)
    if addr in NAT64:
        found.append(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
    if addr.sixtofour is not None:
        found.append(addr.sixtofour)
    if addr.teredo is not None:
        found.extend(addr.teredo)
    return found


def is_public_address(addr: IPAddress | str) -> bool:
    """True only for a global unicast address that embeds no non-public IPv4 address."""
    if isinstance(addr, str):
        try:
            addr = ipaddress.ip_address(addr)
        except ValueError:
            return False
    if not addr.is_global or addr.is_multicast:
        return False
    if any(addr in net for net in ALWAYS_BLOCKED if net.version == addr.version):
        return False
    if isinstance(addr, ipaddress.IPv6Address):
        return all(is_public_address(v4) for v4 in embedded_ipv4(addr))
    return True


def _getaddrinfo(host: str, timeout: float | None) -> list[Any]:
    """``socket.getaddrinfo`` bounded by ``timeout`` (the lookup thread is abandoned)."""
    if timeout is None:
        return socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    result: list[Any] = []
    error: list[BaseException] = []

    def lookup() -> None:
        try:
            result.extend(socket.getaddrinfo(host, None, type=socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the caller's thread
            error.append(exc)

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(max(timeout, 0.0))
    if worker.is_alive():
        raise NetworkDeadlineExceeded(f"resolving {host!r} did not finish in time", host=host)
    if error:
        raise error[0]
    return result


def _lookup_key(host: str) -> str:
    """One spelling per host, so the URL check and the connection share one lookup.

    httpx connects with the ASCII (IDNA) form of a name; the URL check sees what
    ``urlsplit`` gives. Should the two spellings still differ, each is looked up
    and checked on its own: the connection never uses an unchecked address.
    """
    host = host.strip("[]").lower()
    if not host.isascii():
        with contextlib.suppress(UnicodeError):  # getaddrinfo reports the bad name
            host = host.encode("idna").decode("ascii")
    return host


class Resolution:
    """One request's view of DNS: each host is looked up once and its answer kept.

    ``deadline_at`` (a :func:`time.monotonic` instant) bounds the lookups;
    ``block_private`` refuses a host when *any* of its addresses is not public
    (an attacker controls which address a client picks).
    """

    def __init__(self, *, block_private: bool = True, deadline_at: float | None = None) -> None:
        self.block_private = block_private
        self.deadline_at = deadline_at
        self._answers: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def remaining(self) -> float | None:
        """Seconds left before the deadline (None: no deadline)."""
        return None if self.deadline_at is None else self.deadline_at - time.monotonic()

    def addresses(self, host: str) -> list[str]:
        """The checked addresses of ``host``, resolving it on first use only."""
        host = _lookup_key(host)
        with self._lock:
            if host in self._answers:
                return self._answers[host]
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            raise NetworkDeadlineExceeded(f"no time left to resolve {host!r}", host=host)
        try:
            infos = _getaddrinfo(host, remaining)
        except (OSError, UnicodeError) as exc:
            raise NetworkError(f"cannot resolve host {host!r}: {exc}", host=host) from exc
        found: list[str] = []
        for info in infos:
            ip = str(info[4][0])
            if ip not in found:
                found.append(ip)
        if not found:
            raise NetworkError(f"cannot resolve host {host!r}: no addresses", host=host)
        if self.block_private:
            bad = [ip for ip in found if not is_public_address(ip)]
            if bad:
                raise AddressNotAllowed(
                    f"{host} resolves to {bad[0]}, a private, loopback, link-local or "
                    "otherwise non-public address",
                    host=host,
                )
        with self._lock:
            self._answers.setdefault(host, found)
            return self._answers[host]
