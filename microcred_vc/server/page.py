"""The verify page for people: paste or drop a credential, read the checks.

Server-rendered (Jinja2) with one small script for drag and drop; the page
loads nothing from anywhere else, so what a person checks never leaves this
server.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

router = APIRouter(include_in_schema=False)

_env = Environment(
    loader=PackageLoader("microcred_vc.server", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src data:; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _page(**context: Any) -> HTMLResponse:
    html = _env.get_template("verify.html.j2").render(**context)
    return HTMLResponse(html, headers=SECURITY_HEADERS)


def _elements(report: Any) -> list[dict[str, Any]]:
    """Essential elements of an OB3/EDC credential for the page, when it can be read."""
    from microcred_vc.errors import MicrocredError
    from microcred_vc.formats.builtin import load_document
    from microcred_vc.render import element_rows

    doc = report.document
    if report.format not in ("ob3", "edc") or not isinstance(doc, dict):
        return []
    try:
        mc, _ = load_document({k: v for k, v in doc.items() if k != "proof"}, report.format)
    except MicrocredError:
        return []
    return element_rows(mc)


@router.get("/", response_class=HTMLResponse)
def verify_form() -> HTMLResponse:
    return _page(report=None, pasted="")


@router.post("/", response_class=HTMLResponse)
async def verify_submit(
    request: Request,
    credential: str = Form(""),
    file: UploadFile | None = File(None),
) -> HTMLResponse:
    from microcred_vc.api import verify

    data: Any = credential.strip()
    if file is not None and file.filename:
        data = await file.read()
    if not data:
        return _page(report=None, pasted="", message="Paste a credential or choose a file first.")
    state = request.app.state.microcred
    # Verification is CPU-bound (canonicalisation, signatures) and synchronous: on
    # the event loop it would stall every other connection until it finished.
    return await run_in_threadpool(_verified_page, verify, data, credential, state.verify_options())


def _verified_page(verify: Any, data: Any, pasted: str, options: dict[str, Any]) -> HTMLResponse:
    """Verify and render (worker thread: both are synchronous, verify may be slow).

    ``options`` are the server's (``ServerState.verify_options``): the page gives the
    verdict the API gives.
    """
    from microcred_vc.detect import FORMAT_LABELS

    report = verify(data, **options)
    label = FORMAT_LABELS.get(report.format or "", report.format)
    return _page(report=report, pasted=pasted, elements=_elements(report), label=label)
