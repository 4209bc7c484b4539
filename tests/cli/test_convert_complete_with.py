"""``microcred convert --complete-with course.yaml``: filled elements are reported as supplied.

Oracle: an official 1EdTech OB3 example (input) and the example course; the
assertion is on what the command says and writes, not on library internals.
"""

from __future__ import annotations

import json

from tests.fixture_paths import FIXTURES, REPO

EXAMPLE = next((FIXTURES / "ob3" / "spec-examples").glob("*basicOpenBadge*"))


def test_complete_with_reports_supplied_elements(run, tmp_path):
    doc = json.loads(EXAMPLE.read_text())
    course = json.loads((REPO / "examples" / "course.json").read_text())
    course["issuer"]["id"] = course["awarding_bodies"][0]["id"] = doc["issuer"]["id"]
    (tmp_path / "course.json").write_text(json.dumps(course))
    out = tmp_path / "out.json"
    result = run(
        "convert", str(EXAMPLE), "--to", "edc", "--complete-with", str(tmp_path / "course.json"),
        "--out", str(out),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "supplied (not found): assessments" in result.err
    assert "supplied (not found): issuer.country" in result.err
    edc = json.loads(out.read_text())
    assert edc["issuer"]["location"][0]["address"]["countryCode"]["id"].endswith("/IRL")


def test_require_annex_i_refuses_the_plain_badge(run):
    result = run("convert", str(EXAMPLE), "--to", "edc", "--require", "annex-i")
    assert result.code != 0
    assert "ANNEX_I_INCOMPLETE" in result.err or "Type of assessment" in result.err
