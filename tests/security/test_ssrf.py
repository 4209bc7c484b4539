"""SSRF done once (issue #16 V7): ranges, DNS rebinding and the loader's allow-list.

Oracles: the IANA IPv4/IPv6 special-purpose address registries and RFC 6052
(NAT64), RFC 3056 (6to4), RFC 4380 (Teredo), RFC 4291 (IPv4-mapped) for which
addresses are not public; for rebinding, the property "the socket is opened to
the address that was checked"; for the allow-list, RFC 3986 section 6
equivalence (a URL equal in normal form to one outside the prefix is outside).
On the code before this change the CGNAT, 6to4, rebinding and allow-list tests
failed (CGNAT and 6to4 counted as public, httpx looked the name up a second
time, the allow-list was a raw ``startswith``); the other ranges were already
refused and are listed so the one rule keeps covering them.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from microcred_vc.errors import AddressNotAllowed, ContextNotAllowed, NetworkError
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.keys.did import Resolver
from microcred_vc.net import HttpFetcher, is_public_address
from tests.security.test_network_safety import Site, _serve

NOT_PUBLIC = [
    # CGNAT 100.64.0.0/10 (RFC 6598), incl. Alibaba's metadata service
    "100.64.0.1",
    "100.100.100.200",
    "100.127.255.254",
    # the usual ones
    "127.0.0.1",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "0.0.0.0",
    "0.1.2.3",
    "255.255.255.255",
    "224.0.0.1",
    "240.0.0.1",
    "192.0.0.1",
    "192.0.2.1",
    "198.18.0.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd00::1",
    "ff02::1",
    "ff0e::1",
    # 6to4 (RFC 3056) embedding loopback, private and link-local IPv4
    "2002:7f00:1::",
    "2002:a00:1::1",
    "2002:c0a8:101::",
    "2002:a9fe:a9fe::",
    # Teredo (RFC 4380): 2001::/32, whether or not the client decodes to loopback
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",
    # IPv4-mapped (RFC 4291)
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:100.100.100.200",
    # IPv4-compatible (deprecated)
    "::127.0.0.1",
    "::10.0.0.1",
    # NAT64 well-known prefix (RFC 6052) embedding non-public IPv4, local-use NAT64
    "64:ff9b::7f00:1",
    "64:ff9b::a00:1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b::6464:64c8",
    "64:ff9b:1::808:808",
]

PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    """The property's other half: a rule refusing everything would pass the test above."""
    assert is_public_address(address)


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_fetcher_refuses_non_public_literals_before_connecting(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: the URL is refused with ADDRESS_NOT_ALLOWED and no socket is opened."""
    opened: list[Any] = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: opened.append(a))
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(AddressNotAllowed):
        HttpFetcher(timeout=0.5)(f"http://{host}/latest/meta-data/")
    assert opened == []


# --- DNS rebinding -------------------------------------------------------------------
PUBLIC_IP = "93.184.216.34"


@pytest.fixture
def site() -> Iterator[Site]:
    yield from _serve(Site())


@pytest.fixture
def rebinding(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """``rebind.example`` resolves to a public address once, to 127.0.0.1 afterwards.

    ``socket.create_connection`` is wrapped to record where sockets go; one to
    the public address is refused (the test never leaves the machine).
    """
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.create_connection
    seen: dict[str, list[Any]] = {"lookups": [], "connects": []}

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.example":
            return real_getaddrinfo(host, port, *args, **kwargs)
        seen["lookups"].append(host)
        ip = PUBLIC_IP if len(seen["lookups"]) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port or 0))]

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        seen["connects"].append(address)
        if address[0] == PUBLIC_IP:
            raise ConnectionRefusedError("test: the public address is not really contacted")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return seen


def _fetch_by_path(path: str, url: str) -> None:
    if path == "fetcher":
        HttpFetcher(timeout=2)(url)
    elif path == "loader":
        DocumentLoader(allow_remote=True, allowed_prefixes=[url], timeout=2).load(url)
    else:
        Resolver(allow_network=True, timeout=2).resolve(url.replace("http:", "https:") + "#k")


@pytest.mark.parametrize("path", ["fetcher", "loader", "resolver"])
def test_rebinding_never_reaches_loopback(
    path: str, site: Site, rebinding: dict[str, list[Any]]
) -> None:
    """The name is looked up once and the socket goes to the address that was checked."""
    site.json("/secret", {"secret": True})
    port = int(site.base.rsplit(":", 1)[1])
    with pytest.raises(NetworkError):
        _fetch_by_path(path, f"http://rebind.example:{port}/secret")
    assert rebinding["connects"] == [(PUBLIC_IP, port)]
    assert rebinding["lookups"] == ["rebind.example"]
    assert site.hits == []


# --- the loader's allow-list ---------------------------------------------------------
REFUSED = [
    "{base}/allowed/../secret",
    "{base}/allowed/%2e%2e/secret",
    "{base}/allowed/%2E%2E/secret",
    "{base}/allowed/.%2e/secret",
    "{base}/allowed/./../secret",
    "{base}/allowed%2f..%2fsecret",
    "{base}/allowed/..%2fsecret",
    "{base}/allowed/..\\secret",
]


@pytest.mark.parametrize("template", REFUSED)
def test_allow_list_is_matched_on_the_normalised_url(template: str, site: Site) -> None:
    site.json("/secret", {"secret": True})
    loader = DocumentLoader(
        allow_remote=True, allowed_prefixes=[site.base + "/allowed/"], block_private=False
    )
    with pytest.raises(ContextNotAllowed):
        loader.load(template.format(base=site.base))
    assert site.hits == []


def test_allow_list_refuses_userinfo_and_matches_whole_segments(site: Site) -> None:
    """``prefix@other-host`` and ``/allowed-not`` passed a raw startswith."""
    site.json("/secret", {"secret": True})
    site.json("/allowed-not/secret", {"secret": True})
    port = site.base.rsplit(":", 1)[1]
    bare = DocumentLoader(allow_remote=True, allowed_prefixes=[site.base], block_private=False)
    with pytest.raises(ContextNotAllowed):
        bare.load(f"{site.base}@localhost:{port}/secret")
    segment = DocumentLoader(
        allow_remote=True, allowed_prefixes=[site.base + "/allowed"], block_private=False
    )
    with pytest.raises(ContextNotAllowed):
        segment.load(site.base + "/allowed-not/secret")
    assert site.hits == []


@pytest.mark.parametrize(
    "template",
    [
        "{base}/allowed/./ctx",
        "{base}/other/../allowed/ctx",
        "HTTP://127.0.0.1:{port}/allowed/ctx",
    ],
)
def test_equivalent_spellings_are_fetched_in_normal_form(template: str, site: Site) -> None:
    """Normalising must not refuse what is under the prefix; the normal form is fetched."""
    site.json("/allowed/ctx", {"@context": {"x": "https://schema.org/x"}})
    loader = DocumentLoader(
        allow_remote=True, allowed_prefixes=[site.base + "/allowed/"], block_private=False
    )
    port = site.base.rsplit(":", 1)[1]
    assert loader.load(template.format(base=site.base, port=port))["@context"]["x"]
    assert site.hits == ["/allowed/ctx"]


def test_an_internationalised_name_is_looked_up_once(
    site: Site, rebinding: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The URL check sees ``bücher``, httpx connects with ``xn--bcher-kva``: one lookup.

    Property: the check's spelling and the connection's share one answer, so a
    rebinding DNS server gets no second question for an IDN host either.
    """
    fake = socket.getaddrinfo

    def idn(host: Any, *args: Any, **kwargs: Any) -> Any:
        ascii_host = "rebind.example" if host == "xn--bcher-kva.example" else host
        return fake(ascii_host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", idn)
    port = int(site.base.rsplit(":", 1)[1])
    with pytest.raises(NetworkError):
        HttpFetcher(timeout=2)(f"http://bücher.example:{port}/secret")
    assert rebinding["lookups"] == ["rebind.example"]
    assert rebinding["connects"] == [(PUBLIC_IP, port)]
    assert site.hits == []
