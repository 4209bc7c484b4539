"""JOSE: JWT-encoded credentials and presentations."""

from __future__ import annotations

from microcred_vc.errors.base import MicrocredError


class JoseError(MicrocredError):
    code = "JOSE_ERROR"
    title = "JOSE error"


class JwtInvalid(JoseError):
    code = "JWT_INVALID"
    title = "JWT is not valid"
