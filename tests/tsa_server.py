"""An RFC 3161 timestamp authority on 127.0.0.1 for tests, answered by certomancer.

certomancer's ``TimeStamper`` is an independent RFC 3161 implementation: the
tokens the seal code verifies are not made by the seal code. The HTTP side is
the standard library's server in a daemon thread, bound to loopback only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from certomancer.services import TimeStamper
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat


def certomancer_stamper(cert: x509.Certificate, key, embed=()) -> TimeStamper:
    """certomancer's TSA for a cryptography certificate and key (the cert is embedded)."""
    der_key = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    as_asn1 = asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
    return TimeStamper(
        as_asn1,
        asn1_keys.PrivateKeyInfo.load(der_key),
        certs_to_embed=[
            as_asn1,
            *(asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in embed),
        ],
    )


@contextmanager
def serve_tsa(stamper: TimeStamper) -> Iterator[str]:
    """Serve ``stamper`` at ``http://127.0.0.1:PORT/tsa``; yields the URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            request = tsp.TimeStampReq.load(self.rfile.read(length))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
