"""W3C VC API routes: issue per cryptosuite, verify credentials and presentations, status."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from microcred_vc.errors import MicrocredError
from microcred_vc.server.state import ServerState, problem, require_token

router = APIRouter()


class VerifyOptions(BaseModel):
    challenge: str | None = None
    domain: str | None = None
    checks: list[str] | None = Field(
        default=None,
        description="Checks the client requires (e.g. proof, status); each must pass or "
        "warn. Unknown names are refused (400 CHECK_UNSUPPORTED).",
    )


#: The check names a client may ask for in options.checks.
KNOWN_CHECKS = frozenset(
    {
        "format",
        "parse",
        "context",
        "proof",
        "signed_data",
        "expiry",
        "issuer",
        "status",
        "schema",
        "trust",
    }
)


class VerifyRequest(BaseModel):
    # Any JSON: a number, array or null is answered by verify() in words a person
    # understands ("a credential is a JSON object; got a number"), not a schema 422.
    verifiableCredential: dict[str, Any] | str | Any
    options: VerifyOptions | None = None


class PresentationVerifyRequest(BaseModel):
    # a JSON presentation, or a compact JWT VP (VC 1.1 ``vp`` claim, or VC-JOSE-COSE vp+jwt)
    verifiablePresentation: dict[str, Any] | str
    options: VerifyOptions | None = None


StatusWord = Literal["revoked", "suspended", "active", "unsuspended"]


class StatusItem(BaseModel):
    type: str = Field(description="e.g. BitstringStatusListCredential (VC API shape)")
    status: StatusWord


class StatusChange(BaseModel):
    """Either this service's shape (``credential`` + ``status``) or the VC API's
    (``credentialId`` + ``credentialStatus: [{type, status}]``)."""

    credential: dict[str, Any] | None = Field(
        default=None, description="The issued credential whose status changes."
    )
    status: StatusWord | None = None
    credentialId: str | None = Field(default=None, max_length=2000)
    credentialStatus: list[StatusItem] | None = Field(default=None, max_length=4)
    reason: str | None = Field(default=None, max_length=500)


class Check(BaseModel):
    name: str
    status: Literal["pass", "fail", "skip", "warn"]
    message: str
    code: str | None = None


class Report(BaseModel):
    verified: bool
    format: str | None = None
    checks: list[Check]
    errors: list[str]
    warnings: list[str] = []


def _state(request: Request) -> ServerState:
    return request.app.state.microcred


def _report_response(report: Any, *, require_trust: bool = False) -> JSONResponse:
    """200 when verified (and, if the client required the ``trust`` check, vouched for)."""
    from microcred_vc.server.http_terms import http_report

    body = http_report(report.to_dict())  # messages in HTTP terms, not Python arguments
    ok = report.verified and (report.trusted or not require_trust)
    return JSONResponse(body, status_code=200 if ok else 400)


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
    options = body.options or VerifyOptions()
    unknown = sorted(set(options.checks or ()) - KNOWN_CHECKS)
    if unknown:
        return problem(
            400,
            "CHECK_UNSUPPORTED",
            "Unsupported check",
            f"unknown check(s) {', '.join(unknown)}; supported: {', '.join(sorted(KNOWN_CHECKS))}",
        )
    report = verify(given, **state.verify_options())
    for name in options.checks or ():
        # a check the client requires must have run: a skipped or absent one is not a pass
        found = report.check(name)
        if found is None or found.status == "skip":
            report.add(
                name,
                "fail",
                f"the requested check {name!r} could not be performed",
                "CHECK_NOT_PERFORMED",
            )
    # trust is reported beside the cryptographic verdict; a client that lists it
    # in options.checks makes it part of the answer
    return _report_response(report, require_trust="trust" in (options.checks or ()))


@router.post(
    "/presentations/verify",
    tags=["verify"],
    response_model=Report,
    responses={400: {"model": Report}, 422: {}},
)
def verify_presentation(body: PresentationVerifyRequest, request: Request) -> JSONResponse:
    """Verify a presentation (Data Integrity JSON, a JWT VP or an enveloped one): its proof,
    challenge and domain, and each credential in it, with the service's status registry,
    its own DID document and its trust registries — the one context ``verify`` builds."""
    from microcred_vc.api import verify
    from microcred_vc.proofs.presentation import PRESENTATION_FORMATS

    state = _state(request)
    options = body.options or VerifyOptions()
    try:
        report = verify(
            body.verifiablePresentation,
            challenge=options.challenge,
            domain=options.domain,
            **state.verify_options(),
        )
    except MicrocredError as exc:
        from microcred_vc.server.http_terms import http_message

        return problem(400, exc.code, exc.title, http_message(exc.code, exc.message))
    if report.format is not None and report.format not in PRESENTATION_FORMATS:
        return problem(
            400,
            "NOT_A_PRESENTATION",
            "Not a presentation",
            f"verifiablePresentation holds a {report.format} document; "
            "POST credentials to /credentials/verify",
        )
    return _report_response(report)


@router.get("/.well-known/did.json", tags=["identity"], responses={404: {}})
def did_document(request: Request) -> JSONResponse:
    """The DID document of the server's did:web identity, to publish (or serve) as did.json."""
    own = _state(request).own_document()
    if own is None:
        return problem(
            404, "NOT_FOUND", "No did:web identity", "set did_web in settings.toml to have one"
        )
    return JSONResponse(own, media_type="application/did+json")


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


