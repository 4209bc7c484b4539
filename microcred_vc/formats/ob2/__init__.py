"""Open Badges 2.0: read, verify, and upgrade to an Open Badges 3.0 credential.

The upgrade goes **directly** OB2 → OB3 and not through the
:class:`~microcred_vc.model.MicroCredential` hub (an exception to DESIGN.md's
hub-and-spokes rule): an OB2 badge lacks the Council Recommendation's mandatory
elements (learning outcomes, workload, assessment, quality assurance, ...), so
it cannot become a valid hub object, yet integrators still need their legacy
badges as OB3. Every OB2 property either lands in an OB3 property or is
reported as a :class:`~microcred_vc.formats.base.Loss` — the mapper accounts
for each key of each node, so a property it does not know is never dropped
silently.

The upgraded credential carries no proof: OB2's hosted/signed verification
cannot be carried over, and the integrator re-signs it with their own key.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from microcred_vc.errors import ConversionError
from microcred_vc.formats.base import ConversionResult, Loss
from microcred_vc.formats.ob2.reading import (
    Fetch,
    Ob2Badge,
    is_hashed,
    load_badge_class,
    node_id,
    parse_datetime,
    read_ob2,
    recipient_matches,
    split_identity_hash,
)
from microcred_vc.formats.ob2.verifying import verify_ob2

OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
#: OB2 recipient ``type`` → OB3 IdentifierTypeEnum (extensions use the ``ext:`` prefix).
IDENTITY_TYPES = {"email": "emailAddress", "url": "ext:url", "telephone": "ext:telephone"}
_LANG = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
_EXT_NAME = re.compile(r"[^a-zA-Z0-9.\-_]")

#: Why a known OB2 property has no OB3 place.
REASONS = {
    "verification": "OB2 hosted/signed verification has no OB3 counterpart; the upgraded "
    "credential carries no proof until the integrator re-signs it",
    "endorsement": "OB2 endorsements are claims signed by third parties; they cannot become "
    "OB3 EndorsementCredentials without the endorser's own signature",
    "uid": "legacy OB 1.x identifier with no OB3 property",
    "revoked": "revocation is published by the issuer in OB3 (credentialStatus), not in the "
    "credential",
    "revocationReason": "revocation is published by the issuer in OB3, not in the credential",
    "publicKey": "OB2 RSA issuer keys are not carried; OB3 proofs name their verification method",
    "revocationList": "the OB2 revocation list has no OB3 equivalent (OB3 uses credentialStatus "
    "lists)",
    "@language": "OB3 has no language tag for this object",
    "author": "OB3 Image has no author",
    "type": "extension types have no OB3 counterpart",
}
#: Keys that are structure, not content, on every OB2 node.
_STRUCTURAL = frozenset({"@context"})


class _Upgrader:
    """Maps one resolved OB2 badge; every key not consumed becomes a Loss."""

    def __init__(self) -> None:
        self.losses: list[Loss] = []

    def lose(self, path: str, reason: str | None = None) -> None:
        key = path.rsplit(".", 1)[-1].split("[")[0]
        self.losses.append(Loss(path, reason or REASONS.get(key) or "no OB3 property for it"))

    def leftovers(self, node: dict[str, Any], path: str, used: set[str]) -> None:
        for key in node:
            if key not in used and key not in _STRUCTURAL:
                self.lose(_join(path, key))

    def copy_text(self, src: dict[str, Any], dst: dict[str, Any], pairs: Any, path: str) -> None:
        """Copy text properties (OB2 name -> OB3 name); a non-text value is a Loss."""
        for key, target in pairs:
            if key not in src or src[key] is None:
                continue
            if isinstance(src[key], str):
                dst[target] = src[key]
            else:
                self.lose(_join(path, key), f"{src[key]!r} is not text")

    def extra_types(self, node: dict[str, Any], path: str, primary: tuple[str, ...]) -> None:
        raw = node.get("type")
        for t in raw if isinstance(raw, list) else [raw]:
            if t is not None and t not in primary:
                self.lose(_join(path, "type"), f"extension type {t!r} has no OB3 counterpart")

    # --- nodes ---------------------------------------------------------------
    def credential(self, badge: Ob2Badge) -> dict[str, Any]:
        a = badge.assertion
        profile = self.profile(badge.issuer, "badge.issuer")
        issued = _datetime_z(a["issuedOn"], "issuedOn")
        doc: dict[str, Any] = {
            "@context": list(OB3_CONTEXT),
            "id": str(node_id(a["id"])),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": badge.badge["name"],
            "issuer": profile,
            "validFrom": issued,
            "awardedDate": issued,
        }
        if a.get("expires") is not None:
            doc["validUntil"] = _datetime_z(a["expires"], "expires")
        subject: dict[str, Any] = {
            "type": ["AchievementSubject"],
            "identifier": [self.identity(a["recipient"])],
            "achievement": self.achievement(badge.badge, profile),
        }
        self.copy_text(a, subject, [("narrative", "narrative")], "")
        if a.get("image") is not None:
            image = self.image(a["image"], "image")
            if image:
                subject["image"] = image
        mapped = [self.evidence(e, p) for p, e in _items(a.get("evidence"), "evidence")]
        if any(mapped):
            doc["evidence"] = [m for m in mapped if m]
        doc["credentialSubject"] = subject
        self.extra_types(a, "", ("Assertion",))
        used = {"id", "type", "badge", "issuedOn", "expires", "recipient", "narrative", "image"}
        self.leftovers(a, "", used | {"evidence"})
        return doc

    def identity(self, recipient: dict[str, Any]) -> dict[str, Any]:
        rtype = recipient.get("type")
        if not isinstance(rtype, str) or not isinstance(recipient.get("identity"), str):
            raise ConversionError("recipient needs a type and an identity to become an identifier")
        hashed = is_hashed(recipient)
        if hashed:
            split_identity_hash(recipient["identity"])
        ident_type = IDENTITY_TYPES.get(rtype) or "ext:" + (_EXT_NAME.sub("", rtype) or "unknown")
        out: dict[str, Any] = {
            "type": "IdentityObject",
            "hashed": hashed,
            "identityHash": recipient["identity"],
            "identityType": ident_type,
        }
        self.copy_text(recipient, out, [("salt", "salt")], "recipient")
        self.leftovers(recipient, "recipient", {"type", "identity", "hashed", "salt"})
        return out

    def achievement(self, badge: dict[str, Any], creator: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.uri(badge.get("id"), "badge.id") or f"urn:uuid:{uuid.uuid4()}",
            "type": ["Achievement"],
            "name": badge["name"],
            "description": badge["description"],
            "criteria": self.criteria(badge["criteria"]),
            "creator": creator,
        }
        if badge.get("image") is not None and (image := self.image(badge["image"], "badge.image")):
            out["image"] = image
        aligned = [
            self.alignment(x, p) for p, x in _items(badge.get("alignment"), "badge.alignment")
        ]
        if any(aligned):
            out["alignment"] = [x for x in aligned if x]
        tags = [t for t in _listed(badge.get("tags")) if isinstance(t, str)]
        if tags:
            out["tag"] = tags
        if len(tags) != len(_listed(badge.get("tags"))):
            self.lose("badge.tags", "non-text tags have no OB3 place")
        if (version := self.version(badge.get("version"), "badge.version")) is not None:
            out["version"] = version
        if (lang := self.language(badge.get("@language"), "badge.@language")) is not None:
            out["inLanguage"] = lang
        related = [self.related(r, p) for p, r in _items(badge.get("related"), "badge.related")]
        if any(related):
            out["related"] = [r for r in related if r]
        self.extra_types(badge, "badge", ("BadgeClass",))
        used = {
            "id",
            "type",
            "name",
            "description",
            "criteria",
            "issuer",
            "image",
            "alignment",
            "tags",
            "version",
            "@language",
            "related",
        }
        self.leftovers(badge, "badge", used)
        return out

    def profile(self, issuer: dict[str, Any], path: str) -> dict[str, Any]:
        out: dict[str, Any] = {"id": str(issuer["id"]), "type": ["Profile"]}
        pairs = [("name", "name"), ("url", "url"), ("email", "email")]
        pairs += [("description", "description"), ("telephone", "phone")]
        self.copy_text(issuer, out, pairs, path)
        if issuer.get("image") is not None and (
            image := self.image(issuer["image"], f"{path}.image")
        ):
            out["image"] = image
        self.extra_types(issuer, path, ("Issuer", "Profile"))
        used = {"id", "type", "name", "url", "email", "description", "telephone", "image"}
        self.leftovers(issuer, path, used)
        return out

    def criteria(self, value: Any) -> dict[str, Any]:
        if isinstance(value, str):
            return {"id": value}
        if not isinstance(value, dict):
            raise ConversionError(f"badge criteria must be a URL or a Criteria object: {value!r}")
        out: dict[str, Any] = {}
        if (cid := self.uri(value.get("id"), "badge.criteria.id")) is not None:
            out["id"] = cid
        self.copy_text(value, out, [("narrative", "narrative")], "badge.criteria")
        self.extra_types(value, "badge.criteria", ("Criteria",))
        self.leftovers(value, "badge.criteria", {"id", "narrative", "type"})
        return out

    def image(self, value: Any, path: str) -> dict[str, Any] | None:
        if isinstance(value, str):
            return {"id": value, "type": "Image"}
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            self.lose(path, "an image without a URL has no OB3 form")
            return None
        out = {"id": value["id"], "type": "Image"}
        self.copy_text(value, out, [("caption", "caption")], path)
        self.extra_types(value, path, ("Image", "schema:ImageObject"))
        self.leftovers(value, path, {"id", "caption", "type"})
        return out

    def evidence(self, value: Any, path: str) -> dict[str, Any] | None:
        if isinstance(value, str):
            return {"id": value, "type": ["Evidence"]}
        if not isinstance(value, dict):
            self.lose(path, "evidence must be a URL or an Evidence object")
            return None
        out: dict[str, Any] = {"type": ["Evidence"]}
        if (eid := self.uri(value.get("id"), f"{path}.id")) is not None:
            out["id"] = eid
        fields = ("narrative", "name", "description", "genre", "audience")
        self.copy_text(value, out, [(k, k) for k in fields], path)
        self.extra_types(value, path, ("Evidence",))
        self.leftovers(value, path, {"id", "type", *fields})
        return out

    def alignment(self, value: Any, path: str) -> dict[str, Any] | None:
        if not isinstance(value, dict) or not all(
            isinstance(value.get(k), str) for k in ("targetName", "targetUrl")
        ):
            self.lose(path, "an alignment needs targetName and targetUrl in OB3")
            return None
        fields = ("targetName", "targetUrl", "targetDescription", "targetFramework", "targetCode")
        out: dict[str, Any] = {"type": ["Alignment"]}
        self.copy_text(value, out, [(k, k) for k in fields], path)
        self.extra_types(value, path, ("AlignmentObject", "Alignment"))
        self.leftovers(value, path, {"type", *fields})
        return out

    def related(self, value: Any, path: str) -> dict[str, Any] | None:
        rid = node_id(value)
        if rid is None:
            self.lose(path, "a related badge without an id has no OB3 form")
            return None
        out: dict[str, Any] = {"id": rid, "type": ["Related"]}
        if isinstance(value, dict):
            if (lang := self.language(value.get("@language"), f"{path}.@language")) is not None:
                out["inLanguage"] = lang
            if (version := self.version(value.get("version"), f"{path}.version")) is not None:
                out["version"] = version
            self.leftovers(value, path, {"id", "@language", "version", "type"})
        return out

    def version(self, value: Any, path: str) -> str | None:
        """OB2 versions are text or numbers; OB3 wants text."""
        if value is None:
            return None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
        self.lose(path, f"version {value!r} is neither text nor a number")
        return None

    def language(self, value: Any, path: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            parts = value.split("-")
            tag = "-".join(
                [parts[0].lower()]
                + [
                    p.title() if len(p) == 4 else p.upper() if len(p) in (2, 3) else p
                    for p in parts[1:]
                ]
            )
            if _LANG.match(tag):
                return tag
        self.lose(path, f"language tag {value!r} is not one OB3 accepts")
        return None

    def uri(self, value: Any, path: str) -> str | None:
        if isinstance(value, str) and value.startswith("_:"):
            self.lose(path, f"blank node id {value} means nothing outside the OB2 document")
            return None
        if value is not None and not (isinstance(value, str) and value):
            self.lose(path, f"{value!r} is not an IRI")
            return None
        return value


def upgrade(doc: Any, *, fetch: Fetch | None = None) -> ConversionResult:
    """OB2 assertion (dict, JSON text or JWS) → OB3 OpenBadgeCredential, with losses.

    The BadgeClass and Issuer come embedded or through ``fetch``; a needed URL
    without a fetch function is a typed ``NetworkDisabled`` naming it. The result
    is unsigned (see the module docstring).
    """
    badge = read_ob2(doc, fetch=fetch)
    mapper = _Upgrader()
    credential = mapper.credential(badge)
    return ConversionResult(credential, mapper.losses, source_format="ob2", target_format="ob3")


def _datetime_z(value: Any, what: str) -> str:
    """OB3 DateTimeZ: always with a zone; OB2 allowed dates without one (taken as UTC)."""
    return parse_datetime(value, what).isoformat().replace("+00:00", "Z")


def _join(path: str, key: str) -> str:
    """Loss paths follow the given OB2 JSON: ``verification``, ``badge.issuer.publicKey``."""
    return f"{path}.{key}" if path else key


def _items(value: Any, path: str) -> list[tuple[str, Any]]:
    """(loss path, item) pairs: ``path[i]`` inside a list, ``path`` for a single value."""
    if isinstance(value, list):
        return [(f"{path}[{i}]", item) for i, item in enumerate(value)]
    return [] if value is None else [(path, value)]


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


__all__ = [
    "OB3_CONTEXT",
    "Ob2Badge",
    "load_badge_class",
    "read_ob2",
    "recipient_matches",
    "upgrade",
    "verify_ob2",
]
