"""The tutorial scripts run as users run them, and say what the tutorials promise."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.fixture_paths import REPO


def _run(script: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(REPO / "examples" / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        # this checkout's package, not whichever one the interpreter has installed
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_lms_tutorial(tmp_path) -> None:
    out = _run("lms_issue.py", str(tmp_path))
    assert "failed 0" in out
    assert "verified: True - issued by did:web:micro.tudublin.example.ie" in out
    assert "after revocation: False - revoked" in out and "academic misconduct" in out
    assert len(list((tmp_path / "issued").glob("*.json"))) >= 50


def test_wallet_tutorial() -> None:
    out = _run("wallet_verify.py")
    assert out.count(": VERIFIED") == 4
    assert "tampered credential (60 ECTS instead of 5): NOT VERIFIED" in out


def test_integrator_tutorial() -> None:
    out = _run("integrator_convert.py")
    assert "re-signed OB3 verifies: True" in out
    assert "OB2 badge as found: incomplete, missing" in out
    assert "M11 Type of quality assurance" in out
    assert "OB2 → EDC refused [EDC_ISSUER_NO_LEGAL_ID]" in out  # the EDC AP's issuer rule
    assert "OB2 → EDC with require='annex-i' refused [ANNEX_I_INCOMPLETE]" in out
    assert "OB3 → EDC:" in out and "EDC → OB3:" in out
    assert '"EuropeanDigitalCredential"' in out


def test_integrator_forms_tutorial() -> None:
    """Oracle: the official samples the script reads (the 1EdTech basic badge, EDCI's
    flattened EDC and XML samples, the EC's ELM 3 samples) and the tutorial's claims:
    a badge alone is refused as an EDC, the course completes all but the learner's name
    (a course file knows no learner), the invalid XML sample fails its XSD, and a
    folder converts every credential and names the one file that is not."""
    out = _run("integrator_forms.py")
    assert "badge alone → EDC refused [EDC_ISSUER_NO_LEGAL_ID]" in out
    assert "still missing: M1 Learner identification" in out
    assert "flattened EDC → OB3: 'some kind of learning achievement'" in out
    assert "EDCI XML → OB3: 'Techniques de couture'" in out
    assert "invalid EDCI XML refused [EDCI_XML_INVALID]" in out
    assert "folder: 4 converted, 1 failed (exit 3)" in out


def _documented_output(page: str) -> list[str]:
    """The first ``text`` block after "Output" on a guide page: what the docs promise."""
    text = (REPO / "docs" / "guides" / page).read_text()
    block = text.split("Output", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    return [line.rstrip() for line in block.splitlines() if line.strip()]


def _matches(shown: list[str], printed: list[str]) -> None:
    """Each documented line is printed, in order; ``…`` in a line stands for a varying id."""
    import re

    assert len(printed) == len(shown), printed
    for want, got in zip(shown, printed, strict=True):
        pattern = ".*".join(re.escape(part) for part in want.split("…"))
        assert re.fullmatch(pattern, got), (want, got)


def test_resolver_guide_prints_what_its_page_shows() -> None:
    """Oracle: the guide page's own Output block (docs and behaviour cannot drift apart):
    a did:web key is not found offline (NETWORK_DISABLED), and is with the document."""
    out = _run("resolve_did_web.py")
    _matches(_documented_output("resolvers.md"), [ln.rstrip() for ln in out.splitlines()])


def test_jwt_guide_prints_what_its_page_shows() -> None:
    """Oracle: the page's Output block — PS256 refused until allowed, an embedded jwk
    self-asserted until trusted (the OB 3.0 / RFC 7515 rules the page states)."""
    out = _run("jwt_roundtrip.py")
    _matches(_documented_output("jwt.md"), [ln.rstrip() for ln in out.splitlines()])


def test_shacl_guide_prints_what_its_page_shows() -> None:
    """Oracle: pyshacl on the EC's official EDC-generic-full.ttl (from ../shared) finds no
    violation in the example EDC, and the page's Output block shows the same."""
    from tests.fixture_paths import FIXTURES

    official = FIXTURES / "edc" / "elm" / "rdf" / "ap" / "edc" / "EDC-generic-full.ttl"
    out = _run("edc_shacl.py", str(official))
    _matches(_documented_output("shacl.md"), [ln.rstrip() for ln in out.splitlines()])


def test_sealing_guide_prints_what_its_page_shows() -> None:
    """Oracle: the page's Output block, and JAdES/X.509 rules it states — a changed
    payload breaks the signature, an anchor that did not issue the chain is untrusted."""
    out = _run("seal_edc.py")
    _matches(_documented_output("sealing.md"), [ln.rstrip() for ln in out.splitlines()])
