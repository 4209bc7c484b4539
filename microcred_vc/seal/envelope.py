"""Reading a JAdES envelope: JWS serialisations, the protected header and ``etsiU``.

Kept apart from the checks so that ``convert`` can read the credential inside
a seal without verifying it, and so that the unsigned ``etsiU`` header
(ETSI TS 119 182-1 §5.3: ``sigTst``, ``xVals``, ``rVals``, ``arcTst``...) is
read in one place, in its order, keeping each component's exact encoded form:
the archive timestamp's message imprint is computed over those bytes.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from microcred_vc.errors import SealFormatError
from microcred_vc.seal.jades import JWS_HASHES, UNDERSTOOD_CRIT, b64url_decode
from microcred_vc.seal.report import SealReport


@dataclass(frozen=True)
class Envelope:
    """The three JWS parts as they were sent, and the unsigned header (if any)."""

    protected: str
    payload: str
    signature: str
    unprotected: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EtsiUComponent:
    """One ``etsiU`` entry: its name, decoded value and the exact form it was sent in.

    ``encoded`` is the base64url string when the entry was sent base64url
    encoded (what EDCI/DSS write), else None (a clear JSON instance).
    """

    name: str
    value: Any
    encoded: str | None


def parse_envelope(sealed: Any, report: SealReport) -> Envelope | None:
    """The envelope from JSON general/flattened or compact form; failures go to ``report``."""
    if isinstance(sealed, bytes):
        try:
            sealed = sealed.decode("utf-8")
        except UnicodeDecodeError:
            report.add("structure", "fail", "sealed document is not UTF-8", "SEAL_MALFORMED")
            return None
    if isinstance(sealed, str):
        text = sealed.strip()
        if not text.startswith("{"):
            parts = text.split(".")
            if len(parts) != 3:
                report.add(
                    "structure",
                    "fail",
                    "neither JWS JSON nor compact serialisation",
                    "SEAL_MALFORMED",
                )
                return None
            return Envelope(parts[0], parts[1], parts[2])
        try:
            sealed = json.loads(text)
        except ValueError as exc:
            report.add("structure", "fail", f"sealed document is not JSON: {exc}", "SEAL_MALFORMED")
            return None
    if not isinstance(sealed, dict):
        report.add("structure", "fail", "sealed document must be a JSON object", "SEAL_MALFORMED")
        return None
    entry: Any = sealed
    if "signatures" in sealed:
        sigs = sealed["signatures"]
        if not isinstance(sigs, list) or not sigs:
            report.add(
                "structure", "fail", "'signatures' must be a non-empty list", "SEAL_MALFORMED"
            )
            return None
        if len(sigs) > 1:
            report.add(
                "structure",
                "fail",
                f"{len(sigs)} seals found; only single-seal EDCs are supported",
                "SEAL_MALFORMED",
            )
            return None
        entry = sigs[0]
    payload = sealed.get("payload")
    protected = entry.get("protected") if isinstance(entry, dict) else None
    signature = entry.get("signature") if isinstance(entry, dict) else None
    if not all(isinstance(v, str) for v in (payload, protected, signature)):
        report.add(
            "structure",
            "fail",
            "payload, protected and signature must all be strings",
            "SEAL_MALFORMED",
        )
        return None
    unprotected = entry.get("header") if isinstance(entry, dict) else None
    if unprotected is not None and not isinstance(unprotected, dict):
        report.add("structure", "fail", "the unprotected header is not an object", "SEAL_MALFORMED")
        return None
    return Envelope(protected, payload, signature, unprotected or {})  # type: ignore[arg-type]


def check_header(protected: str, report: SealReport) -> dict[str, Any] | None:
    """The protected header when it is a JAdES header this verifier understands."""
    try:
        header = json.loads(b64url_decode(protected))
    except (ValueError, UnicodeDecodeError) as exc:
        report.add(
            "header", "fail", f"protected header is not base64url JSON: {exc}", "SEAL_MALFORMED"
        )
        return None
    if not isinstance(header, dict):
        report.add("header", "fail", "protected header is not a JSON object", "SEAL_MALFORMED")
        return None
    report.header = header
    problems: list[str] = []
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in JWS_HASHES:
        problems.append(f"unsupported alg {header.get('alg')!r}")
    crit = header.get("crit", [])
    if not isinstance(crit, list) or not all(isinstance(c, str) for c in crit):
        problems.append("crit must be a list of parameter names")
        crit = []
    unknown = [c for c in crit if c not in UNDERSTOOD_CRIT]
    if unknown:
        problems.append(f"critical parameters not understood: {unknown}")
    problems += [
        f"critical parameter {c!r} missing from the header" for c in crit if c not in header
    ]
    if "sigT" not in crit:
        problems.append("JAdES requires sigT to be listed in crit")
    x5c = header.get("x5c")
    if not isinstance(x5c, list) or not x5c or not all(isinstance(c, str) for c in x5c):
        problems.append("x5c (the sealing certificate) is missing")
    if problems:
        report.add("header", "fail", "; ".join(problems), "SEAL_HEADER_INVALID")
        return None
    report.add("header", "pass", f"JAdES protected header with alg {header['alg']}, crit {crit}")
    return header


def etsiu_components(unprotected: dict[str, Any]) -> list[EtsiUComponent]:
    """The ``etsiU`` entries in order; raises :class:`SealFormatError` when unreadable.

    ETSI TS 119 182-1 §5.3.1: each entry is one unsigned property, either all
    base64url-encoded JSON or all clear JSON objects, each with a single member.
    """
    items = unprotected.get("etsiU", [])
    if not isinstance(items, list):
        raise SealFormatError("etsiU must be an array")
    kinds = {isinstance(i, str) for i in items}
    if len(kinds) > 1:
        raise SealFormatError("etsiU mixes base64url-encoded and clear components")
    out: list[EtsiUComponent] = []
    for item in items:
        encoded = item if isinstance(item, str) else None
        if encoded is not None:
            try:
                item = json.loads(b64url_decode(encoded))
            except (ValueError, UnicodeDecodeError) as exc:
                raise SealFormatError(f"etsiU entry is not base64url JSON: {exc}") from exc
        if not isinstance(item, dict) or len(item) != 1:
            raise SealFormatError("each etsiU entry must be an object with one member")
        ((name, value),) = item.items()
        out.append(EtsiUComponent(str(name), value, encoded))
    return out


def token_values(value: Any, name: str) -> list[bytes]:
    """DER timestamp tokens of a ``sigTst``/``arcTst``/``adoTst`` object (``tstTokens[].val``)."""
    tokens = value.get("tstTokens") if isinstance(value, dict) else None
    if not isinstance(tokens, list) or not tokens:
        raise SealFormatError(f"{name} has no tstTokens")
    return [_b64(t.get("val") if isinstance(t, dict) else None, name) for t in tokens]


def validation_values(
    components: list[EtsiUComponent],
) -> tuple[list[bytes], list[bytes], list[bytes]]:
    """Certificates (``xVals``) and CRLs/OCSP responses (``rVals``) carried in ``etsiU``, as DER."""
    certs: list[bytes] = []
    crls: list[bytes] = []
    ocsps: list[bytes] = []
    for comp in components:
        if comp.name in ("xVals", "axVals"):
            for entry in comp.value if isinstance(comp.value, list) else []:
                cert = entry.get("x509Cert") if isinstance(entry, dict) else None
                if isinstance(cert, dict):
                    certs.append(_b64(cert.get("val"), comp.name))
        elif comp.name in ("rVals", "arVals") and isinstance(comp.value, dict):
            crls += [_b64(e.get("val"), "crlVals") for e in comp.value.get("crlVals", [])]
            ocsps += [_b64(e.get("val"), "ocspVals") for e in comp.value.get("ocspVals", [])]
    return certs, crls, ocsps


def _b64(value: Any, where: str) -> bytes:
    """ETSI JSON values carry DER as standard base64 (tolerating base64url)."""
    if not isinstance(value, str):
        raise SealFormatError(f"{where}: a value is missing")
    try:
        return base64.b64decode(value.replace("-", "+").replace("_", "/") + "=" * (-len(value) % 4))
    except ValueError as exc:
        raise SealFormatError(f"{where}: value is not base64: {exc}") from exc


def decode_payload(envelope: Envelope, header: dict[str, Any]) -> Any:
    """The credential JSON inside the envelope (raises ValueError/UnicodeDecodeError)."""
    b64 = header.get("b64", True)
    body = envelope.payload if b64 is False else b64url_decode(envelope.payload).decode("utf-8")
    return json.loads(body)


def decode_sealed_payload(sealed: Any) -> Any:
    """The credential inside a sealed EDC, *without* verifying the seal (for convert/inspect).

    Raises :class:`SealFormatError` when the envelope or its payload cannot be read.
    """
    report = SealReport()
    envelope = parse_envelope(sealed, report)
    if envelope is None:
        raise SealFormatError(report.reason or "not a sealed EDC")
    try:
        header = json.loads(b64url_decode(envelope.protected))
        return decode_payload(envelope, header if isinstance(header, dict) else {})
    except (ValueError, UnicodeDecodeError) as exc:
        raise SealFormatError(f"sealed payload is not a JSON credential: {exc}") from exc
