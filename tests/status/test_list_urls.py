"""A list's URL is fixed when first used; only an explicit, logged relocate moves it.

Oracle (property, issue 20 item 1): the registry is the one truth about its lists.
An option with another base URL can no longer move a list (it used to add a URL
silently, so `status revoke` without `--status-base-url` republished the list at a
default URL no verifier fetched and the revoked credential verified again);
`relocate` moves it, keeps every earlier URL so credentials issued before stay
revocable and checked, and records the move. A v1 database keeps its URL.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from microcred_vc.errors import StatusError
from microcred_vc.keys import generate_key
from microcred_vc.status import StatusRegistry, check_status, schema

OLD = "https://old.example/status"
NEW = "https://new.example/lists"


def test_a_lists_url_is_fixed_by_its_first_use(registry: StatusRegistry) -> None:
    registry.entry_for("L", registry.allocate("L", "revocation"), "revocation", OLD)
    with pytest.raises(StatusError) as caught:
        registry.entry_for("L", registry.allocate("L", "revocation"), "revocation", NEW)
    assert caught.value.code == "STATUS_LIST_URL_FIXED"
    assert "status relocate" in caught.value.message
    with pytest.raises(StatusError):
        registry.list_credential("L", base_url=NEW, issuer="did:example:i")
    assert registry.list_urls("L") == [f"{OLD}/L"]
    assert registry.list_credential("L", issuer="did:example:i")["id"] == f"{OLD}/L"
    # None: the list's own URL (a service restarted on another address keeps it)
    own = registry.entry_for("L", registry.allocate("L", "revocation"), "revocation", None)
    assert own["statusListCredential"] == f"{OLD}/L"
    before = registry.allocated("L")
    with pytest.raises(StatusError), registry.reserved_entry("L", "revocation", NEW):
        pass  # refused before anything is signed
    assert registry.allocated("L") == before  # and its index was given back


def test_relocate_keeps_earlier_credentials_revocable(
    registry: StatusRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    first = registry.allocate("L", "revocation")
    earlier = {"credentialStatus": registry.entry_for("L", first, "revocation", OLD)}
    with caplog.at_level(logging.WARNING, logger="microcred_vc.status"):
        info = registry.relocate(f"{OLD}/L", f"{NEW}/L", reason="new domain")
    assert info.url == f"{NEW}/L"
    assert "relocated" in caplog.text and f"{OLD}/L" in caplog.text
    ((old, new, _when, why),) = registry.relocations("L")
    assert (old, new, why) == (f"{OLD}/L", f"{NEW}/L", "new domain")
    second = registry.allocate("L", "revocation")
    later = {"credentialStatus": registry.entry_for("L", second, "revocation", NEW)}
    with pytest.raises(StatusError):  # new credentials get the new URL only
        registry.entry_for("L", registry.allocate("L", "revocation"), "revocation", OLD)
    assert check_status(earlier, registry=registry, accept_unchecked=False).status == "pass"
    records = registry.set_status(earlier, revoked=True, reason="moved, then revoked")
    assert [(r.list_id, r.index, r.status) for r in records] == [("L", first, 1)]
    checked = check_status(earlier, registry=registry)
    assert (checked.status, checked.code) == ("fail", "STATUS_REVOKED")
    assert check_status(later, registry=registry).status == "pass"
    assert registry.list_urls("L") == [f"{OLD}/L", f"{NEW}/L"]
    # served at the old URL too (earlier credentials' verifiers look there)
    assert registry.list_credential("L", base_url=OLD, issuer="did:e:i")["id"] == f"{OLD}/L"
    assert registry.list_credential("L", issuer="did:e:i")["id"] == f"{NEW}/L"
    with pytest.raises(StatusError):  # only the current URL can be moved
        registry.relocate(f"{OLD}/L", "https://third.example/L")


def test_re_revoking_is_idempotent(registry: StatusRegistry) -> None:
    index = registry.allocate("L", "revocation")
    cred = {"credentialStatus": registry.entry_for("L", index, "revocation", OLD)}
    (first,) = registry.set_status(cred, revoked=True, reason="fraud")
    (again,) = registry.set_status(cred, revoked=True)
    assert (again.status, again.reason, again.updated_at) == (1, "fraud", first.updated_at)


def test_urls_survive_reopening_and_other_processes(registry_url: str) -> None:
    with StatusRegistry(registry_url) as one:
        index = one.allocate("S", "suspension")
        cred = {"credentialStatus": one.entry_for("S", index, "suspension", OLD)}
    with StatusRegistry(registry_url) as two:
        two.relocate(f"{OLD}/S", f"{NEW}/S")
    with StatusRegistry(registry_url) as three:
        assert three.list_info("S").url == f"{NEW}/S"
        assert three.set_status(cred, suspended=True)[0].status == 1
        assert check_status(cred, registry=three).code == "STATUS_SUSPENDED"
        assert three.set_status(cred, suspended=False)[0].status == 0


def test_v1_database_keeps_its_url_after_migration(registry_url: str) -> None:
    """A registry written by the one-URL schema (v1) is upgraded in place."""
    engine = create_engine(registry_url)
    now = datetime.now(UTC)
    with engine.begin() as conn:  # exactly what v1 created and stored
        schema.schema_version.create(conn)
        schema.MIGRATIONS[0][1](conn)
        conn.execute(schema.schema_version.insert().values(version=1))
        conn.execute(
            schema.status_lists.insert().values(
                list_id="V1",
                purpose="revocation",
                entries=131_072,
                status_size=1,
                url=f"{OLD}/V1",
                created_at=now,
            )
        )
        conn.execute(
            schema.status_entries.insert().values(list_id="V1", idx=7, status=0, allocated_at=now)
        )
    engine.dispose()
    with StatusRegistry(registry_url) as registry:
        assert registry.list_urls("V1") == [f"{OLD}/V1"]
        with pytest.raises(StatusError):
            registry.entry_for("V1", registry.allocate("V1", "revocation"), "revocation", NEW)
        registry.relocate(f"{OLD}/V1", f"{NEW}/V1")
        old_credential = {
            "credentialStatus": {
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "7",
                "statusListCredential": f"{OLD}/V1",
            }
        }
        assert registry.set_status(old_credential, revoked=True)[0].index == 7
    engine = create_engine(registry_url)
    with engine.connect() as conn:
        assert conn.scalar(select(schema.schema_version.c.version)) == schema.SCHEMA_VERSION
    engine.dispose()


def _cli(*args: str) -> object:
    from microcred_vc.cli.app import app

    return CliRunner().invoke(app, list(args))


def test_cli_revoke_without_base_url_republishes_where_the_credential_points(
    tmp_path: Path,
) -> None:
    """Issue 20's sequence: issue under one base URL, revoke with no --status-base-url.

    Before, publish/revoke defaulted to https://status.example/lists and moved the list;
    now the list is found from the credential and republished at its own URL, so the
    credential fails STATUS_REVOKED; a second revoke is idempotent.
    """
    from microcred_vc import verify
    from microcred_vc.proofs import issue_document

    base = "https://ects.example.edu.pl/status"
    db = f"sqlite:///{tmp_path / 'status.db'}"
    key = generate_key("Ed25519")
    key_file = tmp_path / "key.json"
    key.save(key_file)
    with StatusRegistry(db) as registry:
        index = registry.allocate("revocation-1", "revocation")
        entry = registry.entry_for("revocation-1", index, "revocation", base)
    vc = issue_document(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": key.did,
            "credentialSubject": {"id": "did:example:learner"},
            "credentialStatus": entry,
        },
        key,
    )
    path = tmp_path / "cred.json"
    path.write_text(json.dumps(vc))
    out = tmp_path / "list.json"
    revoke = ["status", "revoke", str(path), "--status-db", db, "--key", str(key_file)]
    result = _cli(*revoke, "--out", str(out))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    republished = json.loads(out.read_text())
    assert republished["id"] == f"{base}/revocation-1"
    report = verify(vc, fetch=lambda url: republished if url == republished["id"] else {})
    assert report.check("status").code == "STATUS_REVOKED"
    again = _cli(*revoke, "--out", str(out))  # idempotent
    assert again.exit_code == 0, again.output  # type: ignore[attr-defined]
    # publish with no base URL uses the list's; another base URL is refused
    listed = tmp_path / "published.json"
    ok = _cli("status", "publish", "revocation-1", "--status-db", db, "--key", str(key_file),
              "--out", str(listed))  # fmt: skip
    assert ok.exit_code == 0 and json.loads(listed.read_text())["id"] == republished["id"]  # type: ignore[attr-defined]
    moved = _cli("status", "publish", "revocation-1", "--status-db", db, "--key", str(key_file),
                 "--status-base-url", "https://status.example/lists")  # fmt: skip
    assert moved.exit_code != 0  # type: ignore[attr-defined]
    # the explicit move
    new = "https://credentials.example.edu.pl/status/revocation-1"
    relocated = _cli("status", "relocate", f"{base}/revocation-1", new, "--status-db", db)
    assert relocated.exit_code == 0, relocated.output  # type: ignore[attr-defined]
    with StatusRegistry(db) as registry:
        assert registry.list_info("revocation-1").url == new
        assert registry.get_status("revocation-1", index).status == 1
