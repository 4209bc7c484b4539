"""ETSI TS 119 612 Trusted Lists read into plain values, from XML that was signed.

Only what the qualification decision needs is read: the scheme (territory,
type, next update), the LOTL's pointers to other lists with the certificates
allowed to sign them, and every trust service with its type, digital
identities, current status and status history, and the service information
extensions (AdditionalServiceInformation and the Qualifications extension).
Parsing refuses DTDs and entities and never touches the network: a Trusted
List is input from outside like any credential.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography import x509
from lxml import etree

TSL = "http://uri.etsi.org/02231/v2#"
TSLX = "http://uri.etsi.org/02231/v2/additionaltypes#"
ECC = "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
NS = {"tsl": TSL, "tslx": TSLX, "ecc": ECC, "xades": XADES}

LOTL_TYPE = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists"
XML_MIME = "application/vnd.etsi.tsl+xml"
CA_QC = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC"
STATUS = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
GRANTED = STATUS + "granted"
#: statuses that meant "qualified" before eIDAS (TS 119 612 §5.5.4, Directive 1999/93/EC)
GRANTED_BEFORE_EIDAS = {
    STATUS + "undersupervision",
    STATUS + "accredited",
    STATUS + "supervisionincessation",
}
EIDAS_START = datetime(2016, 7, 1, tzinfo=UTC)

MAX_BYTES = 50_000_000  # the EU LOTL is ~300 kB, the largest national lists a few MB


class TrustedListProblem(Exception):
    """A list that cannot be used, with the check code that says why."""

    def __init__(self, message: str, code: str = "TRUSTED_LIST_INVALID") -> None:
        super().__init__(message)
        self.code = code


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML: no DTD, no entities, no network, no huge trees."""
    if len(data) > MAX_BYTES:
        raise TrustedListProblem(f"list larger than {MAX_BYTES} bytes")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
    )
    try:
        tree = etree.fromstring(data, parser=parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise TrustedListProblem(f"not well-formed XML: {exc}") from exc
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise TrustedListProblem("a Trusted List has no DOCTYPE; this one declares one")
    root = tree.getroot()
    if root.tag != f"{{{TSL}}}TrustServiceStatusList":
        raise TrustedListProblem(f"root element is {root.tag}, not tsl:TrustServiceStatusList")
    return root


def _text(node: etree._Element | None, path: str) -> str | None:
    found = node.find(path, NS) if node is not None else None
    return found.text.strip() if found is not None and found.text else None


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise TrustedListProblem(f"{value!r} is not an xsd:dateTime") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _b64(value: str) -> bytes:
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise TrustedListProblem(f"base64 value unreadable: {exc}") from exc


@dataclass(frozen=True)
class Identity:
    """A ServiceDigitalIdentity: certificates and subject key identifiers (X509SKI)."""

    certificates: tuple[x509.Certificate, ...] = ()
    skis: tuple[bytes, ...] = ()


def read_identity(node: etree._Element | None) -> Identity:
    certs, skis = [], []
    if node is None:
        return Identity()
    for digital_id in node.iterfind("tsl:DigitalId", NS):
        for value in digital_id.iterfind("tsl:X509Certificate", NS):
            try:
                certs.append(x509.load_der_x509_certificate(_b64(value.text or "")))
            except ValueError as exc:
                raise TrustedListProblem(f"X509Certificate unreadable: {exc}") from exc
        for value in digital_id.iterfind("tsl:X509SKI", NS):
            skis.append(_b64(value.text or ""))
    return Identity(tuple(certs), tuple(skis))


@dataclass(frozen=True)
class Criteria:
    """A Qualifications CriteriaList: which certificates a qualifier applies to."""

    assert_: str = "all"
    key_usage: tuple[tuple[str, bool], ...] = ()
    policy_sets: tuple[tuple[str, ...], ...] = ()
    nested: tuple[Criteria, ...] = ()


@dataclass(frozen=True)
class Qualification:
    """One QualificationElement: qualifier URIs and the criteria that select certificates."""

    qualifiers: tuple[str, ...]
    criteria: Criteria


def _criteria(node: etree._Element) -> Criteria:
    usages: list[tuple[str, bool]] = []
    for ku in node.iterfind("ecc:KeyUsage/ecc:KeyUsageBit", NS):
        usages.append((ku.get("name", ""), (ku.text or "").strip().lower() == "true"))
    policies = tuple(
        tuple(
            i.text.strip()
            for i in ps.iterfind("ecc:PolicyIdentifier/xades:Identifier", NS)
            if i.text
        )
        for ps in node.iterfind("ecc:PolicySet", NS)
    )
    nested = tuple(_criteria(c) for c in node.iterfind("ecc:CriteriaList", NS))
    return Criteria(node.get("assert", "all"), tuple(usages), policies, nested)


@dataclass(frozen=True)
class ServiceState:
    """The service as one status period: from ``start`` until the next newer state began."""

    type: str
    status: str
    start: datetime
    identity: Identity
    additional_info: tuple[str, ...] = ()
    qualifications: tuple[Qualification, ...] = ()


def _state(node: etree._Element) -> ServiceState:
    start = _time(_text(node, "tsl:StatusStartingTime"))
    if start is None:
        raise TrustedListProblem("a service has no StatusStartingTime")
    extensions = node.find("tsl:ServiceInformationExtensions", NS)
    info: list[str] = []
    quals: list[Qualification] = []
    if extensions is not None:
        for uri in extensions.iterfind(
            "tsl:Extension/tsl:AdditionalServiceInformation/tsl:URI", NS
        ):
            if uri.text:
                info.append(uri.text.strip())
        for element in extensions.iterfind(
            "tsl:Extension/ecc:Qualifications/ecc:QualificationElement", NS
        ):
            qualifiers = tuple(
                q.get("uri", "").strip()
                for q in element.iterfind("ecc:Qualifiers/ecc:Qualifier", NS)
            )
            criteria = element.find("ecc:CriteriaList", NS)
            quals.append(
                Qualification(
                    qualifiers, _criteria(criteria) if criteria is not None else Criteria()
                )
            )
    return ServiceState(
        type=_text(node, "tsl:ServiceTypeIdentifier") or "",
        status=_text(node, "tsl:ServiceStatus") or "",
        start=start,
        identity=read_identity(node.find("tsl:ServiceDigitalIdentity", NS)),
        additional_info=tuple(info),
        qualifications=tuple(quals),
    )


@dataclass(frozen=True)
class Service:
    """A trust service: its current state first, then its history, newest first."""

    provider: str
    name: str
    states: tuple[ServiceState, ...]

    @property
    def current(self) -> ServiceState:
        return self.states[0]

    def state_at(self, when: datetime) -> ServiceState | None:
        """The state in force at ``when`` (None: the service was not listed yet)."""
        return next((s for s in self.states if s.start <= when), None)


@dataclass(frozen=True)
class Pointer:
    """An OtherTSLPointer of a LOTL: where a list is and who may sign it."""

    location: str
    territory: str | None
    tsl_type: str | None
    mime_type: str | None
    signers: tuple[x509.Certificate, ...]


@dataclass
class TrustedList:
    """One verified Trusted List (or LOTL)."""

    source: str
    territory: str
    tsl_type: str
    operator: str
    issued: datetime | None
    next_update: datetime | None
    signer: x509.Certificate | None = None
    pointers: list[Pointer] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)

    @property
    def is_lotl(self) -> bool:
        return self.tsl_type.endswith("EUlistofthelists") or self.tsl_type.endswith(
            "listofthelists"
        )


