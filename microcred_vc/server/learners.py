"""Issuing one learner's micro-credential for a registered course, exactly once.

What an LMS plugin sends is a learner record with the roster's columns (name,
email, id, grade, completion_date); the course it belongs to was registered
with ``PUT /courses/{id}``. The credential is built, checked and signed the
way ``microcred issue`` does it, with a status entry from the server's
registry.

Exactly once: a learner is claimed in the database (``store.py``) before any
status index is spent, so of many racing requests (a plugin retrying, two
workers, a bulk job and a single request) one issues and the others get the
same credential. A record that differs from the one issued (another grade,
another format) is a conflict, never a silent second credential.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from microcred_vc.errors import MicrocredError, RosterError
from microcred_vc.server.state import ServerState
from microcred_vc.status.bitstring import attach_status

FORMATS = ("ob3", "edc")
DEFAULT_SUITE = "eddsa-rdfc-2022"
#: How long a request waits for another request issuing the same learner.
WAIT_SECONDS = 30.0


class HttpProblem(Exception):
    """A refusal with its HTTP status (the routes turn it into problem details)."""

    def __init__(self, status: int, code: str, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.title, self.detail, self.extra = (
            status,
            code,
            title,
            detail,
            extra,
        )


@dataclass(frozen=True)
class Issued:
    """A learner's credential and whether this request created it."""

    credential: dict[str, Any]
    credential_uuid: str
    created: bool
    learner: str


def issued_urls(state: ServerState, credential_uuid: str) -> dict[str, str]:
    """Where the credential can be fetched (JSON) and checked by a person (page)."""
    base = f"{state.config.public_url.rstrip('/')}/issued/{credential_uuid}"
    return {"credentialUrl": base, "verifyUrl": f"{base}/verify"}


def issued_body(state: ServerState, issued: Issued) -> dict[str, Any]:
    return {
        "id": issued.credential.get("id"),
        "learner": issued.learner,
        **issued_urls(state, issued.credential_uuid),
        "credential": issued.credential,
    }


def check_record(record: Any) -> dict[str, Any]:
    """The learner record's cells: strings or numbers (a PHP integer id), nothing nested."""
    if not isinstance(record, dict):
        raise HttpProblem(
            400,
            "REQUEST_INVALID",
            "Invalid request",
            "the body must be a JSON object of the roster's columns, e.g. "
            '{"name": "…", "email": "…", "grade": "A", "completion_date": "2026-06-30"}',
        )
    bad = sorted(
        str(k)
        for k, v in record.items()
        if v is not None and (isinstance(v, bool) or not isinstance(v, str | int | float))
    )
    if bad:
        raise HttpProblem(
            422,
            "ROSTER_INVALID",
            "Learner record is not valid",
            f"column(s) {', '.join(bad)} must be text or a number, like a roster cell",
            problems=[f"{name}: must be text or a number" for name in bad],
        )
    return record


def parse_learner(record: dict[str, Any], row: int = 1, *, label: str | None = None) -> Any:
    """A checked ``LearnerRow``; a bad record is a 422 that names it as the client sent it."""
    from microcred_vc.model import learner_from_record

    try:
        return learner_from_record(record, row)
    except RosterError as exc:
        raise _learner_problem(exc, row, label) from None


def _learner_problem(exc: MicrocredError, row: int, label: str | None) -> HttpProblem:
    message = exc.message
    if label is not None:  # a single record has no spreadsheet row: name it as sent
        message = message.replace(f"Roster row {row}: ", f"{label}: ", 1)
    return HttpProblem(422, exc.code, exc.title, message, problems=[message])


def learner_key(row: Any) -> str:
    """Who the learner is, for "issued once": the email (case-folded), else the id."""
    return f"email:{row.email.casefold()}" if row.email else f"id:{row.learner_id}"


