"""VC Data Model 1.1 ↔ 2.0, re-serialised honestly.

The two base contexts cannot share a document, so conversion rewrites the
document rather than translating in place: dates get their new names
(issuanceDate/expirationDate ↔ validFrom/validUntil), status entries their new
types (StatusList2021Entry ↔ BitstringStatusListEntry), schema types
(JsonSchemaValidator2018 ↔ JsonSchema), and any embedded proof
is dropped because it signed the old form. Everything that does not survive
is a :class:`Loss`; nothing is dropped silently.
"""

from __future__ import annotations

import copy
from typing import Any

from microcred_vc.errors import ConversionError, FormatError
from microcred_vc.formats.base import ConversionResult, Loss

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
STATUS_2021_CONTEXT = "https://w3id.org/vc/status-list/2021/v1"
OB3_LEGACY_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#: Contexts that exist only to describe a proof; they leave with the proof.
PROOF_CONTEXTS = frozenset(
    {
        "https://w3id.org/security/suites/ed25519-2020/v1",
        "https://w3id.org/security/v1",
        "https://w3id.org/security/v2",
        "https://w3id.org/security/data-integrity/v1",
        "https://w3id.org/security/data-integrity/v2",
    }
)
_STATUS_TYPES = {
    "StatusList2021Entry": "BitstringStatusListEntry",
    "StatusList2021Credential": "BitstringStatusListCredential",
    "StatusList2021": "BitstringStatusList",
}
_STATUS_TYPES_BACK = {v: k for k, v in _STATUS_TYPES.items()}
_SCHEMA_TYPES = {"JsonSchemaValidator2018": "JsonSchema"}
_SCHEMA_TYPES_BACK = {"JsonSchema": "JsonSchemaValidator2018"}
#: VC 2.0 base-context terms with no VC 1.1 counterpart (kept if another context defines them).
_V2_ONLY = ("name", "description", "relatedResource", "renderMethod", "confidenceMethod")


def _contexts(doc: Any) -> list[Any]:
    if not isinstance(doc, dict):
        raise FormatError("A verifiable credential must be a JSON object")
    ctx = doc.get("@context")
    ctx = ctx if isinstance(ctx, list) else [ctx]
    if not ctx or ctx[0] not in (VC_V1, VC_V2):
        raise FormatError(
            f"Not a verifiable credential: the first @context must be {VC_V1} or {VC_V2}"
        )
    return list(ctx)


