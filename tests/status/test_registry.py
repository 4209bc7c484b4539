"""StatusRegistry on every back end: allocation, status changes, publication."""

from __future__ import annotations

import multiprocessing as mp
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, select, update

from microcred_vc.errors import ConfigError, StatusError, StatusListFull, StatusNotFound
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.keys import generate_key
from microcred_vc.status import (
    MIN_ENTRIES,
    StatusRegistry,
    check_status,
    parse_list_credential,
    schema,
)
from tests.fixture_paths import FIXTURES
from tests.status import workers
from tests.status.prefill import fill_all_but

BASE = "https://status.example/lists"


def test_allocation_is_random_unique_and_recorded(registry: StatusRegistry) -> None:
    got = [registry.allocate("L", "revocation") for _ in range(60)]
    assert len(set(got)) == 60
    assert all(0 <= i < MIN_ENTRIES for i in got)
    assert registry.allocated("L") == sorted(got)
    # Random, not a counter: 60 consecutive values from a random draw is ~impossible.
    assert sorted(got) != list(range(min(got), min(got) + 60))
    assert got != sorted(got)


def test_sequential_allocation_counts_up(registry_url: str) -> None:
    with StatusRegistry(registry_url, allocation="sequential") as registry:
        assert [registry.allocate("S", "suspension") for _ in range(5)] == [0, 1, 2, 3, 4]


def test_lists_have_one_fixed_purpose(registry: StatusRegistry) -> None:
    registry.allocate("L", "revocation")
    with pytest.raises(StatusError, match="is for 'revocation'"):
        registry.allocate("L", "suspension")
    with pytest.raises(StatusNotFound, match="create message list"):
        registry.allocate("M", "message")
    with pytest.raises(StatusError, match="unknown status purpose"):
        registry.create_list("X", "bogus")
    with pytest.raises(StatusError, match="at least"):
        registry.create_list("X", "revocation", entries=10)
    with pytest.raises(StatusError, match="without '/'"):
        registry.create_list("a/b", "revocation")
    assert registry.create_list("L", "revocation").purpose == "revocation"  # idempotent
    with pytest.raises(StatusError, match="other parameters"):
        registry.create_list("L", "revocation", entries=MIN_ENTRIES * 2)
    assert registry.lists() == ["L"]


def test_full_list_is_filled_then_refused(registry: StatusRegistry) -> None:
    free = {17, 65_000, MIN_ENTRIES - 1}
    fill_all_but(registry, "F", free)  # 131,069 allocations the fast way
    assert {registry.allocate("F", "revocation") for _ in range(3)} == free
    with pytest.raises(StatusListFull) as caught:
        registry.allocate("F", "revocation")
    assert caught.value.code == "STATUS_LIST_FULL"


def test_revocation_is_recorded_with_reason_and_is_final(registry: StatusRegistry) -> None:
    index = registry.allocate("R", "revocation", credential_id="urn:uuid:1")
    assert registry.get_status("R", index).status == 0
    [record] = registry.set_status(index, list_id="R", revoked=True, reason="fraud")
    assert (record.status, record.reason, record.credential_id) == (1, "fraud", "urn:uuid:1")
    assert record.updated_at is not None and record.updated_at.tzinfo is not None
    with pytest.raises(StatusError, match="cannot be undone"):
        registry.set_status(index, list_id="R", revoked=False)
    assert registry.get_status("R", index).status == 1


def test_suspension_can_be_lifted(registry: StatusRegistry) -> None:
    index = registry.allocate("S", "suspension")
    registry.set_status(index, list_id="S", suspended=True, reason="investigation")
    assert registry.get_status("S", index).status == 1
    registry.set_status(index, list_id="S", suspended=False)
    assert registry.get_status("S", index).status == 0


def test_set_status_by_credential_is_all_or_nothing(registry: StatusRegistry) -> None:
    rev = registry.allocate("R", "revocation")
    sus = registry.allocate("S", "suspension")
    cred = {
        "credentialStatus": [
            registry.entry_for("R", rev, "revocation", BASE),
            registry.entry_for("S", sus, "suspension", BASE),
        ]
    }
    records = registry.set_status(cred, revoked=True, suspended=True, reason="both")
    assert sorted((r.list_id, r.status) for r in records) == [("R", 1), ("S", 1)]
    # One entry points at an index that was never allocated: nothing may change.
    fresh = registry.allocate("R", "revocation")
    bad = {
        "credentialStatus": [
            registry.entry_for("R", fresh, "revocation", BASE),
            registry.entry_for("S", (sus + 1) % MIN_ENTRIES, "suspension", BASE),
        ]
    }
    with pytest.raises(StatusNotFound):
        registry.set_status(bad, revoked=True, suspended=True)
    assert registry.get_status("R", fresh).status == 0
    with pytest.raises(StatusNotFound):
        registry.set_status({"credentialStatus": {"type": "Other"}}, revoked=True)
    with pytest.raises(StatusError, match="needs revoked"):
        registry.set_status(rev, list_id="R")
    with pytest.raises(StatusError, match="needs list_id"):
        registry.set_status(rev, revoked=True)


def test_message_lists_carry_size_and_messages(registry: StatusRegistry) -> None:
    messages = [{"status": "0x0", "message": "ok"}, {"status": "0x3", "message": "recalled"}]
    registry.create_list("M", "message", status_size=2, messages=messages)
    index = registry.allocate("M", "message")
    entry = registry.entry_for("M", index, "message", BASE)
    assert entry["statusSize"] == 2 and entry["statusMessage"] == messages
    registry.set_status(index, list_id="M", status=3)
    assert registry.bitstring("M").get(index) == 3
    with pytest.raises(StatusError, match="does not fit"):
        registry.set_status(index, list_id="M", status=4)


