"""Small JSON-LD value shapes shared by the OB3 writer and reader.

Concepts, notes and organisations appear in several places of an OB3
micro-credential (assessment types, QA bodies, awarding bodies); writing and
reading each shape in one place keeps dump and load exact inverses, which the
round-trip property test relies on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pycountry

from microcred_vc.model import vocab
from microcred_vc.model.elements import Organisation


def iso(moment: datetime) -> str:
    """RFC 3339, with ``Z`` for UTC as the OB3 examples write it."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def concept_out(concept: vocab.Concept) -> dict[str, Any]:
    out: dict[str, Any] = {"id": concept.id, "type": "Concept"}
    if concept.pref_label:
        out["prefLabel"] = dict(concept.pref_label)
    if concept.in_scheme:
        out["inScheme"] = concept.in_scheme
    return out


def concept_in(value: Any) -> Any:
    """A concept node (or bare IRI) back to the model's dict shape."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {"id": value.get("id")}
    if value.get("prefLabel"):
        out["pref_label"] = value["prefLabel"]
    if value.get("inScheme"):
        out["in_scheme"] = value["inScheme"]
    return out


def note_out(text: dict[str, str]) -> dict[str, Any]:
    return {"type": "Note", "noteLiteral": dict(text)}


def note_in(value: Any) -> Any:
    if isinstance(value, dict) and "noteLiteral" in value:
        return value["noteLiteral"]
    return value


EIDAS = "ext:eIDASIdentifier"
VAT = "ext:VATIdentifier"
REGISTRATION = "ext:RegistrationIdentifier"
#: OB 3.0 IdentifierTypeEnum: a scheme named by one of these is written as the type itself
IDENTIFIER_TYPES = frozenset(
    [
        "name",
        "sourcedId",
        "systemId",
        "productId",
        "userName",
        "accountId",
        "emailAddress",
        "nationalIdentityNumber",
        "isbn",
        "issn",
        "lisSourcedId",
        "oneRosterSourcedId",
        "sisSourcedId",
        "ltiContextId",
        "ltiDeploymentId",
        "ltiToolId",
        "ltiPlatformId",
        "ltiUserId",
        "identifier",
    ]
)


def identifier_out(notation: str, scheme: str | None) -> dict[str, Any]:
    """An OB3 IdentifierEntry; a scheme outside the enum rides in ``schemeName`` (mc:)."""
    out: dict[str, Any] = {"type": "IdentifierEntry", "identifier": notation}
    if scheme and (scheme in IDENTIFIER_TYPES or scheme.startswith("ext:")):
        out["identifierType"] = scheme
    else:
        out["identifierType"] = "identifier"
        if scheme:
            out["schemeName"] = scheme
    return out


def identifier_in(entry: dict[str, Any]) -> dict[str, Any]:
    kind = entry.get("identifierType")
    scheme = entry.get("schemeName") or (None if kind == "identifier" else kind)
    return {"notation": entry.get("identifier"), "scheme": scheme}


def profile_out(org: Organisation) -> dict[str, Any]:
    """An OB3 ``Profile``; the multilingual legal name rides in ``legalName``."""
    out: dict[str, Any] = {
        "id": org.id,
        "type": ["Profile"],
        "name": org.name,
    }
    if org.legal_name:
        out["legalName"] = dict(org.legal_name)
    if org.homepage:
        out["url"] = org.homepage
    if org.email:
        out["email"] = org.email
    address: dict[str, Any] = {"type": ["Address"]}
    if org.country:
        address["addressCountry"] = vocab.country_name(org.country)
        address["addressCountryCode"] = org.country
    if org.region:
        address["addressRegion"] = org.region
    if len(address) > 1:
        out["address"] = address
    others = [
        {"type": "IdentifierEntry", "identifier": value, "identifierType": kind}
        for value, kind in (
            (org.eidas_id, EIDAS),
            (org.vat_id, VAT),
            (org.registration, REGISTRATION),
        )
        if value
    ]
    others += [identifier_out(i.notation, i.scheme) for i in org.identifiers]
    if others:
        out["otherIdentifier"] = others
    if org.phone:
        out["phone"] = org.phone
    if org.alt_label:
        out["altLabel"] = dict(org.alt_label)
    if org.logo:
        out["image"] = {"id": org.logo, "type": "Image"}
    if org.parent_org is not None:
        out["parentOrg"] = profile_out(org.parent_org)
    return out


PROFILE_KEYS = frozenset(
    {"id", "type", "name", "legalName", "url", "email", "address", "otherIdentifier", "phone",
     "altLabel", "image", "parentOrg"}
)  # fmt: skip


def profile_in(value: Any, lang: str = "en") -> tuple[dict[str, Any], list[str]]:
    """A Profile back to Organisation data, plus the keys it did not use."""
    if isinstance(value, str):
        return {"id": value}, []
    if not isinstance(value, dict):
        return {}, []
    out: dict[str, Any] = {"id": value.get("id")}
    if value.get("legalName"):
        out["legal_name"] = value["legalName"]
    elif value.get("name"):
        out["legal_name"] = {lang: value["name"]}
    if value.get("url"):
        out["homepage"] = value["url"]
    if value.get("email"):
        out["email"] = value["email"]
    address = value.get("address") or {}
    if isinstance(address, dict):
        country = address.get("addressCountryCode") or _country_from_name(
            address.get("addressCountry")
        )
        if country:
            out["country"] = country
        if address.get("addressRegion"):
            out["region"] = address["addressRegion"]
    unused = sorted(set(value) - PROFILE_KEYS)
    for entry in as_list(value.get("otherIdentifier")):
        if not isinstance(entry, dict):
            continue
        if entry.get("identifierType") == EIDAS:
            out["eidas_id"] = entry.get("identifier")
        elif entry.get("identifierType") == VAT:
            out["vat_id"] = entry.get("identifier")
        elif entry.get("identifierType") == REGISTRATION:
            out["registration"] = entry.get("identifier")
        else:
            out.setdefault("identifiers", []).append(identifier_in(entry))
    for src, dst in (("phone", "phone"), ("altLabel", "alt_label")):
        if value.get(src):
            out[dst] = value[src]
    image = value.get("image")
    if isinstance(image, dict):
        unused += [f"image.{key}" for key in sorted(set(image) - {"id", "type"})]
        image = image.get("id")
    if image:
        out["logo"] = image
    if value.get("parentOrg"):
        parent, more = profile_in(value["parentOrg"], lang)
        out["parent_org"] = parent
        unused += [f"parentOrg.{key}" for key in more]
    return out, unused


def _country_from_name(name: Any) -> str | None:
    if not isinstance(name, str) or not name:
        return None
    code = vocab.country_alpha2(name)
    if code:
        return code
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None