def _types(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _retype(node: Any, table: dict[str, str]) -> int:
    """Rename status types in one node (``type`` string or list); returns how many."""
    if not isinstance(node, dict) or "type" not in node:
        return 0
    types = _types(node["type"])
    renamed = [table.get(t, t) if isinstance(t, str) else t for t in types]
    count = sum(1 for a, b in zip(types, renamed, strict=True) if a != b)
    node["type"] = renamed if isinstance(node["type"], list) else renamed[0]
    return count


def _drop_proof(doc: dict[str, Any], ctx: list[Any], losses: list[Loss]) -> list[Any]:
    if "proof" in doc:
        del doc["proof"]
        losses.append(Loss("proof", "the proof signed the other version; sign the result again"))
        return [c for c in ctx if not (isinstance(c, str) and c in PROOF_CONTEXTS)]
    return ctx


def _move(doc: dict[str, Any], src: str, dst: str) -> None:
    if src in doc:
        doc[dst] = doc.pop(src)


def _nested(node: Any, convert: Any, path: str, losses: list[Loss], root: bool = True) -> Any:
    """Convert credentials embedded anywhere (OB3 endorsements), prefixing their losses."""
    if isinstance(node, list):
        return [_nested(v, convert, f"{path}[{i}]", losses, False) for i, v in enumerate(node)]
    if not isinstance(node, dict):
        return node
    ctx = node.get("@context")
    first = ctx[0] if isinstance(ctx, list) and ctx else ctx
    if not root and first in (VC_V1, VC_V2) and "credentialSubject" in node:
        result = convert(node)
        losses.extend(Loss(f"{path}.{loss.field}", loss.reason) for loss in result.losses)
        return result.document
    return {
        k: _nested(v, convert, f"{path}.{k}" if path else k, losses, False) for k, v in node.items()
    }


def to_v2(doc: Any) -> ConversionResult:
    """A VC 1.1 credential as VC 2.0 (a VC 2.0 one comes back unchanged)."""
    ctx = _contexts(doc)
    out: dict[str, Any] = copy.deepcopy(doc)
    losses: list[Loss] = []
    if ctx[0] == VC_V2:
        return ConversionResult(out, losses, "vc2", "vc2")
    out = _nested(out, to_v2, "", losses)
    ctx[0] = VC_V2
    ctx = [OB3_CONTEXT if c == OB3_LEGACY_CONTEXT else c for c in ctx]
    ctx = _drop_proof(out, ctx, losses)
    _move(out, "issuanceDate", "validFrom")
    _move(out, "expirationDate", "validUntil")
    if "issued" in out:
        del out["issued"]
        losses.append(Loss("issued", "VC 2.0 has no 'issued'; validFrom holds the issuance date"))
    for entry in _types(out.get("credentialSchema")):
        _retype(entry, _SCHEMA_TYPES)
    renamed = _retype(out, _STATUS_TYPES)
    for entry in _types(out.get("credentialStatus")):
        renamed += _retype(entry, _STATUS_TYPES)
    for subject in _types(out.get("credentialSubject")):
        renamed += _retype(subject, _STATUS_TYPES)
        if isinstance(subject, dict) and "encodedList" in subject:
            losses.append(
                Loss(
                    "credentialSubject.encodedList",
                    "a StatusList2021 list is carried as is; Bitstring lists must be at least "
                    "16 KB, so re-publish the list if it is shorter",
                )
            )
    if renamed:
        ctx = [c for c in ctx if c != STATUS_2021_CONTEXT]
        for entry in _types(out.get("credentialStatus")):
            if isinstance(entry, dict) and entry.get("statusListCredential"):
                losses.append(
                    Loss(
                        "credentialStatus.statusListCredential",
                        f"{entry['statusListCredential']} is still published as a "
                        "StatusList2021Credential; publish a BitstringStatusListCredential",
                    )
                )
    out["@context"] = ctx
    return ConversionResult(out, losses, "vc1", "vc2")


def to_v1(doc: Any) -> ConversionResult:
    """A VC 2.0 credential as VC 1.1 (a VC 1.1 one comes back unchanged)."""
    ctx = _contexts(doc)
    out: dict[str, Any] = copy.deepcopy(doc)
    losses: list[Loss] = []
    if ctx[0] == VC_V1:
        return ConversionResult(out, losses, "vc1", "vc1")
    out = _nested(out, to_v1, "", losses)
    if "EnvelopedVerifiableCredential" in _types(out.get("type")):
        raise ConversionError("An enveloped VC 2.0 credential has no VC 1.1 form; unwrap it first")
    if "validFrom" not in out:
        raise ConversionError(
            "VC 1.1 requires issuanceDate, but this VC 2.0 credential has no validFrom"
        )
    ctx[0] = VC_V1
    ctx = _drop_proof(out, ctx, losses)
    _move(out, "validFrom", "issuanceDate")
    _move(out, "validUntil", "expirationDate")
    for entry in _types(out.get("credentialSchema")):
        _retype(entry, _SCHEMA_TYPES_BACK)
    renamed = _retype(out, _STATUS_TYPES_BACK)
    for i, entry in enumerate(_types(out.get("credentialStatus"))):
        renamed += _retype(entry, _STATUS_TYPES_BACK)
        if not isinstance(entry, dict):
            continue
        for key in ("statusSize", "statusMessage", "statusReference"):
            if key in entry:
                del entry[key]
                losses.append(
                    Loss(f"credentialStatus[{i}].{key}", "StatusList2021 has one bit per entry")
                )
        if entry.get("statusPurpose") not in (None, "revocation", "suspension"):
            losses.append(
                Loss(
                    f"credentialStatus[{i}].statusPurpose",
                    f"StatusList2021 knows revocation and suspension, not "
                    f"{entry['statusPurpose']!r}",
                )
            )
    for subject in _types(out.get("credentialSubject")):
        renamed += _retype(subject, _STATUS_TYPES_BACK)
    if renamed and STATUS_2021_CONTEXT not in ctx:
        ctx.insert(1, STATUS_2021_CONTEXT)
    if len(ctx) == 1 or (len(ctx) == 2 and renamed):
        # Only the base contexts: VC 1.1 does not define the VC 2.0-only terms.
        for key in _V2_ONLY:
            if key in out:
                del out[key]
                losses.append(Loss(key, "the VC 1.1 context does not define this term"))
    out["@context"] = ctx
    return ConversionResult(out, losses, "vc2", "vc1")


#: Credential-level VC terms the generic reader maps into the hub.
_VC_READ = {"@context", "id", "type", "issuer", "validFrom", "issuanceDate", "validUntil",
            "expirationDate", "name", "description", "credentialSubject"}  # fmt: skip


def load(doc: Any) -> tuple[Any, list[Loss]]:
    """Any VC 1.1 / 2.0 credential read as found: issuer, dates, name, subject id.

    A plain VC carries none of the learning elements, so the result is an
    incomplete :class:`~microcred_vc.model.found.LearningCredential` whose
    completeness says so; every other member is reported as a loss.
    """
    from microcred_vc.model.found import build_found

    _contexts(doc)
    losses: list[Loss] = []
    issuer = doc.get("issuer")
    org: dict[str, Any] | None = {"id": issuer} if isinstance(issuer, str) else None
    if isinstance(issuer, dict):
        org = {"id": issuer.get("id")}
        if isinstance(issuer.get("name"), str):
            org["legal_name"] = {"en": issuer["name"]}
        losses += [Loss(f"issuer.{k}", "not held by the hub") for k in set(issuer) - {"id", "name"}]
    data: dict[str, Any] = {"id": doc.get("id"), "issuer": org}
    data["issued_at"] = doc.get("validFrom") or doc.get("issuanceDate")
    data["valid_until"] = doc.get("validUntil") or doc.get("expirationDate")
    for key in ("name", "description"):
        if isinstance(doc.get(key), str):
            data["title" if key == "name" else key] = {"en": doc[key]}
    subject = doc.get("credentialSubject")
    if isinstance(subject, dict):
        if isinstance(subject.get("id"), str):
            data["learner"] = {"did": subject["id"]}
        losses += [
            Loss(f"credentialSubject.{k}", "a generic claim: no element of a micro-credential")
            for k in sorted(set(subject) - {"id"})
        ]
    losses += [
        Loss(k, "no element of a micro-credential holds this") for k in sorted(set(doc) - _VC_READ)
    ]
    if data["issuer"]:
        data["awarding_bodies"] = [data["issuer"]]
    return build_found(data, losses, Loss), losses
