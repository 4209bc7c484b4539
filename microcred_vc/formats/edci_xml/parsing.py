"""EDCI 1.x XML parsed safely and validated against the EDCI XSD it names.

Safety first: the bytes come from a learner's wallet or a stranger. The parser
is lxml with the defusedxml-style settings (``resolve_entities=False``,
``no_network=True``, ``load_dtd=False``, ``huge_tree=False``), a size cap before
parsing, and any document type declaration refused after that parse (which
expanded nothing): EDCI credentials never carry one, and a DTD is where XXE and
billion-laughs attacks live.

The XSDs are not shipped (like the official EDC SHACL shapes): the caller
passes the folder of ``edci-commons`` XSDs, or sets ``MICROCRED_EDCI_XSD``.
A credential names its schema in ``xsi:schemaLocation``; the last path segment
picks the file in that folder (upstream URLs point at publications.europa.eu or
long-gone dev hosts, so they are never fetched). Schema imports resolve inside
the folder only.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from microcred_vc.errors import ConversionError, InputTooLarge, SchemaUnavailable
from microcred_vc.jsonld.limits import DEFAULT_LIMITS, Limits

#: Namespaces of the EDCI 1.x credential and presentation schemas.
EDCI_NS = "http://data.europa.eu/snb"
EDCI_VP_NS = "http://data.europa.eu/snb/vp"
CRED_NS = "http://data.europa.eu/europass/model/credentials/w3c#"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
XSI_SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
#: Environment variable naming the folder of EDCI XSD files.
XSD_ENV = "MICROCRED_EDCI_XSD"
#: Upstream names that are byte-identical to the generic 1.2 schema (MANIFEST section 10).
SCHEMA_ALIASES = {
    "accreditationschema_1.2.xsd": "genericschema_1.2.xsd",
    "diplomasupplementschema_1.2.xsd": "genericschema_1.2.xsd",
}
#: The schema for a credential that names none, by root namespace.
DEFAULT_SCHEMAS = {EDCI_NS: "genericschema_1.2.xsd", EDCI_VP_NS: "mandatedschema_generic_1.2.xsd"}


class EdciXmlInvalid(ConversionError):
    """The XML does not validate against its EDCI XSD; ``details`` carry the XSD's
    message, the line and the element path of the first error."""


def _parser() -> etree.XMLParser:
    """A parser that never resolves an entity, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse(data: bytes | str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """The root element of ``data``; refuses oversized input, DTDs and broken XML."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > limits.max_bytes:
        raise InputTooLarge(
            f"the XML document is {len(raw)} bytes; the limit is {limits.max_bytes}",
            limit=limits.max_bytes,
        )
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        # libxml2 stops entity amplification (billion laughs) itself: say what it was
        bomb = "amplification" in str(exc.msg)
        raise ConversionError(
            f"not well-formed XML: {exc.msg} (line {exc.lineno})",
            code="XML_DTD_REFUSED" if bomb else "XML_MALFORMED",
            line=exc.lineno or 0,
        ) from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        # parsed without expanding anything; refused because a credential has no DTD
        raise ConversionError(
            "the XML document declares a DTD; EDCI credentials never do, and a DTD is how "
            "XXE and entity-expansion attacks work, so it is refused",
            code="XML_DTD_REFUSED",
        )
    return root


class _FolderResolver(etree.Resolver):
    """Schema imports resolve to files of one folder, by file name; nothing else."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(self, url: str, pubid: str | None, context: Any) -> Any:
        name = url.replace("\\", "/").rsplit("/", 1)[-1]
        path = self.folder / SCHEMA_ALIASES.get(name, name)
        if path.is_file():
            return self.resolve_filename(str(path), context)
        raise SchemaUnavailable(f"EDCI XSD import {url} is not in {self.folder}", path=url)


_schemas: dict[tuple[str, float], Any] = {}
_lock = threading.Lock()


def xsd_folder(xsd_dir: str | Path | None = None) -> Path | None:
    """The XSD folder given, else ``MICROCRED_EDCI_XSD``, else None (not validated)."""
    chosen = xsd_dir if xsd_dir is not None else os.environ.get(XSD_ENV)
    return Path(chosen) if chosen else None


def schema_name(root: Any) -> str | None:
    """The XSD file a document names (last segment of its schemaLocation), or the default."""
    location = root.get(XSI_SCHEMA_LOCATION)
    if location:
        name = location.split()[-1].replace("\\", "/").rsplit("/", 1)[-1]
        return SCHEMA_ALIASES.get(name, name)
    return DEFAULT_SCHEMAS.get(etree.QName(root).namespace or "")


def _schema(folder: Path, name: str) -> Any:
    path = folder / name
    if not path.is_file():
        raise SchemaUnavailable(
            f"the credential names the EDCI schema {name}, which is not in {folder}",
            path=str(path),
        )
    key = (str(path.resolve()), path.stat().st_mtime)
    with _lock:
        if key not in _schemas:
            parser = _parser()
            parser.resolvers.add(_FolderResolver(folder))
            try:
                _schemas[key] = etree.XMLSchema(etree.parse(str(path), parser))
            except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
                raise SchemaUnavailable(f"EDCI XSD {path} cannot be read: {exc}") from None
        return _schemas[key]


@dataclass(frozen=True)
class Validation:
    """What XSD validation said: the schema used, or why none was."""

    schema: str | None
    skipped: str | None = None


def validate(root: Any, xsd_dir: str | Path | None = None) -> Validation:
    """Validate against the schema the document names; raise :class:`EdciXmlInvalid`."""
    folder = xsd_folder(xsd_dir)
    if folder is None:
        return Validation(
            None, f"no EDCI XSD folder (pass xsd_dir= or set {XSD_ENV}): not schema-checked"
        )
    name = schema_name(root)
    if name is None:
        raise EdciXmlInvalid(
            "the XML names no EDCI schema and its root is not in the EDCI namespace",
            code="EDCI_XML_INVALID",
        )
    schema = _schema(folder, name)
    if schema.validate(etree.ElementTree(root)):
        return Validation(name)
    error = schema.error_log[0]
    raise EdciXmlInvalid(
        f"not valid against {name}: {error.message} (line {error.line}, {error.path})",
        code="EDCI_XML_INVALID",
        schema=name,
        xsd_message=error.message,
        line=error.line,
        path=error.path or "",
    )
