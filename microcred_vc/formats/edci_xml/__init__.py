"""Europass EDCI 1.x XML credentials (before ELM 3): detect, validate, read into the hub.

Learners' wallets still hold ``europassCredential`` XML from EDCI 1.x. This
package reads them: safely parsed (:mod:`.parsing`), validated against the EDCI
XSD they name when the caller has the XSD folder (``xsd_dir=`` or
``MICROCRED_EDCI_XSD``), refused with the XSD's message when invalid, and read
into a :class:`~microcred_vc.model.found.LearningCredential` with its
completeness and a loss for every element the hub cannot hold (:mod:`.reading`).

There is no writer: EDCI 1.x is superseded by ELM 3; convert to ``edc``.
Their XML signatures (XAdES enveloped) are not verified by this library; the
verify hook says so with ``EDCI_XML_SIGNATURE_UNSUPPORTED`` instead of guessing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from microcred_vc.errors import ConversionError
from microcred_vc.formats.base import Loss
from microcred_vc.formats.edci_xml.parsing import (
    DSIG_NS,
    EDCI_NS,
    EDCI_VP_NS,
    XSD_ENV,
    EdciXmlInvalid,
    parse,
    validate,
)
from microcred_vc.jsonld.limits import DEFAULT_LIMITS, Limits

__all__ = ["EDCI_NS", "EDCI_VP_NS", "XSD_ENV", "EdciXmlInvalid", "load", "verify_xml"]


def _edci_root(data: Any, limits: Limits) -> Any:
    """The parsed root; XML whose root is not in an EDCI namespace is refused by name."""
    root = parse(data, limits)
    if root.tag not in (
        f"{{{EDCI_NS}}}europassCredential",
        f"{{{EDCI_VP_NS}}}verifiablePresentation",
    ):
        raise ConversionError(
            f"not an EDCI 1.x credential: the XML root is {root.tag}, "
            f"not {{{EDCI_NS}}}europassCredential",
            code="XML_ROOT_UNKNOWN",
        )
    return root


def load(
    data: bytes | str,
    *,
    xsd_dir: str | Path | None = None,
    require: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Any, list[Loss]]:
    """Read EDCI 1.x XML into the hub as found, with what it could not carry.

    Raises :class:`EdciXmlInvalid` (``EDCI_XML_INVALID``, the XSD's message, line
    and path in ``details``) for XML its schema rejects; ``require="annex-i"``
    returns the strict micro-credential or raises naming what is missing.
    """
    from microcred_vc.formats.edci_xml.reading import read
    from microcred_vc.model.found import build_found, require_annex_i

    root = _edci_root(data, limits)
    checked = validate(root, xsd_dir)  # an invalid presentation is invalid first
    if root.tag == f"{{{EDCI_VP_NS}}}verifiablePresentation":
        raise ConversionError(
            "an EDCI 1.x presentation holds credentials; convert each credential",
            code="EDCI_XML_PRESENTATION",
        )
    data_, losses = read(root)
    if checked.skipped:
        losses.insert(0, Loss("xsd", checked.skipped))
    found = build_found(data_, losses, Loss)
    return require_annex_i(found, require, "EDCI XML credential"), losses


def verify_xml(data: bytes | str, *, xsd_dir: str | Path | None = None) -> Any:
    """The checks this library can make on EDCI 1.x XML: well-formed, XSD-valid,
    and a clear ``EDCI_XML_SIGNATURE_UNSUPPORTED`` for its XML signature (never
    "verified": nothing here checks a XAdES signature)."""
    from microcred_vc.errors import MicrocredError
    from microcred_vc.report import VerificationReport

    report = VerificationReport(format="edci-xml")
    try:
        root = _edci_root(data, DEFAULT_LIMITS)
        checked = validate(root, xsd_dir)
    except MicrocredError as exc:
        report.add("schema", "fail", exc.message, exc.code)
        return report
    if checked.skipped:
        report.add("schema", "skip", checked.skipped)
    else:
        report.add("schema", "pass", f"valid against the EDCI XSD {checked.schema}")
    signed = root.find(f".//{{{DSIG_NS}}}Signature") is not None
    report.add(
        "proof",
        "fail",
        "EDCI 1.x XML signatures (XAdES) are not verified by this library; convert to EDC "
        "and seal anew, or verify the XML with the EU DSS tools"
        if signed
        else "the EDCI XML credential carries no signature",
        "EDCI_XML_SIGNATURE_UNSUPPORTED" if signed else "PROOF_MISSING",
    )
    return report
