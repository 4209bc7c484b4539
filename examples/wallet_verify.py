"""Tutorial 2 — a wallet verifies imported credentials of every shape and shows the report.

Run: ``.venv/bin/python examples/wallet_verify.py [FILE ...]``. Without files, it makes
its own: an Open Badges 3.0 credential as JSON, as a JWT, baked into PNG and SVG
images, and a tampered copy.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

from PIL import Image

from microcred_vc import (
    build_micro_credential,
    generate_key,
    issue,
    load_course_spec,
    load_roster,
    verify,
)
from microcred_vc.bake import bake_png, bake_svg
from microcred_vc.keys import Resolver

HERE = Path(__file__).resolve().parent
MARK = {"pass": "✔", "fail": "✘", "skip": "–", "warn": "!"}


#: The controller documents the wallet knows (a did:web issuer's did.json, fetched or given).
RESOLVER = Resolver()


def show(name: str, imported: Any) -> bool:
    """What a wallet shows a person: the format seen, each check, the verdict."""
    report = verify(imported, resolver=RESOLVER)
    print(f"\n{name}: {'VERIFIED' if report.verified else 'NOT VERIFIED'}")
    for check in report.checks:
        print(f"  {MARK[check.status]} {check.name:<9} {check.message}")
    return report.verified


def samples() -> dict[str, Any]:
    course = load_course_spec(HERE / "course.json")
    mc = build_micro_credential(course, next(iter(load_roster(HERE / "roster.csv"))))
    key = generate_key("P-256", controller=mc.issuer.id)  # the institution's own did:web
    RESOLVER.add_document(key.did_document())  # its did.json, as if fetched from the web
    vc = issue(mc, key, cryptosuite="ecdsa-rdfc-2019")
    jwt = issue(mc, key, envelope="jwt")
    png = io.BytesIO()
    Image.new("RGB", (120, 120), "#003399").save(png, format="PNG")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"><circle cx="60" cy="60" r="50" fill="#ffcc00"/></svg>'
    tampered = json.loads(json.dumps(vc))
    tampered["credentialSubject"]["achievement"]["creditsAvailable"] = 60
    return {
        "OB3 JSON (ecdsa-rdfc-2019)": json.dumps(vc),
        "OB3 as a JWT": jwt,
        "baked PNG badge": bake_png(png.getvalue(), vc),
        "baked SVG badge (JWT inside)": bake_svg(svg, jwt),
        "tampered credential (60 ECTS instead of 5)": tampered,
    }


def main(files: list[str]) -> dict[str, bool]:
    items = {f: Path(f).read_bytes() for f in files} if files else samples()
    return {name: show(name, value) for name, value in items.items()}


if __name__ == "__main__":
    main(sys.argv[1:])
