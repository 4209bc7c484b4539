"""EDCI 1.x XML (``europassCredential``) → the hub, with a loss for every element not carried.

EDCI 1.x wrote one XML tree: the credential's own fields, the subject with its
achievements, and side tables (``agentReferences``, ``learningSpecificationReferences``,
``learningOutcomeReferences``, ``awardingProcessReferences``…) that elements point
into with ``idref``. The reader follows those references, marks each element it
uses, and reports every element left unread under a visited one with its path,
as the JSON EDC reader does with keys. So nothing is dropped in silence: what
ELM 3 / the hub has no home for is named.

The mapping follows the ELM 1.x → 3 correspondence: the first learning
achievement is the micro-credential (its title the hub title, as ``hasClaim``
in ELM 3), ``prefLabel`` of an organisation is its legal name and
``registration`` its legal (eIDAS) identifier.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from microcred_vc.formats.base import Loss
from microcred_vc.formats.edc.common import parse_datetime
from microcred_vc.formats.edci_xml.parsing import CRED_NS, DSIG_NS, EDCI_NS
from microcred_vc.model import vocab

_HOURS = re.compile(r"^PT(\d+)H$")
#: Elements regenerated or re-made by any writer: named once, not per sub-element.
_REGENERATED = {
    "displayParameters": "display pages are re-rendered from the credential data",
    "type": "the credential type is set by the writer",
    "proof": "an EDCI 1.x proof does not survive conversion; re-seal the result",
    "primaryLanguage": "display languages are set by the writer",
    "availableLanguages": "display languages are set by the writer",
}


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


class XmlReader:
    """Reads elements, resolving ``idref`` into the side tables, and remembers what it used."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.losses: list[Loss] = []
        self.by_id: dict[str, Any] = {}
        for element in root.iter():
            if isinstance(element.tag, str) and element.get("id") and len(element):
                self.by_id.setdefault(element.get("id"), element)
        self.visited: list[tuple[str, Any, set[int]]] = []

    def node(self, element: Any, path: str) -> XmlNode:
        ref = element.get("idref")
        target = self.by_id.get(ref, element) if ref else element
        used: set[int] = set()
        self.visited.append((path, target, used))
        return XmlNode(self, target, path, used)

    def unread(self) -> list[Loss]:
        out = list(self.losses)
        # a node reached twice (shared by idref) counts every use; one pass, linear
        merged: dict[int, tuple[str, Any, set[int]]] = {}
        for path, element, used in self.visited:
            first = merged.setdefault(id(element), (path, element, set()))
            first[2].update(used)
        for path, element, used in merged.values():
            for i, child in enumerate(c for c in element if isinstance(c.tag, str)):
                if i not in used:
                    out.append(
                        Loss(
                            f"{path}/{_local(child)}",
                            "no place for this EDCI element in the micro-credential model",
                        )
                    )
        return out


class XmlNode:
    def __init__(self, reader: XmlReader, element: Any, path: str, used: set[int]) -> None:
        self.reader, self.element, self.path, self.used = reader, element, path, used

    def _children(self, name: str, ns: str = EDCI_NS) -> list[Any]:
        out = []
        for i, child in enumerate(c for c in self.element if isinstance(c.tag, str)):
            if child.tag == f"{{{ns}}}{name}":
                self.used.add(i)
                out.append(child)
        return out

    def children(self, name: str, ns: str = EDCI_NS) -> list[XmlNode]:
        found = self._children(name, ns)
        return [
            self.reader.node(c, f"{self.path}/{name}" + (f"[{i + 1}]" if len(found) > 1 else ""))
            for i, c in enumerate(found)
        ]

    def child(self, name: str, ns: str = EDCI_NS) -> XmlNode | None:
        found = self.children(name, ns)
        return found[0] if found else None

    def value(self, name: str, ns: str = EDCI_NS) -> str | None:
        found = self._children(name, ns)
        text = (found[0].text or "").strip() if found else ""
        return text or None

    def attr(self, name: str) -> str | None:
        return self.element.get(name)

    def texts(self, name: str) -> dict[str, str] | None:
        """A multilingual ``<name><text lang="xx">…</text>…</name>`` as a language map."""
        out: dict[str, str] = {}
        for holder in self._children(name):
            for text in holder:
                if _local(text) == "text" and (text.text or "").strip():
                    out.setdefault(text.get("lang") or "en", text.text.strip())
        return out or None

    def concept(self, name: str) -> vocab.Concept | None:
        """A ``<name uri=…><targetName>…</targetName></name>`` code as a concept."""
        found = self._children(name)
        return _concept(found[0]) if found else None

    def concepts(self, name: str) -> list[vocab.Concept]:
        return [c for c in map(_concept, self._children(name)) if c is not None]

    def moment(self, name: str, ns: str = EDCI_NS) -> Any:
        value = self.value(name, ns)
        parsed = parse_datetime(value)
        if parsed is not None and parsed.tzinfo is None:
            self.reader.losses.append(
                Loss(f"{self.path}/{name}", "no time zone given; read as UTC")
            )
            return value + "Z"
        return value


