"""The docs site builds in strict mode: a broken link or reference fails the suite."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixture_paths import REPO


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One strict build of the site, shared by the checks below."""
    out = tmp_path_factory.mktemp("docs") / "site"
    mkdocs = Path(sys.executable).with_name("mkdocs")
    proc = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return out


def test_mkdocs_strict_build(site: Path) -> None:
    mapping = (site / "reference" / "mapping" / "index.html").read_text()
    assert "Learner identification" in mapping and "creditsAvailable" in mapping
    errors = (site / "reference" / "errors" / "index.html").read_text()
    assert "CANON_BUDGET_EXCEEDED" in errors and "CONTEXT_NOT_ALLOWED" in errors
    assert "JWT_KEY_SELF_ASSERTED" in errors and "SEAL_UNTRUSTED" in errors  # check codes
    assert "issue-batch" in (site / "reference" / "cli" / "index.html").read_text()
    assert "/credentials/verify" in (site / "reference" / "http" / "index.html").read_text()
    assert "canonicalize_nquads" in (site / "reference" / "api" / "index.html").read_text()


TUTORIAL_SCRIPTS = {
    "tutorials/lms": "examples/lms_issue.py",
    "tutorials/wallet": "examples/wallet_verify.py",
    "tutorials/integrator": "examples/integrator_convert.py",
    "guides/resolvers": "examples/resolve_did_web.py",
    "guides/jwt": "examples/jwt_roundtrip.py",
    "guides/shacl": "examples/edc_shacl.py",
    "guides/sealing": "examples/seal_edc.py",
}


def test_built_tutorials_show_their_code(site: Path) -> None:
    """Oracle: the example scripts themselves — each tutorial page must contain the code of
    the script it includes, and no raw snippet marker (``--8<--``, or the ``--8 < --`` a
    code formatter once made of it) may survive anywhere in the built site."""
    for page, script in TUTORIAL_SCRIPTS.items():
        rendered = (site / page / "index.html").read_text()
        text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
        for line in (REPO / script).read_text().splitlines():
            if line.strip().startswith(("def ", "from microcred_vc")):
                assert line.strip() in text, f"{page}: {line.strip()!r} not in the built page"
    for built in site.rglob("*.html"):
        body = built.read_text()
        assert "--8<--" not in body and "--8 < --" not in body, built
