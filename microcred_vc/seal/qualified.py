"""Is the seal a qualified electronic seal? QC statements plus the EU Trusted Lists.

eIDAS (Regulation 910/2014, art. 3(27) and 35) gives a seal the presumption of
integrity and origin when it is based on a qualified certificate for
electronic seals, issued by a QTSP whose CA/QC service was granted at the
time, and created with a qualified seal creation device. The certificate says
so in its QC statements (ETSI EN 319 412-5: QcCompliance, QcType eSeal,
QcSSCD); the Trusted List says whether the CA was granted and may correct the
certificate through the Qualifications extension (QCForESeal, QCWithQSCD, …).
The outcome is one ``qualification`` step (after any step about an unusable
list), so it is shown as its own check of ``verify``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from asn1crypto import core
from cryptography import x509
from cryptography.x509.oid import NameOID

from microcred_vc.seal.report import SealReport
from microcred_vc.seal.trusted_list import TrustedLists
from microcred_vc.seal.trusted_list.decide import decide

QC_STATEMENTS = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3")
QC_COMPLIANCE = "0.4.0.1862.1.1"
QC_SSCD = "0.4.0.1862.1.4"
QC_TYPE = "0.4.0.1862.1.6"
QC_TYPES = {"0.4.0.1862.1.6.1": "esign", "0.4.0.1862.1.6.2": "eseal", "0.4.0.1862.1.6.3": "web"}

QESEAL = "QESeal"
ADESEAL_QC = "AdESeal/QC"


class _QcStatement(core.Sequence):
    _fields = [
        ("statement_id", core.ObjectIdentifier),
        ("statement_info", core.Any, {"optional": True}),
    ]


class _QcStatements(core.SequenceOf):
    _child_spec = _QcStatement


class _QcTypes(core.SequenceOf):
    _child_spec = core.ObjectIdentifier


@dataclass(frozen=True)
class QcInfo:
    """What a certificate's QC statements claim (RFC 3739, ETSI EN 319 412-5)."""

    compliance: bool = False
    types: frozenset[str] = frozenset()
    sscd: bool = False
    statements: tuple[str, ...] = ()


def qc_statements(cert: x509.Certificate) -> QcInfo:
    """Read the qcStatements extension; a certificate without one claims nothing."""
    try:
        raw = cert.extensions.get_extension_for_oid(QC_STATEMENTS).value
    except x509.ExtensionNotFound:
        return QcInfo()
    data = raw.value if isinstance(raw, x509.UnrecognizedExtension) else raw.public_bytes()
    try:
        parsed = _QcStatements.load(data)
        ids = [s["statement_id"].dotted for s in parsed]
        types: set[str] = set()
        for statement in parsed:
            if statement["statement_id"].dotted == QC_TYPE and statement["statement_info"].contents:
                info = _QcTypes.load(statement["statement_info"].dump())
                types |= {QC_TYPES.get(t.dotted, t.dotted) for t in info}
    except (ValueError, TypeError) as exc:
        raise ValueError(f"qcStatements extension unreadable: {exc}") from exc
    return QcInfo(QC_COMPLIANCE in ids, frozenset(types), QC_SSCD in ids, tuple(ids))


def _describe(qc: QcInfo) -> str:
    if not qc.statements:
        return "no QC statements"
    parts = ["QcCompliance" if qc.compliance else "no QcCompliance"]
    parts.append("QcType " + (", ".join(sorted(qc.types)) if qc.types else "absent"))
    parts.append("QcSSCD" if qc.sscd else "no QcSSCD")
    return ", ".join(parts)


