"""The core of ``verify`` and ``convert``, run through a format registry.

``verify_in_context`` is what :func:`microcred_vc.verify` does after building
its :class:`~microcred_vc.context.VerificationContext`, and what a nested
document (a credential in a presentation, a badge in an image) goes through via
``context.verify``: detect the format, run that format's verify hook with the
same context. ``convert_with`` follows the formats' convert hooks (unwrap,
upgrade, restate, load and dump through the hub).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from microcred_vc.errors import ConversionError, MicrocredError, UnknownFormat
from microcred_vc.formats.base import ConversionResult, Loss
from microcred_vc.jsonld.budget import work_budget
from microcred_vc.jsonld.limits import DEFAULT_LIMITS, Limits, check_limits
from microcred_vc.report import Check, VerificationReport

if TYPE_CHECKING:
    from microcred_vc.context import VerificationContext
    from microcred_vc.formats.registry import Fetch, FormatRegistry


def verify_in_context(
    value: Any, context: VerificationContext, formats: FormatRegistry
) -> VerificationReport:
    """Verify ``value`` with ``context``; never raises on a bad credential."""
    try:
        # the caller's size/depth/node caps (context.limits), for a dict as for JSON text
        limits = context.limits if isinstance(context.limits, Limits) else DEFAULT_LIMITS
        check_limits(value, limits)
        detected = formats.detect(value, limits)
    except MicrocredError as exc:
        report = VerificationReport()
        report.add("format", "fail", exc.message, exc.code)
        return report
    hook = formats.get(detected.format).verify
    try:
        with work_budget():  # one budget for every proof of every credential inside
            if hook is None:
                raise UnknownFormat(f"a {detected.label} cannot be verified")
            report = hook(detected.value, context)
    except MicrocredError as exc:
        report = VerificationReport(format=detected.format)
        report.add("format", "pass", f"{detected.label}")
        report.add("parse", "fail", exc.message, exc.code)
        return report
    if not report.checks or report.checks[0].name != "format":
        report.checks.insert(0, Check("format", "pass", detected.label))
    report.format = report.format or detected.format
    # a credential's issuer trust, beside (never inside) the verdict; a presentation
    # reports it per credential, a container (baked image) already has its badge's
    from microcred_vc.proofs.presentation import PRESENTATION_FORMATS

    if report.format not in PRESENTATION_FORMATS and report.check("trust") is None:
        report.checks.append(context.trust_check(report))
    return report


#: convert() reads; it does not verify unless asked (verify=True), and says so, because a
#: tampered credential converts as readily as a genuine one and the result bears no
#: signature that would reveal it.
UNVERIFIED = "convert() did not verify it (a tampered source converts too): verify() the source, or convert(..., verify=True)"
VERIFIED = "the source was verified before conversion"
#: What each envelope carries that no conversion can keep (issue 19: every loss named).
ENVELOPES = {
    "edc-sealed": ("seal", "the JAdES seal (eIDAS) is dropped: the converted credential is unsealed; seal it again"),
    "jwt": ("jwt", "the JWT signature is dropped: sign the converted credential"),
    "ob2-jws": ("jws", "the Open Badges 2.0 JWS signature is dropped: sign the converted credential"),
    "png": ("image", "the baked PNG image is not carried, only the credential inside it"),
    "svg": ("image", "the baked SVG image is not carried, only the credential inside it"),
}  # fmt: skip


def _strip_proof(doc: Any, verified: bool = False) -> tuple[Any, list[Loss]]:
    if not isinstance(doc, dict) or "proof" not in doc:  # XML bytes, expanded JSON-LD
        return doc, []
    out = {k: v for k, v in doc.items() if k != "proof"}
    how = VERIFIED if verified else UNVERIFIED
    return out, [
        Loss(
            "proof",
            f"a Data Integrity proof does not survive conversion; re-sign the result; {how}",
        )
    ]


def _envelope_loss(name: str, verified: bool) -> list[Loss]:
    if name not in ENVELOPES:
        return []
    field, reason = ENVELOPES[name]
    signed = field in ("seal", "jwt", "jws")
    return [Loss(field, f"{reason}; {VERIFIED if verified else UNVERIFIED}" if signed else reason)]


def convert_targets(formats: FormatRegistry) -> list[str]:
    """Formats a document can be converted to: through the hub, or by rewriting."""
    return [f.name for f in formats if f.dump is not None or f.restate is not None]


def convert_with(
    formats: FormatRegistry,
    document: Any,
    to: str,
    fetch: Fetch = None,
    *,
    require: str | None = None,
    complete_with: Any = None,
    seal_certificate: Any = None,
    verified: bool = False,
) -> ConversionResult:
    """``convert`` through ``formats`` (see :func:`microcred_vc.convert`); ``verified``:
    the caller verified the source first, which the signature losses then say."""
    hub = {
        "require": require,
        "complete_with": complete_with,
        "seal_certificate": seal_certificate,
        "verified": verified,
    }
    through_hub = bool(require or complete_with or seal_certificate is not None)
    targets = convert_targets(formats)
    if to not in targets:
        raise UnknownFormat(f"cannot convert to {to!r}; choose one of {', '.join(targets)}")
    detected = formats.detect(document)
    source = formats.get(detected.format)
    if source.unwrap is not None:  # envelopes and images: convert what they carry
        result = convert_with(formats, source.unwrap(detected.value), to, fetch, **hub)
        result.losses[:0] = _envelope_loss(source.name, verified)
        return result
    doc, losses = _strip_proof(detected.value, verified)
    if source.upgrade is not None:
        upgraded = source.upgrade(doc, fetch)
        if to == upgraded.target_format and not through_hub:
            upgraded.losses[:0] = losses
            upgraded.source_format = source.name
            return upgraded
        result = convert_with(formats, upgraded.document, to, fetch, **hub)
        result.losses[:0] = losses + upgraded.losses
        result.source_format = source.name
        return result
    target = formats.get(to)
    if target.restate is not None:
        result = target.restate(doc)
        result.losses[:0] = losses
        result.source_format, result.target_format = source.name, to
        return result
    if source.name == to and not through_hub:
        return ConversionResult(doc, losses, source.name, to)
    if source.load is None:
        raise ConversionError(
            f"cannot convert a {detected.label} to {to}: it is not a micro-credential format"
        )
    from microcred_vc.model.found import complete_with as fill
    from microcred_vc.model.found import judge, require_annex_i

    mc, load_losses = source.load(doc)
    if complete_with is not None:  # the caller's course fills gaps, reported as supplied
        mc = fill(mc, complete_with)
    mc, taken = _issuer_id_from(mc, seal_certificate)
    completeness = judge(mc)
    if taken:  # supplied by the certificate the caller named, not found
        completeness = replace(completeness, supplied=(*completeness.supplied, taken))
    mc = require_annex_i(mc, require, formats.label(source.name))
    dumped = formats.dump_with_losses(mc, to)
    result = ConversionResult(
        dumped.document, losses + load_losses + dumped.losses, source.name, to
    )
    result.completeness = completeness
    return result


def _issuer_id_from(mc: Any, certificate: Any) -> tuple[Any, str | None]:
    """``mc`` with the issuer's legal identifier taken from ``certificate`` (when given)."""
    if certificate is None:
        return mc, None
    from microcred_vc.seal.issuer import issuer_from_seal_certificate

    had = getattr(getattr(mc, "issuer", None), "eidas_id", None)
    mc = issuer_from_seal_certificate(mc, certificate)
    return mc, None if had else "issuer.eidas_id"
