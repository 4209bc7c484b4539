"""Every command, success and failure, through the real entry point."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from microcred_vc.errors import MicrocredError
from tests.cli.conftest import INSTITUTION


def issue_args(workdir: Path, key: Path, *extra: str) -> list[str]:
    """``microcred issue`` for the first learner of the work folder's roster."""
    return [
        "issue",
        "--course",
        str(workdir / "course.json"),
        "--roster",
        str(workdir / "roster.csv"),
        "--learner",
        "aoife.byrne@learners.example.eu",
        "--key",
        str(key),
        *extra,
    ]


def did_json(workdir: Path) -> list[str]:
    """``--did-document`` for the institution's did.json (the verifier has it offline)."""
    return ["--did-document", str(workdir / "did.json")]


@pytest.fixture()
def issued(run, workdir: Path, key: Path) -> Path:
    out = workdir / "one.json"
    db = f"sqlite:///{workdir / 'status.db'}"
    result = run(*issue_args(workdir, key, "--out", str(out), "--status-db", db))
    assert result.code == 0, result.err
    return out


def test_keys_new_is_private_and_show_is_public(run, workdir: Path, key: Path) -> None:
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    printed = run("keys", "new", "--out", str(workdir / "second.json"))
    assert "DID: did:key:z6Mk" in printed.out  # not rendered as an emoji by the console
    shown = run("keys", "show", str(key))
    assert shown.code == 0
    data = json.loads(shown.out)
    assert data["did"] == INSTITUTION
    assert json.loads(run("keys", "show", str(workdir / "second.json")).out)["did"].startswith(
        "did:key:z6Mk"
    )
    assert "secretKeyMultibase" not in shown.out and '"d"' not in shown.out


@pytest.mark.parametrize("kind", ["P-256", "P-384"])
def test_keys_new_ecdsa(run, workdir: Path, kind: str) -> None:
    path = workdir / f"{kind}.json"
    assert run("keys", "new", "--type", kind, "--out", str(path)).code == 0
    assert json.loads(run("keys", "show", str(path)).out)["type"] == kind


def test_keys_new_refuses_overwrite_and_unknown_type(run, key: Path) -> None:
    again = run("keys", "new", "--out", str(key))
    assert again.code == 2 and "FILE_EXISTS" in again.err
    bad = run("keys", "new", "--type", "RSA-1024", "--out", str(key.with_name("x.json")))
    assert bad.code == 2 and bad.err.startswith("error [")
    assert "Traceback" not in bad.err


def test_wrong_password(run, workdir: Path) -> None:
    path = workdir / "locked.json"
    assert run("keys", "new", "--out", str(path), "--password", "correct horse").code == 0
    wrong = run("keys", "show", str(path), "--password", "wrong")
    assert wrong.code == 2 and "error [" in wrong.err and "Traceback" not in wrong.err
    assert run("keys", "show", str(path), "--password", "correct horse").code == 0


def test_missing_key_file(run, workdir: Path) -> None:
    result = run(*issue_args(workdir, workdir / "nope.json"))
    assert result.code == 2
    assert "FILE_NOT_FOUND" in result.err and "nope.json" in result.err


def test_issue_then_verify(run, issued: Path, workdir: Path) -> None:
    doc = json.loads(issued.read_text())
    assert "OpenBadgeCredential" in doc["type"]
    assert doc["credentialStatus"]["type"] == "BitstringStatusListEntry"
    db = f"sqlite:///{workdir / 'status.db'}"
    result = run("verify", str(issued), "--status-db", db, *did_json(workdir))
    assert result.code == 0, result.out
    assert "VERIFIED" in result.out
    assert doc["issuer"]["id"] == INSTITUTION  # the course's issuer, never the key's did:key


