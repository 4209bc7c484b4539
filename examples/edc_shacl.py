"""Guide — check an EDC against SHACL shapes before anyone else does.

Run: ``.venv/bin/python examples/edc_shacl.py [SHAPES.ttl ...]``. It dumps the example
course's micro-credential as a Europass EDC and validates it with pyshacl: against the
library's micro-credential shapes (Annex I elements), and against the official EDC
application-profile shapes when you name them (``EDC-generic-full.ttl`` from the EC's
ELM repository). Then it removes the title and shows the finding a person gets.
"""

from __future__ import annotations

import sys
from pathlib import Path

from microcred_vc import build_micro_credential, load_course_spec, load_roster
from microcred_vc.formats import edc
from microcred_vc.validate.edc import MICROCREDENTIAL_SHAPES, validate_edc

HERE = Path(__file__).resolve().parent


def findings(doc: dict, shapes: Path) -> list:
    errors = [f for f in validate_edc(doc, shapes) if f.severity == "error"]
    print(f"{shapes.name}: {len(errors)} violation(s)")
    for finding in errors[:5]:
        print(f"  - {finding.path}: {finding.message[:100]}")
    return errors


def main(official: list[str]) -> None:
    course = load_course_spec(HERE / "course.json")
    mc = build_micro_credential(course, next(iter(load_roster(HERE / "roster.csv"))))
    doc = edc.dump(mc)
    for shapes in [MICROCREDENTIAL_SHAPES, *map(Path, official)]:
        findings(doc, shapes)
    broken = dict(doc)
    broken["credentialSubject"] = dict(doc["credentialSubject"])
    claims = [dict(c) for c in doc["credentialSubject"]["hasClaim"]]
    claims[0].pop("title", None)
    broken["credentialSubject"]["hasClaim"] = claims
    print("without the claim's title:")
    findings(broken, MICROCREDENTIAL_SHAPES)


if __name__ == "__main__":
    main(sys.argv[1:])
