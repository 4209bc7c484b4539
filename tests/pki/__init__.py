"""The shared test PKI: certomancer's, served live on 127.0.0.1.

Oracle: certomancer (an independent implementation) makes every certificate,
CRL, OCSP response and RFC 3161 timestamp the seal tests verify; the seal code
only reads them. The architecture is ``certomancer.yml`` next to this file: a
root, an issuing CA with a delegated OCSP responder, a qualified seal
certificate (QcCompliance, QcType eSeal, QcSSCD), a non-qualified, a revoked
and an expired seal certificate, a TSA, a certificate that is not a TSA, and
an unrelated root with its own TSA. Keys are generated per process (nothing
secret is committed).

:func:`live_pki` binds a werkzeug server to an ephemeral loopback port first,
so the URLs certomancer writes into the AIA and CRL distribution point
extensions name that port, then serves the architecture with certomancer's
``Animator`` WSGI app in a daemon thread (OCSP, CRLs, TSAs). ``outage`` makes
a kind of service (``"ocsp"``, ``"crls"``, ``"tsa"``) fail on purpose:
``"error"`` answers 503, ``"hang"`` holds the request for ``HANG_SECONDS``.

The hand-made helpers (``make_cert``, ``key_usage``, ``NOW``) for one-off
certificates a test shapes itself (odd key usages, RSA or P-384 keys) are in
:mod:`tests.pki.adhoc` and re-exported here.
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from asn1crypto import ocsp as asn1_ocsp
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig, ServiceLabel
from certomancer.services import TimeStamper
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from werkzeug.serving import WSGIRequestHandler, make_server

import tests.pki.qc  # noqa: F401  (registers the qc-statements plugin)
from tests.pki.adhoc import NOW, key_usage, make_cert, make_tsa_cert

__all__ = [
    "HANG_SECONDS",
    "NOW",
    "LivePki",
    "key_usage",
    "live_pki",
    "make_cert",
    "make_tsa_cert",
]

CONFIG = Path(__file__).with_name("certomancer.yml")
ARCH = ArchLabel("microcred")
HANG_SECONDS = 5.0


def _write_keys(directory: Path) -> None:
    """A fresh P-256 key for every label of the key set (PEM, unencrypted)."""
    labels = yaml.safe_load(CONFIG.read_text())["keysets"]["microcred"]["keys"]
    for spec in labels.values():
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        (directory / spec["path"]).write_bytes(pem)


@dataclass
class LivePki:
    """The certomancer architecture, its keys and the loopback server serving it."""

    arch: Any
    url: str
    key_dir: Path
    #: service kind ("ocsp", "crls", "tsa") -> "error" or "hang"
    outage: dict[str, str] = field(default_factory=dict)

    # --- objects ------------------------------------------------------------
    def cert(self, label: str) -> x509.Certificate:
        return x509.load_der_x509_certificate(self.arch.get_cert(CertLabel(label)).dump())

    def key(self, label: str) -> Any:
        pem = (self.key_dir / f"{label}.key.pem").read_bytes()
        return serialization.load_pem_private_key(pem, None)

    def chain(self, label: str) -> list[x509.Certificate]:
        """``label``'s certificate and its CAs below the root (what x5c carries)."""
        labels = [label, *(str(c) for c in self.arch.get_chain(CertLabel(label)))]
        return [self.cert(c) for c in labels[:-1]]

    @property
    def root(self) -> x509.Certificate:
        return self.cert("root")

    # --- what certomancer's services answer, without HTTP --------------------
    def crl(self, repo: str = "interm", at: datetime | None = None) -> bytes:
        """The CRL of ``repo`` current at ``at`` (now by default), DER."""
        return self.arch.service_registry.get_crl(ServiceLabel(repo), at or _now()).dump()

    def ocsp(self, label: str, responder: str = "interm", at: datetime | None = None) -> bytes:
        """certomancer's OCSP response about certificate ``label``, DER."""
        issuer = self.cert(str(next(iter(self.arch.get_chain(CertLabel(label))))))
        request = (
            ocsp.OCSPRequestBuilder()
            .add_certificate(self.cert(label), issuer, hashes.SHA256())
            .build()
            .public_bytes(serialization.Encoding.DER)
        )
        answering = self.arch.service_registry.summon_responder(
            ServiceLabel(responder), at or _now()
        )
        return answering.build_ocsp_response(asn1_ocsp.OCSPRequest.load(request)).dump()

    def stamper(self, label: str = "tsa", at: datetime | None = None) -> TimeStamper:
        """certomancer's RFC 3161 TimeStamper ``label`` (fixed at ``at`` when given)."""
        return self.arch.service_registry.summon_timestamper(ServiceLabel(label), at)

    # --- URLs of the live services ------------------------------------------
    def tsa_url(self, label: str = "tsa") -> str:
        return f"{self.url}/{ARCH}/tsa/{label}"

    def ocsp_url(self, label: str = "interm") -> str:
        return f"{self.url}/{ARCH}/ocsp/{label}"

    def crl_url(self, repo: str = "interm") -> str:
        return f"{self.url}/{ARCH}/crls/{repo}/latest.crl"

    def fetcher(self, timeout: float = 2.0, deadline: float | None = None) -> Any:
        """The library's guarded fetcher with loopback allowed (the tests' setting)."""
        from microcred_vc.net import HttpFetcher

        return HttpFetcher(timeout=timeout, deadline=deadline, block_private=False)

    def timestamper(self, label: str = "tsa") -> Any:
        """The library's RFC 3161 client on the live TSA ``label`` (loopback allowed)."""
        from microcred_vc.seal.tsa import HttpTimestamper

        return HttpTimestamper(self.tsa_url(label), timeout=5, block_private=False)

    # --- the WSGI side --------------------------------------------------------
    def wsgi(self, animator: Animator) -> Any:
        """certomancer's Animator behind the ``outage`` switch."""

        def app(environ: dict[str, Any], start_response: Any) -> Any:
            parts = environ.get("PATH_INFO", "").split("/")
            mode = self.outage.get(parts[2] if len(parts) > 2 else "")
            if mode == "hang":
                time.sleep(HANG_SECONDS)
            if mode is not None:
                start_response("503 Service Unavailable", [("Content-Length", "0")])
                return [b""]
            return animator(environ, start_response)

        return app


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@cache
def live_pki() -> LivePki:
    """The PKI for this test process, served on 127.0.0.1 until the process ends."""
    key_dir = Path(tempfile.mkdtemp(prefix="h-pki-keys-"))
    _write_keys(key_dir)
    holder: dict[str, Any] = {}

    def late(environ: dict[str, Any], start_response: Any) -> Any:
        return holder["app"](environ, start_response)

    server = make_server("127.0.0.1", 0, late, threaded=True, request_handler=_Quiet)
    url = f"http://127.0.0.1:{server.server_port}"
    config = CertomancerConfig(
        yaml.safe_load(CONFIG.read_text()), key_search_dir=str(key_dir), external_url_prefix=url
    )
    arch = config.get_pki_arch(ARCH)
    pki = LivePki(arch, url, key_dir)
    holder["app"] = pki.wsgi(Animator(AnimatorArchStore({ARCH: arch}), with_web_ui=False))
    threading.Thread(target=server.serve_forever, daemon=True, name="test-pki").start()
    return pki
