"""check_status: the Recommendation's validation steps, each failure named."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.keys import generate_key
from microcred_vc.proofs import issue_document, verify_credential
from microcred_vc.status import Bitstring, build_list_credential, check_status, make_entry
from microcred_vc.status.bitstring import parse_messages
from microcred_vc.status.list_trust import ListVerdict, credential_issuer
from tests.fixture_paths import FIXTURES

URL = "https://status.example/lists/L1"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
ISSUER = "did:ex:issuer"


def trusted(doc: Any) -> ListVerdict:
    """A test double: the list verifies and was signed by the issuer it names."""
    return ListVerdict(True, signers=(credential_issuer(doc) or "did:ex:nobody",))


def status_list(indexes: list[int], purpose: str = "revocation", **kw: Any) -> dict[str, Any]:
    return build_list_credential(URL, ISSUER, Bitstring.from_values(indexes), purpose, **kw)


def credential(*entries: dict[str, Any]) -> dict[str, Any]:
    status: Any = entries[0] if len(entries) == 1 else list(entries)
    return {"type": ["VerifiableCredential"], "issuer": ISSUER, "credentialStatus": status}


def test_official_1edtech_revoked_credential_is_reported_revoked() -> None:
    folder = FIXTURES / "status" / "1edtech-validator"
    doc = json.loads((folder / "credential-status-revoked.json").read_text())
    the_list = json.loads((folder / "testlist").read_text())
    fetched: list[str] = []

    def fetch(url: str) -> dict[str, Any]:
        fetched.append(url)
        return the_list

    # The list's issuer key is only published online; its proof is out of scope here.
    check = check_status(doc, fetch=fetch, verify_list=trusted, now=NOW)
    assert (check.name, check.status, check.code) == ("status", "fail", "STATUS_REVOKED")
    assert check.message.startswith("revoked (status list https://raw.githubusercontent.com/")
    assert "index 23" in check.message
    assert fetched == [doc["credentialStatus"]["statusListCredential"]]


def test_official_spec_credential_is_not_revoked() -> None:
    folder = FIXTURES / "status" / "spec-examples"
    doc = json.loads((folder / "bsl-003-a-revocable-verifiable-credential.json").read_text())
    the_list = json.loads((folder / "bsl-004-a-status-list-verifiable-credential.json").read_text())
    check = check_status(doc, fetch=lambda _: the_list, verify_list=trusted, now=NOW)
    assert check.status == "pass"
    assert check.message == (
        "not revoked (status list https://example.com/credentials/status/3 index 94567)"
    )


def test_suspension_and_revocation_entries_are_all_checked() -> None:
    revocation = make_entry(URL, 5, "revocation")
    other = "https://status.example/lists/S1"
    suspension = make_entry(other, 9, "suspension")
    lists = {URL: status_list([]), other: status_list([9], "suspension")}
    lists[other]["id"] = other
    check = check_status(
        credential(revocation, suspension), fetch=lists.__getitem__, verify_list=trusted, now=NOW
    )
    assert check.status == "fail" and check.code == "STATUS_SUSPENDED"
    assert check.message.startswith(f"suspended (status list {other} index 9)")
    assert f"not revoked (status list {URL} index 5)" in check.message


def test_the_list_is_fetched_once_per_url() -> None:
    calls: list[str] = []

    def fetch(url: str) -> dict[str, Any]:
        calls.append(url)
        return status_list([1])

    doc = credential(make_entry(URL, 1, "revocation"), make_entry(URL, 2, "revocation"))
    assert check_status(doc, fetch=fetch, verify_list=trusted, now=NOW).status == "fail"
    assert calls == [URL]


def test_message_purpose_reports_the_message() -> None:
    messages = parse_messages(
        [{"status": "0x0", "message": "ok"}, {"status": "0x2", "message": "under review"}]
    )
    entry = make_entry(URL, 4, "message", status_size=2, messages=messages)
    bits = Bitstring.from_values({4: 2}, status_size=2)
    the_list = build_list_credential(URL, "did:ex:issuer", bits, "message")
    check = check_status(credential(entry), fetch=lambda _: the_list, verify_list=trusted, now=NOW)
    assert check.status == "pass"
    assert check.message == f"status message 0x2 'under review' (status list {URL} index 4)"


def test_statuslist2021_entries_are_read() -> None:
    raw = gzip.compress(Bitstring.from_values([77]).to_bytes())
    the_list = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/vc/status-list/2021/v1",
        ],
        "id": URL,
        "type": ["VerifiableCredential", "StatusList2021Credential"],
        "issuer": "did:ex:issuer",
        "issuanceDate": "2021-04-05T14:27:40Z",
        "credentialSubject": {
            "id": f"{URL}#list",
            "type": "StatusList2021",
            "statusPurpose": "revocation",
            "encodedList": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        },
    }
    entry = {
        "id": f"{URL}#77",
        "type": "StatusList2021Entry",
        "statusPurpose": "revocation",
        "statusListIndex": "77",
        "statusListCredential": URL,
    }
    check = check_status(credential(entry), fetch=lambda _: the_list, verify_list=trusted, now=NOW)
    assert check.status == "fail" and "index 77" in check.message


@pytest.mark.parametrize(
    ("the_list", "verify", "code", "words"),
    [
        (
            status_list([], valid_until="2026-01-01T00:00:00Z"),
            trusted,
            "STATUS_LIST_EXPIRED",
            "expired",
        ),
        (
            status_list([], valid_from="2027-01-01T00:00:00Z"),
            trusted,
            "STATUS_LIST_NOT_YET_VALID",
            "not valid before",
        ),
        (status_list([]), lambda _: False, "STATUS_VERIFICATION_ERROR", "not trustworthy"),
        (status_list([]), lambda _: 1 / 0, "STATUS_VERIFICATION_ERROR", "ZeroDivisionError"),
        (status_list([], "suspension"), trusted, "STATUS_VERIFICATION_ERROR", "not among"),
        (
            {"type": ["VerifiableCredential"]},
            trusted,
            "STATUS_VERIFICATION_ERROR",
            "not a status list",
        ),
    ],
    ids=[
        "expired",
        "not-yet-valid",
        "proof-fails",
        "verifier-crashes",
        "purpose-mismatch",
        "not-a-list",
    ],
)
def test_untrustworthy_lists_fail(the_list: dict, verify: Any, code: str, words: str) -> None:
    # Index 3 is not set, so only the list's own problem can fail the check.
    check = check_status(
        credential(make_entry(URL, 3, "revocation")),
        fetch=lambda _: the_list,
        verify_list=verify,
        now=NOW,
    )
    assert (check.status, check.code) == ("fail", code)
    assert words in check.message


def test_zip_bomb_list_fails_the_check() -> None:
    bomb = status_list([])
    bomb["credentialSubject"]["encodedList"] = Bitstring(MIN := 8 * 4 * 1024 * 1024).encode()
    assert MIN
    check = check_status(
        credential(make_entry(URL, 3, "revocation")),
        fetch=lambda _: bomb,
        verify_list=trusted,
        now=NOW,
        max_bytes=1024 * 1024,
    )
    assert (check.status, check.code) == ("fail", "STATUS_LIST_TOO_LARGE")


def test_index_beyond_list_and_short_list_fail() -> None:
    beyond = check_status(
        credential(make_entry(URL, 200_000, "revocation")),
        fetch=lambda _: status_list([]),
        verify_list=trusted,
        now=NOW,
    )
    assert (beyond.status, beyond.code) == ("fail", "STATUS_RANGE_ERROR")
    short = status_list([])
    short["credentialSubject"]["encodedList"] = Bitstring(1000).encode()
    check = check_status(
        credential(make_entry(URL, 3, "revocation")),
        fetch=lambda _: short,
        verify_list=trusted,
        now=NOW,
    )
    assert (check.status, check.code) == ("fail", "STATUS_LIST_LENGTH_ERROR")


def test_retrieval_failure_fails_and_missing_fetch_is_unchecked() -> None:
    """Oracle: DESIGN.md "verified" — a status that was not checked is not a good status."""

    def broken(url: str) -> dict[str, Any]:
        raise OSError(f"cannot reach {url}")

    doc = credential(make_entry(URL, 3, "revocation"))
    check = check_status(doc, fetch=broken, verify_list=trusted, now=NOW)
    assert (check.status, check.code) == ("fail", "STATUS_RETRIEVAL_ERROR")
    assert "cannot reach" in check.message
    unchecked = check_status(doc, now=NOW)
    assert (unchecked.status, unchecked.code) == ("fail", "STATUS_UNCHECKED")
    assert "no fetch function" in unchecked.message
    accepted = check_status(doc, now=NOW, accept_unchecked=True)
    assert (accepted.status, accepted.code) == ("warn", "STATUS_UNCHECKED")


def test_no_status_skips_and_unknown_status_types_are_unchecked() -> None:
    assert check_status({"type": ["VerifiableCredential"]}).status == "skip"
    odd = credential({"id": "https://x.test/r", "type": "1EdTechRevocationList"})
    check = check_status(odd, fetch=lambda _: {}, verify_list=trusted)
    assert (check.status, check.code) == ("fail", "STATUS_UNCHECKED")
    assert "1EdTechRevocationList" in check.message
    accepted = check_status(odd, fetch=lambda _: {}, verify_list=trusted, accept_unchecked=True)
    assert accepted.status == "warn"
    assert check_status(["not", "a", "dict"]).status == "fail"  # type: ignore[arg-type]


def test_default_verifier_rejects_an_unsigned_list() -> None:
    check = check_status(
        credential(make_entry(URL, 3, "revocation")), fetch=lambda _: status_list([]), now=NOW
    )
    assert (check.status, check.code) == ("fail", "STATUS_VERIFICATION_ERROR")


@pytest.fixture(scope="module")
def loader() -> DocumentLoader:
    """The library's contexts plus the official copies, read in place."""
    return DocumentLoader(extra_dirs=[FIXTURES / "contexts"])


