"""Issue #16 V4: a list keeps every URL it was published under.

Oracle (property): a credential issued while the list had URL A stays
revocable, suspendable and status-checked by the registry after the list is
published under URL B; and a v1 database (one URL per list) keeps its URL
through the migration. Each test failed on the one-URL-per-list registry.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from microcred_vc.keys import generate_key
from microcred_vc.status import StatusRegistry, check_status, parse_list_credential, schema

OLD = "https://old.example/status"
NEW = "https://new.example/lists"


def test_url_change_keeps_earlier_credentials_revocable(registry: StatusRegistry) -> None:
    first = registry.allocate("L", "revocation")
    earlier = {"credentialStatus": registry.entry_for("L", first, "revocation", OLD)}
    second = registry.allocate("L", "revocation")
    later = {"credentialStatus": registry.entry_for("L", second, "revocation", NEW)}
    # After the change, verifying the earlier credential is still checked (not skipped).
    assert check_status(earlier, registry=registry).status == "pass"
    records = registry.set_status(earlier, revoked=True, reason="moved, then revoked")
    assert [(r.list_id, r.index, r.status) for r in records] == [("L", first, 1)]
    checked = check_status(earlier, registry=registry)
    assert (checked.status, checked.code) == ("fail", "STATUS_REVOKED")
    assert check_status(later, registry=registry).status == "pass"
    assert registry.list_urls("L") == [f"{OLD}/L", f"{NEW}/L"]
    assert registry.list_info("L").url == f"{NEW}/L"  # the newest, informative only
    # Publishing again under the old URL adds nothing and loses nothing.
    registry.entry_for("L", first, "revocation", OLD)
    assert registry.list_urls("L") == [f"{OLD}/L", f"{NEW}/L"]


def test_urls_survive_reopening_and_other_processes(registry_url: str) -> None:
    with StatusRegistry(registry_url) as one:
        index = one.allocate("S", "suspension")
        cred = {"credentialStatus": one.entry_for("S", index, "suspension", OLD)}
    with StatusRegistry(registry_url) as two:
        two.entry_for("S", two.allocate("S", "suspension"), "suspension", NEW)
    with StatusRegistry(registry_url) as three:
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
        registry.entry_for("V1", registry.allocate("V1", "revocation"), "revocation", NEW)
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


def test_cli_revokes_a_credential_issued_under_an_earlier_base_url(tmp_path: Path) -> None:
    """``microcred status revoke`` after ``--status-base-url`` changed between issuances."""
    from microcred_vc.cli.app import app

    db = f"sqlite:///{tmp_path / 'status.db'}"
    with StatusRegistry(db) as registry:
        index = registry.allocate("revocation-1", "revocation")
        earlier = {"credentialStatus": registry.entry_for("revocation-1", index, "revocation", OLD)}
        registry.entry_for(
            "revocation-1", registry.allocate("revocation-1", "revocation"), "revocation", NEW
        )
    path = tmp_path / "earlier.json"
    path.write_text(json.dumps(earlier))
    key = tmp_path / "key.json"
    generate_key("Ed25519").save(key)
    out = tmp_path / "list.json"
    args = ["status", "revoke", str(path), "--status-db", db, "--key", str(key), "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    with StatusRegistry(db) as registry:
        assert registry.get_status("revocation-1", index).status == 1
    # Republished where the earlier credential's verifiers look, with its bit set.
    republished = json.loads(out.read_text())
    assert republished["id"] == f"{OLD}/revocation-1"
    assert index in parse_list_credential(republished).bitstring().nonzero()
