"""The offline world the shared fixtures describe: every signed file, and what it refers to.

``signed_fixtures()`` lists every file under ``../shared/fixtures`` (contexts
aside) that carries a Data Integrity proof, is a sealed EDC (JAdES), is a compact
JWT/JWS, is a PNG/SVG image with a badge baked in, or is XML with an XML-DSig
signature (EDCI 1.x). ``world_for(path)`` gives
the resolver and fetch that serve the fixtures' own documents to it:

- a controller document for each https, urn or did:web verification method whose
  fragment *is* the public key (``…#z6Mk…``): the document such a URL serves,
  as the 1EdTech validator builds it from the same fragment; methods whose key
  is elsewhere (``#key-1``) get nothing, and fail for it;
- every JSON document of the fixtures by its http(s) ``id`` (status lists, OB 2.0
  badge classes and issuers), the one in the file's own folder first (several
  lists share ``…/status/3``);
- a URL whose last segment names a file in the file's own folder (the 1EdTech
  validator's credentials point at ``…/bit-string-list/testlist`` on GitHub,
  which is the ``testlist`` beside them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from microcred_vc.keys import Resolver
from tests.fixture_paths import FIXTURES

_JWT = re.compile(r"^ey[\w-]+\.[\w-]+\.[\w-]*$")
_KEY_FRAGMENT = re.compile(r"^z(6Mk|Dn|82|UC7)\w+$")
#: an XML-DSig/XAdES signature element (EDCI 1.x XML credentials), not just its namespace
_XML_SIGNATURE = re.compile(rb"<(\w+:)?Signature[\s>]")


def _files() -> Iterator[Path]:
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.relative_to(FIXTURES).parts[0] != "contexts":
            yield path


def _read(path: Path) -> Any:
    """The parsed JSON, the token text, or the raw bytes of an image; None otherwise."""
    if path.suffix.lower() in (".png", ".svg", ".xml"):
        return path.read_bytes()
    try:
        text = path.read_text("utf-8").lstrip("\ufeff").strip()
    except (UnicodeDecodeError, OSError):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text if _JWT.match(text) else None


def _kind(value: Any) -> str | None:
    if isinstance(value, bytes):
        from microcred_vc.bake import unbake
        from microcred_vc.errors import MicrocredError

        try:
            unbake(value)
        except MicrocredError:
            return "xml-signed" if _XML_SIGNATURE.search(value) else None
        return "baked"
    if isinstance(value, str):
        return "jwt"
    if isinstance(value, dict) and "proof" in value:
        return "proof"
    if isinstance(value, dict) and "payload" in value and "signatures" in value:
        return "sealed"
    return None


@cache
def signed_fixtures() -> dict[str, str]:
    """Relative path -> kind (proof, sealed, jwt, baked) for every signed fixture."""
    out = {}
    for path in _files():
        kind = _kind(_read(path))
        if kind:
            out[str(path.relative_to(FIXTURES))] = kind
    return out


def read_fixture(name: str) -> Any:
    return _read(FIXTURES / name)


def _methods(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        vm = value.get("verificationMethod")
        if isinstance(vm, str):
            yield vm
        for item in value.values():
            yield from _methods(item)
    elif isinstance(value, list):
        for item in value:
            yield from _methods(item)


def _controller(vm: str) -> dict[str, Any]:
    base, _, fragment = vm.partition("#")
    method = {"id": vm, "type": "Multikey", "controller": base, "publicKeyMultibase": fragment}
    return {
        "id": base,
        "verificationMethod": [method],
        "assertionMethod": [vm],
        "authentication": [vm],
    }


@cache
def _hosted() -> tuple[tuple[Path, dict[str, Any]], ...]:
    """Every fixture JSON object with an http(s) id: what that URL would serve."""
    found = []
    for path in _files():
        if path.suffix.lower() in (".png", ".svg"):
            continue
        doc = _read(path)
        if isinstance(doc, dict) and str(doc.get("id", "")).startswith(("https://", "http://")):
            found.append((path, doc))
    return tuple(found)


def world_for(name: str) -> tuple[Resolver, Callable[[str], Any]]:
    """The resolver and fetch serving what ``name`` refers to, from the fixtures only."""
    path = FIXTURES / name
    value = _read(path)
    if isinstance(value, bytes | str):
        from microcred_vc.bake import unbake
        from microcred_vc.jose import decode_unverified

        try:
            value = unbake(value) if isinstance(value, bytes) else value
            if isinstance(value, str):
                value = decode_unverified(value).credential
        except Exception:  # the verdict is the test's business, not the world's
            value = None
    resolver = Resolver()
    for vm in set(_methods(value)):
        base, _, fragment = vm.partition("#")
        served = base.split(":", 1)[0] in ("https", "http", "urn") or base.startswith("did:web:")
        if served and _KEY_FRAGMENT.match(fragment):
            resolver.add_document(_controller(vm))
    hosted = sorted(_hosted(), key=lambda item: item[0].parent != path.parent)

    def fetch(url: str) -> Any:
        for _, doc in hosted:
            if doc["id"] == url:
                return doc
        sibling = path.parent / url.rstrip("/").rsplit("/", 1)[-1]
        if url.startswith("https://") and sibling.is_file() and sibling != path:
            return _read(sibling)
        raise LookupError(f"{url} is not among the fixtures")

    return resolver, fetch