def _concept(element: Any) -> vocab.Concept | None:
    uri = element.get("uri")
    if not uri:
        return None
    label: dict[str, str] = {}
    for holder in element:
        if _local(holder) == "targetName":
            for text in holder:
                if (text.text or "").strip():
                    label.setdefault(text.get("lang") or "en", text.text.strip())
    try:
        return vocab.Concept(id=uri, pref_label=label or None)
    except ValueError:
        return None


def _language(iri: str) -> str | None:
    code = iri.rsplit("/", 1)[-1]
    return vocab.language_tag(iri) or (code.lower() if len(code) == 2 else None)


def _organisation(node: XmlNode) -> dict[str, Any]:
    data: dict[str, Any] = {"id": node.attr("id"), "legal_name": node.texts("prefLabel")}
    for location in node.children("hasLocation")[:1]:
        location.value("id")
        address = location.child("hasAddress")
        country = address.concept("country") if address else None
        if country:
            data["country"] = vocab.country_alpha2(country.id)
    data["eidas_id"] = node.value("registration")
    page = node.child("homepage")
    if page:
        data["homepage"] = page.attr("uri")
    for contact in node.children("contactPoint")[:1]:
        box = contact.child("mailBox")
        if box and (box.attr("uri") or "").startswith("mailto:"):
            data["email"] = box.attr("uri").removeprefix("mailto:")
    return {k: v for k, v in data.items() if v is not None}


def _learner(node: XmlNode) -> dict[str, Any]:
    def one(name: str) -> str | None:
        texts = node.texts(name)
        return next(iter(texts.values())) if texts else None

    data: dict[str, Any] = {
        "full_name": one("fullName"),
        "given_name": one("givenNames"),
        "family_name": one("familyName"),
    }
    born = node.value("dateOfBirth")
    if born and len(born) >= 10:
        data["date_of_birth"] = born[:10]
    for contact in node.children("contactPoint")[:1]:
        box = contact.child("mailBox")
        if box and (box.attr("uri") or "").startswith("mailto:"):
            data["email"] = box.attr("uri").removeprefix("mailto:")
    return {k: v for k, v in data.items() if v is not None}


def _outcome(node: XmlNode) -> dict[str, Any]:
    skills = [c.id for c in node.concepts("relatedEscoSkill")]
    esco = [s for s in skills if s.startswith(vocab.ESCO_SKILL_NS)]
    for skill in skills:
        if skill not in esco[:1]:
            node.reader.losses.append(
                Loss(f"{node.path}/relatedEscoSkill", f"{skill}: the hub keeps one ESCO skill")
            )
    data = {"title": node.texts("prefLabel"), "esco_skill": esco[0] if esco else None}
    data["reusability"] = node.concept("reusabilityLevel")
    return {k: v for k, v in data.items() if v is not None}


def _specification(spec: XmlNode, data: dict[str, Any]) -> None:
    data["achievement_id"] = spec.attr("id")
    spec.texts("title")  # the achievement's title is the hub title; the spec repeats it
    holder = spec.child("learningOutcomes")
    data["learning_outcomes"] = (
        [_outcome(o) for o in holder.children("learningOutcome")] if holder else []
    )
    volume = spec.value("volumeOfLearning")
    match = _HOURS.match(volume or "")
    if match:
        data["workload_hours"] = int(match.group(1))
    elif volume:
        spec.reader.losses.append(
            Loss(f"{spec.path}/volumeOfLearning", f"{volume!r} is not whole hours")
        )
    credits = spec.value("hasECTSCreditPoints")
    if credits:
        data["ects"] = credits
    eqf = spec.concept("eqfLevel")
    if eqf is not None:
        data["eqf_level"] = vocab.eqf_level_from_iri(eqf.id)
    data["nqf_level"] = spec.concept("nqfLevel")
    for mode in spec.concepts("mode"):
        for key, known in vocab.PARTICIPATION_MODES.items():
            if mode.id == known.id:
                data["participation_mode"] = key
    data["learning_setting"] = spec.concept("learningSettingType")
    data["max_duration"] = spec.value("duration")
    data["languages"] = [t for t in (_language(c.id) for c in spec.concepts("language")) if t]
    data["isced_f"] = spec.concepts("hasISCED-FCode")


