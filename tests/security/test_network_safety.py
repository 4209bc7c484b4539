"""SSRF and resource limits on every network path a credential can trigger.

A credential names URLs — a status list, a hosted OB2 assertion, a remote
context, a did:web or https verification method — and a verifier that follows
them can be made to probe its own network (cloud metadata at 169.254.169.254,
an admin port on localhost). Each path is tested against a real HTTP(S) server
on 127.0.0.1 started here: with the protection on (the default) the request
never reaches the server; with it switched off the same request works, which
proves it was the protection, not a typo, that refused it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from microcred_vc import verify
from microcred_vc.errors import (
    AddressNotAllowed,
    InputTooLarge,
    MicrocredError,
    NetworkDisabled,
    NetworkError,
)
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.keys import KeyPair, generate_key
from microcred_vc.keys.did import Resolver
from microcred_vc.net import HttpFetcher
from tests.issuing import issued_by
from tests.security.samples import fixture_loader, ob3_credential

OB2 = "https://w3id.org/openbadges/v2"


@dataclass
class Site:
    """A local web server: routes to (status, headers, body), and the paths it was asked for."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    base: str = ""

    def json(self, path: str, doc: Any) -> str:
        self.routes[path] = (200, {"Content-Type": "application/json"}, json.dumps(doc).encode())
        return self.base + path

    def redirect(self, path: str, to: str) -> str:
        self.routes[path] = (302, {"Location": to}, b"")
        return self.base + path


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits.append(self.path)
            if self.path.startswith("/slow"):
                time.sleep(1.5)
            status, headers, body = site.routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (timeout, size cap)
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _serve(site: Site, tls: ssl.SSLContext | None = None) -> Iterator[Site]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    site.base = f"{'https' if tls else 'http'}://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    yield from _serve(Site())


# --- HttpFetcher: status lists, hosted OB2 assertions, https documents ------------
def test_fetcher_refuses_loopback_by_default(site: Site) -> None:
    url = site.json("/list", {"ok": True})
    with pytest.raises(AddressNotAllowed) as info:
        HttpFetcher()(url)
    assert info.value.code == "ADDRESS_NOT_ALLOWED" and "127.0.0.1" in info.value.message
    assert site.hits == [], "the refused request must never reach the server"
    assert HttpFetcher(block_private=False)(url) == {"ok": True}
    assert site.hits == ["/list"]


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "10.0.0.1", "192.168.1.1", "169.254.169.254", "[::1]", "0.0.0.0"],
)
def test_fetcher_refuses_private_and_link_local_hosts(host: str) -> None:
    """Refused before any connection: these addresses are never contacted."""
    with pytest.raises(AddressNotAllowed):
        HttpFetcher(timeout=0.5)(f"http://{host}/latest/meta-data/")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://x/"])
def test_fetcher_only_speaks_http(url: str) -> None:
    with pytest.raises(NetworkError, match="only http"):
        HttpFetcher(block_private=False)(url)


def test_fetcher_limits_redirects(site: Site) -> None:
    site.json("/end", {"end": True})
    for hop in range(1, 6):
        site.redirect(f"/hop{hop}", "/end" if hop == 5 else f"/hop{hop + 1}")
    fetch = HttpFetcher(block_private=False)
    assert fetch(site.base + "/hop3") == {"end": True}  # 3 redirects: the limit
    with pytest.raises(NetworkError, match="redirects"):
        fetch(site.base + "/hop2")  # 4 redirects
    assert "/end" in site.hits


