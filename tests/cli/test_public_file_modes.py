"""Credentials, rendered pages and baked badges are written 0644; keys stay 0600 (issue 20:
"Credentials and the rendered page are written with mode 0600 (they are public
documents; keys are the secrets)").

Oracle: that rule, under the strictest common umask (077), which is what made the files
0600 before: a mode that depends on the umask is the bug.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_cli import issue_args


@pytest.fixture()
def strict_umask() -> Iterator[None]:
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_public_documents_are_0644_and_keys_0600(run, workdir: Path, strict_umask) -> None:
    from PIL import Image

    from tests.cli.conftest import INSTITUTION

    key = workdir / "key.json"
    made = run("keys", "new", "--type", "Ed25519", "--did-web", INSTITUTION, "--out", str(key))
    assert made.code == 0, made.err
    assert _mode(key) == 0o600
    credential = workdir / "one.json"
    assert run(*issue_args(workdir, key, "--out", str(credential))).code == 0
    assert _mode(credential) == 0o644
    page = workdir / "page.html"
    assert run("render", str(credential), "--out", str(page)).code == 0
    assert _mode(page) == 0o644
    png = workdir / "badge.png"
    Image.new("RGB", (40, 40), "navy").save(png)
    baked = workdir / "baked.png"
    assert run("bake", str(png), str(credential), "--out", str(baked)).code == 0
    assert _mode(baked) == 0o644
    assert not list(workdir.glob(".tmp-*"))  # nothing half-written left behind
