"""The formats the library ships, declared as :class:`~microcred_vc.formats.registry.Format`.

Each hook adapts one spoke to the registry's shapes: ``verify`` hooks read what
they need from the one :class:`~microcred_vc.context.VerificationContext`, and a
nested document (a badge inside an image) goes back through ``context.verify``.
Spokes are imported inside the hooks so that ``import microcred_vc`` stays light.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from microcred_vc import detect as sniff
from microcred_vc.context import VerificationContext
from microcred_vc.envelope import is_enveloped
from microcred_vc.errors import ConversionError, MicrocredError
from microcred_vc.formats.base import ConversionResult, Loss
from microcred_vc.formats.registry import Fetch, Format, FormatRegistry
from microcred_vc.report import Check, VerificationReport

LABELS = sniff.FORMAT_LABELS


# --- verify hooks --------------------------------------------------------------
def _verify_baked(kind: str) -> Any:
    def verify(value: Any, context: VerificationContext) -> VerificationReport:
        from microcred_vc.bake import unbake
        from microcred_vc.bake.payload import fetch_hosted, is_hosted_url

        label = LABELS[kind]
        try:
            payload = unbake(value)
        except MicrocredError as exc:
            report = VerificationReport(format=kind)
            report.add("format", "fail", f"{label}: {exc.message}", exc.code)
            return report
        if is_hosted_url(payload):  # an OB 2.0 hosted badge: fetch what the URL serves
            try:
                payload = fetch_hosted(str(payload).strip(), context.fetch)
            except MicrocredError as exc:
                report = VerificationReport(format=kind)
                report.add("format", "pass", f"{label} carrying a hosted-assertion URL")
                report.add("hosted", "fail", exc.message, exc.code)
                return report
        inner = context.verify(payload)
        if inner.checks and inner.checks[0].name == "format":
            seen = inner.checks[0]
            seen.message = f"{label} carrying: {seen.message}"
        else:
            inner.checks.insert(0, Check("format", "pass", f"{label} carrying a badge"))
        return inner

    return verify


def _verify_jwt(value: Any, context: VerificationContext) -> VerificationReport:
    from microcred_vc.jose import verify_jwt
    from microcred_vc.jose.presentation import is_presentation_token, verify_presentation_jwt

    if is_presentation_token(value):  # VC 1.1 'vp' claim or VC-JOSE-COSE vp+jwt
        return verify_presentation_jwt(value, context)

    extra: dict[str, Any] = context.skew()
    if context.trusted_keys is not None:
        extra["jwks"] = context.trusted_keys
    if context.algorithms is not None:
        extra["allowed_algs"] = context.algorithms
    return verify_jwt(
        value,
        resolver=context.resolver,
        now=context.now,
        loader=context.loader,
        status_checker=context.status_checker(),
        **extra,
    )


def _verify_ob2(value: Any, context: VerificationContext) -> VerificationReport:
    from microcred_vc.formats.ob2 import verify_ob2

    return verify_ob2(
        value, fetch=context.fetch, recipient_email=context.recipient_email, now=context.now
    )


def _verify_sealed(value: Any, context: VerificationContext) -> VerificationReport:
    from microcred_vc.seal import verify_seal

    # context.fetch (the library's HttpFetcher under --network) lets the seal's
    # OCSP/CRL be fetched; any other fetch callable keeps revocation offline
    return verify_seal(
        value,
        context.trust_roots or [],
        moment=context.now,
        fetch=context.fetch,
        trusted_lists=context.trusted_lists,
        require_qualified=context.require_qualified,
    ).to_report()


def _verify_clr(value: Any, context: VerificationContext) -> VerificationReport:
    from microcred_vc.formats.clr import verify_clr

    return verify_clr(value, context)


def _verify_presentation(value: Any, context: VerificationContext) -> VerificationReport:
    from microcred_vc.proofs.presentation import verify_presentation

    if is_enveloped(value, "presentation"):
        from microcred_vc.jose.presentation import verify_enveloped_presentation

        return verify_enveloped_presentation(value, context)
    # Every credential inside gets the full verification a lone credential gets.
    return verify_presentation(value, challenge=context.challenge, context=context)


def _claims_presentation(doc: dict[str, Any]) -> bool:
    """A presentation, or a VC-JOSE-COSE ``EnvelopedVerifiablePresentation`` (no VP type)."""
    return sniff.is_presentation(doc) or is_enveloped(doc, "presentation")


def _verify_data_integrity(kind: str) -> Any:
    def verify(value: Any, context: VerificationContext) -> VerificationReport:
        report = context.verify_data_integrity(value)
        if kind == "ob3" and context.ob3_schemas is not None:
            report.checks.append(_ob3_schema_check(value, context.ob3_schemas))
        report.format = kind
        return report

    return verify


def _ob3_schema_check(doc: dict[str, Any], schemas: str | Path) -> Check:
    from microcred_vc.validate.ob3 import validate_ob3

    findings = validate_ob3(doc, schemas=schemas)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        shown = "; ".join(f"{f.path}: {f.message}" for f in errors[:3])
        return Check("schema", "fail", f"{len(errors)} schema error(s): {shown}", "SCHEMA_INVALID")
    return Check("schema", "pass", "valid against the Open Badges 3.0 JSON Schema")


# --- hub, envelopes and rewrites (convert) -------------------------------------
def _load_ob3(doc: dict[str, Any]) -> tuple[Any, list[Loss]]:
    from microcred_vc.formats import ob3

    return ob3.load(doc)


def _dump_ob3(mc: Any) -> ConversionResult:
    from microcred_vc.formats import ob3
    from microcred_vc.formats.ob3.parts import dump_losses

    return ConversionResult(ob3.dump(mc), dump_losses(mc), "hub", "ob3")


def _load_edc(doc: dict[str, Any]) -> tuple[Any, list[Loss]]:
    from microcred_vc.formats import edc

    return edc.load(doc)


def _dump_edc(mc: Any) -> ConversionResult:
    from microcred_vc.formats import edc

    return edc.dump_with_losses(mc)


def _to_vc(version: str) -> Any:
    def restate(doc: dict[str, Any]) -> ConversionResult:
        from microcred_vc.formats import vc

        return vc.to_v2(doc) if version == "vc2" else vc.to_v1(doc)

    return restate


def _load_ob2(doc: dict[str, Any]) -> tuple[Any, list[Loss]]:
    """An OB 2.0 assertion read as found: upgraded to OB 3.0 (nothing fetched), then read."""
    from microcred_vc.formats import ob3
    from microcred_vc.formats.ob2 import upgrade

    upgraded = upgrade(doc, fetch=None)
    found, losses = ob3.load(upgraded.document)
    return found, [*upgraded.losses, *losses]


def _load_vc(doc: dict[str, Any]) -> tuple[Any, list[Loss]]:
    from microcred_vc.formats import vc

    return vc.load(doc)


def _upgrade_ob2(doc: dict[str, Any], fetch: Fetch) -> ConversionResult:
    from microcred_vc.formats.ob2 import upgrade

    return upgrade(doc, fetch=fetch)


def _unbake(value: Any) -> Any:
    from microcred_vc.bake import unbake

    return unbake(value)


def _unwrap_jwt(value: Any) -> Any:
    from microcred_vc.jose import decode_unverified

    decoded = decode_unverified(value)
    if decoded.is_presentation:
        _unwrap_presentation(value)
    return decoded.credential


def _unwrap_jws(value: Any) -> Any:
    from microcred_vc.formats.ob2.reading import jws_payload

    return jws_payload(value)


def _unwrap_sealed(value: Any) -> Any:
    from microcred_vc.seal import decode_sealed_payload

    return decode_sealed_payload(value)


def _load_edci_xml(value: Any) -> tuple[Any, list[Loss]]:
    from microcred_vc.formats import edci_xml

    return edci_xml.load(value)


def _verify_edci_xml(value: Any, context: VerificationContext) -> VerificationReport:
    from microcred_vc.formats import edci_xml

    return edci_xml.verify_xml(value)


def _unwrap_presentation(value: Any) -> Any:
    raise ConversionError("a presentation holds several credentials; convert each one")


def builtin_formats() -> list[Format]:
    """The shipped formats; the order is the one ``issue`` and ``convert`` list them in."""
    data_integrity = {name: _verify_data_integrity(name) for name in ("ob3", "edc", "vc1", "vc2")}
    return [
        Format(
            "ob3",
            LABELS["ob3"],
            sniff.is_ob3,
            50,
            data_integrity["ob3"],
            load=_load_ob3,
            dump=_dump_ob3,
        ),
        Format(
            "edc",
            LABELS["edc"],
            sniff.is_edc,
            40,
            data_integrity["edc"],
            load=_load_edc,
            dump=_dump_edc,
        ),
        Format(
            "vc2",
            LABELS["vc2"],
            sniff.is_vc2,
            60,
            data_integrity["vc2"],
            load=_load_vc,
            restate=_to_vc("vc2"),
        ),
        Format(
            "vc1",
            LABELS["vc1"],
            sniff.is_vc1,
            70,
            data_integrity["vc1"],
            load=_load_vc,
            restate=_to_vc("vc1"),
        ),
        Format(
            "ob2",
            LABELS["ob2"],
            sniff.is_ob2,
            20,
            _verify_ob2,
            load=_load_ob2,
            upgrade=_upgrade_ob2,
        ),
        Format("clr", LABELS["clr"], sniff.is_clr, 45, _verify_clr),
        Format("ob2-jws", LABELS["ob2-jws"], verify=_verify_ob2, unwrap=_unwrap_jws),
        Format(
            "edc-sealed",
            LABELS["edc-sealed"],
            sniff.is_sealed,
            10,
            _verify_sealed,
            unwrap=_unwrap_sealed,
        ),
        Format(
            "vp",
            LABELS["vp"],
            _claims_presentation,
            30,
            _verify_presentation,
            unwrap=_unwrap_presentation,
        ),
        Format("jwt", LABELS["jwt"], verify=_verify_jwt, unwrap=_unwrap_jwt),
        Format("png", LABELS["png"], verify=_verify_baked("png"), unwrap=_unbake),
        Format("svg", LABELS["svg"], verify=_verify_baked("svg"), unwrap=_unbake),
        Format("edci-xml", LABELS["edci-xml"], verify=_verify_edci_xml, load=_load_edci_xml),
    ]


#: The default registry every verb uses unless given another one (filled on first use).
FORMATS: FormatRegistry = FormatRegistry(defaults=builtin_formats)


def dump_document(mc: Any, format: str) -> dict[str, Any]:
    """Public: a micro-credential dumped to ``format`` by the default registry."""
    return FORMATS.dump(mc, format)


def load_document(
    doc: dict[str, Any], format: str, require: str | None = None
) -> tuple[Any, list[Loss]]:
    """Public: a document of ``format`` read into the hub (as found) by the default registry."""
    return FORMATS.load(doc, format, require)
