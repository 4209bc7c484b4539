"""Verify a JAdES-sealed EDC: structure, signature, certificate, path to a trust root.

``verify_seal`` never raises on a bad seal: like ``verify``, it returns a
:class:`SealReport` whose steps say exactly what failed (tampered payload,
expired certificate, untrusted root, wrong key usage, revoked). It raises only
on misuse, e.g. unreadable trust roots.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

from microcred_vc.errors import CertificateError, SealFormatError
from microcred_vc.report import Check, Status, VerificationReport
from microcred_vc.seal.certs import (
    CertLike,
    der,
    describe,
    load_certificate,
    load_certificates,
    signing_key_usage_problem,
    validate_path,
)
from microcred_vc.seal.jades import (
    JWS_HASHES,
    UNDERSTOOD_CRIT,
    b64url,
    b64url_decode,
    signing_input,
    verify_bytes,
)


@dataclass(frozen=True)
class SealStep:
    """One step of seal verification with a stable ``code`` when it failed."""

    name: str
    status: Status
    message: str
    code: str | None = None


@dataclass
class SealReport:
    """What a seal verification found; ``valid`` is derived from the steps."""

    steps: list[SealStep] = field(default_factory=list)
    payload: Any = None
    header: dict[str, Any] = field(default_factory=dict)
    signer: str | None = None
    signing_time: datetime | None = None
    chain: tuple[str, ...] = ()

    def add(self, name: str, status: Status, message: str, code: str | None = None) -> None:
        self.steps.append(SealStep(name, status, message, code))

    @property
    def valid(self) -> bool:
        if any(s.status == "fail" for s in self.steps):
            return False
        passed = {s.name for s in self.steps if s.status == "pass"}
        return {"signature", "certificate-path"} <= passed

    @property
    def failures(self) -> list[SealStep]:
        return [s for s in self.steps if s.status == "fail"]

    @property
    def reason(self) -> str | None:
        """The first failure as a sentence, or None when the seal is valid."""
        first = self.failures[:1]
        return f"{first[0].name}: {first[0].message}" if first else None

    @property
    def code(self) -> str | None:
        first = self.failures[:1]
        return first[0].code if first else None

    def step(self, name: str) -> SealStep | None:
        return next((s for s in self.steps if s.name == name), None)

    def to_check(self) -> Check:
        """The single ``seal`` check of a :class:`VerificationReport`."""
        if self.valid:
            return Check("seal", "pass", f"JAdES seal valid, sealed by {self.signer}", None)
        return Check(
            "seal", "fail", self.reason or "seal could not be verified", self.code or "SEAL_INVALID"
        )

    def to_report(self) -> VerificationReport:
        """Alias used by the top-level ``verify`` (microcred_vc.api)."""
        return self.to_verification_report()

    def to_verification_report(self) -> VerificationReport:
        report = VerificationReport(format="edc-jades", document=self.payload)
        report.checks.append(self.to_check())
        return report


def _parse_envelope(sealed: Any, report: SealReport) -> tuple[str, str, str] | None:
    """(protected, payload, signature) from JSON general/flattened or compact form."""
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
            return parts[0], parts[1], parts[2]
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
    return protected, payload, signature  # type: ignore[return-value]


def _check_header(protected: str, report: SealReport) -> dict[str, Any] | None:
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


def _signing_time(header: dict[str, Any], report: SealReport) -> None:
    value = header.get("sigT")
    try:
        report.signing_time = datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=UTC
        )
    except ValueError:
        report.add(
            "signing-time", "fail", f"sigT {value!r} is not an ISO UTC time", "SEAL_HEADER_INVALID"
        )


def verify_seal(
    sealed: Any,
    trust_roots: CertLike | Iterable[CertLike],
    *,
    crls: Iterable[bytes | Any] | None = None,
    ocsps: Iterable[bytes | Any] | None = None,
    moment: datetime | None = None,
) -> SealReport:
    """Verify a JAdES-sealed EDC against ``trust_roots`` (offline, at ``moment`` or now)."""
    roots = load_certificates(trust_roots)
    report = SealReport()
    parts = _parse_envelope(sealed, report)
    if parts is None:
        return report
    protected, payload, signature = parts
    header = _check_header(protected, report)
    if header is None:
        return report
    b64 = header.get("b64", True)
    try:
        body = payload if b64 is False else b64url_decode(payload).decode("utf-8")
        report.payload = json.loads(body)
        report.add("structure", "pass", "JWS JSON serialisation with a JSON credential payload")
    except (ValueError, UnicodeDecodeError) as exc:
        report.add(
            "structure", "fail", f"payload is not a JSON credential: {exc}", "SEAL_MALFORMED"
        )
    try:
        certs = [
            load_certificate(b64url_decode(c.replace("+", "-").replace("/", "_")))
            for c in header["x5c"]
        ]
    except (CertificateError, ValueError) as exc:
        report.add(
            "certificate", "fail", f"x5c certificate unreadable: {exc}", "SEAL_HEADER_INVALID"
        )
        return report
    leaf = certs[0]
    report.signer = describe(leaf)
    thumb = header.get("x5t#S256")
    if thumb is not None and thumb != b64url(hashlib.sha256(der(leaf)).digest()):
        report.add(
            "certificate",
            "fail",
            "x5t#S256 does not match the first x5c certificate",
            "SEAL_HEADER_INVALID",
        )
    try:
        sig = b64url_decode(signature)
    except ValueError:
        sig = b""
    data = signing_input(protected, payload, b64=b64 is not False)
    if verify_bytes(leaf.public_key(), header["alg"], data, sig):  # type: ignore[arg-type]
        report.add(
            "signature",
            "pass",
            f"{header['alg']} signature verifies with the key of {report.signer}",
        )
    else:
        report.add(
            "signature",
            "fail",
            "signature does not match the payload: the credential or header was altered",
            "SEAL_SIGNATURE_INVALID",
        )
    _signing_time(header, report)
    _check_validity_at_signing(leaf, report)
    problem = signing_key_usage_problem(leaf)
    if problem:
        report.add("key-usage", "fail", problem, "SEAL_KEY_USAGE")
    else:
        report.add("key-usage", "pass", "certificate key usage allows sealing")
    _check_issuer(leaf, report)
    outcome = validate_path(leaf, certs[1:], roots, moment=moment, crls=crls, ocsps=ocsps)
    report.chain = outcome.chain
    report.add("certificate-path", "pass" if outcome.ok else "fail", outcome.message, outcome.code)
    if "adoTst" in header:
        report.add(
            "timestamp",
            "skip",
            "archive timestamp (adoTst) present; timestamps are not verified at baseline-B",
        )
    return report


def _organisation_identifiers(cert: x509.Certificate) -> list[str]:
    return [
        str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)
    ]


def _same_legal_id(cert_id: str, notation: str) -> bool:
    """ETSI EN 319 412-1 writes ``VATES-A00000000`` (type, country, '-', id); EDCs may hold either form."""
    cert_id, notation = cert_id.strip().upper(), notation.strip().upper()
    if cert_id == notation:
        return True
    prefix, _, rest = cert_id.partition("-")
    return bool(rest) and len(prefix) == 5 and rest == notation


def _check_issuer(leaf: x509.Certificate, report: SealReport) -> None:
    """The seal must belong to the credential's issuer: compare legal identifiers.

    Any organisation with a valid seal certificate could otherwise seal a
    credential in another issuer's name.
    """
    payload = report.payload if isinstance(report.payload, dict) else {}
    issuer = payload.get("issuer")
    eidas = issuer.get("eIDASIdentifier") if isinstance(issuer, dict) else None
    notation = eidas.get("notation") if isinstance(eidas, dict) else None
    cert_ids = _organisation_identifiers(leaf)
    if not isinstance(notation, str) or not cert_ids:
        report.add(
            "issuer",
            "skip",
            "issuer not compared: the credential or the certificate has no legal identifier",
        )
    elif any(_same_legal_id(c, notation) for c in cert_ids):
        report.add(
            "issuer",
            "pass",
            f"sealing organisation {cert_ids[0]} is the credential's issuer ({notation})",
        )
    else:
        report.add(
            "issuer",
            "fail",
            f"sealed by organisation {cert_ids[0]}, but the credential names issuer {notation}",
            "SEAL_ISSUER_MISMATCH",
        )


def _check_validity_at_signing(leaf: x509.Certificate, report: SealReport) -> None:
    when = report.signing_time
    if when is None:
        return
    if when < leaf.not_valid_before_utc:
        report.add(
            "signing-time",
            "fail",
            f"sealed at {when.isoformat()}, before the certificate was valid",
            "SEAL_CERT_NOT_YET_VALID",
        )
    elif when > leaf.not_valid_after_utc:
        report.add(
            "signing-time",
            "fail",
            f"sealed at {when.isoformat()}, after the certificate expired on {leaf.not_valid_after_utc.isoformat()}",
            "SEAL_CERT_EXPIRED",
        )
    else:
        report.add(
            "signing-time",
            "pass",
            f"sealed at {when.isoformat()}, within the certificate's validity",
        )


def decode_sealed_payload(sealed: Any) -> Any:
    """The credential inside a sealed EDC, *without* verifying the seal (for convert/inspect).

    Raises :class:`SealFormatError` when the envelope or its payload cannot be read.
    """
    report = SealReport()
    parts = _parse_envelope(sealed, report)
    if parts is None:
        raise SealFormatError(report.reason or "not a sealed EDC")
    protected, payload, _ = parts
    try:
        header = json.loads(b64url_decode(protected))
        b64 = header.get("b64", True) if isinstance(header, dict) else True
        body = payload if b64 is False else b64url_decode(payload).decode("utf-8")
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SealFormatError(f"sealed payload is not a JSON credential: {exc}") from exc