def fingerprint(row: Any, fmt: str, suite: str) -> str:
    """What was asked for: the same learner, record, format and suite are the same request."""
    cells = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in vars(row).items()}
    cells.pop("row", None)
    text = json.dumps({"learner": cells, "format": fmt, "cryptosuite": suite}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def check_options(fmt: str, suite: str) -> str:
    """The key type ``suite`` signs with here (refusals are the issuer's own, typed)."""
    from microcred_vc.server.issuing import _suite

    if fmt not in FORMATS:
        raise HttpProblem(
            400,
            "OPTION_UNSUPPORTED",
            "Unsupported option",
            f"format {fmt!r} is not issued here; use one of: {', '.join(FORMATS)}",
        )
    return _suite(suite, None)


def problem_list(exc: MicrocredError) -> list[str]:
    """Every problem a refusal found, as ``path: message`` lines (the model gives pairs)."""
    found = exc.details.get("problems") or [exc.message]
    return [": ".join(map(str, p)) if isinstance(p, list | tuple) else str(p) for p in found]


def course_or_404(state: ServerState, course_id: str) -> Any:
    """The registered course, checked again (the checks may have grown since it was stored)."""
    from microcred_vc.errors import CourseSpecError
    from microcred_vc.model import course_spec_from_dict

    stored = state.store.get_course(course_id)
    if stored is None:
        raise HttpProblem(
            404,
            "COURSE_NOT_FOUND",
            "No such course",
            f"no course {course_id!r} is registered here; register it with PUT /courses/{course_id}",
        )
    try:
        return course_spec_from_dict(stored["course"], source=course_id)
    except CourseSpecError as exc:
        raise HttpProblem(
            422,
            exc.code,
            exc.title,
            f"{exc.message}; register the corrected course with PUT /courses/{course_id}",
            problems=problem_list(exc),
        ) from None


def issue_learner(
    state: ServerState,
    course_id: str,
    course: Any,
    row: Any,
    *,
    fmt: str = "ob3",
    suite: str = DEFAULT_SUITE,
    label: str | None = "learner record",
) -> Issued:
    """The learner's credential for this course: issued now, or the one issued before."""
    key_type = check_options(fmt, suite)
    key = learner_key(row)
    wanted = fingerprint(row, fmt, suite)
    store = state.store
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        outcome, found = store.claim_learner(course_id, key, wanted, str(uuid.uuid4()))
        if outcome == "claimed":
            break
        if found.fingerprint != wanted:
            raise HttpProblem(
                409,
                "COURSE_LEARNER_CONFLICT",
                "Learner already issued",
                f"{key.split(':', 1)[1]} already holds a credential for course {course_id!r} "
                "issued from another record (or format); a learner is issued once per course",
                **issued_urls(state, found.credential_uuid),
            )
        if outcome == "issued":
            credential = json.loads(found.credential)
            return Issued(credential, found.credential_uuid, False, key.split(":", 1)[1])
        if time.monotonic() > deadline:
            raise HttpProblem(
                409,
                "COURSE_ISSUE_IN_PROGRESS",
                "Issue in progress",
                "another request is issuing this learner's credential; retry in a moment",
            )
        time.sleep(0.05)
    credential_uuid = found
    try:
        signed = _sign(
            state, course, row, (fmt, suite, key_type), credential_uuid, course_id, key, label
        )
    except BaseException:
        store.drop_claim(course_id, key)
        raise
    return Issued(signed, credential_uuid, True, key.split(":", 1)[1])


def _sign(
    state: ServerState,
    course: Any,
    row: Any,
    how: tuple[str, str, str],
    credential_uuid: str,
    course_id: str,
    learner: str,
    label: str | None,
) -> dict[str, Any]:
    """Build, check and sign; the status index is given back if anything fails."""
    from microcred_vc.formats.builtin import dump_document
    from microcred_vc.model import build_micro_credential
    from microcred_vc.proofs import issue_document
    from microcred_vc.proofs.issue import check_issuer
    from microcred_vc.validate.datamodel import require_datamodel

    fmt, suite, key_type = how
    credential_id = f"urn:uuid:{credential_uuid}"
    try:
        built = build_micro_credential(course, row, credential_id=credential_id)
    except RosterError as exc:
        raise _learner_problem(exc, row.row, label) from None
    doc = dump_document(built, fmt)
    signing_key = state.key_for_suite(suite, key_type)
    check_issuer(doc, signing_key)  # the course's issuer must be this service's DID
    require_datamodel(doc, require_issuance_date=False)  # before an index is spent
    config = state.config
    with state.registry.reserved_entry(
        config.status_list, "revocation", config.status_base_url, credential_id=credential_id
    ) as entry:
        attach_status(doc, entry)
        state.invalidate(config.status_list)
        signed = issue_document(doc, signing_key, cryptosuite=suite)
        # recorded before the block is left: a failure here gives the index back
        state.store.finish_learner(course_id, learner, signed)
    return signed
