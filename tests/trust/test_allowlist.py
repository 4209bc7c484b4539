"""Allow-list matching resists URL tricks (microcred_vc/trust/allowlist.py, identifiers.py).

Oracle: RFC 3986 authority parsing and DNS name equivalence (RFC 4343 case
insensitivity, the root label's trailing dot, IDNA A-labels per UTS #46), and
the did:web method specification (the host segment's only escape is ``%3A``
before a port). Each attack names an issuer whose real host is *not* the listed
one, so the property is: an issuer matches a domain entry exactly when the
host that serves it (and its port) is that domain. The positive cases are the
same host written differently, which must match.
"""

from __future__ import annotations

import pytest

from microcred_vc.errors import TrustRegistryInvalid
from microcred_vc.trust import AllowList

DOMAIN = AllowList(["uni.example"], name="test list")

ATTACKS = {
    "query carries the name": "https://evil.example/?u=uni.example",
    "path carries the name": "https://evil.example/uni.example",
    "fragment carries the name": "https://evil.example/#uni.example",
    "listed name as a subdomain": "https://uni.example.evil.com/issuer",
    "did:web listed name as a subdomain": "did:web:uni.example.evil.com",
    "suffix without a dot": "https://eviluni.example/",
    "userinfo before the real host": "https://uni.example@evil.com/",
    "userinfo with port": "https://uni.example:443@evil.com/",
    "backslash userinfo": "https://uni.example\\@evil.com/",
    "userinfo even with the listed host": "https://evil@uni.example/",
    "percent-encoded dot in host": "https://uni%2Eexample/",
    "did:web %3A not a port": "did:web:evil.com%3Auni.example",
    "did:web %3A with a host behind": "did:web:uni.example%3A443.evil.com",
    "did:web other escape": "did:web:uni%2Eexample",
    "did:web on another port": "did:web:uni.example%3A8443",
    "https on another port": "https://uni.example:8443/",
    "plain http (nothing authenticates the host)": "http://uni.example/",
    "homograph with Cyrillic a": "https://uni.ex\u0430mple/",
    "homograph as its A-label": "https://xn--uni-exmple-8bk.example/",
    "parent of the listed domain": "https://example/",
    "subdomain of the listed domain": "https://www.uni.example/",
    "javascript scheme": "javascript://uni.example/",
    "two trailing dots": "https://uni.example../",
}

SAME_HOST = {
    "upper case": "https://UNI.EXAMPLE/issuer",
    "mixed-case did:web": "did:web:Uni.Example",
    "trailing dot": "https://uni.example./",
    "did:web trailing dot": "did:web:uni.example.",
    "explicit default port": "https://uni.example:443/",
    "did:web explicit default port": "did:web:uni.example%3A443",
    "did:web with a path": "did:web:uni.example:issuers:1",
    "scheme in upper case": "HTTPS://uni.example/",
}


@pytest.mark.parametrize("issuer", ATTACKS.values(), ids=ATTACKS.keys())
def test_domain_entry_refuses_url_tricks(issuer: str) -> None:
    answer = DOMAIN.lookup(issuer)
    assert answer.status == "not-listed", answer


@pytest.mark.parametrize("issuer", SAME_HOST.values(), ids=SAME_HOST.keys())
def test_domain_entry_matches_the_same_host_however_written(issuer: str) -> None:
    answer = DOMAIN.lookup(issuer)
    assert answer.vouched, answer
    assert answer.registry == "test list"


def test_idn_entry_matches_its_a_label_and_back() -> None:
    """München: the U-label and the A-label (xn--mnchen-3ya) are one DNS name."""
    assert AllowList(["münchen.example"]).lookup("https://xn--mnchen-3ya.example/").vouched
    assert AllowList(["XN--MNCHEN-3YA.example"]).lookup("did:web:münchen.example").vouched
    assert not AllowList(["münchen.example"]).lookup("https://munchen.example/").vouched


def test_port_entry_vouches_for_that_port_only() -> None:
    listed = AllowList(["uni.example:8443"])
    assert listed.lookup("did:web:uni.example%3A8443").vouched
    assert listed.lookup("https://uni.example:8443/i").vouched
    assert not listed.lookup("did:web:uni.example").vouched


def test_did_entry_is_that_did_only() -> None:
    listed = AllowList([("did:web:micro.uni.example", "University of Example")])
    answer = listed.lookup("did:web:MICRO.uni.example")
    assert answer.vouched and answer.name == "University of Example"
    assert not listed.lookup("did:web:micro.uni.example:other").vouched  # another DID document
    assert not listed.lookup("did:web:uni.example").vouched
    key = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    assert AllowList([key]).lookup(key).vouched
    assert not AllowList([key]).lookup(key.lower()).vouched  # did:key ids are case-sensitive


def test_url_entry_is_that_url_only() -> None:
    listed = AllowList(["https://badges.college.example/issuers/7"])
    assert listed.lookup("https://BADGES.college.example/issuers/7").vouched
    assert not listed.lookup("https://badges.college.example/issuers/70").vouched
    assert not listed.lookup("https://badges.college.example/issuers/7?x=1").vouched
    assert not listed.lookup("https://badges.college.example/").vouched
    assert not listed.lookup("https://badges.college.example@evil.com/issuers/7").vouched


@pytest.mark.parametrize(
    "entry",
    [
        "https://user@uni.example/",
        "uni example",
        "uni..example",
        "did:web:evil.com%3Auni",
        "-bad-.example",
        "%75ni.example",
        "did:",
        "",
    ],
)
def test_unmatchable_entries_are_refused_when_read(entry: str) -> None:
    with pytest.raises(TrustRegistryInvalid) as info:
        AllowList.from_text(f"uni.example\n{entry}\n" if entry else "# nothing\n")
    assert info.value.code == "TRUST_REGISTRY_INVALID"


def test_text_lines_carry_display_names_and_comments(tmp_path) -> None:
    text = "# comment\n\ndid:web:micro.uni.example\tUniversity of Example\nuni.example\n"
    listed = AllowList.from_text(text, "mine")
    assert listed.lookup("did:web:micro.uni.example").name == "University of Example"
    assert listed.lookup("https://uni.example/").name is None
    assert len(listed.entries) == 2
