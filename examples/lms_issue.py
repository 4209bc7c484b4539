"""Tutorial 1 — an LMS issues micro-credentials from a course and a roster, with revocation.

Run: ``.venv/bin/python examples/lms_issue.py [OUT_DIR]``
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from microcred_vc import generate_key, issue_batch, load_course_spec, load_roster, verify
from microcred_vc.keys import Resolver
from microcred_vc.status import StatusRegistry

HERE = Path(__file__).resolve().parent


def main(out: Path) -> None:
    # 1. The course (shared by every learner) and the roster (one row per learner).
    course = load_course_spec(HERE / "course.json")
    learners = list(load_roster(HERE / "roster.csv"))

    # 2. The institution's key, controlled by its own DID (the course's did:web issuer).
    #    Keep the key file private (mode 0600); publish did.json at
    #    https://micro.tudublin.example.ie/.well-known/did.json so verifiers find the key.
    institution = course.data["issuer"]["id"]
    key = generate_key("Ed25519", controller=institution)
    key.save(out / "issuer-key.json")
    (out / "did.json").write_text(json.dumps(key.did_document(), indent=2))
    # A verifier with the did.json (fetched from the web, or given offline as here).
    resolver = Resolver(documents={key.did: key.did_document()})

    # 3. A status registry (SQLite file; use postgresql+psycopg://… in production).
    with StatusRegistry(f"sqlite:///{out / 'status.db'}") as registry:
        # 4. Issue everyone's credential; files are written atomically, the run resumes.
        result = issue_batch(
            course,
            learners,
            key,
            out_dir=out / "issued",
            registry=registry,
            status_base_url="https://lms.example.edu/status",
        )
        print(f"issued {result.issued}, skipped {result.skipped}, failed {result.failed}")

        # 5. A learner's credential verifies ...
        first = result.items[0].credential
        report = verify(first, registry=registry, resolver=resolver)
        print("verified:", report.verified, "- issued by", first["issuer"]["id"])

        # 6. ... until the institution revokes it.
        registry.set_status(first, revoked=True, reason="academic misconduct")
        report = verify(first, registry=registry, resolver=resolver)
        print("after revocation:", report.verified, "-", report.check("status").message)

        # 7. The status list to publish at https://lms.example.edu/status/revocation-1
        status_list = registry.publish(
            "revocation-1", key, base_url="https://lms.example.edu/status"
        )
        print("status list:", status_list["id"])


if __name__ == "__main__":
    if len(sys.argv) > 1:
        target = Path(sys.argv[1])
        target.mkdir(parents=True, exist_ok=True)
        main(target)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
