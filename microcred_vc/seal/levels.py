"""Raise a JAdES baseline-B seal to B-T, B-LT or B-LTA (ETSI TS 119 182-1 §6).

The unsigned ``etsiU`` header is written the way the EU DSS library writes
it (each component base64url-encoded), so that EDCI and this verifier read
it alike: ``sigTst`` over the signature value (B-T), then ``xVals`` with every
certificate a verifier needs, the TSA's included, and ``rVals`` with the
CRLs/OCSP responses (B-LT), then ``arcTst`` over all of it (B-LTA).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from asn1crypto import cms
from cryptography import x509

from microcred_vc.errors import SealCreationError
from microcred_vc.seal.certs import der
from microcred_vc.seal.timestamps import archive_imprint_input, signature_imprint_input

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")

#: ``tsa(data) -> DER TimeStampToken`` over ``data`` (see :class:`HttpTimestamper`)
Timestamper = Callable[[bytes], bytes]


def _component(name: str, value: Any) -> str:
    body = json.dumps({name: value}, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(body).rstrip(b"=").decode("ascii")


def _tokens(token: bytes) -> dict[str, Any]:
    return {"tstTokens": [{"val": base64.b64encode(token).decode("ascii")}]}


def _token_certs(token: bytes) -> list[bytes]:
    signed = cms.ContentInfo.load(token)["content"]
    return [c.chosen.dump() for c in signed["certificates"] or [] if c.name == "certificate"]


def add_level(
    sealed: dict[str, Any],
    level: str,
    *,
    tsa: Timestamper | None,
    certs: Sequence[x509.Certificate],
    revocation: tuple[Iterable[bytes], Iterable[bytes]] | None,
) -> dict[str, Any]:
    """Add the etsiU components of ``level`` to a freshly made B-B seal (in place)."""
    if level not in LEVELS:
        raise SealCreationError(f"level must be one of {LEVELS}, not {level!r}")
    if level == "B-B":
        return sealed
    if tsa is None:
        raise SealCreationError(f"a {level} seal needs a timestamp authority (tsa=...)")
    entry = sealed["signatures"][0]
    etsiu: list[str] = []
    sig_token = tsa(signature_imprint_input(entry["signature"]))
    etsiu.append(_component("sigTst", _tokens(sig_token)))
    if level in ("B-LT", "B-LTA"):
        crls, ocsps = (list(r) for r in (revocation or ((), ())))
        if not crls and not ocsps:
            raise SealCreationError(
                f"a {level} seal carries revocation data: pass revocation=(crls, ocsps)"
            )
        values: list[bytes] = []
        for item in [*(der(c) for c in certs), *_token_certs(sig_token)]:
            if item not in values:
                values.append(item)
        etsiu.append(
            _component(
                "xVals",
                [{"x509Cert": {"val": base64.b64encode(v).decode("ascii")}} for v in values],
            )
        )
        rvals: dict[str, Any] = {}
        if crls:
            rvals["crlVals"] = [{"val": base64.b64encode(c).decode("ascii")} for c in crls]
        if ocsps:
            rvals["ocspVals"] = [{"val": base64.b64encode(o).decode("ascii")} for o in ocsps]
        etsiu.append(_component("rVals", rvals))
    if level == "B-LTA":
        data = archive_imprint_input(
            sealed["payload"], False, entry["protected"], entry["signature"], etsiu
        )
        etsiu.append(_component("arcTst", _tokens(tsa(data))))
    entry["header"] = {"etsiU": etsiu}
    return sealed
