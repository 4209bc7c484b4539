"""The signed form of Open Badges 2.0: a compact JWS plus the issuer's revocation list.

Trust here rests on three links, each checked and reported separately: the JWS
verifies with the key ``verification.creator`` names; that key's ``owner`` is
the badge's issuer (and the issuer lists it in ``publicKey`` when it lists any);
the assertion is not on the issuer's ``revocationList``. The algorithm comes
from the token header, so it is checked against an allow-list first: ``none``
and HMAC (which would let anyone holding the *public* PEM forge) never pass.
"""

from __future__ import annotations

from typing import Any

from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from microcred_vc.errors import MicrocredError, Ob2Invalid
from microcred_vc.formats.ob2.reading import (
    Fetch,
    Ob2Badge,
    check_types,
    fetch_json,
    node_id,
    resolve,
)
from microcred_vc.report import VerificationReport

#: JWS algorithms an OB2 issuer may use (the spec names RS256); never ``none`` or HMAC.
ALLOWED_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")


def _invalid(message: str, code: str) -> MicrocredError:
    return Ob2Invalid(message, code=code)


def signature_checks(report: VerificationReport, badge: Ob2Badge, fetch: Fetch | None) -> None:
    if not badge.jws:
        report.add(
            "signature",
            "fail",
            "a signed badge must be given as its compact JWS; the JSON alone carries no signature",
            "OB2_SIGNATURE_MISSING",
        )
        return
    try:
        key_node = _signing_key(badge, fetch)
        _verify_jws(badge.jws, key_node)
    except MicrocredError as exc:
        report.add("signature", "fail", exc.message, exc.code)
        report.add("status", "skip", "not checked: the signature did not verify")
        return
    report.add("signature", "pass", f"JWS signed by issuer key {key_node.get('id')}")
    _revocation_list_check(report, badge, fetch)


def _signing_key(badge: Ob2Badge, fetch: Fetch | None) -> dict[str, Any]:
    """The CryptographicKey named by ``verification.creator``, owned by the issuer."""
    issuer_keys = [k for k in map(node_id, _as_list(badge.issuer.get("publicKey"))) if k]
    creator = node_id(badge.assertion["verification"].get("creator"))
    if creator is None:
        if len(issuer_keys) != 1:
            raise _invalid(
                "verification.creator is missing and the issuer does not name exactly "
                "one publicKey",
                "OB2_NO_KEY",
            )
        creator = issuer_keys[0]
    embedded = [k for k in _as_list(badge.issuer.get("publicKey")) if isinstance(k, dict)]
    key_node = next((k for k in embedded if node_id(k) == creator), None)
    if key_node is None:
        key_node = fetch_json(creator, fetch)
    check_types(key_node, "CryptographicKey")
    owner = node_id(key_node.get("owner"))
    if owner != badge.issuer["id"]:
        raise _invalid(
            f"key {creator} is owned by {owner!r}, not by the issuer {badge.issuer['id']}",
            "OB2_KEY_NOT_ISSUERS",
        )
    if issuer_keys and creator not in issuer_keys:
        raise _invalid(
            f"the issuer does not list key {creator} in its publicKey", "OB2_KEY_NOT_ISSUERS"
        )
    if not isinstance(key_node.get("publicKeyPem"), str):
        raise _invalid(f"key {creator} has no publicKeyPem", "OB2_NO_KEY")
    return key_node


def _verify_jws(token: str, key_node: dict[str, Any]) -> None:
    try:
        key = jwk.JWK.from_pem(key_node["publicKeyPem"].encode("utf-8"))
    except (ValueError, TypeError, JWException) as exc:
        raise _invalid(
            f"key {key_node.get('id')} is not a readable PEM public key: {exc}", "OB2_NO_KEY"
        ) from None
    if key.has_private:
        raise _invalid(f"key {key_node.get('id')} publishes a private key", "OB2_NO_KEY")
    sig = jws.JWS()
    try:
        sig.deserialize(token)
        alg = sig.jose_header.get("alg")
        if alg not in ALLOWED_ALGS:
            raise _invalid(
                f"JWS algorithm {alg!r} is not allowed (allowed: {', '.join(ALLOWED_ALGS)})",
                "OB2_BAD_ALG",
            )
        sig.allowed_algs = [alg]
        sig.verify(key, alg=alg)
    except (JWException, ValueError, TypeError) as exc:
        raise _invalid(
            f"the JWS signature does not verify with key {key_node.get('id')}: {exc}",
            "OB2_BAD_SIGNATURE",
        ) from None


def _revocation_list_check(
    report: VerificationReport, badge: Ob2Badge, fetch: Fetch | None
) -> None:
    if revocation_from_assertion(report, badge.assertion, only_fail=True):
        return
    ref = badge.issuer.get("revocationList")
    if ref in (None, "", []):
        report.add("status", "skip", "the issuer publishes no revocation list")
        return
    try:
        rlist = resolve(ref, "revocationList", fetch)
        check_types(rlist, "RevocationList")
    except MicrocredError as exc:
        report.add("status", "fail", f"revocation list unavailable: {exc.message}", exc.code)
        return
    assertion_id = node_id(badge.assertion.get("id"))
    uid = badge.assertion.get("uid")
    for entry in _as_list(rlist.get("revokedAssertions")):
        hit = node_id(entry) == assertion_id or (
            isinstance(entry, dict) and uid is not None and entry.get("uid") == uid
        )
        if hit:
            reason = entry.get("revocationReason") if isinstance(entry, dict) else None
            report.add(
                "status",
                "fail",
                f"assertion {assertion_id} is revoked: {reason or 'no reason given'}",
                "OB2_REVOKED",
            )
            return
    report.add("status", "pass", f"not on the issuer's revocation list {node_id(ref)}")


def revocation_from_assertion(
    report: VerificationReport, assertion: dict[str, Any], *, only_fail: bool = False
) -> bool:
    if assertion.get("revoked") is True:
        reason = assertion.get("revocationReason") or "no reason given"
        report.add("status", "fail", f"the assertion is marked revoked: {reason}", "OB2_REVOKED")
        return True
    if not only_fail:
        report.add("status", "pass", "the issuer still serves the assertion, not revoked")
    return False


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
