"""Verify a JAdES-sealed EDC: format, signature, certificate, revocation, timestamps, issuer.

``verify_seal`` never raises on a bad seal: like ``verify``, it returns a
:class:`SealReport` whose steps say exactly what failed (tampered payload,
expired certificate, untrusted root, wrong key usage, revoked, a timestamp
that covers something else). It raises only on misuse, e.g. unreadable
trust roots. Long-term evidence in the unsigned ``etsiU`` header is used as
ETSI TS 119 182-1 defines it: ``sigTst`` dates the seal, ``xVals``/``rVals``
are the certificates and revocation data when the caller gives none, and
``arcTst`` keeps the whole chain of proof verifiable after certificates expire.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from cryptography import x509

from microcred_vc.errors import CertificateError, SealFormatError
from microcred_vc.seal.certs import (
    CertLike,
    der,
    describe,
    load_certificate,
    load_certificates,
    signing_key_usage_problem,
    validate_path,
)
from microcred_vc.seal.envelope import (
    check_header,
    decode_payload,
    decode_sealed_payload,
    etsiu_components,
    parse_envelope,
    validation_values,
)
from microcred_vc.seal.issuer import check_issuer
from microcred_vc.seal.jades import b64url, b64url_decode, signing_input, verify_bytes
from microcred_vc.seal.longterm import (
    Evidence,
    LongTerm,
    check_timestamps,
    fetch_online,
    level_found,
)
from microcred_vc.seal.report import SealReport, SealStep
from microcred_vc.seal.revocation import fetcher_for

__all__ = ["SealReport", "SealStep", "decode_sealed_payload", "verify_seal"]

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
_REVOCATION_CODES = {"SEAL_CERT_REVOKED", "SEAL_REVOCATION_UNKNOWN"}


def verify_seal(
    sealed: Any,
    trust_roots: CertLike | Iterable[CertLike],
    *,
    crls: Iterable[bytes | Any] | None = None,
    ocsps: Iterable[bytes | Any] | None = None,
    moment: datetime | None = None,
    require_level: str | None = None,
    fetch: Any = None,
    trusted_lists: Any = None,
    require_qualified: bool | str = False,
) -> SealReport:
    """Verify a JAdES-sealed EDC against ``trust_roots`` (at ``moment`` or now).

    ``crls``/``ocsps`` (DER) replace the revocation data the seal carries in
    ``rVals``. ``require_level`` (``"B-T"``, ``"B-LT"``, ``"B-LTA"``) fails a
    seal that proves less. Offline unless ``fetch`` is the library's
    :class:`~microcred_vc.net.HttpFetcher` (or a
    :class:`~microcred_vc.seal.revocation.RevocationFetcher`): then, when
    neither the caller nor the seal's rVals give revocation data, the OCSP
    responders and CRLs the certificates name are asked, through the guarded
    transport (a responder that does not answer gives "revocation unknown").
    ``trusted_lists`` (a :class:`~microcred_vc.seal.trusted_list.TrustedLists`)
    adds the listed services as trust anchors and the ``qualification`` step;
    ``require_qualified`` (True: a qualified electronic seal, ``"QC"``: a
    qualified certificate for seals) fails a seal that is less.
    """
    if require_level is not None and require_level not in LEVELS:
        raise ValueError(f"require_level must be one of {LEVELS}, not {require_level!r}")
    roots = load_certificates(trust_roots)
    if trusted_lists is not None:
        from microcred_vc.seal.trusted_list import TrustedLists

        if not isinstance(trusted_lists, TrustedLists):
            raise TypeError(
                "trusted_lists: load the files with TrustedLists.load(files, signers=...)"
            )
        roots += trusted_lists.anchors()
    now = (moment or datetime.now(UTC)).astimezone(UTC)
    report = SealReport()
    envelope = parse_envelope(sealed, report)
    if envelope is None:
        return report
    header = check_header(envelope.protected, report)
    if header is None:
        return report
    try:
        report.payload = decode_payload(envelope, header)
        report.add("structure", "pass", "JWS JSON serialisation with a JSON credential payload")
    except (ValueError, UnicodeDecodeError) as exc:
        report.add(
            "structure", "fail", f"payload is not a JSON credential: {exc}", "SEAL_MALFORMED"
        )
    try:
        certs = [load_certificate(b64url_decode(_b64url(c))) for c in header["x5c"]]
    except (CertificateError, ValueError) as exc:
        report.add(
            "certificate", "fail", f"x5c certificate unreadable: {exc}", "SEAL_HEADER_INVALID"
        )
        return report
    leaf = certs[0]
    report.signer = describe(leaf)
    _check_thumbprint(header, leaf, report)
    _check_signature(envelope, header, leaf, report)
    _signing_time(header, report)
    _check_validity_at_signing(leaf, report)
    problem = signing_key_usage_problem(leaf)
    if problem:
        report.add("key-usage", "fail", problem, "SEAL_KEY_USAGE")
    else:
        report.add("key-usage", "pass", "certificate key usage allows sealing")
    check_issuer(leaf, report)
    try:
        components = etsiu_components(envelope.unprotected)
        x_vals, r_crls, r_ocsps = validation_values(components)
        pool = [*certs[1:], *(load_certificate(c) for c in x_vals)]
    except (SealFormatError, CertificateError) as exc:
        report.add("structure", "fail", f"unsigned etsiU header: {exc}", "SEAL_MALFORMED")
        return report
    evidence = _evidence(roots, pool, crls, ocsps, r_crls, r_ocsps, now)
    fetcher = fetcher_for(fetch)
    if evidence.source == "none" and fetcher is not None:
        fetch_online(evidence, leaf, envelope, header, components, fetcher)
    longterm = check_timestamps(envelope, header, components, evidence, report)
    report.proof_time = longterm.proof_time or now
    _check_path(leaf, evidence, report)
    _check_level(level_found(longterm, components), longterm, require_level, report)
    if trusted_lists is not None or require_qualified:
        from microcred_vc.seal.qualified import check_qualification

        check_qualification(
            leaf, report, trusted_lists, require_qualified=require_qualified, when=report.proof_time
        )
    return report


def _b64url(value: str) -> str:
    """x5c holds standard base64 (RFC 7515 §4.1.6); read it with the base64url decoder."""
    return value.replace("+", "-").replace("/", "_")


def _evidence(
    roots: list[x509.Certificate],
    pool: list[x509.Certificate],
    crls: Iterable[bytes | Any] | None,
    ocsps: Iterable[bytes | Any] | None,
    r_crls: list[bytes],
    r_ocsps: list[bytes],
    now: datetime,
) -> Evidence:
    """The caller's revocation data when given, else what the seal carries in rVals."""
    given_crls, given_ocsps = list(crls or ()), list(ocsps or ())
    if given_crls or given_ocsps:
        return Evidence(roots, pool, given_crls, given_ocsps, now, "supplied by the verifier")
    if r_crls or r_ocsps:
        return Evidence(roots, pool, r_crls, r_ocsps, now, "carried in the seal (rVals)")
    return Evidence(roots, pool, [], [], now)


