"""Shared by the LMS server tests: a course naming the server as issuer, and the oracles.

The oracles are the library's own ``verify`` (proof, data model, status against the
server's registry) and the official OB3 JSON schema from ``../shared/fixtures``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from microcred_vc.server.run import RunningServer
from tests.fixture_paths import FIXTURES
from tests.server.conftest import server_did

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
OB3_SCHEMA = FIXTURES / "ob3" / "schemas" / "ob_v3p0_achievementcredential_schema.json"


def course_for(server: RunningServer) -> dict[str, Any]:
    """examples/course.json with the server's DID as issuer (and first awarding body)."""
    course = json.loads((EXAMPLES / "course.json").read_text(encoding="utf-8"))
    did = server_did(server)
    old = course["issuer"]["id"]
    course["issuer"]["id"] = did
    for body in course["awarding_bodies"]:
        if body["id"] == old:
            body["id"] = did
    return copy.deepcopy(course)


def ob3_schema_errors(doc: dict[str, Any]) -> list[str]:
    """Violations of the official OB 3.0 AchievementCredential JSON schema.

    Applied by ``validate_ob3``, which reads a single value as the array of one it
    is in JSON-LD (the schema wants ``proof`` as an array; VC DI allows one object).
    """
    from microcred_vc.validate.ob3 import errors, validate_ob3

    return [str(f) for f in errors(validate_ob3(doc, OB3_SCHEMA.parent))]


def verified(server: RunningServer, credential: dict[str, Any]) -> Any:
    """The library's report, with the status checked in the server's own registry."""
    from microcred_vc import verify
    from microcred_vc.status import StatusRegistry

    with StatusRegistry(server.config.status_url) as registry:
        return verify(credential, registry=registry)


def status_entries(server: RunningServer, credential_id: str) -> list[tuple[str, int]]:
    from microcred_vc.status import StatusRegistry

    with StatusRegistry(server.config.status_url) as registry:
        return registry.entries_for_credential(credential_id)
