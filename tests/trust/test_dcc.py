"""The DCC issuer-registry reader (microcred_vc/trust/dcc.py).

Oracle: the registry format the Digital Credentials Consortium publishes and
its client reads (digitalcredentials/issuer-registry-client: a ``registry`` map
from issuer DID to ``{name, url, location}``; a DID present as a key is a known
issuer, its ``name`` is shown). The sample file tests/trust/data/dcc-registry.json
was written for these tests in that shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred_vc.errors import TrustRegistryInvalid
from microcred_vc.trust import DccRegistry, load_trust_registry

DATA = Path(__file__).parent / "data"


def test_listed_did_is_vouched_with_its_name() -> None:
    registry = load_trust_registry(DATA / "dcc-registry.json", name="DCC test registry")
    assert isinstance(registry, DccRegistry)
    answer = registry.lookup("did:web:registrar.uni.example")
    assert answer.vouched
    assert answer.registry == "DCC test registry"
    assert answer.name == "University of Example (test registry)"
    assert answer.entry["url"] == "https://uni.example"


def test_did_web_host_is_case_insensitive_but_other_dids_exact() -> None:
    registry = load_trust_registry(DATA / "dcc-registry.json")
    assert registry.lookup("did:web:REGISTRAR.uni.example").vouched
    key = "did:key:z6MkTestOnlyIssuerNotARealKeyForTrustRegistryTests1"
    assert registry.lookup(key).vouched
    assert not registry.lookup(key.upper().replace("DID:KEY:", "did:key:")).vouched


@pytest.mark.parametrize(
    "issuer",
    [
        "did:web:uni.example",  # the listed DID's parent domain is another DID
        "did:web:registrar.uni.example.evil.com",
        "did:web:registrar.uni.example:sub",
        "https://uni.example",  # the entry's url is not the issuer's id
    ],
)
def test_unlisted_issuers_are_not_vouched(issuer: str) -> None:
    answer = load_trust_registry(DATA / "dcc-registry.json").lookup(issuer)
    assert answer.status == "not-listed"


def test_entries_map_of_the_older_form_is_read() -> None:
    doc = {
        "meta": {"created": "2020-12-02T02:32:16+0000"},
        "entries": {"did:web:a.example": {"name": "A"}},
    }
    assert DccRegistry(doc).lookup("did:web:a.example").name == "A"


@pytest.mark.parametrize(
    "doc",
    [
        {"registry": {"https://not-a-did.example": {"name": "x"}}},
        {"registry": {"did:web:a.example": "not an object"}},
        {"registry": []},
    ],
)
def test_malformed_registry_is_refused(doc) -> None:
    with pytest.raises(TrustRegistryInvalid):
        DccRegistry(doc)
