"""Tutorial 3, part 2 — every form an integrator meets: a badge completed from a course
file, a flattened EDC, an EDCI 1.x XML credential, and a whole folder at once.

Run from the repository (the European Commission's samples are read from
``../shared/fixtures``, or from ``$MICROCRED_FIXTURES``)::

    .venv/bin/python examples/integrator_forms.py
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from microcred_vc import MicrocredError, convert
from microcred_vc.cli import main as microcred

HERE = Path(__file__).resolve().parent
FIXTURES = Path(os.environ.get("MICROCRED_FIXTURES", HERE.parent.parent / "shared" / "fixtures"))
BADGE = (
    FIXTURES
    / "ob3"
    / "spec-examples"
    / "examples_basicOpenBadgeCredential--00-sample-openbadgecredential.json"
)
FLAT_EDC = next(FIXTURES.glob("edc/edci/**/credFlatten.jsonld"))
XML = FIXTURES / "edc" / "edci-xml"


def completed_badge() -> None:
    """A badge platform's OB3 plus the institution's course spec gives a valid EDC."""
    badge = json.loads(BADGE.read_text(encoding="utf-8"))
    try:
        convert(badge, to="edc")
    except MicrocredError as exc:
        print(f"badge alone → EDC refused [{exc.code}]")
    course = json.loads((HERE / "course.json").read_text(encoding="utf-8"))
    # the course describes the issuer the badge names: one organisation, one id
    course["issuer"]["id"] = course["awarding_bodies"][0]["id"] = badge["issuer"]["id"]
    result = convert(badge, to="edc", complete_with=course)
    print(f"badge + course → EDC: {result.completeness.status}")
    print(f"  supplied by the course: {len(result.completeness.supplied)} element(s)")
    for gap in result.completeness.missing:  # what neither the badge nor the course knows
        print(f"  still missing: {gap.code} {gap.element}")


def flattened_edc() -> None:
    """A flattened (@graph) EDC is framed, then read like any other."""
    flat = json.loads(FLAT_EDC.read_text(encoding="utf-8"))
    result = convert(flat, to="ob3")
    print(f"flattened EDC → OB3: {result.document['name']!r}, {result.completeness.status}")


def xml_edc() -> None:
    """An EDCI 1.x XML credential is checked against its XSD, then read into the hub."""
    os.environ["MICROCRED_EDCI_XSD"] = str(XML / "xsd")  # the caller's copy of the XSDs
    sewing = convert((XML / "samples" / "sewing_course.xml").read_bytes(), to="ob3")
    print(f"EDCI XML → OB3: {sewing.document['name']!r}, {len(sewing.losses)} loss(es) named")
    try:
        convert((XML / "samples" / "credential-generic-profile-xsd-ko.xml").read_bytes(), to="ob3")
    except MicrocredError as exc:
        print(f"invalid EDCI XML refused [{exc.code}]")


def folder() -> None:
    """``microcred convert DIR --to ob3 --out DIR``: one process, a report per file."""
    with tempfile.TemporaryDirectory() as tmp:
        inbox, outbox = Path(tmp, "in"), Path(tmp, "out")
        inbox.mkdir()
        for sample in sorted((FIXTURES / "edc" / "elm-v3-samples").glob("*.jsonld")):
            shutil.copy(sample, inbox / sample.name)
        (inbox / "not-a-credential.json").write_text('{"hello": "world"}')
        code = microcred(["convert", str(inbox), "--to", "ob3", "--out", str(outbox)])
        summary = json.loads((outbox / "convert-summary.json").read_text())
        print(
            f"\nfolder: {summary['converted']} converted, {summary['failed']} failed (exit {code})"
        )
        reports = sorted(p.name for p in outbox.glob("*.report.json"))
        print(f"  loss reports: {len(reports)}, e.g. {reports[0]}")


def main() -> None:
    completed_badge()
    flattened_edc()
    xml_edc()
    folder()


if __name__ == "__main__":
    main()