#: What each status word changes: (purpose of the entries, new value).
STATUS_CHANGES: dict[str, tuple[str, bool]] = {
    "revoked": ("revocation", True),
    "suspended": ("suspension", True),
    "active": ("suspension", False),
    "unsuspended": ("suspension", False),
}
STATUS_ITEM_TYPES = frozenset(
    {
        "BitstringStatusListCredential",
        "BitstringStatusListEntry",
        "StatusList2021Credential",
        "StatusList2021Entry",
    }
)


def _by_credential_id(state: ServerState, body: StatusChange) -> list[Any] | JSONResponse:
    """The VC API form: find the entries allocated to the id, change those of each purpose."""
    from microcred_vc.errors import StatusNotFound

    items = body.credentialStatus or []
    if not items:
        return problem(400, "REQUEST_INVALID", "Invalid request", "credentialStatus is empty")
    odd = sorted({i.type for i in items} - STATUS_ITEM_TYPES)
    if odd:
        return problem(
            400, "OPTION_UNSUPPORTED", "Unsupported status type", f"unknown type(s) {odd}"
        )
    entries = state.registry.entries_for_credential(str(body.credentialId))
    records = []
    for item in items:
        purpose, value = STATUS_CHANGES[item.status]
        flag = "revoked" if purpose == "revocation" else "suspended"
        matching = [
            (list_id, index)
            for list_id, index in entries
            if state.registry.list_info(list_id).purpose == purpose
        ]
        if not matching:
            raise StatusNotFound(
                f"credential {body.credentialId!r} has no {purpose} entry issued here"
            )
        for list_id, index in matching:
            change = {flag: value, "reason": body.reason, "list_id": list_id}
            records += state.registry.set_status(index, **change)
    return records


@router.post("/credentials/status", tags=["status"], responses={400: {}, 401: {}, 404: {}, 422: {}})
def change_status(
    body: StatusChange, request: Request, _: str = Depends(require_token)
) -> JSONResponse:
    """Revoke (final), suspend, or lift a suspension.

    Send either ``{"credential": {...}, "status": "revoked"}`` or the VC API's
    ``{"credentialId": "urn:…", "credentialStatus": [{"type": "BitstringStatusListCredential",
    "status": "revoked"}]}``.
    """
    state = _state(request)
    if body.credentialId is not None:
        found = _by_credential_id(state, body)
        if isinstance(found, JSONResponse):
            return found
        records = found
    elif body.credential is not None and body.status is not None:
        purpose, value = STATUS_CHANGES[body.status]
        flag = "revoked" if purpose == "revocation" else "suspended"
        records = state.registry.set_status(body.credential, reason=body.reason, **{flag: value})
    else:
        return problem(
            400,
            "REQUEST_INVALID",
            "Invalid request",
            "send credential and status, or credentialId and credentialStatus",
        )
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
