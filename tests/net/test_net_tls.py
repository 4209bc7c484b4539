"""The guarded transport keeps the host name for TLS while connecting to the pinned IP.

Oracle: the TLS library's own certificate check. A certificate for
``pinned.example`` only verifies when SNI and hostname checking use that name,
although the socket goes to the IP the name was resolved to (127.0.0.1 here,
via a fake getaddrinfo); another name for the same IP is refused.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from microcred_vc.errors import NetworkError
from microcred_vc.net import GuardedTransport, Resolution, fetch_bytes
from tests.security.test_network_safety import Site, _serve


def _tls(folder: Path, name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for ``name``: (server context, client context trusting it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / f"{name}.pem", folder / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_file, key_file)
    return server, ssl.create_default_context(cafile=str(cert_file))


@pytest.fixture
def pinned_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Site, Any]]:
    """HTTPS with a certificate for ``pinned.example``; it and ``alias.example`` are 127.0.0.1."""
    server_ctx, client_ctx = _tls(tmp_path, "pinned.example")
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in ("pinned.example", "alias.example"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port or 0))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for site in _serve(Site(), server_ctx):
        yield site, client_ctx


def test_tls_verifies_the_name_while_the_socket_uses_the_checked_ip(
    pinned_site: tuple[Site, Any],
) -> None:
    site, client_ctx = pinned_site
    site.json("/doc", {"ok": True})
    url = site.base.replace("127.0.0.1", "pinned.example") + "/doc"
    transport = GuardedTransport(Resolution(block_private=False), verify=client_ctx)
    body = fetch_bytes(url, timeout=2, max_bytes=1000, block_private=False, transport=transport)
    assert body == b'{"ok": true}'
    assert site.hits == ["/doc"]


def test_tls_refuses_a_name_the_certificate_does_not_cover(
    pinned_site: tuple[Site, Any],
) -> None:
    """``alias.example`` also resolves to 127.0.0.1; the certificate is not for it."""
    site, client_ctx = pinned_site
    url = site.base.replace("127.0.0.1", "alias.example") + "/doc"
    transport = GuardedTransport(Resolution(block_private=False), verify=client_ctx)
    with pytest.raises(NetworkError, match="could not be fetched"):
        fetch_bytes(url, timeout=2, max_bytes=1000, block_private=False, transport=transport)
    assert site.hits == []
