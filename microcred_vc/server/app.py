"""The FastAPI application: W3C VC API endpoints, status lists, the verify page.

Issuing and status changes need a bearer token; verifying and reading status
lists are public, because anyone a learner shows a credential to must be able
to check it. Every error is a problem-details body with a stable code, never
a traceback.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from microcred_vc.errors import DataModelError, MicrocredError
from microcred_vc.server.config import ServerConfig
from microcred_vc.server.http_terms import http_message
from microcred_vc.server.middleware import BodySizeLimit, RateLimit
from microcred_vc.server.state import ServerState, problem

__all__ = ["create_app"]


def create_app(config: ServerConfig) -> FastAPI:
    """Build the app for one data directory (keys are created on first use)."""
    from microcred_vc.server.courses import router as course_router
    from microcred_vc.server.issuing import router as issue_router
    from microcred_vc.server.jobs import resume_jobs
    from microcred_vc.server.jobs import router as job_router
    from microcred_vc.server.page import router as page_router
    from microcred_vc.server.routes import router as api_router

    app = FastAPI(
        title="microcred_vc",
        version="0.1.0",
        description="W3C VC API for EU micro-credentials: issue, verify, status lists.",
    )
    app.state.microcred = ServerState(config)
    resume_jobs(app.state.microcred)  # a job a stopped server left half done
    app.include_router(issue_router)
    app.include_router(api_router)
    app.include_router(course_router)
    app.include_router(job_router)
    app.include_router(page_router)

    @app.exception_handler(MicrocredError)
    async def _ours(request: Request, exc: MicrocredError) -> JSONResponse:
        # a data-model refusal lists every violation (path, rule, message) for the client
        extra = (
            {"violations": exc.to_dict()["violations"]} if isinstance(exc, DataModelError) else {}
        )
        # the library's message, its Python hints put in HTTP terms (http_terms.py)
        detail = http_message(exc.code, exc.message)
        return problem(400, exc.code, exc.title, detail, **extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        detail = f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid request"
        return problem(422, "REQUEST_INVALID", "Invalid request", detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404 and request.method == "GET":
            # A path no route claims may be an earlier URL of a status list.
            from microcred_vc.server.lists import list_at_path

            state: ServerState = request.app.state.microcred
            served = await run_in_threadpool(
                list_at_path, state, request.url.path, request.headers.get("host")
            )
            if served is not None:
                return JSONResponse(served, media_type="application/vc+ld+json")
        codes = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
        response = problem(
            exc.status_code,
            codes.get(exc.status_code, "HTTP_ERROR"),
            "Request refused",
            str(exc.detail),
        )
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return problem(
            500, "INTERNAL", "Internal error", "the server could not complete the request"
        )

    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=config.cors_origins,
            allow_methods=["GET", "POST", "PUT"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        )
    # The last added runs first: refuse floods before reading any body.
    app.add_middleware(BodySizeLimit, max_bytes=config.max_body_bytes, timeout=config.body_timeout)
    app.add_middleware(
        RateLimit,
        per_minute=config.rate_limit_per_minute,
        tokens=config.tokens,
        max_clients=config.rate_limit_max_clients,
    )
    return app
