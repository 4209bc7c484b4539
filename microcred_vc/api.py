"""The three verbs of the public API: ``issue``, ``verify``, ``convert``.

They are thin dispatchers over the format spokes, the proof engine, JOSE,
baking, status and seal packages, so each user gets one call: an LMS issues, a
wallet verifies whatever it was handed, an integrator converts. Imports of the
spokes are local so that ``import microcred_vc`` stays light.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from microcred_vc.detect import Detected, detect
from microcred_vc.errors import ConversionError, MicrocredError, UnknownFormat
from microcred_vc.formats.base import ConversionResult, Loss
from microcred_vc.jsonld.budget import work_budget
from microcred_vc.jsonld.limits import check_limits
from microcred_vc.report import Check, VerificationReport

ISSUE_FORMATS = ("ob3", "edc")
CONVERT_TARGETS = ("ob3", "edc", "vc2", "vc1")


def _dump(mc: Any, format: str) -> dict[str, Any]:
    if format == "ob3":
        from microcred_vc.formats import ob3

        return ob3.dump(mc)
    if format == "edc":
        from microcred_vc.formats import edc

        return edc.dump(mc)
    raise UnknownFormat(f"cannot issue format {format!r}; choose one of {', '.join(ISSUE_FORMATS)}")


def issue(
    credential: Any,
    key: Any,
    *,
    format: str = "ob3",
    cryptosuite: str | None = None,
    envelope: str | None = None,
    credential_status: dict[str, Any] | list[dict[str, Any]] | None = None,
    created: datetime | str | None = None,
    loader: Any = None,
) -> dict[str, Any] | str:
    """Sign a :class:`MicroCredential` (dumped to ``format``) or a credential dict.

    ``cryptosuite`` defaults by key type: eddsa-rdfc-2022 for Ed25519,
    ecdsa-rdfc-2019 for P-256 and P-384. ``envelope="jwt"`` returns a VC-JOSE-COSE compact JWT instead of an
    embedded Data Integrity proof. ``credential_status`` (an entry made by the
    status registry) is placed in the credential before signing.
    """
    from microcred_vc.model import MicroCredential

    if isinstance(credential, MicroCredential):
        doc = _dump(_issued_by(credential, key.did), format)
    elif isinstance(credential, dict):
        doc = copy.deepcopy(credential)
    else:
        raise MicrocredError(
            "issue() takes a MicroCredential or a credential dict", code="ISSUE_INPUT_INVALID"
        )
    if credential_status is not None:
        doc["credentialStatus"] = credential_status
    if envelope == "jwt":
        from microcred_vc.jose import sign_jwt

        # the issuer is whoever holds the key, exactly as issue_document does for proofs
        issuer = doc.get("issuer")
        doc["issuer"] = {**issuer, "id": key.did} if isinstance(issuer, dict) else key.did
        from microcred_vc.validate.datamodel import require_datamodel

        # the JWT payload is the credential: the same model as a DI one, contexts processable
        require_datamodel(doc, expand=True, loader=loader)
        return sign_jwt(doc, key)
    if envelope is not None:
        raise MicrocredError(
            f"unknown envelope {envelope!r}; use 'jwt' or none", code="ISSUE_INPUT_INVALID"
        )
    from microcred_vc.proofs import issue_document

    return issue_document(doc, key, cryptosuite=cryptosuite, created=created, loader=loader)


def _issued_by(mc: Any, did: str) -> Any:
    """The micro-credential with the signer as its issuer, everywhere the issuer appears.

    The verifier requires the proof's key to belong to the issuer, so the issuer
    id becomes the key's DID; an awarding body that was the issuer follows it,
    so the credential names one issuer throughout.
    """
    old = mc.issuer.id
    if old == did:
        return mc
    issuer = mc.issuer.model_copy(update={"id": did})
    bodies = [issuer if b.id == old else b for b in mc.awarding_bodies]
    return mc.model_copy(update={"issuer": issuer, "awarding_bodies": bodies})


def _unbake_then_verify(detected: Detected, **options: Any) -> VerificationReport:
    from microcred_vc.bake import unbake

    try:
        payload = unbake(detected.value)
    except MicrocredError as exc:
        report = VerificationReport(format=detected.format)
        report.add("format", "fail", f"{detected.label}: {exc.message}", exc.code)
        return report
    inner = verify(payload, **options)
    if inner.checks and inner.checks[0].name == "format":
        seen = inner.checks[0]
        seen.message = f"{detected.label} carrying: {seen.message}"
    else:
        inner.checks.insert(0, Check("format", "pass", f"{detected.label} carrying a badge"))
    return inner


def verify(
    credential: Any,
    *,
    now: datetime | None = None,
    loader: Any = None,
    resolver: Any = None,
    fetch: Callable[[str], Any] | None = None,
    status: bool = True,
    registry: Any = None,
    recipient_email: str | None = None,
    trust_roots: Any = None,
    ob3_schemas: str | Path | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    clock_skew: timedelta | None = None,
    status_list_signers: str | Collection[str] = "issuer",
    jwks: Any = None,
    allowed_algs: Collection[str] | None = None,
) -> VerificationReport:
    """Verify anything a wallet imports; never raises on a bad credential.

    Accepts a dict, JSON text, a compact JWT/JWS, or baked PNG/SVG bytes. The
    first check says which format was seen; the others are the named steps of
    that format's verification, each with a sentence a person can read.
    ``status_list_signers`` is who may sign a fetched status list: ``"issuer"``
    (the credential's own issuer), ``"any-verified"`` or a set of DIDs.
    ``jwks`` (keys the caller trusts) and ``allowed_algs`` (e.g. add ``"PS256"``)
    go to the JWT branch (:func:`microcred_vc.jose.verify_jwt`).
    """
    options = {
        "now": now,
        "loader": loader,
        "resolver": resolver,
        "fetch": fetch,
        "status": status,
        "registry": registry,
        "recipient_email": recipient_email,
        "trust_roots": trust_roots,
        "ob3_schemas": ob3_schemas,
        "challenge": challenge,
        "domain": domain,
        # tolerance for clocks that disagree, on validFrom/validUntil, proof times, nbf/exp
        "clock_skew": clock_skew,
        "status_list_signers": status_list_signers,
        "jwks": jwks,
        "allowed_algs": allowed_algs,
    }
    try:
        check_limits(credential)  # a dict gets the depth and node caps JSON text gets
        detected = detect(credential)
    except MicrocredError as exc:
        report = VerificationReport()
        report.add("format", "fail", exc.message, exc.code)
        return report
    try:
        with work_budget():  # one budget for every proof of every credential inside
            report = _verify_detected(detected, options)
    except MicrocredError as exc:
        report = VerificationReport(format=detected.format)
        report.add("format", "pass", f"{detected.label}")
        report.add("parse", "fail", exc.message, exc.code)
        return report
    if not report.checks or report.checks[0].name != "format":
        report.checks.insert(0, Check("format", "pass", detected.label))
    report.format = report.format or detected.format
    return report


def _skew(options: dict[str, Any]) -> dict[str, Any]:
    """The clock_skew keyword for the verifiers, only when the caller set one."""
    return {} if options["clock_skew"] is None else {"clock_skew": options["clock_skew"]}


def _status_checker(options: dict[str, Any]) -> Callable[[dict[str, Any]], Check] | None:
    if not options["status"]:
        return None
    from microcred_vc.status import check_status

    def checker(doc: dict[str, Any]) -> Check:
        # the lists get the same verification context as the credential (loader, resolver, clock)
        return check_status(
            doc,
            fetch=options["fetch"],
            registry=options["registry"],
            now=options["now"],
            loader=options["loader"],
            resolver=options["resolver"],
            list_signers=options["status_list_signers"],
        )

    return checker


def _verify_detected(detected: Detected, options: dict[str, Any]) -> VerificationReport:
    fmt = detected.format
    if fmt in ("png", "svg"):
        return _unbake_then_verify(detected, **options)
    if fmt == "jwt":
        from microcred_vc.jose import verify_jwt

        return verify_jwt(
            detected.value,
            resolver=options["resolver"],
            now=options["now"],
            loader=options["loader"],
            status_checker=_status_checker(options),
            jwks=options["jwks"],
            **_skew(options),
            **(
                {} if options["allowed_algs"] is None else {"allowed_algs": options["allowed_algs"]}
            ),
        )
    if fmt in ("ob2", "ob2-jws"):
        from microcred_vc.formats.ob2 import verify_ob2

        return verify_ob2(
            detected.value,
            fetch=options["fetch"],
            recipient_email=options["recipient_email"],
            now=options["now"],
        )
    if fmt == "edc-sealed":
        from microcred_vc.seal import verify_seal

        seal_report = verify_seal(
            detected.value, options["trust_roots"] or [], moment=options["now"]
        )
        return seal_report.to_report()
    if fmt == "vp":
        from microcred_vc.proofs import verify_presentation

        # Every credential inside gets the full verification a lone credential gets:
        # the same resolver (offline controller documents) and the same status policy.
        return verify_presentation(
            detected.value,
            challenge=options["challenge"],
            domain=options["domain"],
            now=options["now"],
            loader=options["loader"],
            resolver=options["resolver"],
            status_checker=_status_checker(options),
            **_skew(options),
        )
    from microcred_vc.proofs import verify_credential

    report = verify_credential(
        detected.value,
        now=options["now"],
        resolver=options["resolver"],
        loader=options["loader"],
        status_checker=_status_checker(options),
        **_skew(options),
    )
    if fmt == "ob3" and options["ob3_schemas"] is not None:
        report.checks.append(_ob3_schema_check(detected.value, options["ob3_schemas"]))
    report.format = fmt
    return report


def _ob3_schema_check(doc: dict[str, Any], schemas: str | Path) -> Check:
    from microcred_vc.validate.ob3 import validate_ob3

    findings = validate_ob3(doc, schemas=schemas)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        shown = "; ".join(f"{f.path}: {f.message}" for f in errors[:3])
        return Check("schema", "fail", f"{len(errors)} schema error(s): {shown}", "SCHEMA_INVALID")
    return Check("schema", "pass", "valid against the Open Badges 3.0 JSON Schema")


def _strip_proof(doc: dict[str, Any]) -> tuple[dict[str, Any], list[Loss]]:
    if "proof" not in doc:
        return doc, []
    out = {k: v for k, v in doc.items() if k != "proof"}
    return out, [Loss("proof", "a signature does not survive conversion; re-sign the result")]


def convert(
    document: Any, to: str, *, fetch: Callable[[str], Any] | None = None
) -> ConversionResult:
    """Convert between formats through the :class:`MicroCredential` hub, with a loss report.

    ``fetch(url)`` lets an Open Badges 2.0 assertion bring in a BadgeClass or
    Issuer given by URL; without it nothing is fetched and such a badge fails
    with ``NETWORK_DISABLED`` naming the URL.
    """
    if to not in CONVERT_TARGETS:
        raise UnknownFormat(f"cannot convert to {to!r}; choose one of {', '.join(CONVERT_TARGETS)}")
    detected = detect(document)
    source = detected.format
    if source in ("png", "svg"):
        from microcred_vc.bake import unbake

        return convert(unbake(detected.value), to, fetch=fetch)
    if source in ("jwt", "ob2-jws", "edc-sealed", "vp"):
        doc = _unwrap_envelope(detected)
        return convert(doc, to, fetch=fetch)
    doc, losses = _strip_proof(detected.value)
    if source == "ob2":
        from microcred_vc.formats.ob2 import upgrade

        upgraded = upgrade(doc, fetch=fetch)
        if to == "ob3":
            upgraded.losses[:0] = losses
            upgraded.source_format, upgraded.target_format = "ob2", "ob3"
            return upgraded
        result = convert(upgraded.document, to, fetch=fetch)
        result.losses[:0] = losses + upgraded.losses
        result.source_format = "ob2"
        return result
    if to in ("vc1", "vc2"):
        from microcred_vc.formats import vc

        result = vc.to_v2(doc) if to == "vc2" else vc.to_v1(doc)
        result.losses[:0] = losses
        result.source_format, result.target_format = source, to
        return result
    if source == to:
        return ConversionResult(doc, losses, source, to)
    if source not in ("ob3", "edc"):
        raise ConversionError(
            f"cannot convert a {detected.label} to {to}: it is not a micro-credential format"
        )
    mc, load_losses = _load(doc, source)
    if to == "edc":
        from microcred_vc.formats import edc

        dumped = edc.dump_with_losses(mc)
        return ConversionResult(dumped.document, losses + load_losses + dumped.losses, source, to)
    return ConversionResult(_dump(mc, to), losses + load_losses, source, to)


def _load(doc: dict[str, Any], fmt: str) -> tuple[Any, list[Loss]]:
    if fmt == "ob3":
        from microcred_vc.formats import ob3

        return ob3.load(doc)
    from microcred_vc.formats import edc

    return edc.load(doc)


def _unwrap_envelope(detected: Detected) -> dict[str, Any]:
    """The credential inside a JWT, JWS or sealed EDC (not verified: convert only reads)."""
    if detected.format == "jwt":
        from microcred_vc.jose import decode_unverified

        return decode_unverified(detected.value).credential
    if detected.format == "ob2-jws":
        from microcred_vc.formats.ob2_read import jws_payload

        return jws_payload(detected.value)
    if detected.format == "edc-sealed":
        from microcred_vc.seal import decode_sealed_payload

        return decode_sealed_payload(detected.value)
    raise ConversionError("a presentation holds several credentials; convert each one")
