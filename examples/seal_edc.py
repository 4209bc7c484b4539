"""Guide — seal a Europass EDC with JAdES and verify the seal.

Run: ``.venv/bin/python examples/seal_edc.py``. It makes a throw-away certificate
authority and a seal certificate for the institution, naming its legal identifier
``VATIE-3668997OH`` (in production both come from a qualified trust service provider), seals the example course's EDC at baseline B, verifies
it against the authority as trust anchor, and shows what a changed byte and an unknown
anchor do.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from microcred_vc import build_micro_credential, load_course_spec, load_roster
from microcred_vc.formats import edc
from microcred_vc.seal import seal_edc, verify_seal

HERE = Path(__file__).resolve().parent
NOW = datetime.now(UTC)


def certificate(
    subject: str, key, issuer=None, issuer_key=None, *, ca: bool, org_id: str | None = None
) -> x509.Certificate:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "IE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, subject),
        x509.NameAttribute(NameOID.COMMON_NAME, subject),
    ]
    if org_id:  # ETSI EN 319 412-1: a seal certificate names its organisation's legal id
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, org_id))
    name = x509.Name(attributes)
    usage = x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(issuer_key or key, hashes.SHA256())
    )


def show(label: str, report) -> None:
    failed = [f"{s.name}={s.code}" for s in report.steps if s.status == "fail"]
    verdict = f"valid ({report.level})" if report.valid else "NOT valid " + " ".join(failed)
    print(f"{label}: {verdict}")


def main() -> None:
    ca_key, seal_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = certificate("Example Trust Services", ca_key, ca=True)
    seal_cert = certificate(
        "Technological University Dublin", seal_key, ca, ca_key, ca=False, org_id="VATIE-3668997OH"
    )

    course = load_course_spec(HERE / "course.json")
    mc = build_micro_credential(course, next(iter(load_roster(HERE / "roster.csv"))))
    # seal_certificate: the issuer's eIDAS id (IE/IE/3668997OH) must be the certificate's
    # organisation (an issuer without one would take it from the certificate)
    doc = edc.dump(mc, seal_certificate=seal_cert)
    sealed = seal_edc(doc, seal_key, [seal_cert])  # level="B-B"; B-T needs tsa=

    show("sealed EDC", verify_seal(sealed, [ca]))
    changed = dict(sealed, payload=sealed["payload"].replace("ECTS", "ECTs", 1))
    show("one byte changed", verify_seal(changed, [ca]))
    other = certificate("Someone Else", ec.generate_private_key(ec.SECP256R1()), ca=True)
    show("another trust anchor", verify_seal(sealed, [other]))


if __name__ == "__main__":
    main()