def _achievement(node: XmlNode, data: dict[str, Any]) -> None:
    data["title"] = node.texts("title")
    data["description"] = node.texts("description")
    spec = node.child("specifiedBy")
    if spec:
        _specification(spec, data)
    awarding = node.child("wasAwardedBy")
    if awarding:
        data["awarding_bodies"] = [_organisation(b) for b in awarding.children("awardingBody")]
        data["awarded_at"] = awarding.moment("date")
    for activity in node.children("wasInfluencedBy")[:1]:
        activity.texts("title")
        data["start"] = activity.moment("startedAtTime")
        data["end"] = activity.moment("endedAtTime")
    for assessment in node.children("wasDerivedFrom")[:1]:
        data["grade"] = assessment.value("grade")
        assessment.texts("title")
        data["supervision"] = assessment.concept("idVerificationMethod")


def read(root: Any) -> tuple[dict[str, Any], list[Loss]]:
    """Hub data for the credential under ``root`` and the elements it could not carry."""
    reader = XmlReader(root)
    top = reader.node(root, "/europassCredential")
    for name, reason in _REGENERATED.items():
        if top._children(name):
            reader.losses.append(Loss(f"/europassCredential/{name}", reason))
    if top._children("Signature", DSIG_NS):
        reader.losses.append(
            Loss(
                "/europassCredential/ds:Signature",
                "the XML signature (XAdES) covers the XML bytes; it does not survive "
                "conversion: seal the result anew",
            )
        )
    data: dict[str, Any] = {"id": root.get(f"{{{CRED_NS}}}id"), "quality_assurance": []}
    issuer = top.child("issuer", CRED_NS)
    data["issuer"] = _organisation(issuer) if issuer else None
    data["issued_at"] = top.moment("issued", CRED_NS)
    data["valid_until"] = top.moment("validUntil", CRED_NS)
    valid_from = top.moment("validFrom", CRED_NS)
    if valid_from and parse_datetime(valid_from) != parse_datetime(data["issued_at"]):
        reader.losses.append(
            Loss(
                "/europassCredential/cred:validFrom",
                "differs from the date of issuing; the hub keeps one date",
            )
        )
    own_title = top.texts("title")
    top.texts("description")
    subject = top.child("credentialSubject")
    data["learner"] = _learner(subject) if subject else None
    holder = subject.child("achievements") if subject else None
    achievements = holder.children("learningAchievement") if holder else []
    for extra in achievements[1:]:
        reader.losses.append(
            Loss(
                extra.path,
                "only the first achievement is the micro-credential; others are not carried",
            )
        )
        extra.used.update(range(len(extra.element)))
    if achievements:
        _achievement(achievements[0], data)
    if not data.get("title"):
        data["title"] = own_title
    elif own_title and own_title != data["title"]:
        reader.losses.append(
            Loss(
                "/europassCredential/title",
                "the credential's own title; the hub keeps the achievement's",
            )
        )
    # the side tables are reached through idref; what nothing pointed at is reported
    reachable = {id(e) for _, e, _ in reader.visited}
    for table in (c for c in root if isinstance(c.tag, str) and _local(c).endswith("References")):
        for entry in table:
            if isinstance(entry.tag, str) and id(entry) not in reachable:
                reader.losses.append(
                    Loss(
                        f"/europassCredential/{_local(table)}/{_local(entry)}[@id='{entry.get('id')}']",
                        "not referenced by the achievement the hub carries",
                    )
                )
    table_names = {
        i
        for i, c in enumerate(e for e in root if isinstance(e.tag, str))
        if _local(c).endswith("References")
    }
    top.used.update(table_names)
    top.used.update(
        i
        for i, c in enumerate(e for e in root if isinstance(e.tag, str))
        if _local(c) in _REGENERATED or c.tag == f"{{{DSIG_NS}}}Signature"
    )
    return data, reader.unread()
