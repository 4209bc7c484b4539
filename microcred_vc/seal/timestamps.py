"""RFC 3161 timestamp tokens in a JAdES seal: what they cover and whether they hold.

A token is checked on its own terms here (RFC 3161 §2.4.2, RFC 5652): a
SignedData over a TSTInfo, one signer whose certificate carries the critical
``id-kp-timeStamping`` purpose and is named by the ESS signing-certificate
attribute, a CMS signature that verifies, and a message imprint equal to the
hash of the input ETSI TS 119 182-1 defines for that kind of timestamp. The
TSA certificate's path is validated by the caller (``verify.py``), at the time
that the next timestamp proves, with the same code as the seal's own path.
ASN.1 is parsed by asn1crypto and signatures are checked by ``cryptography``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from microcred_vc.seal.certs import der

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class TimestampProblem(Exception):
    """A token that does not hold, with the stable code of the reason."""

    def __init__(self, message: str, code: str = "SEAL_TIMESTAMP_INVALID") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Timestamp:
    """A token whose signature and imprint hold: when, by whom, with which certificates."""

    gen_time: datetime
    signer: x509.Certificate
    certs: tuple[x509.Certificate, ...]
    hash_name: str


def signature_imprint_input(signature_b64: str) -> bytes:
    """``sigTst`` (TS 119 182-1 §5.3.4): the base64url-encoded JWS Signature Value."""
    return signature_b64.encode("ascii")


def data_imprint_input(payload: str, b64: bool) -> bytes:
    """``adoTst`` without ``sigD`` (§5.2.8.3): the JWS Payload as it appears in the JWS.

    With ``b64: false`` that is the payload itself, else its base64url form.
    """
    return payload.encode("utf-8") if not b64 else payload.encode("ascii")


def archive_imprint_input(
    payload: str, b64: bool, protected: str, signature: str, earlier: Sequence[str]
) -> bytes:
    """``arcTst`` over base64url-encoded ``etsiU`` entries (§5.3.6.3.1):

    payload (as in the JWS) ``.`` protected header ``.`` signature ``.`` followed by
    every ``etsiU`` entry that precedes this archive timestamp, as sent, unseparated.
    """
    return b".".join(
        (data_imprint_input(payload, b64), protected.encode(), signature.encode(), b"")
    ) + "".join(earlier).encode("ascii")


def token_imprint(token: bytes) -> tuple[str, bytes]:
    """(hash name, hashed message) a token claims, without verifying it."""
    info = _tst_info(_signed_data(token))
    imprint = info["message_imprint"]
    return imprint["hash_algorithm"]["algorithm"].native, imprint["hashed_message"].native


def verify_token(
    token: bytes, data: bytes, extra_certs: Sequence[x509.Certificate] = ()
) -> Timestamp:
    """Check ``token`` covers ``data`` and is signed by a timestamping certificate.

    ``extra_certs`` (the seal's ``xVals``) may supply the TSA certificate when
    the token does not embed it. Raises :class:`TimestampProblem`.
    """
    signed = _signed_data(token)
    info = _tst_info(signed)
    imprint = info["message_imprint"]
    hash_name = imprint["hash_algorithm"]["algorithm"].native
    if hash_name not in _HASHES or hash_name == "sha1":
        raise TimestampProblem(f"timestamp imprint uses unsupported hash {hash_name}")
    if hashlib.new(hash_name, data).digest() != imprint["hashed_message"].native:
        raise TimestampProblem(
            "the timestamp's message imprint does not match what it must cover",
            "SEAL_TIMESTAMP_IMPRINT",
        )
    embedded = [
        x509.load_der_x509_certificate(c.chosen.dump())
        for c in signed["certificates"] or []
        if c.name == "certificate"
    ]
    infos = signed["signer_infos"]
    if len(infos) != 1:
        raise TimestampProblem(f"a timestamp token has exactly one signer, not {len(infos)}")
    signer_info = infos[0]
    signer = _find_signer(signer_info, [*embedded, *extra_certs])
    _check_signed_attributes(signer_info, signed, signer)
    _check_cms_signature(signer_info, signer)
    _check_tsa_certificate(signer, info["gen_time"].native)
    return Timestamp(info["gen_time"].native, signer, tuple(embedded), hash_name)


def _signed_data(token: bytes) -> cms.SignedData:
    try:
        content = cms.ContentInfo.load(token)
        if content["content_type"].native != "signed_data":
            raise TimestampProblem("a timestamp token must be CMS SignedData")
        signed = content["content"]
        _ = signed.native  # parse everything now: lazy parsing would fail later, elsewhere
    except (ValueError, TypeError, KeyError) as exc:
        raise TimestampProblem(f"timestamp token is not readable DER: {exc}") from exc
    return signed


def _tst_info(signed: cms.SignedData) -> tsp.TSTInfo:
    encap = signed["encap_content_info"]
    if encap["content_type"].native != "tst_info":
        raise TimestampProblem("the token's content is not a TSTInfo (RFC 3161 §2.4.2)")
    return encap["content"].parsed


def _find_signer(
    signer_info: cms.SignerInfo, certs: Sequence[x509.Certificate]
) -> x509.Certificate:
    sid = signer_info["sid"]
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                cert.serial_number == wanted["serial_number"].native
                and cert.issuer.public_bytes() == wanted["issuer"].dump()
            ):
                return cert
        else:
            try:
                ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            except x509.ExtensionNotFound:
                continue
            if ski.digest == sid.chosen.native:
                return cert
    raise TimestampProblem(
        "the TSA certificate is neither in the token nor in the seal's xVals",
        "SEAL_TSA_UNTRUSTED",
    )


def _digest(name: str, data: bytes) -> bytes:
    if name not in _HASHES:
        raise TimestampProblem(f"unsupported digest algorithm {name} in the timestamp")
    return hashlib.new(name, data).digest()


def _check_signed_attributes(
    signer_info: cms.SignerInfo, signed: cms.SignedData, signer: x509.Certificate
) -> None:
    """content-type, message-digest and ESS signing-certificate (RFC 3161 §2.4.1, RFC 5035)."""
    attrs = {a["type"].native: a["values"] for a in signer_info["signed_attrs"] or []}
    if not attrs:
        raise TimestampProblem("the timestamp's signer has no signed attributes")
    if attrs.get("content_type") is None or attrs["content_type"][0].native != "tst_info":
        raise TimestampProblem("the signed content-type attribute is not id-ct-TSTInfo")
    hash_name = signer_info["digest_algorithm"]["algorithm"].native
    content = signed["encap_content_info"]["content"].contents
    if attrs.get("message_digest") is None or attrs["message_digest"][0].native != _digest(
        hash_name, content
    ):
        raise TimestampProblem("the timestamp's TSTInfo was altered (message-digest differs)")
    if "signing_certificate_v2" in attrs:
        cert_id = attrs["signing_certificate_v2"][0]["certs"][0]
        algo = (
            cert_id["hash_algorithm"]["algorithm"].native if cert_id["hash_algorithm"] else "sha256"
        )
    elif "signing_certificate" in attrs:
        cert_id, algo = attrs["signing_certificate"][0]["certs"][0], "sha1"
    else:
        raise TimestampProblem("the timestamp names no signing certificate (ESS attribute)")
    if cert_id["cert_hash"].native != hashlib.new(algo, der(signer)).digest():
        raise TimestampProblem(
            "the timestamp's ESS signing-certificate is not the certificate that signed it",
            "SEAL_TSA_UNTRUSTED",
        )


def _check_cms_signature(signer_info: cms.SignerInfo, signer: x509.Certificate) -> None:
    data = signer_info["signed_attrs"].untag().dump()
    signature = signer_info["signature"].native
    algo = signer_info["signature_algorithm"]
    digest = _HASHES.get(signer_info["digest_algorithm"]["algorithm"].native)
    key = signer.public_key()
    if digest is None:
        raise TimestampProblem("unsupported digest algorithm in the timestamp")
    try:
        kind = algo.signature_algo
        if isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pss":
            params = algo["parameters"]
            pss_hash = _HASHES[params["hash_algorithm"]["algorithm"].native]()
            pss = padding.PSS(padding.MGF1(pss_hash), params["salt_length"].native)
            key.verify(signature, data, pss, pss_hash)
        elif isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pkcs1v15":
            key.verify(signature, data, padding.PKCS1v15(), digest())
        elif isinstance(key, ec.EllipticCurvePublicKey) and kind == "ecdsa":
            key.verify(signature, data, ec.ECDSA(digest()))
        else:
            raise TimestampProblem(f"unsupported timestamp signature algorithm {kind}")
    except InvalidSignature as exc:
        raise TimestampProblem("the timestamp's signature does not verify") from exc
    except (ValueError, KeyError) as exc:
        raise TimestampProblem(f"the timestamp's signature cannot be checked: {exc}") from exc


def _check_tsa_certificate(cert: x509.Certificate, gen_time: datetime) -> None:
    """RFC 3161 §2.3: the TSA certificate's only purpose is timestamping, marked critical."""
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except (x509.ExtensionNotFound, ValueError):  # ValueError: an unparsable extension
        eku = None
    if eku is None or ExtendedKeyUsageOID.TIME_STAMPING not in eku.value or not eku.critical:
        raise TimestampProblem(
            f"{cert.subject.rfc4514_string()} is not a timestamping certificate "
            "(RFC 3161 asks for a critical extendedKeyUsage id-kp-timeStamping)",
            "SEAL_TSA_NOT_TIMESTAMPING",
        )
    if not cert.not_valid_before_utc <= gen_time <= cert.not_valid_after_utc:
        raise TimestampProblem(
            f"the timestamp's time {gen_time.isoformat()} is outside its TSA certificate's validity",
            "SEAL_TSA_UNTRUSTED",
        )
