"""VC API issuer routes: one endpoint per cryptosuite and key type, and who signs.

The W3C issuer test suites configure an issuer by URL, one per suite *and
curve* (ecdsa-rdfc-2019 with P-256 and with P-384 are two issuers). So every
suite is reachable as ``/{cryptosuite}/{keyType}/credentials/issue``, the short
``/{cryptosuite}/credentials/issue`` meaning the suite's usual key type, and
``GET /issuers`` says which URL signs with which DID, so a client can name the
right issuer in the credential it sends (the service never fills one in).

Options are strict: an option the service does not implement, or a status type
or purpose it cannot produce, is a 400 naming it. Silently issuing something
else (a ``BitstringStatusListEntry`` when a ``StatusList2021Entry`` was asked
for) would hand the client a credential it did not request.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from microcred_vc.errors import (
    JsonLdError,
    OptionUnsupported,
    ProofCreationError,
    UnknownCryptosuite,
)
from microcred_vc.server.state import ServerState, problem, require_token
from microcred_vc.status.bitstring import attach_status

router = APIRouter()

VC1 = "https://www.w3.org/2018/credentials/v1"
DI_V2 = "https://w3id.org/security/data-integrity/v2"
#: Status entry types the service can put in a credential (with their purposes).
STATUS_TYPES = ("BitstringStatusListEntry",)
STATUS_PURPOSES = ("revocation", "suspension", "message")
KEY_TYPE_PATTERN = r"^(Ed25519|P-256|P-384)$"


class IssueOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    credentialStatus: dict[str, Any] | None = Field(
        default=None,
        description='e.g. {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}',
    )
    created: str | None = None


class IssueRequest(BaseModel):
    credential: dict[str, Any] | str
    options: IssueOptions | None = None


def _state(request: Request) -> ServerState:
    return request.app.state.microcred


def _issuing_suites() -> list[str]:
    """The suites this service signs with: issuable (not legacy) and with a server key type."""
    from microcred_vc.proofs.suites import DEFAULT_SUITES
    from microcred_vc.server.config import KEY_TYPES_BY_SUITE_PREFIX

    return sorted(
        name
        for name in DEFAULT_SUITES.names()
        if DEFAULT_SUITES.get(name).issuable
        and any(name.startswith(prefix) for prefix in KEY_TYPES_BY_SUITE_PREFIX)
    )


def _suite(name: str, key_type: str | None) -> str:
    """The key type ``name`` signs with here, or a typed refusal."""
    from microcred_vc.proofs.suites import DEFAULT_SUITES
    from microcred_vc.server.config import key_type_for_suite

    if name not in DEFAULT_SUITES:
        supported = ", ".join(_issuing_suites())
        raise UnknownCryptosuite(f"unknown cryptosuite {name!r}; supported: {supported}")
    suite = DEFAULT_SUITES.get(name)
    if not suite.issuable:  # a legacy suite: verified, never issued
        raise ProofCreationError(
            f"{name} is a legacy suite this service verifies but never issues; "
            f"issue with one of: {', '.join(_issuing_suites())}",
            code="SUITE_VERIFY_ONLY",
            suite=name,
        )
    if key_type is None:
        return key_type_for_suite(name)
    if key_type not in suite.key_types:
        raise UnknownCryptosuite(
            f"{name} does not sign with {key_type} keys; it takes "
            + ", ".join(sorted(suite.key_types)),
            cryptosuite=name,
        )
    return key_type


@dataclass(frozen=True)
class StatusPlan:
    """The status entry a request asked for: its purpose and, for messages, their list."""

    purpose: str
    status_size: int = 1
    messages: tuple[dict[str, str], ...] = ()

    def list_id(self, config: Any) -> str:
        if self.purpose == "revocation":
            return str(config.status_list)
        if self.purpose == "suspension":
            return str(config.suspension_list)
        # one list per message scheme: the same size and messages share a list
        digest = hashlib.sha256(json.dumps([self.status_size, self.messages]).encode())
        return f"message-{digest.hexdigest()[:16]}"


def _messages(wanted: dict[str, Any]) -> tuple[int, tuple[dict[str, str], ...]]:
    """statusSize and statusMessage of a message entry, as Bitstring Status List requires."""
    size = wanted.get("statusSize", 1)
    raw = wanted.get("statusMessage")
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 8:
        raise OptionUnsupported(
            f"statusSize must be an integer from 1 to 8, got {size!r}", option="statusSize"
        )
    if not isinstance(raw, list) or len(raw) != 1 << size:
        raise OptionUnsupported(
            f"a message entry with statusSize {size} needs statusMessage: a list of "
            f"{1 << size} {{status, message}} items, one per value",
            option="statusMessage",
        )
    items = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("status"), str):
            raise OptionUnsupported(
                f"statusMessage item {item!r} is not {{status: hex, message}}",
                option="statusMessage",
            )
        items.append({"status": item["status"], "message": str(item.get("message", ""))})
    return size, tuple(items)


def _status_options(options: IssueOptions) -> StatusPlan | None:
    """The status entry asked for (None: no status entry), or OptionUnsupported."""
    extra = sorted((options.model_extra or {}).keys())
    if extra:
        raise OptionUnsupported(
            f"unsupported option(s) {', '.join(extra)}; supported: credentialStatus, created"
        )
    wanted = options.credentialStatus
    if wanted is None:
        return None
    kind = wanted.get("type", STATUS_TYPES[0])
    if kind not in STATUS_TYPES:
        raise OptionUnsupported(
            f"status type {kind!r} is not issued here; supported: {', '.join(STATUS_TYPES)}",
            option="credentialStatus.type",
        )
    purpose = wanted.get("statusPurpose", "revocation")
    if purpose not in STATUS_PURPOSES:
        raise OptionUnsupported(
            f"status purpose {purpose!r} is not issued here; "
            f"supported: {', '.join(STATUS_PURPOSES)}",
            option="credentialStatus.statusPurpose",
        )
    allowed = {"type", "statusPurpose"} | (
        {"statusSize", "statusMessage"} if purpose == "message" else set()
    )
    unknown = sorted(set(wanted) - allowed)
    if unknown:
        raise OptionUnsupported(
            f"unsupported credentialStatus option(s) {', '.join(unknown)} for {purpose!r}",
            option="credentialStatus",
        )
    if purpose == "message":
        size, messages = _messages(wanted)
        return StatusPlan("message", size, messages)
    return StatusPlan(str(purpose))


def _issue(state: ServerState, body: IssueRequest, suite: str, key_type: str | None) -> Any:
    from microcred_vc.proofs import issue_document
    from microcred_vc.validate.datamodel import require_datamodel

    key_type = _suite(suite, key_type)
    if isinstance(body.credential, str):
        # the VC API requires an object: JSON text (or anything else) in a string is
        # a client parsing error, never parsed on the client's behalf
        return problem(
            400,
            "PARSING_ERROR",
            "Credential is not a JSON object",
            "credential must be a JSON object, not a string",
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
    plan = _status_options(options)
    # refuse a credential that breaks the data model before a status index is spent on it
    # (the issuanceDate of a VC 1.1 credential is filled in when it is signed); the key
    # first as well: a list served from now on must carry its signature (lists.py)
    key = state.key_for_suite(suite, key_type)
    require_datamodel(doc, require_issuance_date=False)
    if plan is not None:
        config = state.config
        list_id = plan.list_id(config)
        if plan.purpose == "message":  # idempotent for the same size and messages
            state.registry.create_list(
                list_id, "message", status_size=plan.status_size, messages=list(plan.messages)
            )
        # a refused issue gives its index back (issue #16): allocate, sign, or release
        with state.registry.reserved_entry(
            list_id, plan.purpose, config.status_base_url, credential_id=doc.get("id")
        ) as entry:
            attach_status(doc, entry)
            state.invalidate(list_id)
            signed = issue_document(doc, key, cryptosuite=suite, created=options.created)
        return JSONResponse({"verifiableCredential": signed}, status_code=201)
    signed = issue_document(doc, key, cryptosuite=suite, created=options.created)
    return JSONResponse({"verifiableCredential": signed}, status_code=201)


ISSUE_RESPONSES: dict[int | str, dict[str, Any]] = {400: {}, 401: {}, 422: {}}
SUITE_PATH = Path(..., max_length=64, pattern=r"^[A-Za-z0-9-]+$")


@router.post("/credentials/issue", status_code=201, tags=["issue"], responses=ISSUE_RESPONSES)
def issue_default(
    body: IssueRequest, request: Request, _: str = Depends(require_token)
) -> JSONResponse:
    """Issue with the default cryptosuite (eddsa-rdfc-2022)."""
    return _issue(_state(request), body, "eddsa-rdfc-2022", None)


@router.post(
    "/{cryptosuite}/credentials/issue", status_code=201, tags=["issue"], responses=ISSUE_RESPONSES
)
def issue_with_suite(
    body: IssueRequest,
    request: Request,
    cryptosuite: str = SUITE_PATH,
    _: str = Depends(require_token),
) -> JSONResponse:
    """Issue with the cryptosuite named in the path, on its usual key type (ECDSA: P-256)."""
    return _issue(_state(request), body, cryptosuite, None)


@router.post(
    "/{cryptosuite}/{key_type}/credentials/issue",
    status_code=201,
    tags=["issue"],
    responses=ISSUE_RESPONSES,
)
def issue_with_suite_and_key(
    body: IssueRequest,
    request: Request,
    cryptosuite: str = SUITE_PATH,
    key_type: str = Path(..., pattern=KEY_TYPE_PATTERN),
    _: str = Depends(require_token),
) -> JSONResponse:
    """Issue with the cryptosuite and key type named in the path (e.g. ecdsa-rdfc-2019/P-384)."""
    return _issue(_state(request), body, cryptosuite, key_type)


@router.get("/issuers", tags=["issue"])
def issuers(request: Request) -> JSONResponse:
    """Every issuing URL with the DID a credential sent there must name as issuer."""
    from microcred_vc.proofs.suites import DEFAULT_SUITES

    state = _state(request)
    out = []
    for name in _issuing_suites():
        for key_type in sorted(DEFAULT_SUITES.get(name).key_types):
            out.append(
                {
                    "cryptosuite": name,
                    "keyType": key_type,
                    "url": f"/{name}/{key_type}/credentials/issue",
                    "issuer": state.issuer_did(name, key_type),
                }
            )
    return JSONResponse({"issuers": out})
