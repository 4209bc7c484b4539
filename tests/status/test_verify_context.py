"""Status lists judged in the credential's own verification context (issue 18 item 5).

Oracles:
- the Bitstring Status List Recommendation's validation rules: a list outside its
  validity period is refused (STATUS_LIST_EXPIRED / STATUS_LIST_NOT_YET_VALID), a list
  shorter than the minimum (131,072 entries, or what the ecosystem sets) is refused
  with STATUS_LIST_LENGTH_ERROR, and ``ttl`` (ms, default 300,000) bounds caching;
- DESIGN.md "verified answers one question": a status that was not checked is not a
  good status, unless the caller says it accepts that;
- the list's own proof: the values believed are the ones it signed (attack test).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from microcred_vc import verify
from microcred_vc.keys import generate_key
from microcred_vc.proofs import issue_document
from microcred_vc.status import (
    MIN_ENTRIES,
    Bitstring,
    StatusListCache,
    build_list_credential,
    check_status,
    make_entry,
    parse_list_credential,
)

URL = "https://status.university.example/lists/R"
INDEX = 3
S = "https://www.w3.org/ns/credentials/status#"
CREATED = "2021-01-01T00:00:00Z"


def _list(key: Any, revoked: list[int], entries: int = MIN_ENTRIES, **kw: Any) -> dict[str, Any]:
    bits = Bitstring.from_values(revoked, entries=MIN_ENTRIES)
    if entries != MIN_ENTRIES:  # a legacy list: build_list_credential refuses to make one
        unsigned = build_list_credential(URL, key.did, bits, "revocation", **kw)
        unsigned["credentialSubject"]["encodedList"] = Bitstring.from_values(
            revoked, entries=entries
        ).encode()
    else:
        unsigned = build_list_credential(URL, key.did, bits, "revocation", **kw)
    return issue_document(unsigned, key, created=CREATED)


@pytest.fixture(scope="module")
def key() -> Any:
    return generate_key("Ed25519")


@pytest.fixture(scope="module")
def vc(key: Any) -> dict[str, Any]:
    unsigned = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": key.did,
        "validFrom": "2020-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
        "credentialStatus": make_entry(URL, INDEX, "revocation"),
    }
    return issue_document(unsigned, key, created="2020-01-01T00:00:00Z")


def _status(report: Any) -> tuple[str, str | None]:
    check = report.check("status")
    return check.status, check.code


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_list_validity_is_judged_at_the_callers_now(key: Any, vc: dict[str, Any]) -> None:
    dated = _list(key, [], valid_from="2021-01-01T00:00:00Z", valid_until="2022-01-01T00:00:00Z")
    fetch = lambda _: dated  # noqa: E731
    expired = verify(vc, now=at("2023-06-01T00:00:00"), fetch=fetch)
    assert _status(expired) == ("fail", "STATUS_LIST_EXPIRED") and not expired.verified
    # before: the list's proof (created 2021) is in the future too; the list's own code says why
    early = verify(vc, now=at("2020-06-01T00:00:00"), fetch=fetch)
    assert _status(early) == ("fail", "STATUS_LIST_NOT_YET_VALID")
    inside = verify(vc, now=at("2021-06-01T00:00:00"), fetch=fetch)
    assert _status(inside) == ("pass", None) and inside.verified


def test_clock_skew_reaches_the_list(key: Any, vc: dict[str, Any]) -> None:
    dated = _list(key, [], valid_until="2022-01-01T00:00:00Z")
    now = at("2022-01-01T00:02:00")
    strict = verify(vc, now=now, fetch=lambda _: dated)
    assert _status(strict) == ("fail", "STATUS_LIST_EXPIRED")
    lenient = verify(vc, now=now, fetch=lambda _: dated, clock_skew=timedelta(minutes=5))
    assert _status(lenient) == ("pass", None)


def test_allowed_suites_reach_the_list(key: Any, vc: dict[str, Any]) -> None:
    the_list = _list(key, [])
    refused = check_status(vc, fetch=lambda _: the_list, allowed_suites={"ecdsa-rdfc-2019"})
    assert (refused.status, refused.code) == ("fail", "STATUS_VERIFICATION_ERROR")
    allowed = check_status(vc, fetch=lambda _: the_list, allowed_suites={"eddsa-rdfc-2022"})
    assert allowed.status == "pass", allowed.message


def test_minimum_length_is_the_specs_and_the_ecosystem_may_change_it(
    key: Any, vc: dict[str, Any]
) -> None:
    legacy = _list(key, [], entries=100_000)
    fetch = lambda _: legacy  # noqa: E731
    assert _status(verify(vc, fetch=fetch)) == ("fail", "STATUS_LIST_LENGTH_ERROR")
    allowed = verify(vc, fetch=fetch, status_min_entries=100_000)  # explicitly, for legacy
    assert _status(allowed) == ("pass", None)
    standard = _list(key, [])
    stricter = verify(vc, fetch=lambda _: standard, status_min_entries=2 * MIN_ENTRIES)
    assert _status(stricter) == ("fail", "STATUS_LIST_LENGTH_ERROR")
    bad = verify(vc, fetch=fetch, status_min_entries=0)
    assert _status(bad) == ("fail", "STATUS_ERROR")


def test_the_librarys_own_lists_meet_the_default_minimum(tmp_path: Any, key: Any) -> None:
    from microcred_vc.status import StatusRegistry

    with StatusRegistry(tmp_path / "s.db") as registry:
        registry.allocate("L", "revocation")
        published = registry.publish("L", key, base_url="https://s.example")
    bits = parse_list_credential(published).bitstring()
    assert bits.entries >= MIN_ENTRIES


def test_unchecked_status_is_not_verified_unless_accepted(vc: dict[str, Any]) -> None:
    unchecked = verify(vc)  # no fetch: the list cannot be retrieved
    assert _status(unchecked) == ("fail", "STATUS_UNCHECKED") and not unchecked.verified
    assert "no fetch function" in unchecked.check("status").message
    accepted = verify(vc, accept_unchecked_status=True)
    assert _status(accepted) == ("warn", "STATUS_UNCHECKED") and accepted.verified
    assert accepted.warnings and "unchecked" in accepted.warnings[0]
    off = verify(vc, status=False)  # the caller turned status off: skipped, by request
    assert _status(off) == ("skip", "STATUS_NOT_REQUESTED") and off.verified


def test_unreachable_and_unknown_purpose_are_named(key: Any, vc: dict[str, Any]) -> None:
    def down(url: str) -> Any:
        raise OSError("connection refused")

    assert _status(verify(vc, fetch=down)) == ("fail", "STATUS_RETRIEVAL_ERROR")
    odd = {"credentialStatus": {**make_entry(URL, 1, "revocation"), "statusPurpose": "x-new"}}
    odd["issuer"] = key.did
    the_list = _list(key, [])
    the_list_any = copy.deepcopy(the_list)
    check = check_status(odd, fetch=lambda _: the_list_any)
    assert check.code in ("STATUS_UNCHECKED", "STATUS_VERIFICATION_ERROR")
    assert check.status == "fail"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cache_honours_ttl_and_never_keeps_a_failed_list(key: Any, vc: dict[str, Any]) -> None:
    clock = Clock()
    cache = StatusListCache(2, clock=clock)
    the_list = _list(key, [INDEX], ttl=1000)
    calls: list[str] = []

    def fetch(url: str) -> Any:
        calls.append(url)
        return the_list

    for _ in range(3):
        assert _status(verify(vc, fetch=fetch, status_cache=cache)) == ("fail", "STATUS_REVOKED")
    assert calls == [URL]
    clock.now = 1.0  # the list's ttl (1,000 ms) has run out
    verify(vc, fetch=fetch, status_cache=cache)
    assert calls == [URL, URL]
    # without a fetch, a cached list still answers
    assert _status(verify(vc, status_cache=cache)) == ("fail", "STATUS_REVOKED")
    tampered = copy.deepcopy(the_list)
    tampered["credentialSubject"]["encodedList"] = Bitstring().encode()
    fresh = StatusListCache(2, clock=clock)
    bad = verify(vc, fetch=lambda _: tampered, status_cache=fresh)
    assert _status(bad)[0] == "fail" and len(fresh) == 0


def test_cache_is_bounded_and_defaults_to_the_specs_ttl() -> None:
    clock = Clock()
    cache = StatusListCache(2, clock=clock)
    for n in range(3):
        cache.put(f"https://s.example/{n}", {"n": n}, None)
    assert len(cache) == 2 and cache.get("https://s.example/0") is None
    clock.now = 299.0
    assert cache.get("https://s.example/2") == {"n": 2}
    clock.now = 300.0  # 300,000 ms, the Recommendation's default ttl
    assert cache.get("https://s.example/2") is None


def _aliased(signed: dict[str, Any]) -> dict[str, Any]:
    """The issuer's signed list, rewritten so the JSON ``encodedList`` is a cleared list.

    An appended context makes ``encodedList`` an alias of ``@index`` (no triple) and
    ``realList`` the status vocabulary's encodedList; the subject's type is written
    as a full IRI so the protected type-scoped context does not apply. The signed
    dataset is unchanged, so the proof still verifies.
    """
    forged = copy.deepcopy(signed)
    forged["@context"] = [
        "https://www.w3.org/ns/credentials/v2",
        {
            "encodedList": "@index",
            "statusPurpose": S + "statusPurpose",
            "realList": {"@id": S + "encodedList", "@type": "https://w3id.org/security#multibase"},
        },
    ]
    subject = forged["credentialSubject"]
    forged["credentialSubject"] = {
        "id": subject["id"],
        "type": S + "BitstringStatusList",
        "statusPurpose": "revocation",
        "realList": subject["encodedList"],
        "encodedList": Bitstring().encode(),  # what a JSON reader sees: nothing revoked
    }
    return forged


def test_attack_json_encoded_list_under_an_aliased_key(key: Any, vc: dict[str, Any]) -> None:
    """Failed before: the revoked credential came back "not revoked"."""
    forged = _aliased(_list(key, [INDEX]))
    assert verify(forged, status=False).verified  # the rewritten list still verifies
    report = verify(vc, fetch=lambda _: forged)
    assert _status(report) == ("fail", "STATUS_LIST_JSON_MISMATCH") and not report.verified
