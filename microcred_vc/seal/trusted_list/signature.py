"""The XML signature of a Trusted List (ETSI TS 119 612 §5.7), verified with signxml.

A list is only as good as its signer: a national list must be signed by a
certificate the LOTL lists for that territory, the LOTL by a certificate the
caller trusts (the ones the EU publishes in the Official Journal). signxml, a
kept XML-DSig implementation, checks the signature; only the XML it returns
as signed is read afterwards, so nothing outside the signature (a wrapped or
appended element) can add a service.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import datetime

from cryptography import x509
from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier
from signxml.exceptions import InvalidCertificate, InvalidDigest, InvalidInput, InvalidSignature

from microcred_vc.seal.trusted_list.model import NS, TSL, TrustedListProblem

_DS = "http://www.w3.org/2000/09/xmldsig#"


def embedded_signer(root: etree._Element) -> x509.Certificate | None:
    """The certificate the signature carries in KeyInfo (who claims to have signed)."""
    node = root.find(
        f"{{{_DS}}}Signature/{{{_DS}}}KeyInfo/{{{_DS}}}X509Data/{{{_DS}}}X509Certificate"
    )
    if node is None or not node.text:
        return None
    try:
        return x509.load_der_x509_certificate(base64.b64decode("".join(node.text.split())))
    except ValueError:
        return None


def verify_list_signature(
    root: etree._Element, signers: Sequence[x509.Certificate], moment: datetime
) -> tuple[etree._Element, x509.Certificate]:
    """The signed list element and the certificate (one of ``signers``) that signed it.

    Raises :class:`TrustedListProblem` with ``TRUSTED_LIST_SIGNER_UNTRUSTED`` when
    the signature holds for a certificate that is not one of ``signers``, and
    ``TRUSTED_LIST_INVALID_SIGNATURE`` when it holds for none.
    """
    if root.find(f"{{{_DS}}}Signature") is None:
        raise TrustedListProblem("the list is not signed", "TRUSTED_LIST_INVALID_SIGNATURE")
    config = SignatureConfiguration(location="./", expect_references=True, verification_time=moment)
    last: Exception | None = None
    for cert in signers:
        try:
            results = XMLVerifier().verify(root, x509_cert=cert, expect_config=config)
        except (InvalidSignature, InvalidDigest, InvalidCertificate, InvalidInput) as exc:
            last = exc
            continue
        for result in results if isinstance(results, list) else [results]:
            signed = result.signed_xml
            if signed is not None and signed.tag == f"{{{TSL}}}TrustServiceStatusList":
                return signed, cert
        last = InvalidSignature("the signature does not cover the TrustServiceStatusList")
    claimed = embedded_signer(root)
    if (
        claimed is not None
        and not any(claimed == s for s in signers)
        and _holds(root, claimed, config)
    ):
        raise TrustedListProblem(
            f"signed by {claimed.subject.rfc4514_string()}, which is not an operator "
            "certificate the LOTL (or the caller) lists for this list",
            "TRUSTED_LIST_SIGNER_UNTRUSTED",
        )
    if not signers:
        raise TrustedListProblem(
            "no certificate is trusted to sign this list (give the LOTL signing certificates)",
            "TRUSTED_LIST_SIGNER_UNTRUSTED",
        )
    raise TrustedListProblem(
        f"XML signature does not verify: {last}", "TRUSTED_LIST_INVALID_SIGNATURE"
    )


def _holds(root: etree._Element, cert: x509.Certificate, config: SignatureConfiguration) -> bool:
    try:
        XMLVerifier().verify(root, x509_cert=cert, expect_config=config)
    except (InvalidSignature, InvalidDigest, InvalidCertificate, InvalidInput):
        return False
    return True


__all__ = ["NS", "embedded_signer", "verify_list_signature"]
