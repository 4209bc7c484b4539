"""Shared pieces of the EDC (ELM 3) reader and writer: IRIs, node ids, concepts, texts.

ELM gives every node an id (``urn:epass:<kind>:<n>`` in the EC tools). Ours are
UUIDv5 values derived from the credential id and the node's role, so dumping
the same micro-credential twice yields the same document (stable diffs, stable
signatures) and two credentials never share a node by accident.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from microcred_vc.model import vocab

VC_V1 = "https://www.w3.org/2018/credentials/v1"
EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
EDC_TYPES = ["VerifiableCredential", "EuropeanDigitalCredential"]
#: The EDC AP the document declares it follows (what EDCI's validator reads).
EDC_SCHEMA = {
    "id": "http://data.europa.eu/snb/model/ap/edc-generic-full",
    "type": "ShaclValidator2017",
}

CREDENTIAL_SCHEME = "http://data.europa.eu/snb/credential/25831c2"
GENERIC_PROFILE = {"id": "http://data.europa.eu/snb/credential/e34929035b", "label": "Generic"}
ENCODING_SCHEME = "http://data.europa.eu/snb/encoding/25831c2"
BASE64 = {"id": "http://data.europa.eu/snb/encoding/6146cde7dd", "label": "base64"}
FILE_TYPE_SCHEME = "http://publications.europa.eu/resource/authority/file-type"
PNG = {"id": "http://publications.europa.eu/resource/authority/file-type/PNG", "label": "PNG"}
ESCO_SKILL_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
ATU_NS = "http://publications.europa.eu/resource/authority/atu/"
ATU_SCHEME = "http://publications.europa.eu/resource/authority/atu"
COURSE_CODE_SCHEME = "Course code"
STUDENT_ID_SCHEME = "Student number"


class NodeIds:
    """Deterministic ELM node ids for one credential."""

    def __init__(self, credential_id: str) -> None:
        self._seed = credential_id

    def __call__(self, kind: str, *role: object) -> str:
        key = "|".join([self._seed, kind, *map(str, role)])
        return f"urn:epass:{kind}:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


def concept(iri: str, label: dict[str, str] | str | None, scheme: str | None) -> dict[str, Any]:
    """An ELM Concept node: ``{id, type, inScheme, prefLabel}`` as the EC samples write it.

    A label map given by the document or the caller is kept as it is. Otherwise
    (no label, or a placeholder string such as a language tag) the EU labels of
    the vocabulary table are used, so a language comes out as ``{"en": "Irish"}``
    rather than ``{"en": "ga"}`` and an ISCED-F field carries its name.
    """
    node: dict[str, Any] = {"id": iri, "type": "Concept"}
    if scheme:
        node["inScheme"] = {"id": scheme, "type": "ConceptScheme"}
    if not isinstance(label, dict):
        label = vocab.concept_labels(iri) or label
    if label:
        node["prefLabel"] = {"en": label} if isinstance(label, str) else dict(label)
    return node


def scheme_of(iri: str) -> str | None:
    """The EU scheme an IRI belongs to by namespace (EDC requires inScheme on concepts)."""
    for scheme in vocab.SCHEMES.values():
        if iri.startswith(scheme.namespace):
            return scheme.iri
    return None


def vocab_concept(value: vocab.Concept) -> dict[str, Any]:
    return concept(value.id, value.pref_label, value.in_scheme or scheme_of(value.id))


def country_concept(alpha2: str) -> dict[str, Any]:
    return concept(vocab.country_iri(alpha2), vocab.country_name(alpha2), vocab.COUNTRY_SCHEME)


def language_concept(tag: str) -> dict[str, Any] | None:
    try:
        iri = vocab.language_iri(tag)
    except ValueError:
        return None
    return concept(iri, tag, vocab.LANGUAGE_SCHEME)


def note(ids: NodeIds, role: str, text: dict[str, str]) -> dict[str, Any]:
    return {"id": ids("note", role), "type": "Note", "noteLiteral": dict(text)}


def identifier(ids: NodeIds, role: str, notation: str, scheme: str) -> dict[str, Any]:
    """An ELM ``Identifier`` node: a notation within a named scheme (course code, student id)."""
    return {
        "id": ids("identifier", role),
        "type": "Identifier",
        "notation": notation,
        "schemeName": scheme,
    }


def web_resource(ids: NodeIds, role: str, url: str) -> dict[str, Any]:
    return {"id": ids("webResource", role, url), "type": "WebResource", "contentURL": url}


def xsd_datetime(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def xsd_date_as_datetime(value: date) -> str:
    """ELM types dateOfBirth as xsd:dateTime; midnight UTC keeps the calendar date."""
    return f"{value.isoformat()}T00:00:00Z"


# --- reading ------------------------------------------------------------------
def many(value: Any) -> list[Any]:
    """ELM JSON allows one object or a list wherever the cardinality is 0..n."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first(value: Any) -> Any:
    items = many(value)
    return items[0] if items else None


def lang_map(value: Any) -> dict[str, str] | None:
    """A language map as the hub's LangStr; list values keep their first text."""
    if isinstance(value, str):
        return {"en": value} if value.strip() else None
    if not isinstance(value, dict):
        return None
    out: dict[str, str] = {}
    for lang, text in value.items():
        if lang.startswith("@"):
            continue
        text = first(text)
        if isinstance(text, str) and text.strip():
            out[lang.strip()] = text
    return out or None


def node_id(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def read_concept(value: Any) -> vocab.Concept | None:
    iri = node_id(value)
    if iri is None:
        return None
    label = lang_map(value.get("prefLabel")) if isinstance(value, dict) else None
    scheme = node_id(value.get("inScheme")) if isinstance(value, dict) else None
    if scheme is not None and scheme == scheme_of(iri):
        # implied by the namespace: the hub's vocabularies add it back for known concepts
        scheme = None
    try:
        return vocab.Concept(id=iri, pref_label=label, in_scheme=scheme)
    except Exception:
        return None


def parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
