"""JWT presentations: VC 1.1 ``vp`` claim tokens and VC-JOSE-COSE ``vp+jwt`` / enveloped ones.

A holder signs the token with a key of their own (an ``authentication`` key);
the verifier's challenge travels as ``nonce`` and its domain as ``aud``, so a
captured presentation cannot be replayed elsewhere. ``iss`` is the holder
(VC 1.1 §6.3.1); it must agree with the presentation's ``holder`` and be the
controller of the signing key. Each credential inside is verified with the
caller's one :class:`~microcred_vc.context.VerificationContext` (through the
format registry) and reported as ``credential N: ...`` checks, exactly as in a
Data Integrity presentation.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from microcred_vc.envelope import envelope, enveloped_token
from microcred_vc.errors import JoseError, JwtInvalid, MicrocredError
from microcred_vc.jose.claims import holder_id, is_typed, presentation_mismatches
from microcred_vc.jose.compact import DecodedJwt, decode_into_report, decode_unverified, is_jwt
from microcred_vc.jose.keys import DEFAULT_ALGS, check_allowed_algs, default_resolver
from microcred_vc.jose.policy import KeyChoice
from microcred_vc.jose.sign import sign_claims
from microcred_vc.jose.trusted import key_set
from microcred_vc.jose.verify import (
    DEFAULT_CLOCK_SKEW,
    FORMAT_NAMES,
    _as_datetime,
    _as_skew,
    _expiry_step,
    _signature_step,
)
from microcred_vc.proofs.presentation import presented_credential_checks
from microcred_vc.proofs.signed_facts import PRESENTATION_TYPE, payload_facts
from microcred_vc.report import VerificationReport

if TYPE_CHECKING:
    from microcred_vc.context import VerificationContext


# --- issuing ------------------------------------------------------------------
def sign_presentation_jwt(
    presentation: Mapping[str, Any],
    key: Any,
    *,
    challenge: str,
    domain: str | list[str] | None = None,
    encoding: str = "vp11",
    alg: str | None = None,
    kid: str | None = None,
    issued_at: int | bool | None = True,
    expires_in: int | None = 600,
) -> str:
    """A holder-signed JWT presentation for one verifier (``challenge`` → ``nonce``,
    ``domain`` → ``aud``).

    ``encoding="vp11"``: VC 1.1 (``vp`` claim, ``iss`` the holder, ``jti`` the id);
    ``"vp-jose-cose"``: VC-JOSE-COSE, the claims set is the presentation
    (``typ: vp+jwt``), with ``nonce``/``aud``/``iat``/``exp`` beside it. The
    holder defaults to the key's DID. Put ``envelope(token)`` results or JWT VCs
    in ``verifiableCredential`` to present JWT credentials.
    """
    if not isinstance(challenge, str) or not challenge:
        raise JoseError("a presentation needs the verifier's challenge (a string)")
    if not isinstance(presentation, Mapping):
        raise JwtInvalid("a presentation must be a JSON object")
    vp = copy.deepcopy(dict(presentation))
    if "holder" not in vp and isinstance(getattr(key, "did", None), str):
        vp["holder"] = key.did
    now = int(time.time())
    extra: dict[str, Any] = {"nonce": challenge}
    if domain is not None:
        extra["aud"] = domain
    iat = now if issued_at is True else (issued_at or None)
    if iat is not None:
        extra["iat"] = iat
    if expires_in is not None:
        extra["exp"] = (iat or now) + expires_in
    if encoding == "vp11":
        claims: dict[str, Any] = {"vp": vp, **extra}
        if (holder := holder_id(vp)) is not None:
            claims["iss"] = holder
        if isinstance(vp.get("id"), str):
            claims["jti"] = vp["id"]
        return sign_claims(claims, key, typ="JWT", alg=alg, kid=kid)
    if encoding == "vp-jose-cose":
        clash = sorted(k for k in extra if k in vp)
        if clash:
            raise JwtInvalid(f"presentation has members that are JWT claims: {', '.join(clash)}")
        return sign_claims({**vp, **extra}, key, typ="vp+jwt", cty="vp", alg=alg, kid=kid)
    raise JoseError(f"unknown presentation encoding {encoding!r}; use 'vp11' or 'vp-jose-cose'")


# --- verifying ----------------------------------------------------------------
def is_presentation_token(value: Any) -> bool:
    """A compact JWS whose header or payload says it carries a presentation."""
    if not is_jwt(value):
        return False
    try:
        return decode_unverified(value).is_presentation
    except MicrocredError:
        return False


def _challenge_step(report: VerificationReport, claims: Mapping[str, Any], wanted: Any) -> None:
    nonce = claims.get("nonce")
    if wanted is None:
        report.add(
            "challenge",
            "fail",
            "no challenge was given to verify against: a presentation without one can be "
            "replayed (pass challenge=, or --challenge)",
            "VP_CHALLENGE_MISSING",
        )
    elif nonce is None:
        report.add(
            "challenge",
            "fail",
            f"the presentation carries no challenge (nonce), but the verifier asked for {wanted!r}",
            "VP_CHALLENGE_MISSING",
        )
    elif nonce != wanted:
        report.add(
            "challenge",
            "fail",
            f"the presentation answers challenge {nonce!r}, the verifier asked for {wanted!r}",
            "VP_CHALLENGE_MISMATCH",
        )
    else:
        report.add("challenge", "pass", f"answers the verifier's challenge {wanted!r}")


def _domain_step(report: VerificationReport, claims: Mapping[str, Any], wanted: Any) -> None:
    if wanted is None:
        return  # as for Data Integrity: no domain asked, none checked
    aud = claims.get("aud")
    got = aud if isinstance(aud, list) else [] if aud is None else [aud]
    wanted_list = wanted if isinstance(wanted, list) else [wanted]
    if any(d in got for d in wanted_list):
        report.add("domain", "pass", f"addressed to {wanted!r} (aud)")
    else:
        report.add(
            "domain",
            "fail",
            f"the presentation is addressed to {aud!r} (aud), not to {wanted!r}",
            "VP_DOMAIN_MISMATCH",
        )


def _holder_step(
    report: VerificationReport, decoded: DecodedJwt, holder: str | None, choice: KeyChoice | None
) -> None:
    if holder is None:
        report.add("holder", "skip", "the presentation names no holder (no iss, no holder)")
    elif choice is None:
        report.add("holder", "skip", f"holder {holder} not checked: no verified signature")
    elif choice.source == "jwks" and choice.controller == holder:
        report.add("holder", "pass", f"holder {holder}: a key the caller trusts for {holder}")
    elif choice.source == "jwks":
        report.add(
            "holder",
            "warn",
            f"signed with a key from the caller's trusted key set, which does not say whose "
            f"it is: nothing shows {holder} presented it",
            "JWT_KEY_NOT_BOUND",
        )
    elif choice.source == "embedded":
        report.add(
            "holder",
            "fail",
            f"the key came from the token itself ('jwk' header): nothing shows it is {holder}'s",
            "JWT_KEY_SELF_ASSERTED",
        )
    else:
        controller = choice.controller or (decoded.kid or "").split("#", 1)[0]
        if controller == holder:
            report.add("holder", "pass", f"presented by the holder {holder}")
        else:
            report.add(
                "holder",
                "fail",
                f"signed by a key of {controller}, but the holder is {holder}",
                "HOLDER_MISMATCH",
            )


def _read_view(vp: dict[str, Any], *, graph: bool = False) -> dict[str, Any]:
    """``vp`` as the data model and JSON-LD readings should see it.

    VC 1.1 JWT presentations carry credentials as bare JWT strings: the data
    model check sees each as the equivalent ``EnvelopedVerifiableCredential``;
    the JSON-LD reading (``graph=True``, which only needs the holder) leaves them
    out, since a token is no IRI and each is verified on its own below.
    """
    creds = vp.get("verifiableCredential")
    items = creds if isinstance(creds, list) else [creds]
    if not any(isinstance(c, str) for c in items):
        return vp
    if graph:
        kept = [c for c in items if not isinstance(c, str)]
        rest = {k: v for k, v in vp.items() if k != "verifiableCredential"}
        return {**rest, "verifiableCredential": kept} if kept else rest
    return {**vp, "verifiableCredential": [envelope(c) if isinstance(c, str) else c for c in items]}


def verify_presentation_jwt(token: Any, context: VerificationContext) -> VerificationReport:
    """Verify a JWT presentation (VC 1.1 ``vp`` claim or VC-JOSE-COSE ``vp+jwt``).

    Checks: format, parse, datamodel, signature (the holder's ``authentication``
    key), signed_data, expiry (``nbf``/``exp``), challenge (``nonce``), domain
    (``aud``, when one was asked for), holder (``iss`` controls the key), then
    each credential's checks prefixed ``credential N:``.
    """
    report = VerificationReport()
    parsed = decode_into_report(token, report)
    if parsed is None:
        return report
    token, decoded = parsed
    if not decoded.is_presentation:
        wrong = JwtInvalid("the token is a credential, not a presentation")
        report.add("format", "pass", "compact JWS")
        report.add("parse", "fail", wrong.message, wrong.code)
        return report
    vp = decoded.document
    report.format, report.document = FORMAT_NAMES[decoded.encoding], vp
    label = "VC 1.1 JWT ('vp' claim)" if decoded.encoding == "vp11" else "VC-JOSE-COSE (vp+jwt)"
    report.add("format", "pass", f"JWT presentation, {label}")
    problems = presentation_mismatches(decoded.claims, vp)
    if problems:
        report.add("parse", "fail", "; ".join(problems), "JWT_CLAIM_MISMATCH")
    elif not is_typed(vp, "VerifiablePresentation"):
        report.add(
            "parse",
            "fail",
            "the payload is not a verifiable presentation (needs @context and a type "
            "including VerifiablePresentation)",
            "JWT_NOT_A_CREDENTIAL",
        )
    else:
        from microcred_vc.validate.datamodel import datamodel_check

        report.add("parse", "pass", "header and claims decoded")
        report.checks.append(datamodel_check(_read_view(vp), kind="presentation", nested=False))
    skew = _as_skew(DEFAULT_CLOCK_SKEW if context.clock_skew is None else context.clock_skew)
    choice = _signature_step(
        report,
        token,
        decoded,
        allowed=check_allowed_algs(context.algorithms or DEFAULT_ALGS),
        trusted=key_set(context.trusted_keys),
        resolver=context.resolver or default_resolver(allow_network=False),
        allow_embedded_jwk=True,
        purpose="authentication",
    )
    # the holder the payload means as JSON-LD, not whichever key it shows
    facts, graph = payload_facts(
        _read_view(vp, graph=True), loader=context.loader, root_type=PRESENTATION_TYPE
    )
    report.checks.append(graph)
    moment = _as_datetime(context.now)
    _expiry_step(report, decoded, {}, {}, moment, skew)
    _challenge_step(report, decoded.claims, context.challenge)
    _domain_step(report, decoded.claims, context.domain)
    holder = facts.holders[0] if len(facts.holders) == 1 else holder_id(vp)
    _holder_step(report, decoded, holder, choice)
    report.checks.extend(
        presented_credential_checks(
            vp.get("verifiableCredential"),
            context,
            holder=holder,
            now=moment,
            status_checker=context.status_checker(),
        )
    )
    return report


def verify_enveloped_presentation(
    doc: Mapping[str, Any], context: VerificationContext
) -> VerificationReport:
    """An ``EnvelopedVerifiablePresentation``: the ``data:application/vp+jwt`` token inside,
    verified as a JWT presentation (its own enveloped credentials included)."""
    try:
        token = enveloped_token(doc, "presentation")
    except MicrocredError as exc:
        report = VerificationReport(format="vp-enveloped", document=doc)
        report.add("format", "fail", exc.message, exc.code)
        return report
    report = verify_presentation_jwt(token, context)
    first = report.checks[0]
    first.message = f"enveloped presentation (data:application/vp+jwt) carrying: {first.message}"
    return report
