"""Reading the ELM nodes of :mod:`microcred_vc.formats.edc.elm_parts` back into the hub.

Each function marks what it reads on the :class:`~microcred_vc.formats.edc.nodes.Node`,
so what stays unread is still reported as a loss by the reader.
"""

from __future__ import annotations

from typing import Any

from microcred_vc.formats.base import Loss
from microcred_vc.formats.edc.common import many, node_id
from microcred_vc.formats.edc.elm_parts import EVIDENCE_SCHEME, FILE_TYPE_NS, FILE_TYPES
from microcred_vc.formats.edc.nodes import Node
from microcred_vc.model import vocab

_SUBTYPES = {code: sub for sub, code in reversed(list(FILE_TYPES.items()))}


def data_uri(media: Node) -> str | None:
    """A base64 MediaObject as a ``data:image/...;base64,`` URI (the hub's logo)."""
    content = media.raw("content")
    kind = media.concept("contentType")
    media.concept("contentEncoding")
    code = kind.id.removeprefix(FILE_TYPE_NS) if kind else None
    if not isinstance(content, str) or code not in _SUBTYPES:
        media.reader.losses.append(Loss(media.path, "not an embedded image the hub can keep"))
        return None
    return f"data:image/{_SUBTYPES[code]};base64,{content}"


def identifiers(node: Node) -> list[dict[str, Any]]:
    out = []
    for ident in node.children("identifier"):
        scheme = ident.raw("schemeName")
        notation = ident.raw("notation")
        if isinstance(notation, str) and notation:
            out.append({"notation": notation, "scheme": scheme})
    return out


def phone(node: Node) -> str | None:
    """The first telephone number of the node's contact points."""
    found: list[tuple[str, str]] = []
    for contact in node.children("contactPoint"):
        contact.used.update(k for k in ("emailAddress",) if k in contact.value)  # _email's
        for p in contact.children("phone"):
            number = p.raw("phoneNumber")
            if isinstance(number, str) and number:
                found.append((p.path, number))
    for path, extra in found[1:]:
        node.reader.losses.append(Loss(path, f"{extra}: the hub keeps one telephone number"))
    return found[0][1] if found else None


def organisation_extras(node: Node, data: dict[str, Any], read_org: Any) -> None:
    data["alt_label"] = node.text("altLabel")
    logo = node.child("logo")
    if logo is not None:
        data["logo"] = data_uri(logo)
    registration = node.child("registration")
    if registration is not None:
        data["registration"] = registration.raw("notation")
        registration.raw("spatial")
    data["identifiers"] = identifiers(node) or None
    data["phone"] = phone(node)
    parent = node.child("subOrganizationOf")
    if parent is not None:
        data["parent_org"] = read_org(parent)


def outcome_skills(node: Node, data: dict[str, Any]) -> None:
    """All ESCO skills (the first is ``esco_skill``) and the skills of other frameworks."""
    skills = node.concepts("relatedESCOSkill")
    esco = [c.id for c in skills if c.id.startswith(vocab.ESCO_SKILL_NS)]
    for i, skill in enumerate(skills):
        if skill.id not in esco:
            node.reader.losses.append(
                Loss(f"{node.path}.relatedESCOSkill[{i}]", f"{skill.id}: not an ESCO skill IRI")
            )
    data["esco_skill"] = esco[0] if esco else None
    data["more_esco_skills"] = esco[1:] or None
    data["related_skills"] = node.concepts("relatedSkill") or None


def categories(node: Node) -> list[dict[str, str]]:
    """ELM ``category`` (a language map of lists) as the hub's keywords, by position."""
    value = node.raw("category")
    out: list[dict[str, str]] = []
    if isinstance(value, dict):
        for lang, texts in value.items():
            for i, text in enumerate(t for t in many(texts) if isinstance(t, str) and t.strip()):
                while len(out) <= i:
                    out.append({})
                out[i][lang] = text
    elif isinstance(value, (str, list)):
        out = [{"en": t} for t in many(value) if isinstance(t, str) and t.strip()]
    return out


def parts(spec: Node, key: str, data: dict[str, Any]) -> list[str]:
    """The ids of linked parts; a described part's title goes to ``part_titles``."""
    ids = []
    for part in spec.children(key):
        iri = node_id(part.value)
        if not iri:
            continue
        ids.append(iri)
        title = part.text("title")
        if title:
            data.setdefault("part_titles", []).append({"id": iri, "title": title})
    return ids


def assessment_spec(spec: Node, first: bool, data: dict[str, Any]) -> dict[str, Any]:
    """Grading scheme and languages of one assessment specification."""
    out: dict[str, Any] = {}
    scheme = spec.child("gradingScheme")
    if scheme is not None:
        title = scheme.text("title")
        if first:
            data["grading_scheme"] = title
        else:
            out["grading_scheme"] = title
        out["grading_description"] = scheme.text("description")
    languages = [vocab.language_tag(c.id) for c in spec.concepts("language")]
    out["languages"] = [t for t in languages if t] or None
    return {k: v for k, v in out.items() if v is not None}


def activity(node: Node, data: dict[str, Any], read_org: Any) -> dict[str, Any]:
    """The learning activity; its title only when it differs from the credential's."""
    out: dict[str, Any] = {}
    title = node.text("title")
    if title and title != data.get("title"):
        out["title"] = title
    out["description"] = node.text("description")
    director = node.child("directedBy")
    if director is not None:
        out["directed_by"] = read_org(director)
    spec = node.child("specifiedBy")
    if spec is not None:
        spec.text("title")
        out["type"] = spec.concept("dcType")
        out["mode"] = next(iter(spec.concepts("mode")), None)
        out["volume"] = spec.raw("volumeOfLearning")
        languages = [vocab.language_tag(c.id) for c in spec.concepts("language")]
        out["languages"] = [t for t in languages if t] or None
    return {k: v for k, v in out.items() if v is not None}


def evidence(root: Node) -> list[dict[str, Any]]:
    out = []
    for item in root.children("evidence"):
        kind = item.concept("dcType")
        if kind is not None and kind.in_scheme == EVIDENCE_SCHEME:  # implied, added on writing
            kind = kind.model_copy(update={"in_scheme": None})
        found = {
            "id": item.value.get("id"),
            "type": kind,
            "narrative": item.raw("evidenceStatement"),
        }
        out.append({k: v for k, v in found.items() if v is not None})
    return out
