"""The Trusted List tests' PKI (certomancer, tests/seal/tl_pki.yml) and list writer (signxml).

Oracles: certomancer (an independent X.509 toolkit) issues every certificate,
its QC statements written by the plugin in tests/pki/qc.py with asn1crypto types
declared there (RFC 3739 / ETSI EN 319 412-5), not the library's; signxml, an
independent XML-DSig implementation, signs the lists; the XML follows ETSI TS
119 612 (element names and URIs copied from the standard, built with lxml).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from certomancer.registry import CertomancerConfig
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
)
from lxml import etree
from signxml import SignatureMethod, XMLSigner

import tests.pki.qc  # noqa: F401  (registers the qc-statements plugin)

CONFIG = Path(__file__).with_name("tl_pki.yml")
KEYS = (
    "root",
    "ca-qc",
    "ca-other",
    "seal",
    "tsa",
    "lotl-operator",
    "be-operator",
    "rogue-operator",
)

TSL = "http://uri.etsi.org/02231/v2#"
TSLX = "http://uri.etsi.org/02231/v2/additionaltypes#"
ECC = "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
CA_QC = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC"
TSA_QTST = "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST"
STATUS = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
SVCINFO = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/"
EU_GENERIC = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric"
EU_LOTL = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists"


@dataclass
class TlPki:
    keys: dict[str, ec.EllipticCurvePrivateKey]
    certs: dict[str, x509.Certificate]

    def pem_key(self, name: str) -> bytes:
        return self.keys[name].private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())

    def pem_cert(self, name: str) -> bytes:
        return self.certs[name].public_bytes(Encoding.PEM)


def build_pki(key_dir: Path) -> TlPki:
    keys = {name: ec.generate_private_key(ec.SECP256R1()) for name in KEYS}
    for name, key in keys.items():
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        (key_dir / f"{name}.key.pem").write_bytes(pem)
    arch = CertomancerConfig.from_file(str(CONFIG), key_search_dir=str(key_dir)).get_pki_arch("tl")
    labels = ("root", "ca-qc", "ca-other", "seal-qc", "seal-plain", "seal-noqscd", "seal-other")
    labels += ("tsa", "lotl-operator", "be-operator", "rogue-operator")
    certs = {lbl: x509.load_der_x509_certificate(arch.get_cert(lbl).dump()) for lbl in labels}
    return TlPki(keys, certs)


# --- Trusted List XML (ETSI TS 119 612 v2.x) ------------------------------------


def _el(parent, ns: str, name: str, text: str | None = None, **attrs):
    node = etree.SubElement(parent, f"{{{ns}}}{name}", **attrs)
    if text is not None:
        node.text = text
    return node


def _b64(cert: x509.Certificate) -> str:
    import base64

    return base64.b64encode(cert.public_bytes(Encoding.DER)).decode()


def _names(parent, tag: str, text: str):
    holder = _el(parent, TSL, tag)
    _el(holder, TSL, "Name", text, **{"{http://www.w3.org/XML/1998/namespace}lang": "en"})


@dataclass
class State:
    """One status period of a service (the newest is the current ServiceInformation)."""

    status: str
    start: datetime
    type: str = CA_QC
    additional: tuple[str, ...] = ("ForeSeals",)
    qualifiers: tuple[str, ...] = ()


@dataclass
class ServiceSpec:
    name: str
    cert: x509.Certificate
    states: list[State]  # newest first
    ski_only: bool = False


@dataclass
class PointerSpec:
    location: str
    territory: str
    signers: list[x509.Certificate]
    tsl_type: str = EU_GENERIC


def _service_info(parent, tag: str, spec: ServiceSpec, state: State) -> None:
    info = _el(parent, TSL, tag)
    _el(info, TSL, "ServiceTypeIdentifier", state.type)
    _names(info, "ServiceName", spec.name)
    identity = _el(info, TSL, "ServiceDigitalIdentity")
    if spec.ski_only:
        import base64

        ski = spec.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        _el(_el(identity, TSL, "DigitalId"), TSL, "X509SKI", base64.b64encode(ski).decode())
    else:
        _el(_el(identity, TSL, "DigitalId"), TSL, "X509Certificate", _b64(spec.cert))
    _el(info, TSL, "ServiceStatus", STATUS + state.status)
    _el(info, TSL, "StatusStartingTime", state.start.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if not (state.additional or state.qualifiers):
        return
    extensions = _el(info, TSL, "ServiceInformationExtensions")
    for uri in state.additional:
        asi = _el(
            _el(extensions, TSL, "Extension", Critical="false"), TSL, "AdditionalServiceInformation"
        )
        _el(asi, TSL, "URI", SVCINFO + uri, **{"{http://www.w3.org/XML/1998/namespace}lang": "en"})
    if state.qualifiers:
        quals = _el(_el(extensions, TSL, "Extension", Critical="true"), ECC, "Qualifications")
        element = _el(quals, ECC, "QualificationElement")
        qualifiers = _el(element, ECC, "Qualifiers")
        for q in state.qualifiers:
            _el(qualifiers, ECC, "Qualifier", uri=SVCINFO + q)
        criteria = _el(element, ECC, "CriteriaList")
        criteria.set("assert", "atLeastOne")
        ku = _el(criteria, ECC, "KeyUsage")
        _el(ku, ECC, "KeyUsageBit", "true").set("name", "nonRepudiation")


@dataclass
class ListSpec:
    territory: str
    issued: datetime
    next_update: datetime
    services: list[ServiceSpec] = field(default_factory=list)
    pointers: list[PointerSpec] = field(default_factory=list)
    lotl: bool = False


def build_list(spec: ListSpec) -> etree._Element:
    root = etree.Element(f"{{{TSL}}}TrustServiceStatusList", nsmap={None: TSL}, Id="tsl")
    root.set("TSLTag", "http://uri.etsi.org/19612/TSLTag")
    scheme = _el(root, TSL, "SchemeInformation")
    _el(scheme, TSL, "TSLVersionIdentifier", "5")
    _el(scheme, TSL, "TSLSequenceNumber", "1")
    _el(scheme, TSL, "TSLType", EU_LOTL if spec.lotl else EU_GENERIC)
    _names(scheme, "SchemeOperatorName", f"Test {spec.territory} scheme operator")
    _el(scheme, TSL, "SchemeTerritory", spec.territory)
    if spec.pointers:
        pointers = _el(scheme, TSL, "PointersToOtherTSL")
        for p in spec.pointers:
            node = _el(pointers, TSL, "OtherTSLPointer")
            sdis = _el(node, TSL, "ServiceDigitalIdentities")
            for cert in p.signers:
                sdi = _el(sdis, TSL, "ServiceDigitalIdentity")
                _el(_el(sdi, TSL, "DigitalId"), TSL, "X509Certificate", _b64(cert))
            _el(node, TSL, "TSLLocation", p.location)
            extra = _el(node, TSL, "AdditionalInformation")
            _el(_el(extra, TSL, "OtherInformation"), TSL, "TSLType", p.tsl_type)
            _el(_el(extra, TSL, "OtherInformation"), TSL, "SchemeTerritory", p.territory)
            other = _el(extra, TSL, "OtherInformation")
            _el(other, TSLX, "MimeType", "application/vnd.etsi.tsl+xml")
    _el(scheme, TSL, "ListIssueDateTime", spec.issued.strftime("%Y-%m-%dT%H:%M:%SZ"))
    _el(
        _el(scheme, TSL, "NextUpdate"),
        TSL,
        "dateTime",
        spec.next_update.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    if spec.services:
        providers = _el(root, TSL, "TrustServiceProviderList")
        tsp = _el(providers, TSL, "TrustServiceProvider")
        _names(_el(tsp, TSL, "TSPInformation"), "TSPName", "Test QTSP")
        services = _el(tsp, TSL, "TSPServices")
        for svc in spec.services:
            node = _el(services, TSL, "TSPService")
            _service_info(node, "ServiceInformation", svc, svc.states[0])
            if len(svc.states) > 1:
                history = _el(node, TSL, "ServiceHistory")
                for state in svc.states[1:]:
                    _service_info(history, "ServiceHistoryInstance", svc, state)
    return root


def sign_list(root: etree._Element, pki: TlPki, operator: str, *, xades: bool = False) -> bytes:
    """Enveloped XML-DSig by ``operator``'s key, its certificate in KeyInfo (signxml).

    ``xades=True`` signs XAdES-BES as the EU's real lists are (TS 119 612 §5.7.1):
    three references (the list, SignedProperties, KeyInfo). signxml 5.2's XAdES
    signer only agrees with itself under its default canonicalisation, so that one.
    """
    if xades:
        from signxml.xades import XAdESSigner

        xsigner = XAdESSigner(
            signature_algorithm=SignatureMethod.ECDSA_SHA256, digest_algorithm="sha256"
        )
        key, cert = pki.pem_key(operator), [pki.pem_cert(operator)]
        signed = xsigner.sign(root, key=key, cert=cert, reference_uri="#tsl")
        return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
    signer = XMLSigner(
        signature_algorithm=SignatureMethod.ECDSA_SHA256,
        digest_algorithm="sha256",
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    )
    signed = signer.sign(
        root, key=pki.pem_key(operator), cert=[pki.pem_cert(operator)], reference_uri="#tsl"
    )
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