def _check_thumbprint(header: dict[str, Any], leaf: x509.Certificate, report: SealReport) -> None:
    thumb = header.get("x5t#S256")
    if thumb is not None and thumb != b64url(hashlib.sha256(der(leaf)).digest()):
        report.add(
            "certificate",
            "fail",
            "x5t#S256 does not match the first x5c certificate",
            "SEAL_HEADER_INVALID",
        )
    else:
        report.add("certificate", "pass", f"sealing certificate {report.signer} read from x5c")


def _check_signature(
    envelope: Any, header: dict[str, Any], leaf: x509.Certificate, report: SealReport
) -> None:
    try:
        sig = b64url_decode(envelope.signature)
    except ValueError:
        sig = b""
    data = signing_input(
        envelope.protected, envelope.payload, b64=header.get("b64", True) is not False
    )
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


def _check_path(leaf: x509.Certificate, evidence: Evidence, report: SealReport) -> None:
    """certificate-path at the proven time, then revocation as its own step."""
    when = report.proof_time or evidence.now
    proven = " (proven by the signature timestamp)" if when < evidence.now else ""
    outcome = validate_path(leaf, evidence.pool, evidence.roots, moment=when, revocation=False)
    report.chain = outcome.chain
    report.add(
        "certificate-path",
        "pass" if outcome.ok else "fail",
        outcome.message + proven,
        outcome.code,
    )
    if not outcome.ok:
        return
    if not (evidence.crls or evidence.ocsps):
        _no_revocation_data(evidence, report)
        return
    checked = validate_path(
        leaf,
        evidence.pool,
        evidence.roots,
        moment=when,
        crls=evidence.crls,
        ocsps=evidence.ocsps,
        retroactive=when < evidence.now,
    )
    if checked.ok:
        unreachable = f"; not used: {'; '.join(evidence.problems)}" if evidence.problems else ""
        report.add(
            "revocation",
            "pass",
            f"revocation checked: not revoked at {when.isoformat()} "
            f"({len(evidence.crls)} CRL(s), {len(evidence.ocsps)} OCSP response(s) "
            f"{evidence.source}){unreachable}",
        )
    else:
        code = checked.code if checked.code in _REVOCATION_CODES else "SEAL_REVOCATION_UNKNOWN"
        also = f" (could not fetch: {'; '.join(evidence.problems)})" if evidence.problems else ""
        report.add("revocation", "fail", checked.message + also, code)


def _no_revocation_data(evidence: Evidence, report: SealReport) -> None:
    """No CRL/OCSP to judge by: skipped offline, unknown when the online lookup failed."""
    if evidence.problems:
        report.add(
            "revocation",
            "fail",
            "revocation unknown: " + "; ".join(evidence.problems),
            "SEAL_REVOCATION_UNKNOWN",
        )
    elif evidence.declared_none:
        report.add(
            "revocation",
            "skip",
            "revocation not checked: the certificates name no OCSP responder or CRL",
        )
    else:
        report.add(
            "revocation", "skip", "revocation not checked (no CRL/OCSP supplied or in rVals)"
        )


def _check_level(found: str, longterm: LongTerm, required: str | None, report: SealReport) -> None:
    report.level = found
    parts = sorted(longterm.present | ({"xVals/rVals"} if found in ("B-LT", "B-LTA") else set()))
    message = f"JAdES baseline {found}" + (f" ({', '.join(parts)})" if parts else "")
    if required is not None and LEVELS.index(found) < LEVELS.index(required):
        report.add("level", "fail", f"{message}; {required} is required", "SEAL_LEVEL_NOT_MET")
    else:
        report.add("level", "pass", message)


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


def _check_validity_at_signing(leaf: x509.Certificate, report: SealReport) -> None:
    """The claimed signing time (sigT) must fall within the certificate's validity."""
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