def _name(node: etree._Element | None, path: str) -> str:
    names = node.findall(path, NS) if node is not None else []
    english = [n for n in names if n.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"]
    chosen = (english or names)[:1]
    return chosen[0].text.strip() if chosen and chosen[0].text else ""


def _pointer(node: etree._Element) -> Pointer:
    info: dict[str, str] = {}
    for other in node.iterfind("tsl:AdditionalInformation/tsl:OtherInformation", NS):
        for child in other:
            if isinstance(child.tag, str) and child.text:
                info[etree.QName(child).localname] = child.text.strip()
    signers = [
        cert
        for sdi in node.iterfind("tsl:ServiceDigitalIdentities/tsl:ServiceDigitalIdentity", NS)
        for cert in read_identity(sdi).certificates
    ]
    return Pointer(
        location=_text(node, "tsl:TSLLocation") or "",
        territory=info.get("SchemeTerritory"),
        tsl_type=info.get("TSLType"),
        mime_type=info.get("MimeType"),
        signers=tuple(signers),
    )


def read_list(root: etree._Element, source: str) -> TrustedList:
    """Read the signed ``root`` (the element the XML signature was verified over)."""
    scheme = root.find("tsl:SchemeInformation", NS)
    if scheme is None:
        raise TrustedListProblem("no SchemeInformation")
    tl = TrustedList(
        source=source,
        territory=_text(scheme, "tsl:SchemeTerritory") or "",
        tsl_type=_text(scheme, "tsl:TSLType") or "",
        operator=_name(scheme, "tsl:SchemeOperatorName/tsl:Name"),
        issued=_time(_text(scheme, "tsl:ListIssueDateTime")),
        next_update=_time(_text(scheme, "tsl:NextUpdate/tsl:dateTime")),
    )
    tl.pointers = [
        _pointer(p) for p in scheme.iterfind("tsl:PointersToOtherTSL/tsl:OtherTSLPointer", NS)
    ]
    for tsp in root.iterfind("tsl:TrustServiceProviderList/tsl:TrustServiceProvider", NS):
        provider = _name(tsp, "tsl:TSPInformation/tsl:TSPName/tsl:Name")
        for service in tsp.iterfind("tsl:TSPServices/tsl:TSPService", NS):
            current = service.find("tsl:ServiceInformation", NS)
            if current is None:
                raise TrustedListProblem(f"a service of {provider} has no ServiceInformation")
            history = service.iterfind("tsl:ServiceHistory/tsl:ServiceHistoryInstance", NS)
            states = sorted(
                [_state(current), *map(_state, history)], key=lambda s: s.start, reverse=True
            )
            tl.services.append(
                Service(provider, _name(current, "tsl:ServiceName/tsl:Name"), tuple(states))
            )
    return tl