def test_fetcher_rechecks_every_redirect_hop(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A public URL redirecting to a private address is refused at the private hop.

    ``localhost`` plays the public host here: the per-hop address check is
    patched to call only 127.0.0.1 private, so the first hop is allowed and the
    redirect's target must be checked again on its own. A plain httpx transport
    is injected (the test hook), since the guarded one would refuse the
    loopback address of ``localhost`` at connect time, as it should.
    """
    from microcred_vc.net import fetch

    monkeypatch.setattr(fetch, "_address_is_public", lambda host: host != "127.0.0.1")
    site.json("/secret", {"secret": True})
    public = site.base.replace("127.0.0.1", "localhost")
    site.redirect("/innocent", site.base + "/secret")
    with pytest.raises(AddressNotAllowed, match="127.0.0.1"):
        HttpFetcher(transport=httpx.HTTPTransport())(public + "/innocent")
    assert site.hits == ["/innocent"]


def test_fetcher_caps_size(site: Site) -> None:
    site.routes["/big"] = (200, {}, b"[" + b"0," * 60_000 + b"0]")
    with pytest.raises(InputTooLarge):
        HttpFetcher(block_private=False, max_bytes=50_000)(site.base + "/big")
    assert len(HttpFetcher(block_private=False)(site.base + "/big")) == 60_001


def test_fetcher_times_out(site: Site) -> None:
    site.json("/slow", {"late": True})
    with pytest.raises(NetworkError, match="could not be fetched"):
        HttpFetcher(block_private=False, timeout=0.3)(site.base + "/slow")


# --- end to end through verify() -------------------------------------------------
def _hosted_ob2(site: Site) -> dict[str, Any]:
    """An OB2 hosted assertion whose issuer, badge and assertion live on ``site``."""
    issuer = site.json(
        "/issuer",
        {
            "@context": OB2,
            "type": "Issuer",
            "id": site.base + "/issuer",
            "name": "Local",
            "url": site.base,
            "email": "a@example.org",
        },
    )
    badge = site.json(
        "/badge",
        {
            "@context": OB2,
            "type": "BadgeClass",
            "id": site.base + "/badge",
            "name": "B",
            "description": "D",
            "criteria": {"narrative": "Do it."},
            "issuer": issuer,
        },
    )
    assertion = {
        "@context": OB2,
        "type": "Assertion",
        "id": site.base + "/assertion",
        "recipient": {"type": "email", "hashed": False, "identity": "learner@example.org"},
        "issuedOn": "2024-05-01T10:00:00Z",
        "badge": badge,
        "verification": {"type": "HostedBadge"},
    }
    site.json("/assertion", assertion)
    return assertion


def test_verify_hosted_ob2_on_loopback_is_refused_then_works_when_allowed(site: Site) -> None:
    assertion = _hosted_ob2(site)
    report = verify(assertion, fetch=HttpFetcher())
    assert not report.verified
    # ob2_read re-wraps the fetch error as NETWORK_ERROR; the sentence keeps the reason
    assert any("private, loopback" in c.message for c in report.checks if c.failed), (
        report.to_dict()
    )
    assert site.hits == []
    opened = verify(assertion, fetch=HttpFetcher(block_private=False))
    assert opened.verified, opened.errors
    assert "/assertion" in site.hits


def test_verify_status_list_on_loopback_is_refused(site: Site) -> None:
    key = generate_key("Ed25519")
    credential = ob3_credential()
    credential["credentialStatus"] = {
        "id": site.base + "/status#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": site.base + "/status",
    }
    site.json("/status", {"not": "a status list"})
    loader = fixture_loader()
    from microcred_vc import issue

    signed = issue(issued_by(credential, key), key, loader=loader)
    report = verify(signed, loader=loader, fetch=HttpFetcher())
    status = report.check("status")
    assert status is not None and status.failed, report.to_dict()
    assert "127.0.0.1" in status.message and "private" in status.message
    assert site.hits == []
    opened = verify(signed, loader=loader, fetch=HttpFetcher(block_private=False))
    assert site.hits == ["/status"]  # reached: it is the protection that refused
    assert opened.check("status").failed  # and the junk it served is still refused


def test_verify_remote_context_on_loopback_is_refused(site: Site) -> None:
    ctx_url = site.json("/ctx", {"@context": {"motto": "https://schema.org/slogan"}})
    credential = ob3_credential()
    credential["@context"].append(ctx_url)
    credential["motto"] = "local"
    blocked = DocumentLoader(
        extra_dirs=_fixture_dirs(), allow_remote=True, allowed_prefixes=[site.base]
    )
    report = verify(credential, loader=blocked)
    context = report.check("context")
    assert context is not None and context.failed and context.code == "ADDRESS_NOT_ALLOWED"
    assert site.hits == []
    opened = DocumentLoader(
        extra_dirs=_fixture_dirs(),
        allow_remote=True,
        allowed_prefixes=[site.base],
        block_private=False,
    )
    report = verify(credential, loader=opened)
    assert report.check("context").passed, report.to_dict()
    assert site.hits == ["/ctx"]
    assert not report.verified  # unsigned: loading its context proves nothing about it


def _fixture_dirs() -> list[Path]:
    from tests.fixture_paths import FIXTURES

    return [FIXTURES / "contexts"]


def test_remote_context_redirect_to_another_prefix_is_refused(site: Site) -> None:
    site.json("/other/ctx", {"@context": {"x": "https://schema.org/x"}})
    site.redirect("/allowed/ctx", site.base + "/other/ctx")
    loader = DocumentLoader(
        allow_remote=True, allowed_prefixes=[site.base + "/allowed/"], block_private=False
    )
    with pytest.raises(MicrocredError, match="allowed URL prefix"):
        loader.load(site.base + "/allowed/ctx")
    assert site.hits == ["/allowed/ctx"]


# --- did:web and https verification methods ---------------------------------------
@dataclass
class Tls:
    server: ssl.SSLContext
    ca_file: Path

    def client(self) -> httpx.HTTPTransport:
        return httpx.HTTPTransport(verify=ssl.create_default_context(cafile=str(self.ca_file)))


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    """A self-signed certificate for 127.0.0.1 (did:web is https only)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return Tls(context, cert_file)


@pytest.fixture
def tls_site(tls: Tls) -> Iterator[Site]:
    yield from _serve(Site(), tls.server)


def _did_web(site: Site) -> tuple[str, KeyPair]:
    """A did:web on the local TLS site, with a key it lists for assertionMethod."""
    port = site.base.rsplit(":", 1)[1]
    did = f"did:web:127.0.0.1%3A{port}"
    key = KeyPair.from_multikey(
        generate_key("Ed25519").to_multikey(include_secret=True), controller=did
    )
    vm = key.verification_method
    site.json(
        "/.well-known/did.json",
        {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": did,
            "verificationMethod": [
                {
                    "id": vm,
                    "type": "Multikey",
                    "controller": did,
                    "publicKeyMultibase": key.public.multibase,
                }
            ],
            "assertionMethod": [vm],
        },
    )
    return did, key


def test_did_web_needs_the_network_opt_in(tls_site: Site) -> None:
    _, key = _did_web(tls_site)
    with pytest.raises(NetworkDisabled):
        Resolver().resolve(key.verification_method)
    assert tls_site.hits == []


def test_did_web_resolves_with_the_network_on(tls_site: Site, tls: Tls) -> None:
    """What exists today: did:web over TLS with network opt-in, end to end through verify."""
    did, key = _did_web(tls_site)
    resolver = Resolver(allow_network=True, block_private=False, transport=tls.client())
    method = resolver.resolve(key.verification_method)
    assert method.controller == did and method.allows("assertionMethod")
    loader = fixture_loader()
    from microcred_vc import issue

    signed = issue(issued_by(ob3_credential(), key), key, loader=loader)
    assert verify(signed, loader=loader, resolver=resolver).verified


def test_did_web_size_cap_and_redirects(tls_site: Site, tls: Tls) -> None:
    did, _ = _did_web(tls_site)
    tls_site.routes["/.well-known/did.json"] = (200, {}, b"{" + b" " * 300_000 + b"}")
    with pytest.raises(NetworkError, match="larger than"):
        Resolver(allow_network=True, block_private=False, transport=tls.client()).resolve(
            did + "#key-1"
        )
    tls_site.redirect("/.well-known/did.json", "https://169.254.169.254/latest/meta-data/")
    with pytest.raises(NetworkError):
        Resolver(allow_network=True, block_private=False, transport=tls.client()).resolve(
            did + "#key-1"
        )
    assert tls_site.hits == ["/.well-known/did.json"] * 2


def test_did_web_times_out_and_http_errors(tls_site: Site, tls: Tls) -> None:
    port = tls_site.base.rsplit(":", 1)[1]
    tls_site.json("/slow/did.json", {})
    resolver = Resolver(
        allow_network=True, block_private=False, timeout=0.3, transport=tls.client()
    )
    with pytest.raises(NetworkError, match="could not be fetched"):
        resolver.resolve(f"did:web:127.0.0.1%3A{port}:slow")
    with pytest.raises(NetworkError, match="404"):
        resolver.resolve(f"did:web:127.0.0.1%3A{port}:missing")


def test_did_web_refuses_loopback_by_default(tls_site: Site, tls: Tls) -> None:
    did, _ = _did_web(tls_site)
    with pytest.raises(AddressNotAllowed):
        Resolver(allow_network=True, transport=tls.client()).resolve(did + "#key-1")
    assert tls_site.hits == []


def test_https_controller_document_on_loopback_is_refused(tls_site: Site, tls: Tls) -> None:
    url = tls_site.base + "/issuer"
    tls_site.json("/issuer", {"id": url, "verificationMethod": []})
    with pytest.raises(AddressNotAllowed):
        Resolver(allow_network=True, transport=tls.client()).resolve(url + "#key-1")


def test_verify_never_fetches_did_web_unless_asked(tls_site: Site) -> None:
    """The default verify() is offline: a did:web issuer is a failed proof, not a request."""
    _, key = _did_web(tls_site)
    loader = fixture_loader()
    from microcred_vc import issue

    signed = issue(issued_by(ob3_credential(), key), key, loader=loader)
    report = verify(signed, loader=loader)
    assert not report.verified
    proof = report.check("proof")
    assert proof is not None and proof.failed and "network" in proof.message, proof
    token = sign_jwt_for(key)
    assert not verify(token).verified
    assert tls_site.hits == []


def sign_jwt_for(key: KeyPair) -> str:
    from microcred_vc.jose import sign_jwt

    credential = ob3_credential()
    credential["issuer"]["id"] = key.did
    return sign_jwt(credential, key)
