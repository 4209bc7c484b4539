"""Courses for LMSs: register a course once, then issue each learner's micro-credential.

``POST /credentials/issue`` keeps its W3C VC API meaning (sign the finished
credential the client sends). An LMS plugin (PHP in Moodle, Ruby in Canvas)
should not have to build OB3 or EDC JSON-LD itself, so these routes take what
the LMS already has: the course spec the CLI reads from ``course.json``
(``PUT /courses/{id}``, checked with the same course checks) and one learner
record with the roster's columns (``POST /courses/{id}/credentials``).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from microcred_vc.server.idempotency import answer_once
from microcred_vc.server.learners import (
    DEFAULT_SUITE,
    HttpProblem,
    check_options,
    check_record,
    course_or_404,
    issue_learner,
    issued_body,
    parse_learner,
    problem_list,
)
from microcred_vc.server.state import ServerState, problem, require_token

router = APIRouter(tags=["courses"])
COURSE_ID = Path(..., max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
CREDENTIAL_UUID = Path(
    ..., pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
FORMAT = Query("ob3", description="ob3 (Open Badges 3.0) or edc (Europass EDC)")
SUITE = Query(DEFAULT_SUITE, max_length=64, description="the cryptosuite to sign with")
RESPONSES: dict[int | str, dict[str, Any]] = {400: {}, 401: {}, 404: {}, 409: {}, 422: {}}


def _state(request: Request) -> ServerState:
    return request.app.state.microcred


def as_problem(exc: HttpProblem) -> JSONResponse:
    return problem(exc.status, exc.code, exc.title, exc.detail, **exc.extra)


def json_body(raw: bytes) -> Any:
    """The request's JSON (the middleware already refused duplicate members and NaN)."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise HttpProblem(
            400, "REQUEST_INVALID", "Invalid request", "the body must be JSON (UTF-8)"
        ) from None


def _issuer_id(spec: Any) -> str | None:
    issuer = spec.data.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _check_issuer(state: ServerState, spec: Any) -> None:
    """The course must name a DID this service signs as: it never replaces the issuer."""
    from microcred_vc.proofs.suites import DEFAULT_SUITES
    from microcred_vc.server.issuing import _issuing_suites

    dids = {
        state.issuer_did(name, key_type)
        for name in _issuing_suites()
        for key_type in DEFAULT_SUITES.get(name).key_types
    }
    named = _issuer_id(spec)
    if named not in dids:
        default = state.issuer_did(DEFAULT_SUITE)
        raise HttpProblem(
            422,
            "COURSE_ISSUER_MISMATCH",
            "Course names another issuer",
            f"the course names issuer {named!r}, but this service signs as {default} "
            "(GET /issuers lists each signing DID); set issuer.id in the course to it, or "
            "configure the service with the institution's did:web (did_web in settings.toml)",
            problems=[f"issuer.id: {named!r} is not a DID this service signs as"],
        )


def _put_course(state: ServerState, course_id: str, raw: bytes) -> JSONResponse:
    from microcred_vc.errors import CourseSpecError
    from microcred_vc.model import course_spec_from_dict

    data = json_body(raw)
    try:
        spec = course_spec_from_dict(data, source=course_id)
    except CourseSpecError as exc:
        raise HttpProblem(
            422,
            exc.code,
            exc.title,
            exc.message,
            problems=problem_list(exc),
        ) from None
    _check_issuer(state, spec)
    revision, new = state.store.put_course(course_id, data)
    body = {
        "id": course_id,
        "revision": revision,
        "title": spec.title,
        "warnings": list(spec.warnings),
        "credentialsUrl": f"/courses/{course_id}/credentials",
    }
    return JSONResponse(body, status_code=201 if new else 200)


@router.put("/courses/{course_id}", status_code=201, responses=RESPONSES)
async def put_course(
    request: Request, course_id: str = COURSE_ID, _: str = Depends(require_token)
) -> JSONResponse:
    """Register (201) or replace (200) a course: the course spec, as in ``course.json``.

    Checked with the CLI's course checks: every problem is listed (422), and
    warnings that do not stop issuing are returned.
    """
    raw = await request.body()
    try:
        return await run_in_threadpool(_put_course, _state(request), course_id, raw)
    except HttpProblem as exc:
        return as_problem(exc)


@router.get("/courses/{course_id}", responses=RESPONSES)
def get_course(
    request: Request, course_id: str = COURSE_ID, _: str = Depends(require_token)
) -> JSONResponse:
    """The registered course spec, exactly as it was sent, with its revision."""
    stored = _state(request).store.get_course(course_id)
    if stored is None:
        return problem(404, "COURSE_NOT_FOUND", "No such course", f"no course {course_id!r}")
    return JSONResponse(stored)


@router.get("/courses", responses=RESPONSES)
def list_courses(request: Request, _: str = Depends(require_token)) -> JSONResponse:
    """Every registered course: id, revision, last change."""
    found = _state(request).store.list_courses()
    return JSONResponse({"courses": [{k: v for k, v in c.items() if k != "course"} for c in found]})


def _issue_one(
    state: ServerState, course_id: str, raw: bytes, fmt: str, suite: str
) -> JSONResponse:
    try:
        check_options(fmt, suite)
        course = course_or_404(state, course_id)
        row = parse_learner(check_record(json_body(raw)), label="learner record")
        issued = issue_learner(state, course_id, course, row, fmt=fmt, suite=suite)
    except HttpProblem as exc:
        return as_problem(exc)
    body = issued_body(state, issued)
    response = JSONResponse(body, status_code=201 if issued.created else 200)
    response.headers["Location"] = body["credentialUrl"]
    return response


@router.post("/courses/{course_id}/credentials", status_code=201, responses=RESPONSES)
async def issue_for_learner(
    request: Request,
    course_id: str = COURSE_ID,
    format: str = FORMAT,
    cryptosuite: str = SUITE,
    token: str = Depends(require_token),
) -> JSONResponse:
    """Issue the learner's micro-credential (201), or return the one issued before (200).

    The body is one learner record with the roster's columns: ``name`` (or
    ``given_name`` and ``family_name``), ``email`` and/or ``id``, ``grade``,
    ``completion_date``. A learner is issued once per course; send an
    ``Idempotency-Key`` to have a retried request answered exactly as the first.
    """
    raw = await request.body()
    state = _state(request)
    return await answer_once(
        request, state, token, raw, lambda: _issue_one(state, course_id, raw, format, cryptosuite)
    )


@router.get("/issued/{credential_uuid}", responses={404: {}})
def issued_credential(request: Request, credential_uuid: str = CREDENTIAL_UUID) -> JSONResponse:
    """A credential issued for a course: a public document, as the learner shares it."""
    found = _state(request).store.issued_credential(credential_uuid)
    if found is None:
        return problem(404, "NOT_FOUND", "No such credential", credential_uuid)
    return JSONResponse(found, media_type="application/vc+ld+json")


@router.get("/issued/{credential_uuid}/verify", response_class=HTMLResponse, responses={404: {}})
async def issued_verify_page(
    request: Request, credential_uuid: str = CREDENTIAL_UUID
) -> HTMLResponse:
    """The verify page for an issued credential: what a person opening its verify URL sees."""
    from microcred_vc.api import verify
    from microcred_vc.server.page import _verified_page

    state = _state(request)
    found = await run_in_threadpool(state.store.issued_credential, credential_uuid)
    if found is None:
        return HTMLResponse("no such credential", status_code=404)
    text = json.dumps(found, indent=2, ensure_ascii=False)
    return await run_in_threadpool(_verified_page, verify, found, text, state.verify_options())
