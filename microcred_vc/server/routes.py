"""W3C VC API routes: issue per cryptosuite, verify credentials and presentations, status."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from microcred_vc.errors import JsonLdError, MicrocredError, UnknownCryptosuite
from microcred_vc.server.app import ServerState, problem, require_token

router = APIRouter()

VC1 = "https://www.w3.org/2018/credentials/v1"
DI_V2 = "https://w3id.org/security/data-integrity/v2"


class IssueOptions(BaseModel):
    credentialStatus: dict[str, Any] | None = Field(
        default=None,
        description='e.g. {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}',
    )
    created: str | None = None


class IssueRequest(BaseModel):
    credential: dict[str, Any]
    options: IssueOptions | None = None


class VerifyOptions(BaseModel):
    challenge: str | None = None
    domain: str | None = None


class VerifyRequest(BaseModel):
    verifiableCredential: dict[str, Any] | str
    options: VerifyOptions | None = None


class PresentationVerifyRequest(BaseModel):
    verifiablePresentation: dict[str, Any]
    options: VerifyOptions | None = None


class StatusChange(BaseModel):
    credential: dict[str, Any] = Field(description="The issued credential whose status changes.")
    status: Literal["revoked", "suspended", "active"]
    reason: str | None = Field(default=None, max_length=500)


class Check(BaseModel):
    name: str
    status: Literal["pass", "fail", "skip"]
    message: str
    code: str | None = None


class Report(BaseModel):
    verified: bool
    format: str | None = None
    checks: list[Check]
    errors: list[str]


def _state(request: Request) -> ServerState:
    return request.app.state.microcred


def _suites() -> list[str]:
    """The suites this service issues with (legacy verify-only suites are not offered)."""
    from microcred_vc.proofs import available_suites, get_suite

    return [name for name in available_suites() if get_suite(name).issuable]


def _issue(state: ServerState, body: IssueRequest, suite: str) -> JSONResponse:
    from microcred_vc.proofs import available_suites, issue_document

    if suite not in available_suites():
        raise UnknownCryptosuite(
            f"unknown cryptosuite {suite!r}; supported: {', '.join(_suites())}"
        )
    if suite not in _suites():  # a legacy suite: verified, never issued
        from microcred_vc.errors import ProofCreationError

        raise ProofCreationError(
            f"{suite} is a legacy suite this service verifies but never issues; "
            f"issue with one of: {', '.join(_suites())}",
            code="SUITE_VERIFY_ONLY",
            suite=suite,
        )
    doc = dict(body.credential)
    if doc.get("proof") is not None:
        return problem(
            400, "ALREADY_SIGNED", "Credential already has a proof", "send the unsigned credential"
        )
    doc.pop("proof", None)
    if "id" in doc and not isinstance(doc["id"], str):
        # Refused here, before a status index is spent on it (and before the
        # registry is asked to store an object as a credential id).
        raise JsonLdError('the credential "id" must be a string (a URL)', member="id")
    contexts = doc.get("@context")
    if isinstance(contexts, list) and contexts and contexts[0] == VC1 and DI_V2 not in contexts:
        doc["@context"] = [*contexts, DI_V2]
    options = body.options or IssueOptions()
    from microcred_vc.validate.datamodel import require_datamodel

    # refuse a credential that breaks the data model before a status index is spent on it
    # (the issuanceDate of a VC 1.1 credential is filled in when it is signed); the key
    # first as well: a list served from now on must carry its signature (lists.py)
    key = state.key_for_suite(suite)
    require_datamodel(doc, require_issuance_date=False)
    if options.credentialStatus is not None:
        purpose = options.credentialStatus.get("statusPurpose", "revocation")
        if purpose not in ("revocation", "suspension"):
            return problem(
                400, "STATUS_PURPOSE_INVALID", "Unsupported status purpose", f"{purpose!r}"
            )
        list_id = (
            state.config.status_list if purpose == "revocation" else state.config.suspension_list
        )
        # a refused issue gives its index back (issue #16): allocate, sign, or release
        with state.registry.reserved_entry(
            list_id, purpose, state.config.status_base_url, credential_id=doc.get("id")
        ) as entry:
            doc["credentialStatus"] = entry
            state.invalidate(list_id)
            signed = issue_document(doc, key, cryptosuite=suite, created=options.created)
        return JSONResponse({"verifiableCredential": signed}, status_code=201)
    signed = issue_document(doc, key, cryptosuite=suite, created=options.created)
    return JSONResponse({"verifiableCredential": signed}, status_code=201)


@router.post(
    "/credentials/issue", status_code=201, tags=["issue"], responses={400: {}, 401: {}, 422: {}}
)
def issue_default(
    body: IssueRequest, request: Request, _: str = Depends(require_token)
) -> JSONResponse:
    """Issue with the default cryptosuite (eddsa-rdfc-2022)."""
    return _issue(_state(request), body, "eddsa-rdfc-2022")


@router.post(
    "/{cryptosuite}/credentials/issue",
    status_code=201,
    tags=["issue"],
    responses={400: {}, 401: {}, 422: {}},
)
def issue_with_suite(
    body: IssueRequest,
    request: Request,
    cryptosuite: str = Path(..., max_length=64, pattern=r"^[A-Za-z0-9-]+$"),
    _: str = Depends(require_token),
) -> JSONResponse:
    """Issue with the cryptosuite named in the path."""
    return _issue(_state(request), body, cryptosuite)


def _report_response(report: Any) -> JSONResponse:
    return JSONResponse(report.to_dict(), status_code=200 if report.verified else 400)


@router.post(
    "/credentials/verify",
    tags=["verify"],
    response_model=Report,
    responses={400: {"model": Report}, 422: {}},
)
def verify_credential(body: VerifyRequest, request: Request) -> JSONResponse:
    """200 with the report when verified; 400 with the report when not."""
    from microcred_vc.api import verify

    state = _state(request)
    given = body.verifiableCredential
    if isinstance(given, str) and given.lstrip()[:1] in ("{", "["):
        # A string is accepted only as a compact JWT/JWS; JSON text where the VC API
        # requires an object is a client parsing error (W3C VC API conformance).
        return problem(
            400,
            "PARSING_ERROR",
            "Credential is not a JSON object",
            "verifiableCredential must be a JSON object (or a compact JWT), not JSON text",
        )
    report = verify(given, registry=state.registry)
    return _report_response(report)


@router.post(
    "/presentations/verify",
    tags=["verify"],
    response_model=Report,
    responses={400: {"model": Report}, 422: {}},
)
def verify_presentation(body: PresentationVerifyRequest, request: Request) -> JSONResponse:
    """Verify a presentation's proof (challenge, domain) and each credential in it."""
    from microcred_vc.proofs import verify_presentation as verify_vp
    from microcred_vc.status import check_status

    state = _state(request)
    options = body.options or VerifyOptions()

    def status_checker(doc: dict[str, Any]) -> Any:
        # the same status policy as /credentials/verify: a revoked credential must not
        # verify just because it arrives inside a presentation
        return check_status(doc, registry=state.registry)

    try:
        report = verify_vp(
            body.verifiablePresentation,
            challenge=options.challenge,
            domain=options.domain,
            status_checker=status_checker,
        )
    except MicrocredError as exc:
        return problem(400, exc.code, exc.title, exc.message)
    return _report_response(report)


