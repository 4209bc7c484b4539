"""Long-term seal evidence: which timestamps hold, and what time they prove.

ETSI EN 319 102-1 (past signature validation) in the form a JAdES seal
needs: the newest archive timestamp's TSA is judged now; every older
timestamp is judged at the time of the archive timestamp that covers it; the
seal certificate is then judged at the signature timestamp's time (its proof
of existence), so it only needs to have been valid, and not revoked, then.
A TSA certificate the caller gives as a trust anchor is trusted as a key, as
a Trusted List lists a timestamping unit's own certificate (TS 119 612
§5.5.3): it must have been valid when it stamped, not today.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from asn1crypto import cms
from cryptography import x509

from microcred_vc.errors import SealFormatError
from microcred_vc.seal.certs import der, describe, validate_path
from microcred_vc.seal.envelope import Envelope, EtsiUComponent, token_values
from microcred_vc.seal.report import SealReport
from microcred_vc.seal.revocation import RevocationFetcher, chain_to_cover, gather
from microcred_vc.seal.timestamps import (
    Timestamp,
    TimestampProblem,
    archive_imprint_input,
    data_imprint_input,
    signature_imprint_input,
    verify_token,
)

#: step name per timestamp kind (adoTst is the signed data-objects timestamp, §5.2.8)
STEP = {"sigTst": "signature-timestamp", "arcTst": "archive-timestamp", "adoTst": "data-timestamp"}
LABEL = {
    "sigTst": "signature timestamp (sigTst)",
    "arcTst": "archive timestamp (arcTst)",
    "adoTst": "signed data-objects timestamp (adoTst)",
}


@dataclass
class Evidence:
    """What the verifier may use: trust anchors, other certificates and revocation data."""

    roots: Sequence[x509.Certificate]
    pool: list[x509.Certificate]
    crls: list[bytes]
    ocsps: list[bytes]
    now: datetime
    source: str = "none"
    #: what could not be fetched online (a responder down, a CRL unreadable)
    problems: list[str] = field(default_factory=list)
    #: True when revocation was looked up online and no certificate declared where
    declared_none: bool = False


@dataclass
class LongTerm:
    """What the timestamps proved: ``proof_time`` for the seal and which kinds held."""

    proof_time: datetime | None = None
    held: dict[str, int] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)


def _tokens(
    envelope: Envelope, header: dict[str, Any], components: list[EtsiUComponent]
) -> list[tuple[str, bytes, bytes]]:
    """(kind, token DER, the bytes its imprint must cover) in etsiU order, adoTst first."""
    b64 = header.get("b64", True) is not False
    out: list[tuple[str, bytes, bytes]] = []
    if "adoTst" in header:
        data = data_imprint_input(envelope.payload, b64)
        out += [("adoTst", t, data) for t in token_values(header["adoTst"], "adoTst")]
    for index, comp in enumerate(components):
        if comp.name == "sigTst":
            data = signature_imprint_input(envelope.signature)
        elif comp.name == "arcTst":
            earlier = [c.encoded for c in components[:index]]
            if any(e is None for e in earlier):
                raise SealFormatError(
                    "arcTst over clear (not base64url-encoded) etsiU entries is not supported"
                )
            data = archive_imprint_input(
                envelope.payload,
                b64,
                envelope.protected,
                envelope.signature,
                earlier,  # type: ignore[arg-type]
            )
        else:
            continue
        out += [(comp.name, t, data) for t in token_values(comp.value, comp.name)]
    return out


def fetch_online(
    evidence: Evidence,
    leaf: x509.Certificate,
    envelope: Envelope,
    header: dict[str, Any],
    components: list[EtsiUComponent],
    fetcher: RevocationFetcher,
) -> None:
    """Fill ``evidence`` with OCSP responses/CRLs fetched for the seal's and TSAs' chains.

    Used only when the caller supplied no revocation data and the seal carries
    none (no rVals) and the caller allowed the network. The TSA certificates
    are read from the tokens so their status is fetched in the same pass.
    """
    try:
        tsa_leaves = _token_leaves(t for _, t, _ in _tokens(envelope, header, components))
    except SealFormatError:
        tsa_leaves = []
    candidates = [*evidence.pool, *tsa_leaves, *evidence.roots]
    pairs = chain_to_cover([leaf, *tsa_leaves], candidates)
    got = gather(pairs, fetcher)
    evidence.crls, evidence.ocsps, evidence.problems = got.crls, got.ocsps, got.problems
    evidence.declared_none = not got.declared
    if got.crls or got.ocsps:
        evidence.source = "fetched online (" + "; ".join(got.sources) + ")"


def _token_leaves(tokens: Iterable[bytes]) -> list[x509.Certificate]:
    """End-entity certificates embedded in timestamp tokens (their TSAs), unreadable skipped."""
    out: list[x509.Certificate] = []
    for token in tokens:
        try:
            embedded = cms.ContentInfo.load(token)["content"]["certificates"] or []
            certs = [x509.load_der_x509_certificate(c.chosen.dump()) for c in embedded]
        except (ValueError, TypeError, KeyError):
            continue
        for cert in certs:
            try:
                is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
            except x509.ExtensionNotFound:
                is_ca = False
            if not is_ca and all(der(cert) != der(o) for o in out):
                out.append(cert)
    return out


def check_timestamps(
    envelope: Envelope,
    header: dict[str, Any],
    components: list[EtsiUComponent],
    evidence: Evidence,
    report: SealReport,
) -> LongTerm:
    """Add one step per timestamp and return the time they prove for the seal."""
    result = LongTerm()
    try:
        tokens = _tokens(envelope, header, components)
    except SealFormatError as exc:
        report.add("archive-timestamp", "fail", str(exc), "SEAL_TIMESTAMP_INVALID")
        return result
    checked: list[tuple[str, Timestamp | None]] = []
    for kind, token, data in tokens:
        result.present.add(kind)
        try:
            checked.append((kind, verify_token(token, data, evidence.pool)))
        except TimestampProblem as exc:
            report.add(STEP[kind], "fail", f"{LABEL[kind]}: {exc}", exc.code)
            checked.append((kind, None))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # unreadable ASN.1
            message = f"{LABEL[kind]} is not a readable RFC 3161 token: {exc}"
            report.add(STEP[kind], "fail", message, "SEAL_TIMESTAMP_INVALID")
            checked.append((kind, None))
    # newest archive timestamp first: each one that holds dates those before it
    control = evidence.now
    arc_ok: list[Timestamp] = []
    for kind, stamp in reversed([c for c in checked if c[0] == "arcTst"]):
        if stamp is not None and _tsa_holds(kind, stamp, control, evidence, report):
            arc_ok.append(stamp)
            control = stamp.gen_time
    sig_control = min((s.gen_time for s in arc_ok), default=evidence.now)
    sig_ok = [
        s
        for kind, s in checked
        if kind == "sigTst" and s is not None and _tsa_holds(kind, s, sig_control, evidence, report)
    ]
    result.proof_time = min((s.gen_time for s in sig_ok), default=None)
    ado_control = result.proof_time or evidence.now
    ado_ok = [
        s
        for kind, s in checked
        if kind == "adoTst" and s is not None and _tsa_holds(kind, s, ado_control, evidence, report)
    ]
    result.held = {"sigTst": len(sig_ok), "arcTst": len(arc_ok), "adoTst": len(ado_ok)}
    return result


def _tsa_holds(
    kind: str, stamp: Timestamp, when: datetime, evidence: Evidence, report: SealReport
) -> bool:
    """The TSA certificate's path at ``when``; adds the timestamp's step either way."""
    label, tsa = LABEL[kind], describe(stamp.signer)
    at = stamp.gen_time.isoformat()
    if any(der(r) == der(stamp.signer) for r in evidence.roots):
        report.add(STEP[kind], "pass", f"{label} of {at} by trusted TSA {tsa}")
        return True
    outcome = validate_path(
        stamp.signer,
        [*stamp.certs, *evidence.pool],
        evidence.roots,
        moment=when,
        crls=evidence.crls,
        ocsps=evidence.ocsps,
        retroactive=when < evidence.now,
        leaf_revocation_required=False,
    )
    if outcome.ok:
        report.add(
            STEP[kind],
            "pass",
            f"{label} of {at} by {tsa}, whose path was valid at {when.isoformat()}",
        )
        return True
    report.add(
        STEP[kind],
        "fail",
        f"{label} of {at}: its TSA {tsa} is not trusted at {when.isoformat()}: {outcome.message}",
        "SEAL_TSA_UNTRUSTED",
    )
    return False


def level_found(result: LongTerm, components: list[EtsiUComponent]) -> str:
    """The JAdES baseline level the seal proves (ETSI TS 119 182-1 §6)."""
    names = {c.name for c in components}
    if not result.held.get("sigTst"):
        return "B-B"
    if not {"xVals", "rVals"} <= names:
        return "B-T"
    return "B-LTA" if result.held.get("arcTst") else "B-LT"
