"""The offline web the 1EdTech OB2 validator fixtures assume, and tests of it.

The validator's OB20 tests map ``https://www.example.org/``, ``https://example.org/``
and ``http://example.org/`` onto ``ob20/assets`` (OB20Tests.setup). A hosted
assertion is, in a real deployment, served at its own ``id``; the fixture under
test plays that role (``hosting``). ``assets/openbadges_context.json`` is a
recorded HTTP response whose first line is its URL, and one fixture carries
``//`` comments, so both are read here rather than by the library, which only
accepts strict JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.fixture_paths import FIXTURES

OB2 = FIXTURES / "ob2"
OB20 = OB2 / "validator-fixtures" / "ob20"
ASSETS = OB20 / "assets"
ASSET_PREFIXES = ("https://www.example.org/", "https://example.org/", "http://example.org/")

# The extension contexts and schemas the ob20 extension fixtures point at are not
# among the reference fixtures; these stand-ins, written here, follow the OB2
# extension mechanism (a context declaring obi:validation -> JSON Schema) so the
# validation path is exercised end to end.
EXT = "https://w3id.org/openbadges/extensions/"
EXTENSION_DOCS: dict[str, Any] = {
    f"{EXT}exampleExtension/context.json": {
        "@context": {
            "obi": "https://w3id.org/openbadges#",
            "exampleProperty": "http://schema.org/text",
        },
        "obi:validation": [
            {"obi:validatesType": t, "obi:validationSchema": f"{EXT}exampleExtension/schema.json"}
            for t in ("obi:extensions/#ExampleExtension", "extensions:ExampleExtension")
        ],
    },
    f"{EXT}exampleExtension/schema.json": {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "properties": {"exampleProperty": {"type": "string"}},
        "required": ["exampleProperty"],
    },
    f"{EXT}applyLinkExtension/context.json": {
        "@context": {
            "obi": "https://w3id.org/openbadges#",
            "extensions": "https://w3id.org/openbadges/extensions#",
            "url": "extensions:applyLinkUrl",
        },
        "obi:validation": [
            {
                "obi:validatesType": "extensions:ApplyLink",
                "obi:validationSchema": f"{EXT}applyLinkExtension/schema.json",
            }
        ],
    },
    f"{EXT}applyLinkExtension/schema.json": {
        "type": "object",
        "properties": {"url": {"type": "string"}},
        "required": ["url"],
    },
}

_COMMENT = re.compile(r'//[^"\n]*$', re.MULTILINE)


class NotFound(LookupError):
    """What a 404 looks like to the library: an exception from the fetch callback."""


def read_fixture(path: Path) -> Any:
    """A fixture file as JSON, dropping trailing ``//`` comments and a recorded-URL line."""
    text = path.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    if re.match(r"^https?://\S+$", first.strip()):
        text = rest
    return json.loads(_COMMENT.sub("", text))


def recorded_url(path: Path) -> str | None:
    """The URL a recorded-response asset was served at (its first line), if any."""
    first = path.read_text(encoding="utf-8").partition("\n")[0].strip()
    return first if re.match(r"^https?://\S+$", first) else None


def make_fetch(hosting: Mapping[str, Any] | None = None) -> Callable[[str], Any]:
    """fetch(url) over the assets folder plus ``hosting`` (URL -> document served there)."""
    hosted = {**EXTENSION_DOCS, **(hosting or {})}
    recorded = {url: p for p in ASSETS.glob("*.json") if (url := recorded_url(p)) is not None}

    def fetch(url: str) -> Any:
        if url in hosted:
            return hosted[url]
        if url in recorded:
            return read_fixture(recorded[url])
        for prefix in ASSET_PREFIXES:
            if url.startswith(prefix):
                path = ASSETS / url[len(prefix) :]
                if path.is_file() and path.parent == ASSETS:
                    return path.read_bytes()
        raise NotFound(f"404 {url}")

    return fetch


def hosting_for(doc: dict[str, Any], path: Path) -> dict[str, Any]:
    """The issuer's server for a root fixture: the assertion at its id (and aliases)."""
    hosting: dict[str, Any] = {}
    if isinstance(doc.get("id"), str):
        hosting[doc["id"]] = doc
    head = path.read_text(encoding="utf-8").partition("\n")[0]
    hosting.update(dict.fromkeys(re.findall(r"(https?://\S+?)(?:\s|$)", head), doc))
    return hosting


def test_assets_are_served_under_each_example_prefix():
    fetch = make_fetch()
    for prefix in ASSET_PREFIXES:
        data = fetch(prefix + "robotics-badge.json")
        assert json.loads(data)["type"] == "BadgeClass"


def test_unknown_url_is_not_found():
    with pytest.raises(NotFound):
        make_fetch()("https://example.org/no-such-asset.json")
    with pytest.raises(NotFound):
        make_fetch()("https://example.org/../ob20/basic-assertion.json")


def test_recorded_context_response_is_served_at_its_url():
    ctx = make_fetch()("https://w3id.org/openbadges/v2")
    assert ctx["@context"]["obi"] == "https://w3id.org/openbadges#"


def test_commented_fixture_is_read_and_hosted_at_both_urls():
    path = OB20 / "redirected-validation-subject.json"
    doc = read_fixture(path)
    hosting = hosting_for(doc, path)
    assert set(hosting) == {
        "http://example.org/altbadgeurl",
        "https://example.org/beths-robotics-badge.json",
    }
