"""The document loader: offline by default, allow-listed and guarded when remote."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from microcred_vc.errors import (
    AddressNotAllowed,
    ContextLoadError,
    ContextNotAllowed,
    InputTooLarge,
    NetworkError,
)
from microcred_vc.jsonld.loader import DocumentLoader, contexts_dir, default_loader

CTX = {"@context": {"name": "https://schema.org/name"}}


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    _Handler.routes = {
        "/ctx": (200, {"Content-Type": "application/ld+json"}, json.dumps(CTX).encode()),
        "/big": (200, {}, b'{"@context": {"a": "' + b"x" * 50_000 + b'"}}'),
        "/notjson": (200, {}, b"<html>"),
        "/hop1": (302, {"Location": "/hop2"}, b""),
        "/hop2": (302, {"Location": "/hop3"}, b""),
        "/hop3": (302, {"Location": "/hop4"}, b""),
        "/hop4": (302, {"Location": "/ctx"}, b""),
        "/redir-ok": (302, {"Location": "/ctx"}, b""),
    }
    yield base
    httpd.shutdown()


def test_builtin_index_is_served_offline() -> None:
    index = json.loads((contexts_dir() / "index.json").read_text())
    assert index, "contexts/index.json lists the contexts the library ships"
    url = "https://www.w3.org/ns/credentials/v2"
    doc = default_loader()(url)
    assert doc["documentUrl"] == url
    assert "@context" in doc["document"]


def test_unknown_context_is_refused_naming_the_url() -> None:
    with pytest.raises(ContextNotAllowed) as info:
        DocumentLoader().load("https://evil.example/context")
    assert info.value.code == "CONTEXT_NOT_ALLOWED"
    assert "https://evil.example/context" in info.value.message


def test_documents_are_private_copies() -> None:
    loader = DocumentLoader(documents={"https://x.example/c": CTX})
    first = loader.load("https://x.example/c")
    first["@context"]["name"] = "https://evil.example/"
    assert loader.load("https://x.example/c") == CTX


def test_extra_folder_with_index(tmp_path: Path) -> None:
    (tmp_path / "mine.jsonld").write_text(json.dumps(CTX))
    (tmp_path / "index.json").write_text(json.dumps({"https://mine.example/v1": "mine.jsonld"}))
    loader = DocumentLoader([tmp_path])
    assert loader.load("https://mine.example/v1") == CTX
    assert "https://mine.example/v1" in loader.known_urls()


def test_folder_without_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ContextLoadError, match="no index.json"):
        DocumentLoader([tmp_path])


def test_remote_refused_unless_prefix_allowed(server: str) -> None:
    loader = DocumentLoader(allow_remote=True, allowed_prefixes=["https://only.example/"])
    with pytest.raises(ContextNotAllowed, match="allowed URL prefix"):
        loader.load(server + "/ctx")


def test_remote_loopback_blocked_by_default(server: str) -> None:
    loader = DocumentLoader(allow_remote=True, allowed_prefixes=[server])
    with pytest.raises(AddressNotAllowed) as info:
        loader.load(server + "/ctx")
    assert info.value.code == "ADDRESS_NOT_ALLOWED"


def test_remote_loads_and_caches_when_opted_in(server: str) -> None:
    loader = DocumentLoader(allow_remote=True, allowed_prefixes=[server], block_private=False)
    assert loader.load(server + "/ctx") == CTX
    _Handler.routes["/ctx-once"] = (200, {}, json.dumps(CTX).encode())
    assert loader.load(server + "/ctx-once") == CTX
    del _Handler.routes["/ctx-once"]
    assert loader.load(server + "/ctx-once") == CTX  # served from the cache


def test_remote_size_cap(server: str) -> None:
    loader = DocumentLoader(
        allow_remote=True, allowed_prefixes=[server], block_private=False, max_bytes=10_000
    )
    with pytest.raises(InputTooLarge):
        loader.load(server + "/big")


def test_remote_not_json_and_http_errors(server: str) -> None:
    loader = DocumentLoader(allow_remote=True, allowed_prefixes=[server], block_private=False)
    with pytest.raises(ContextLoadError, match="not valid JSON"):
        loader.load(server + "/notjson")
    with pytest.raises(ContextLoadError, match="HTTP 404"):
        loader.load(server + "/missing")


def test_remote_redirects_limited(server: str) -> None:
    loader = DocumentLoader(allow_remote=True, allowed_prefixes=[server], block_private=False)
    assert loader.load(server + "/redir-ok") == CTX
    with pytest.raises(NetworkError, match="redirects"):
        loader.load(server + "/hop1")


def test_remote_timeout_is_a_network_error() -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)  # accepts the TCP connection but never answers
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    loader = DocumentLoader(
        allow_remote=True, allowed_prefixes=[url], block_private=False, timeout=0.5
    )
    try:
        with pytest.raises(NetworkError):
            loader.load(url + "/slow")
    finally:
        sock.close()