def check_qualification(
    leaf: x509.Certificate,
    report: SealReport,
    trusted_lists: TrustedLists | None,
    *,
    require_qualified: bool | str = False,
    when: datetime,
) -> None:
    """Add the ``qualification`` steps: list problems, then the decision at ``when``.

    ``require_qualified`` True (or ``"QESeal"``) asks for a qualified electronic
    seal (QSCD attested); ``"QC"`` for a qualified certificate for seals only.
    """
    need = {True: QESEAL, "QESeal": QESEAL, "QC": ADESEAL_QC, False: None}[require_qualified]
    try:
        qc = qc_statements(leaf)
    except ValueError as exc:
        report.add("qualification", "fail", str(exc), "SEAL_NOT_QUALIFIED")
        return
    if trusted_lists is None:
        message = f"no Trusted List given; the certificate claims {_describe(qc)}"
        if need:
            report.add("qualification", "fail", message, "TRUSTED_LIST_NOT_GIVEN")
        else:
            report.add("qualification", "skip", message)
        return
    for problem in trusted_lists.problems:
        report.add("qualification", "fail", problem.message, problem.code)
    for tl in trusted_lists.stale(when):
        report.add(
            "qualification",
            "warn",
            f"{tl.source}: NextUpdate {tl.next_update.isoformat() if tl.next_update else ''} has passed;"
            " a newer list should exist",
            "TRUSTED_LIST_STALE",
        )
    decision = decide(trusted_lists, leaf, when)
    if decision.code is not None:
        country = _country(leaf)
        missing = trusted_lists.missing_for(country) if decision.tl is None else []
        if missing:
            report.add(
                "qualification",
                "fail",
                f"the LOTL points to the {country} Trusted List at {missing[0].location}, "
                "which was not given; download it and pass it too",
                "TRUSTED_LIST_NOT_GIVEN",
            )
        else:
            report.add("qualification", "fail", decision.message, decision.code)
        return
    level, why = _level(qc, decision.qualifiers, decision.service_types)
    report.qualification = level
    message = f"{decision.message}; certificate: {_describe(qc)}; {why}"
    if need and (level is None or (need == QESEAL and level != QESEAL)):
        code = "SEAL_NOT_QUALIFIED" if level is None else "SEAL_QSCD_NOT_ATTESTED"
        report.add("qualification", "fail", f"{message}; {need} is required", code)
    elif level is None:
        report.add("qualification", "warn", message, "SEAL_NOT_QUALIFIED")
    else:
        report.add("qualification", "pass", message)


def _level(
    qc: QcInfo, qualifiers: frozenset[str], service_types: set[str]
) -> tuple[str | None, str]:
    """QESeal, AdESeal/QC or None, with the reason (TS 119 615 §4.3, simplified)."""
    qualified = qc.compliance
    if "QCStatement" in qualifiers:
        qualified = True
    if "NotQualified" in qualifiers:
        qualified = False
    types = set(qc.types) or ({"esign"} if qc.compliance else set())  # EN 319 412-5 §4.2.3
    for name, kind in (("QCForESig", "esign"), ("QCForESeal", "eseal"), ("QCForWSA", "web")):
        if name in qualifiers:
            types = {kind}
    if service_types and not types & service_types:
        return (
            None,
            f"the service issues qualified certificates for {', '.join(sorted(service_types))} only",
        )
    if not qualified:
        return None, "not a qualified certificate"
    if "eseal" not in types:
        return (
            None,
            f"a qualified certificate for {', '.join(sorted(types)) or 'no stated purpose'}, not for seals",
        )
    qscd = qc.sscd
    if qualifiers & {"QCWithQSCD", "QCQSCDManagedOnBehalf", "QCWithSSCD"}:
        qscd = True
    if qualifiers & {"QCNoQSCD", "QCNoSSCD"}:
        qscd = False
    if qscd:
        return QESEAL, "qualified electronic seal (qualified certificate for seals, key on a QSCD)"
    return ADESEAL_QC, "advanced seal with a qualified certificate (no QSCD attested)"


def _country(cert: x509.Certificate) -> str | None:
    attrs = cert.issuer.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    value = str(attrs[0].value).upper() if attrs else None
    return "EL" if value == "GR" else value  # Trusted Lists call Greece EL
