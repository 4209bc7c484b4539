"""Shared CLI fixtures: a runner that goes through ``main`` (our error handling)."""

from __future__ import annotations

import importlib
import io
import shutil
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fixture_paths import REPO


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture()
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run ``microcred ARGS`` in-process through the console entry point."""
    from microcred_vc.cli import main
    from microcred_vc.cli.app import state

    def _run(*args: str, stdin: bytes | None = None) -> Result:
        state.debug = False
        out, err = io.StringIO(), io.StringIO()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        app_module = importlib.import_module("microcred_vc.cli.app")

        monkeypatch.setattr(app_module.console, "file", out)
        monkeypatch.setattr(app_module.err_console, "file", err)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
        return Result(code, out.getvalue(), err.getvalue())

    return _run


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    """A folder with the example course and a short roster."""
    shutil.copy(REPO / "examples" / "course.json", tmp_path / "course.json")
    lines = (REPO / "examples" / "roster.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "roster.csv").write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    return tmp_path


INSTITUTION = "did:web:micro.tudublin.example.ie"  # the example course's issuer


@pytest.fixture()
def key(run: Callable[..., Result], workdir: Path) -> Path:
    """The institution's own key (did:web), with the did.json it publishes beside it."""
    path = workdir / "key.json"
    made = run("keys", "new", "--type", "Ed25519", "--did-web", INSTITUTION, "--out", str(path))
    assert made.code == 0, made.err
    return path