def test_get_status_of_unknown_things(registry: StatusRegistry) -> None:
    with pytest.raises(StatusNotFound):
        registry.get_status("nope", 1)
    registry.allocate("L", "revocation")
    with pytest.raises(StatusNotFound) as caught:
        registry.get_status("L", -5)
    assert caught.value.code == "STATUS_NOT_FOUND"


def test_entry_for_shape(registry: StatusRegistry) -> None:
    index = registry.allocate("L", "revocation")
    entry = registry.entry_for("L", index, "revocation", BASE + "/")
    assert entry == {
        "id": f"{BASE}/L#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": f"{BASE}/L",
    }
    with pytest.raises(StatusError):
        registry.entry_for("L", index, "suspension", BASE)
    with pytest.raises(StatusError):
        registry.entry_for("L", MIN_ENTRIES, "revocation", BASE)


@pytest.fixture(scope="module")
def loader() -> DocumentLoader:
    return DocumentLoader(extra_dirs=[FIXTURES / "contexts"])


def test_revoke_republish_check(registry: StatusRegistry, loader: DocumentLoader) -> None:
    key = generate_key("Ed25519")
    index = registry.allocate("R", "revocation")
    other = registry.allocate("R", "revocation")
    # the list is signed by the credential's issuer, as the default list_signers wants
    cred = {
        "issuer": key.did,
        "credentialStatus": registry.entry_for("R", index, "revocation", BASE),
    }
    served: dict[str, Any] = {}

    def republish() -> None:
        doc = registry.publish("R", key, base_url=BASE, validity=timedelta(hours=1), loader=loader)
        served[doc["id"]] = doc

    republish()
    first = check_status(cred, fetch=served.__getitem__, loader=loader)
    assert first.status == "pass", first.message
    registry.set_status(cred, revoked=True, reason="plagiarism")
    stale = check_status(cred, fetch=served.__getitem__, loader=loader)
    assert stale.status == "pass"  # the served list is the old one until republished
    republish()
    check = check_status(cred, fetch=served.__getitem__, loader=loader)
    assert (check.status, check.code) == ("fail", "STATUS_REVOKED")
    assert check.message == f"revoked (status list {BASE}/R index {index})"
    # The issuer's own view (no fetch) also names the recorded reason.
    own = check_status(cred, registry=registry)
    assert own.message == f"revoked (status list {BASE}/R index {index}): plagiarism"
    assert (
        check_status(
            {
                "issuer": key.did,  # registry answers obey the list-signer policy too
                "credentialStatus": registry.entry_for("R", other, "revocation", BASE),
            },
            registry=registry,
        ).status
        == "pass"
    )
    never = next(i for i in range(3) if i not in (index, other))
    forged = {"credentialStatus": registry.entry_for("R", never, "revocation", BASE)}
    unknown = check_status(forged, registry=registry)
    assert (unknown.status, unknown.code) == ("fail", "STATUS_NOT_FOUND")
    signed = served[f"{BASE}/R"]
    assert parse_list_credential(signed).bitstring().nonzero() == [index]
    assert other not in parse_list_credential(signed).bitstring().nonzero()
    assert signed["issuer"] == key.did and "validUntil" in signed and "proof" in signed
    later = datetime.now(UTC) + timedelta(hours=2)
    expired = check_status(cred, fetch=served.__getitem__, loader=loader, now=later)
    assert expired.code == "STATUS_LIST_EXPIRED"


def test_schema_is_versioned(registry_url: str) -> None:
    StatusRegistry(registry_url).close()
    StatusRegistry(registry_url).close()  # re-opening applies nothing twice
    engine = create_engine(registry_url)
    with engine.begin() as conn:
        assert list(conn.scalars(select(schema.schema_version.c.version))) == [
            schema.SCHEMA_VERSION
        ]
        conn.execute(update(schema.schema_version).values(version=schema.SCHEMA_VERSION + 1))
    engine.dispose()
    with pytest.raises(StatusError, match="newer than this library"):
        StatusRegistry(registry_url)


def test_revocation_is_durable_once_set_status_returns(registry_url: str) -> None:
    with StatusRegistry(registry_url) as registry:
        index = registry.allocate("D", "revocation")
    proc = mp.get_context("spawn").Process(
        target=workers.revoke_and_vanish, args=(registry_url, "D", index)
    )
    proc.start()
    proc.join(120)
    assert proc.exitcode == 0
    with StatusRegistry(registry_url) as registry:
        record = registry.get_status("D", index)
    assert (record.status, record.reason) == (1, "durable")


def test_url_forms_and_bad_configuration(tmp_path) -> None:
    path = tmp_path / "nested" / "dir" / "status.db"
    with StatusRegistry(path) as registry:  # a bare path is the zero-set-up SQLite case
        assert registry.url == f"sqlite:///{path}"
        registry.allocate("L", "revocation")
    assert path.is_file()
    with pytest.raises(ConfigError):
        StatusRegistry("sqlite:///:memory:")
    with pytest.raises(ConfigError):
        StatusRegistry("mysql://x@y/z")
    with pytest.raises(ConfigError):
        StatusRegistry(path, allocation="clever")  # type: ignore[arg-type]