@router.get("/status/{list_id}", tags=["status"], responses={404: {}})
def status_list(
    request: Request, list_id: str = Path(..., max_length=200, pattern=r"^[A-Za-z0-9._-]+$")
) -> JSONResponse:
    """The signed status list credential, as it is now, under the URL asked for."""
    from microcred_vc.server.lists import signed_list, url_for_request

    state = _state(request)
    url = url_for_request(
        state, list_id, request.url.path, request.headers.get("host"), fallback=True
    )
    if url is None:
        return problem(404, "STATUS_NOT_FOUND", "No such status list", list_id)
    return JSONResponse(signed_list(state, list_id, url), media_type="application/vc+ld+json")


@router.post("/credentials/status", tags=["status"], responses={400: {}, 401: {}, 422: {}})
def change_status(
    body: StatusChange, request: Request, _: str = Depends(require_token)
) -> JSONResponse:
    """Revoke (final), suspend, or lift a suspension."""
    state = _state(request)
    change: dict[str, Any] = {
        "revoked": {"revoked": True},
        "suspended": {"suspended": True},
        "active": {"suspended": False},
    }[body.status]
    records = state.registry.set_status(body.credential, reason=body.reason, **change)
    state.invalidate()
    return JSONResponse(
        {
            "updated": [
                {
                    "list": r.list_id,
                    "index": r.index,
                    "purpose": r.purpose,
                    "status": r.status,
                    "reason": r.reason,
                }
                for r in records
            ]
        }
    )
