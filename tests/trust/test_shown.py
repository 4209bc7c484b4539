"""Trust is shown plainly where people read a verdict: ``microcred verify``, the
verify page and ``microcred render`` (microcred_vc/cli/verify.py, server/page.py,
render/).

Oracle: issue 18 item 6 — a self-signed credential that verifies must not be
presented without saying nobody vouches for its issuer. Property: whenever the
report has no passing trust check, the output says "not vouched for"; with a
registry that vouches, it names it. ``--trust`` makes the CLI exit 1 when no
registry vouches (the caller asked for trust), while ``VERIFIED`` still states
the cryptographic verdict.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from microcred_vc import issue, verify
from microcred_vc.keys import generate_key
from microcred_vc.render import render_html
from tests.example_data import example_micro_credential
from tests.issuing import issued_by


def _run(monkeypatch, *args: str) -> tuple[int, str]:
    import importlib

    from microcred_vc.cli import main
    from microcred_vc.cli.app import state

    state.debug = False
    out = io.StringIO()
    app_module = importlib.import_module("microcred_vc.cli.app")
    monkeypatch.setattr(app_module.console, "file", out)
    monkeypatch.setattr(app_module.err_console, "file", out)
    with redirect_stdout(out), redirect_stderr(out):
        code = main(list(args))
    return code, " ".join(out.getvalue().split())


@pytest.fixture(scope="module")
def signed() -> tuple[dict, str]:
    key = generate_key("Ed25519")
    mc = issued_by(example_micro_credential(), key)
    return issue(mc, key), key.did


@pytest.fixture()
def files(tmp_path: Path, signed) -> dict[str, Path]:
    vc, did = signed
    (tmp_path / "vc.json").write_text(json.dumps(vc))
    (tmp_path / "ours.txt").write_text(f"{did} Test Institute\n")
    (tmp_path / "other.txt").write_text("did:web:other.example\n")
    (tmp_path / "garbage.json").write_text('{"hello": "world"}')
    return {p.stem: p for p in tmp_path.iterdir()}


def test_cli_names_the_registry_when_vouched(monkeypatch, files) -> None:
    code, out = _run(monkeypatch, "verify", str(files["vc"]), "--trust", str(files["ours"]))
    assert code == 0, out
    assert "VERIFIED" in out and "ISSUER VOUCHED FOR" in out and "Test Institute" in out


def test_cli_says_not_vouched_and_exits_1_with_trust(monkeypatch, files) -> None:
    code, out = _run(monkeypatch, "verify", str(files["vc"]), "--trust", str(files["other"]))
    assert code == 1
    assert "VERIFIED" in out and "NOT VERIFIED" not in out
    assert "ISSUER NOT VOUCHED FOR: did:key:" in out
    assert "is not listed in other.txt" in out


def test_cli_without_trust_still_says_not_vouched(monkeypatch, files) -> None:
    code, out = _run(monkeypatch, "verify", str(files["vc"]))
    assert code == 0
    assert "ISSUER NOT VOUCHED FOR: no trust registry was given" in out


def test_cli_repeatable_trust_and_json(monkeypatch, files) -> None:
    args = ["verify", str(files["vc"]), "--json"]
    code, out = _run(
        monkeypatch, *args, "--trust", str(files["other"]), "--trust", str(files["ours"])
    )
    assert code == 0
    assert '"trusted": true' in out


def test_cli_refuses_a_garbage_trust_file(monkeypatch, files) -> None:
    code, out = _run(monkeypatch, "verify", str(files["vc"]), "--trust", str(files["garbage"]))
    assert code != 0
    assert "TRUST_REGISTRY_INVALID" in out


def test_render_says_not_vouched_for(signed) -> None:
    vc, did = signed
    mc = example_micro_credential()
    html = render_html(mc, credential=vc, report=verify(vc))
    assert 'id="trust"' in html and "Issuer not vouched for" in html
    from microcred_vc.trust import AllowList

    vouched = render_html(mc, credential=vc, report=verify(vc, trust=AllowList([did])))
    assert "Issuer vouched for" in vouched and "Issuer not vouched for" not in vouched


def test_render_cli_takes_trust(monkeypatch, files, tmp_path) -> None:
    out_file = tmp_path / "page.html"
    args = ["render", str(files["vc"]), "--out", str(out_file), "--trust", str(files["ours"])]
    code, out = _run(monkeypatch, *args)
    assert code == 0, out
    assert "Issuer vouched for" in out_file.read_text(encoding="utf-8")


def test_verify_page_says_not_vouched_for(signed) -> None:
    from microcred_vc.server.page import _verified_page

    vc, _ = signed
    page = _verified_page(verify, json.dumps(vc), "", {"registry": None})
    body = page.body.decode()
    assert 'id="verdict"' in body and "Verified" in body
    assert 'id="trust"' in body and "Issuer not vouched for" in body
