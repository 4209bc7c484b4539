"""``microcred convert DIR --to edc --out DIR``: one process for a folder of credentials.

Oracles: the official 1EdTech OB3 examples and the EC's EDC Annex I sample as
inputs, and the library's own in-process ``convert()`` of the same file (the
per-file report must say exactly what the API says); properties for the rest
(nothing written for a failed file, exit code, single-file mode unchanged).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from microcred_vc.api import convert
from tests.fixture_paths import FIXTURES, REPO

OB3 = sorted((FIXTURES / "ob3" / "spec-examples").glob("*basicOpenBadge*"))[0]
ANNEX = FIXTURES / "edc" / "elm-v3-samples" / "Sample-MC-Annex1-unsigned.jsonld"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "edc").mkdir(parents=True)
    shutil.copy(OB3, src / "badge.json")
    shutil.copy(ANNEX, src / "edc" / "annex.jsonld")
    (src / "broken.json").write_text('{"not": "a credential"}', encoding="utf-8")
    (src / ".hidden.json").write_text("{}", encoding="utf-8")
    return src


def _course(tmp_path: Path) -> tuple[Path, dict]:
    """The example course as the badge issuer's own (same id): it completes the badge,
    its eIDAS identifier included, and nobody else (the EC sample's issuer is another)."""
    course = json.loads((REPO / "examples" / "course.json").read_text(encoding="utf-8"))
    issuer = json.loads(OB3.read_text(encoding="utf-8"))["issuer"]["id"]
    course["issuer"]["id"] = course["awarding_bodies"][0]["id"] = issuer
    path = tmp_path / "course.json"
    path.write_text(json.dumps(course), encoding="utf-8")
    return path, course


def test_folder_converts_each_file_with_its_report(run, folder: Path, tmp_path: Path) -> None:
    """Property + oracle: a good file gets NAME.edc.json and a report equal to the API's
    losses and completeness; a file the EDC profile refuses (the EC's unsigned Annex I
    sample names no issuer legal identifier) and the broken file get nothing; exit code
    3; a summary table."""
    out = tmp_path / "out"
    course_file, course = _course(tmp_path)
    result = run(
        "convert", str(folder), "--to", "edc", "--complete-with", str(course_file),
        "--out", str(out),
    )  # fmt: skip
    assert result.code == 3, result.err
    assert "converting" in result.out and "1 converted, 2 failed" in result.out
    assert "broken.json: [UNKNOWN_FORMAT]" in result.err
    assert "annex.jsonld: [EDC_ISSUER_NO_LEGAL_ID]" in result.err
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        "badge.edc.json",
        "badge.edc.report.json",
        "convert-summary.json",
    ]  # nothing for the refused files (no partial file, no temp file), nor .hidden.json
    api = convert(OB3.read_bytes(), to="edc", complete_with=course)
    report = json.loads((out / "badge.edc.report.json").read_text())
    assert report["source_format"] == "ob3" and report["target_format"] == "edc"
    assert report["losses"] == [{"field": x.field, "reason": x.reason} for x in api.losses]
    assert report["completeness"] == api.completeness.to_dict()
    edc = json.loads((out / "badge.edc.json").read_text())
    assert "EuropeanDigitalCredential" in edc["type"]
    summary = json.loads((out / "convert-summary.json").read_text())
    assert (summary["converted"], summary["failed"]) == (1, 2)
    failed = [f for f in summary["files"] if f["status"] == "failed"]
    assert [f["code"] for f in failed] == ["UNKNOWN_FORMAT", "EDC_ISSUER_NO_LEGAL_ID"]
    assert failed[:1] == [
        {
            "source": "broken.json",
            "status": "failed",
            "losses": 0,
            "findings": 0,
            "code": "UNKNOWN_FORMAT",
            "message": failed[0]["message"],
        }
    ]


def test_all_good_exits_zero_and_a_file_that_now_fails_leaves_nothing(
    run, folder: Path, tmp_path: Path
) -> None:
    """Property: exit 0 when every file converts; rerun after a file turned bad, its old
    output and report are gone (the folder says what this run produced)."""
    (folder / "broken.json").unlink()
    out = tmp_path / "out"
    assert run("convert", str(folder), "--to", "ob3", "--out", str(out)).code == 0
    assert (out / "edc" / "annex.ob3.json").is_file()
    (folder / "edc" / "annex.jsonld").write_text("{}", encoding="utf-8")
    again = run("convert", str(folder), "--to", "ob3", "--out", str(out))
    assert again.code == 3
    assert not (out / "edc" / "annex.ob3.json").exists()
    assert not (out / "edc" / "annex.ob3.report.json").exists()
    assert (out / "badge.ob3.json").is_file()


def test_unknown_vocabulary_concept_is_a_finding_not_a_failure(
    run, folder: Path, tmp_path: Path
) -> None:
    """Oracle: the EC Annex I sample names EQF level 6 (eqf.xsd lists 1–8); the same
    sample naming level 9 still converts, and its report carries VOCAB_CONCEPT_UNKNOWN."""
    text = ANNEX.read_text(encoding="utf-8")
    assert "http://data.europa.eu/snb/eqf/6" in text
    (folder / "edc" / "annex.jsonld").write_text(
        text.replace("http://data.europa.eu/snb/eqf/6", "http://data.europa.eu/snb/eqf/9"),
        encoding="utf-8",
    )
    (folder / "broken.json").unlink()
    out = tmp_path / "out"
    assert run("convert", str(folder), "--to", "ob3", "--out", str(out)).code == 0
    report = json.loads((out / "edc" / "annex.ob3.report.json").read_text())
    assert [(f["code"], f["iri"]) for f in report["vocabulary"]] == [
        ("VOCAB_CONCEPT_UNKNOWN", "http://data.europa.eu/snb/eqf/9")
    ]
    clean = json.loads((out / "badge.ob3.report.json").read_text())
    assert clean["vocabulary"] == []


def test_folder_needs_an_output_folder(run, folder: Path) -> None:
    result = run("convert", str(folder), "--to", "edc")
    assert result.code == 2 and "--out" in result.err


def test_single_file_mode_is_unchanged(run, tmp_path: Path) -> None:
    """Property: a file argument still writes one document to --out (or stdout)."""
    out = tmp_path / "one.json"
    result = run("convert", str(ANNEX), "--to", "ob3", "--out", str(out))
    assert result.code == 0, result.err
    assert "OpenBadgeCredential" in json.loads(out.read_text())["type"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.json"]
    printed = run("convert", str(ANNEX), "--to", "ob3")
    assert "OpenBadgeCredential" in json.loads(printed.out)["type"]
