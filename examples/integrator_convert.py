"""Tutorial 3 — an integrator converts an OB2 badge and an OB3 credential to Europass EDC.

Run: ``.venv/bin/python examples/integrator_convert.py``
"""

from __future__ import annotations

import json
from pathlib import Path

from microcred_vc import (
    MicrocredError,
    build_micro_credential,
    convert,
    generate_key,
    issue,
    load_course_spec,
    load_roster,
    verify,
)
from microcred_vc.formats.builtin import load_document
from microcred_vc.keys import Resolver

HERE = Path(__file__).resolve().parent

#: A hosted Open Badges 2.0 assertion with its BadgeClass and Issuer embedded.
OB2_ASSERTION = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://badges.example.org/assertions/1",
    "recipient": {"type": "email", "hashed": False, "identity": "learner@example.org"},
    "issuedOn": "2024-05-01T12:00:00Z",
    "verification": {"type": "hosted"},
    "badge": {
        "type": "BadgeClass",
        "id": "https://badges.example.org/badges/python",
        "name": "Python Basics",
        "description": "Writes small Python programs.",
        "image": "https://badges.example.org/badges/python.png",
        "criteria": {"narrative": "Pass the final quiz."},
        "issuer": {
            "type": "Profile",
            "id": "https://badges.example.org/issuer",
            "name": "Example Academy",
            "url": "https://badges.example.org",
            "email": "badges@example.org",
        },
    },
}


def report(title: str, losses: list) -> None:
    print(f"\n{title}: {len(losses)} field(s) not carried")
    for loss in losses:
        print(f"  - {loss.field}: {loss.reason}")


def main() -> dict[str, object]:
    integrator_key = generate_key("Ed25519")

    # 1. OB2 → OB3: a direct upgrade (an OB2 badge is not a full micro-credential).
    upgraded = convert(OB2_ASSERTION, to="ob3")
    report("OB2 → OB3", upgraded.losses)
    # issue() never relabels an issuer: to vouch for the badge the integrator signs it in
    # its own name (the original issuer's key is not the integrator's to use)
    own = {**upgraded.document, "issuer": {"id": integrator_key.did, "type": ["Profile"]}}
    own["issuer"]["name"] = "Example Integrator (upgraded from an Open Badges 2.0 badge)"
    resigned = issue(own, integrator_key)
    print("re-signed OB3 verifies:", verify(resigned).verified)

    # 2. The badge read as found: nothing is invented, and the Annex I elements it lacks
    #    are named. An EDC of it is refused, though: the EDC profile requires the issuer's
    #    eIDAS legal identifier, which a badge platform's issuer does not have (give it
    #    with complete_with=, or take it from the seal certificate: seal_certificate=).
    #    require="annex-i" refuses such a credential in every target.
    found, _ = load_document(upgraded.document, "ob3")
    print(f"\nOB2 badge as found: {found.completeness.status}, missing")
    for gap in found.completeness.missing:
        print(f"  - {gap.code} {gap.element}")
    try:
        convert(OB2_ASSERTION, to="edc")
    except MicrocredError as exc:
        print(f"OB2 → EDC refused [{exc.code}]")
    try:
        convert(OB2_ASSERTION, to="edc", require="annex-i")
    except MicrocredError as exc:
        print(f"OB2 → EDC with require='annex-i' refused [{exc.code}]")

    # 3. An OB3 micro-credential → EDC → OB3, through the hub, with loss reports.
    course = load_course_spec(HERE / "course.json")
    mc = build_micro_credential(course, next(iter(load_roster(HERE / "roster.csv"))))
    institution = generate_key("Ed25519", controller=mc.issuer.id)  # the course's did:web
    ob3_vc = issue(mc, institution)
    edc = convert(ob3_vc, to="edc")
    report("OB3 → EDC", edc.losses)
    back = convert(edc.document, to="ob3")
    report("EDC → OB3", back.losses)
    sealed_ready = issue(edc.document, institution)  # EDCs can carry a Data Integrity proof too
    resolver = Resolver(documents={institution.did: institution.did_document()})
    print(
        "EDC with a Data Integrity proof verifies:",
        verify(sealed_ready, resolver=resolver).verified,
    )
    print("\nEDC credential types:", json.dumps(edc.document["type"]))
    return {"upgraded": resigned, "edc": edc.document, "ob3": back.document}


if __name__ == "__main__":
    main()
