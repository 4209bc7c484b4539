"""Error details in HTTP terms: what an HTTP client can do, not which Python argument to pass.

The library's messages speak to Python callers ("add it with
``DocumentLoader(extra_dirs=...)``"); a PHP plugin talking to the service can do
nothing with that. The messages stay as they are for Python users; here, where
errors and reports become HTTP responses, each Python hint is replaced by what
it means for a client of this service. ``tests/server/test_http_terms.py``
triggers each one over HTTP, so a reworded library message is noticed.
"""

from __future__ import annotations

from typing import Any

#: (the Python hint in a library message, what it means for a client of this service)
HTTP_TERMS: tuple[tuple[str, str], ...] = (
    ("is not one the library knows, and remote loading is off; ", "is not one it knows: "),
    (
        "add it with DocumentLoader(extra_dirs=...) or opt in to remote loading",
        "this service reads only the contexts it ships (VC 1.1 and 2.0, Open Badges 3.0, "
        "Europass EDC, status lists, Data Integrity) and never fetches one; use one of those, "
        "or ask the service's operator to add the context",
    ),
    (
        "pass allow_network=True to allow it",
        "this service resolves DIDs without the network (did:key, and its own did:web); "
        "an issuer it cannot resolve cannot be verified here",
    ),
    (
        "(pass the issuer's keys as jwks=)",
        "(the issuer's key must come from its DID document)",
    ),
    (
        "(pass shapes= or set MICROCRED_EDC_SHAPES)",
        "(the service's operator has not configured them: MICROCRED_EDC_SHAPES)",
    ),
    (
        "(create_list with messages=)",
        '(ask for it in options.credentialStatus with "statusSize" and "statusMessage")',
    ),
)


def http_message(code: str | None, message: str) -> str:
    """``message`` with each Python hint replaced by its HTTP meaning (``code`` for later
    per-code wording; the hints are unique enough to match on their own)."""
    for python, http in HTTP_TERMS:
        if python in message:
            message = message.replace(python, http)
    return message


def http_report(report: dict[str, Any]) -> dict[str, Any]:
    """A verification report's messages (checks, errors, warnings) in HTTP terms."""
    out = dict(report)
    out["checks"] = [
        {**c, "message": http_message(c.get("code"), str(c.get("message", "")))}
        for c in report.get("checks", [])
    ]
    for name in ("errors", "warnings"):
        out[name] = [http_message(None, str(m)) for m in report.get(name, [])]
    return out
