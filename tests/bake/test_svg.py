"""SVG baking: round trips, artwork preserved, namespaces, and hostile XML."""

from __future__ import annotations

import defusedxml.ElementTree as safe_et
import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc.bake import OB2_NAMESPACE, OB3_NAMESPACE, bake_svg, read_badge, unbake
from microcred_vc.errors import BakeError, UnbakeError
from tests.bake.test_png import credentials, jwts

CRED = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "urn:uuid:1",
    "name": "a ]]> b <&>",
}


@given(cred=credentials, version=st.sampled_from(["ob3", "ob2"]))
def test_round_trip_random_credentials(plain_svg: bytes, cred: dict, version: str) -> None:
    baked = bake_svg(plain_svg, cred, version=version)
    badge = read_badge(baked)
    assert (badge.payload, badge.version, badge.image_type) == (cred, version, "svg")
    safe_et.fromstring(baked)


@given(token=jwts, version=st.sampled_from(["ob3", "ob2"]))
def test_round_trip_jwt_strings(plain_svg: bytes, token: str, version: str) -> None:
    baked = bake_svg(plain_svg.decode(), token, version=version)
    assert unbake(baked) == token


def test_ob3_layout_follows_the_spec(plain_svg: bytes) -> None:
    baked = bake_svg(plain_svg, CRED)
    root = safe_et.fromstring(baked)
    first = root[0]
    assert first.tag == f"{{{OB3_NAMESPACE}}}credential"
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked.split(b">", 4)[3]
    assert b"<![CDATA[" in baked
    token = "eyJhbGciOiJFZERTQSJ9.eyJAY29udGV4dCI6W119.AAAA"
    jwt_root = safe_et.fromstring(bake_svg(plain_svg, token))
    assert jwt_root[0].get("verify") == token
    assert (jwt_root[0].text or "") == ""


def test_artwork_doctype_and_comments_survive(plain_svg: bytes) -> None:
    baked = bake_svg(plain_svg, CRED)
    assert baked.startswith(plain_svg.split(b"<svg")[0])  # declaration, DOCTYPE, comment
    assert b'<circle cx="5" cy="5" r="4"/>' in baked
    assert b'data-x="a>b"' in baked


def test_rebake_replaces_and_is_idempotent(plain_svg: bytes) -> None:
    once = bake_svg(plain_svg, {"n": 1}, version="ob2")
    twice = bake_svg(once, {"n": 2})
    root = safe_et.fromstring(twice)
    assert [el.tag for el in root.iter() if "openbadges" in el.tag or "ob/v3p0" in el.tag] == [
        f"{{{OB3_NAMESPACE}}}credential"
    ]
    assert unbake(twice) == {"n": 2}
    assert bake_svg(twice, {"n": 2}) == twice


def test_ob2_hosted_assertion_carries_verify_url(plain_svg: bytes) -> None:
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "id": "https://example.org/a.json",
        "type": "Assertion",
    }
    baked = bake_svg(plain_svg, assertion, version="ob2")
    element = safe_et.fromstring(baked)[0]
    assert element.tag == f"{{{OB2_NAMESPACE}}}assertion"
    assert element.get("verify") == "https://example.org/a.json"
    assert unbake(baked) == assertion  # the body wins over the hosted URL
    url_only = bake_svg(plain_svg, "https://example.org/a.json?x=1&y=2", version="ob2")
    assert unbake(url_only) == "https://example.org/a.json?x=1&y=2"


def test_self_closing_root_and_prefixed_root() -> None:
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg" width="1"/>', {"a": 1})
    assert unbake(baked) == {"a": 1}
    prefixed = '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:g/></s:svg>'
    assert unbake(bake_svg(prefixed, {"b": 2})) == {"b": 2}


def test_conflicting_prefix_declared_locally() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        '<openbadges:assertion verify="https://a.example/c"/></svg>'
    )
    baked = bake_svg(svg, {"x": 1})
    assert b'<openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">' in baked
    assert read_badge(baked).version == "ob3"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&c;</text></svg>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">
<openbadges:credential>&x;</openbadges:credential></svg>"""


@pytest.mark.parametrize(
    "svg", [BILLION_LAUGHS, EXTERNAL], ids=["entity-expansion", "external-entity"]
)
def test_entities_refused(svg: str) -> None:
    with pytest.raises(BakeError, match="safety"):
        bake_svg(svg, {"a": 1})
    with pytest.raises(UnbakeError, match="safety"):
        unbake(svg.encode())


@pytest.mark.parametrize(
    ("svg", "error", "match"),
    [
        ("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", BakeError, "well-formed"),
        ("<html><body/></html>", BakeError, "not an SVG"),
        ("\ufeff".encode("utf-16"), BakeError, "UTF-16"),
    ],
    ids=["malformed", "not-svg", "utf16"],
)
def test_bad_svg_refused(svg, error, match) -> None:
    with pytest.raises(error, match=match):
        bake_svg(svg, {"a": 1})


def test_unbake_errors() -> None:
    ns = 'xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"'
    with pytest.raises(UnbakeError, match="no openbadges"):
        unbake(f"<svg {ns}/>".encode())
    two = f"<svg {ns}><openbadges:credential verify='a.b.c'/><openbadges:credential>{{}}</openbadges:credential></svg>"
    with pytest.raises(UnbakeError, match="2 badge elements"):
        unbake(two.encode())
    with pytest.raises(UnbakeError, match="empty"):
        unbake(f"<svg {ns}><openbadges:credential/></svg>".encode())
    with pytest.raises(UnbakeError, match="neither JSON"):
        unbake(f"<svg {ns}><openbadges:credential>hello</openbadges:credential></svg>".encode())


def test_unbake_refuses_xml_that_is_not_svg() -> None:
    with pytest.raises(UnbakeError, match="not an SVG"):
        unbake(b"<?xml version='1.0'?><html/>")


def test_utf8_bom_svg_is_read(plain_svg: bytes) -> None:
    baked = bake_svg(b"\xef\xbb\xbf" + plain_svg, {"bom": True})
    assert unbake(baked) == {"bom": True}