def test_verify_tampered_json_report_and_exit_code(run, issued: Path, workdir: Path) -> None:
    doc = json.loads(issued.read_text())
    doc["credentialSubject"]["achievement"]["name"] = "Something else"
    bad = workdir / "bad.json"
    bad.write_text(json.dumps(doc))
    result = run("verify", str(bad), "--json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["verified"] is False
    assert any(c["name"] == "proof" and c["status"] == "fail" for c in report["checks"])


def test_verify_from_stdin(run, issued: Path, workdir: Path) -> None:
    result = run(
        "verify",
        "-",
        "--json",
        *did_json(workdir),
        "--accept-unchecked-status",
        stdin=issued.read_bytes(),
    )
    assert result.code == 0
    assert json.loads(result.out)["checks"][0]["name"] == "format"


def test_issue_unknown_format(run, workdir: Path, key: Path) -> None:
    result = run(*issue_args(workdir, key, "--format", "pdf"))
    assert result.code == 2 and "UNKNOWN_FORMAT" in result.err


def test_bad_roster_row_is_reported_with_its_number(run, workdir: Path, key: Path) -> None:
    roster = workdir / "roster.csv"
    roster.write_text(roster.read_text() + "Broken Row,not-an-email,,A,yesterday\n")
    result = run(
        "issue-batch",
        "--course",
        str(workdir / "course.json"),
        "--roster",
        str(roster),
        "--key",
        str(key),
        "--out",
        str(workdir / "out"),
    )
    assert result.code == 2
    assert "row 7" in result.err
    assert not (workdir / "out").exists() or not list((workdir / "out").glob("*.json"))


def test_issue_batch_is_resumable(run, workdir: Path, key: Path) -> None:
    out = workdir / "batch"
    args = (
        "issue-batch",
        "--course",
        str(workdir / "course.json"),
        "--roster",
        str(workdir / "roster.csv"),
        "--key",
        str(key),
        "--out",
        str(out),
    )
    first = run(*args)
    assert first.code == 0, first.out + first.err
    files = sorted(out.glob("*.json"))
    assert len(files) == 5
    victim = files[0]
    victim.unlink()
    before = {f.name: f.read_text() for f in files[1:]}
    second = run(*args)
    assert second.code == 0
    assert victim.exists()
    assert {f.name: f.read_text() for f in files[1:]} == before
    assert not list(out.glob(".tmp-*"))


def test_convert_to_edc_with_report(run, issued: Path, workdir: Path) -> None:
    out = workdir / "edc.json"
    result = run("convert", str(issued), "--to", "edc", "--report", "--out", str(out))
    assert result.code == 0, result.err
    edc = json.loads(out.read_text())
    assert "EuropeanDigitalCredential" in edc["type"]
    assert "proof:" in result.err  # the signature is reported as not carried


def test_convert_unknown_target(run, issued: Path) -> None:
    result = run("convert", str(issued), "--to", "pdf")
    assert result.code == 2 and "UNKNOWN_FORMAT" in result.err


def test_bake_unbake_render(run, issued: Path, workdir: Path) -> None:
    from PIL import Image

    png = workdir / "badge.png"
    Image.new("RGB", (40, 40), "navy").save(png)
    baked = workdir / "baked.png"
    assert run("bake", str(png), str(issued), "--out", str(baked)).code == 0
    unbaked = run("unbake", str(baked))
    assert unbaked.code == 0
    assert json.loads(unbaked.out)["id"] == json.loads(issued.read_text())["id"]
    assert run("verify", str(baked), *did_json(workdir), "--accept-unchecked-status").code == 0
    page = workdir / "page.html"
    assert run("render", str(issued), "--out", str(page)).code == 0
    html = page.read_text()
    assert "Research Data Stewardship" in html and "Aoife Byrne" in html
    assert 'id="qr"' not in html  # a 10 kB credential does not fit a scannable QR code
    url = "https://verify.example.edu/c/1"
    assert run("render", str(issued), "--out", str(page), "--verify-url", url).code == 0
    assert '<figure id="qr"><svg' in page.read_text()


def test_unbake_plain_image_is_one_line_error(run, workdir: Path) -> None:
    from PIL import Image

    png = workdir / "plain.png"
    Image.new("RGB", (10, 10)).save(png)
    result = run("unbake", str(png))
    assert result.code == 2 and result.err.startswith("error [UNBAKE")


def test_revoke_then_verify_shows_revoked(run, issued: Path, workdir: Path, key: Path) -> None:
    db = f"sqlite:///{workdir / 'status.db'}"
    revoked = run(
        "status",
        "revoke",
        str(issued),
        "--status-db",
        db,
        "--reason",
        "plagiarism",
        "--key",
        str(key),
        "--out",
        str(workdir / "list.json"),
    )
    assert revoked.code == 0, revoked.err
    assert (
        json.loads((workdir / "list.json").read_text())["type"][-1]
        == "BitstringStatusListCredential"
    )
    result = run("verify", str(issued), "--status-db", db, *did_json(workdir))
    assert result.code == 1
    assert "revoked" in result.out.lower() and "plagiarism" in result.out


def test_debug_shows_the_traceback(run, workdir: Path) -> None:
    from microcred_vc.cli import main

    with pytest.raises(MicrocredError):
        main(["--debug", "keys", "show", str(workdir / "missing.json")])


def test_keys_new_did_web_writes_the_did_document(run, workdir: Path, key: Path) -> None:
    """Oracle: DID Core §4 (id, verificationMethod, assertionMethod) and the did:web URL rule."""
    doc = json.loads((workdir / "did.json").read_text())
    assert doc["@context"][0] == "https://www.w3.org/ns/did/v1" and doc["id"] == INSTITUTION
    (method,) = doc["verificationMethod"]
    assert method["controller"] == INSTITUTION and method["id"].startswith(INSTITUTION + "#")
    assert method["type"] == "Multikey" and doc["assertionMethod"] == [method["id"]]
    shown = json.loads(run("keys", "show", str(key)).out)
    assert shown["verificationMethod"] == method["id"]
    assert shown["publicKeyMultibase"] == method["publicKeyMultibase"]
    again = run("keys", "new", "--did-web", "micro.tudublin.example.ie", "--out", str(key))
    assert again.code != 0 and "exists" in again.err


def test_verify_did_document_is_what_links_the_key(run, issued: Path, workdir: Path) -> None:
    """Without the did.json the did:web key cannot be found (offline); with it, verified."""
    assert run("verify", str(issued)).code == 1
    assert run("verify", str(issued), *did_json(workdir), "--accept-unchecked-status").code == 0


def test_issue_with_a_key_of_another_controller_is_refused(run, workdir: Path) -> None:
    """Regression (issue 17): the old CLI relabelled the course's issuer with the did:key."""
    other = workdir / "other.json"
    assert run("keys", "new", "--out", str(other)).code == 0
    result = run(*issue_args(workdir, other))
    assert result.code != 0 and "ISSUER_KEY_MISMATCH" in result.err
    assert "--did-web" in result.err


def test_render_shows_the_verdict_verify_gives(run, issued: Path, workdir: Path) -> None:
    """Oracle: ``microcred verify`` with the same options. A did:web issuer's key cannot be
    found offline, so without its did.json the page says "Not verified" (as verify does);
    with ``--did-document`` and the status registry both agree on verified."""
    page = workdir / "page.html"
    offline = run("render", str(issued), "--out", str(page))
    assert offline.code == 0 and 'class="status bad"' in page.read_text()
    assert run("verify", str(issued)).code == 1
    same = [*did_json(workdir), "--status-db", f"sqlite:///{workdir / 'status.db'}"]
    given = run("render", str(issued), "--out", str(page), *same)
    assert given.code == 0 and "Verified: the signature" in page.read_text()
    assert run("verify", str(issued), *same).code == 0
    # its status cannot be checked without the registry: neither says "verified"
    unchecked = run("render", str(issued), "--out", str(page), *did_json(workdir))
    assert unchecked.code == 0 and "Verified: the signature" not in page.read_text()
    assert run("verify", str(issued), *did_json(workdir)).code == 1
