"""A certomancer extension plugin for the qcStatements extension (ETSI EN 319 412-5).

asn1crypto has no type for qcStatements, so certomancer cannot take its value
as plain YAML; this plugin builds it from asn1crypto types (no hand-written
DER), from names in the config: ``params: [qc-compliance, qc-type-eseal, qc-sscd]``.
"""

from __future__ import annotations

from asn1crypto import core
from certomancer.registry import ExtensionPlugin, extension_plugin_registry

#: ETSI EN 319 412-5 §4.2 statement ids, and the QcType of an electronic seal
QC_COMPLIANCE = "0.4.0.1862.1.1"
QC_SSCD = "0.4.0.1862.1.4"
QC_TYPE = "0.4.0.1862.1.6"
QC_TYPE_ESEAL = "0.4.0.1862.1.6.2"


class QcTypes(core.SequenceOf):
    _child_spec = core.ObjectIdentifier


class QcStatement(core.Sequence):
    _fields = [
        ("statement_id", core.ObjectIdentifier),
        ("statement_info", core.Any, {"optional": True}),
    ]


class QcStatements(core.SequenceOf):
    _child_spec = QcStatement


def _statement(name: str) -> QcStatement:
    if name == "qc-compliance":
        return QcStatement({"statement_id": QC_COMPLIANCE})
    if name == "qc-sscd":
        return QcStatement({"statement_id": QC_SSCD})
    if name == "qc-type-eseal":
        return QcStatement({"statement_id": QC_TYPE, "statement_info": QcTypes([QC_TYPE_ESEAL])})
    raise ValueError(f"unknown QC statement {name!r}")


@extension_plugin_registry.register
class QcStatementsPlugin(ExtensionPlugin):
    """``schema: qc-statements`` in a certomancer certificate's extension list."""

    schema_label = "qc-statements"
    extension_type = None

    def provision(self, extn_id, arch, params):
        return core.ParsableOctetString(QcStatements([_statement(n) for n in params]).dump())
