"""URL normal form and prefix matching for allow-lists (issue #16 V7).

Oracles: the worked examples of RFC 3986 section 5.4 for dot-segment removal,
a literal transcription of the RFC's buffer algorithm and Python's
``urllib.parse.urljoin`` (independent implementations) as property checks, and RFC 3986 section 6.2 for which
spellings are equivalent (case of scheme and host, default port, ``%2E``).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc.net import UrlRejected, normalise_url, url_under_prefix
from microcred_vc.net.urls import remove_dot_segments

# RFC 3986 section 5.4.1/5.4.2, base "http://a/b/c/d;p?q": reference -> result path
RFC_EXAMPLES = {
    "g": "/b/c/g",
    "./g": "/b/c/g",
    "g/": "/b/c/g/",
    "/g": "/g",
    ".": "/b/c/",
    "./": "/b/c/",
    "..": "/b/",
    "../": "/b/",
    "../g": "/b/g",
    "../..": "/",
    "../../": "/",
    "../../g": "/g",
    "../../../g": "/g",
    "../../../../g": "/g",
    "/./g": "/g",
    "/../g": "/g",
    "g.": "/b/c/g.",
    ".g": "/b/c/.g",
    "g..": "/b/c/g..",
    "..g": "/b/c/..g",
    "./../g": "/b/g",
    "./g/.": "/b/c/g/",
    "g/./h": "/b/c/g/h",
    "g/../h": "/b/c/h",
    "g;x=1/./y": "/b/c/g;x=1/y",
    "g;x=1/../y": "/b/c/y",
}


@pytest.mark.parametrize(("reference", "expected"), sorted(RFC_EXAMPLES.items()))
def test_rfc3986_dot_segment_examples(reference: str, expected: str) -> None:
    merged = reference if reference.startswith("/") else "/b/c/" + reference
    assert remove_dot_segments(merged) == expected


def _rfc_buffer_algorithm(path: str) -> str:
    """RFC 3986 section 5.2.4 transcribed step by step on string buffers (the oracle)."""
    inp, out = path, ""
    while inp:
        if inp.startswith("../"):
            inp = inp[3:]
        elif inp.startswith("./"):
            inp = inp[2:]
        elif inp.startswith("/./"):
            inp = "/" + inp[3:]
        elif inp == "/.":
            inp = "/"
        elif inp.startswith("/../") or inp == "/..":
            inp = "/" + inp[4:] if inp.startswith("/../") else "/"
            out = out[: out.rfind("/")] if "/" in out else ""
        elif inp in (".", ".."):
            inp = ""
        else:
            cut = inp.find("/", 1)
            cut = len(inp) if cut == -1 else cut
            out, inp = out + inp[:cut], inp[cut:]
    return out


segment = st.sampled_from([".", "..", "a", "b", "", "c.d", "..e"])


@given(st.lists(segment, max_size=8))
def test_dot_segments_agree_with_the_rfc_buffer_algorithm(segments: list[str]) -> None:
    path = "/" + "/".join(segments)
    assert remove_dot_segments(path) == _rfc_buffer_algorithm(path)


@given(st.lists(segment.filter(bool), max_size=8))
def test_dot_segments_agree_with_urljoin(segments: list[str]) -> None:
    """urljoin, a second implementation, agrees wherever no segment is empty.

    (It drops some empty segments the RFC keeps: ``/p/../..//.`` is ``//`` by
    the RFC's steps, ``/`` by urljoin.)
    """
    path = "/p/" + "/".join(segments)  # "/p" first: "//x" would be a network-path reference
    assert remove_dot_segments(path) == urlsplit(urljoin("http://h/", path)).path


def test_rfc_keeps_empty_segments() -> None:
    assert remove_dot_segments("/p/../..//.") == "//" == _rfc_buffer_algorithm("/p/../..//.")


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTPS://Example.ORG/a", "https://example.org/a"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/a/%2E%2e/b?q=1", "https://example.org/b?q=1"),
        ("https://[2606:4700::1111]:443/x", "https://[2606:4700::1111]/x"),
    ],
)
def test_normal_form(url: str, normal: str) -> None:
    assert str(normalise_url(url)) == normal


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org@evil.example/",
        "https://user:pw@example.org/",
        "https://example.org/a%2fb",
        "https://example.org/a%5Cb",
        "https://example.org/a\\b",
        "https://example.org:99999/",
        "ftp://example.org/",
        "https:///nohost",
    ],
)
def test_ambiguous_urls_are_rejected(url: str) -> None:
    with pytest.raises(UrlRejected):
        normalise_url(url)


@pytest.mark.parametrize(
    ("url", "prefix", "under"),
    [
        ("https://example.org:443/allowed/x", "https://EXAMPLE.org/allowed/", True),
        ("https://example.org/allowed", "https://example.org/allowed", True),
        ("https://example.org/allowed/x", "https://example.org/allowed", True),
        ("https://example.org/allowed-x", "https://example.org/allowed", False),
        ("https://example.org/allowed", "https://example.org/allowed/", False),
        ("https://example.org/allowed/../secret", "https://example.org/allowed/", False),
        ("https://example.org.evil.example/x", "https://example.org", False),
        ("https://example.org@evil.example/x", "https://example.org", False),
        ("http://example.org/allowed/x", "https://example.org/allowed/", False),
        ("https://example.org:8443/allowed/x", "https://example.org/allowed/", False),
        ("https://example.org/x", "https://example.org", True),
        ("https://example.org/ctx?v=2", "https://example.org/ctx?v=1", False),
    ],
)
def test_prefix_matching(url: str, prefix: str, under: bool) -> None:
    assert url_under_prefix(url, prefix) is under