def test_signed_list_is_verified_before_it_is_believed(loader: DocumentLoader) -> None:
    # Oracle: the list's own proof — a list whose bits were changed after signing fails.
    key = generate_key("Ed25519")
    the_list = build_list_credential(URL, key.did, Bitstring.from_values([3]), "revocation")
    signed = issue_document(the_list, key, loader=loader)

    def verify(doc: Any) -> Any:
        report = verify_credential(doc, loader=loader)
        return ListVerdict(report.verified, report.errors, signers=(key.did,))

    doc = {**credential(make_entry(URL, 3, "revocation"), make_entry(URL, 4, "revocation"))}
    doc["issuer"] = key.did
    check = check_status(doc, fetch=lambda _: signed, verify_list=verify)
    assert (check.status, check.code) == ("fail", "STATUS_REVOKED")
    assert check.message.startswith(f"revoked (status list {URL} index 3)")
    tampered = json.loads(json.dumps(signed))
    tampered["credentialSubject"]["encodedList"] = Bitstring().encode()  # "un-revoke" all
    forged = check_status(doc, fetch=lambda _: tampered, verify_list=verify)
    assert (forged.status, forged.code) == ("fail", "STATUS_VERIFICATION_ERROR")
    # the default verifier, with the caller's loader, says the same
    default = check_status(doc, fetch=lambda _: tampered, loader=loader)
    assert (default.status, default.code) == ("fail", "STATUS_VERIFICATION_ERROR")
    later = datetime.now(UTC) + timedelta(days=1)
    one = {**credential(make_entry(URL, 4, "revocation")), "issuer": key.did}
    fine = check_status(one, fetch=lambda _: signed, loader=loader, now=later)
    assert fine.status == "pass", fine.message


def test_fetch_may_return_json_text() -> None:
    doc = credential(make_entry(URL, 1, "revocation"))
    text = json.dumps(status_list([1]))
    for payload in (text, text.encode()):
        check = check_status(doc, fetch=lambda _, p=payload: p, verify_list=trusted, now=NOW)
        assert (check.status, check.code) == ("fail", "STATUS_REVOKED")
    garbage = check_status(doc, fetch=lambda _: "{not json", verify_list=trusted, now=NOW)
    assert (garbage.status, garbage.code) == ("fail", "STATUS_RETRIEVAL_ERROR")


class BrokenRegistry:
    def lookup(self, entry: Any) -> Any:
        raise RuntimeError("connection refused")


def test_registry_outage_fails_rather_than_passes() -> None:
    doc = credential(make_entry(URL, 1, "revocation"))
    check = check_status(doc, registry=BrokenRegistry(), fetch=lambda _: status_list([]))
    assert (check.status, check.code) == ("fail", "STATUS_RETRIEVAL_ERROR")
    assert "connection refused" in check.message
