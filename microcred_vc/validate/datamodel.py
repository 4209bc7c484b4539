"""The W3C VC data-model check: every MUST of VCDM 2.0 §4–5 (and VC 1.1) readable on the JSON.

What the library signs must obey the data model (DESIGN.md, "emit strictly"),
so ``issue()`` refuses a violating credential with :class:`DataModelError`
before signing, and ``verify()`` reports the same rules as its ``datamodel``
check. Each violation names a JSON path and a stable rule id (the table is in
docs/validation.md), so a caller can fix the document without guessing.

The rules are structural: they read the JSON as given. Whether every context
is processable and every term defined is JSON-LD's business; ``expand=True``
adds that stage (rule ``context.processable``), which verify's ``context``
check already performs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from microcred_vc.errors import DataModelError
from microcred_vc.report import Check
from microcred_vc.validate.datamodel_rules import RULES, Violation
from microcred_vc.validate.datamodel_values import (
    digests_match,
    is_datetime,
    is_url,
    language_value_problem,
    multibase_digests,
    sri_digests,
)

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"

#: Properties whose objects MUST say their ``type`` (VCDM 2.0 §4.10–4.12, §5.4–5.7).
TYPED = ("credentialStatus", "credentialSchema", "refreshService", "termsOfUse", "evidence")
#: Of those, the ones whose objects MUST also have an ``id`` URL; VC 1.1 asks for more.
NEEDS_ID = {
    VC_V2: ("credentialSchema",),
    VC_V1: ("credentialSchema", "credentialStatus", "refreshService"),
}


def _entries(value: Any, path: str) -> Iterator[tuple[Any, str]]:
    """A property's values with their paths: ``p`` for one value, ``p[i]`` for a list."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield item, f"{path}[{i}]"
    else:
        yield value, path


def _at(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _types(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class _Checker:
    def __init__(self, *, issuance_date: bool, nested: bool) -> None:
        self.found: list[Violation] = []
        self.issuance_date = issuance_date
        self.nested = nested

    def add(self, path: str, rule: str, message: str) -> None:
        self.found.append(Violation(path or "$", rule, message))

    # --- shared ------------------------------------------------------------
    def context(self, doc: Mapping[str, Any], p: str) -> str | None:
        """The base context (v2 or v1) after checking @context; None when there is none."""
        contexts = doc.get("@context")
        listed = contexts if isinstance(contexts, list) else [contexts]
        first = listed[0] if listed else None
        if contexts is None or first not in (VC_V2, VC_V1):
            shown = "no @context" if contexts is None else f"the first @context is {first!r}"
            self.add(
                _at(p, "@context"), "context.base", f"{shown}; it must be {VC_V2} (or {VC_V1})"
            )
        for i, item in enumerate(listed[1:], start=1):
            if not (is_url(item) or isinstance(item, Mapping)):
                self.add(
                    f"{_at(p, '@context')}[{i}]",
                    "context.items",
                    f"{item!r} is not a URL or an object",
                )
        return first if first in (VC_V2, VC_V1) else None

    def ident(self, node: Any, p: str) -> None:
        if isinstance(node, Mapping) and "id" in node and not is_url(node["id"]):
            self.add(_at(p, "id"), "id.url", f"id {node['id']!r} is not a single URL")

    def type_(self, doc: Mapping[str, Any], p: str, wanted: str, rule: str) -> list[Any]:
        types = _types(doc.get("type"))
        if not types:
            self.add(_at(p, "type"), "type.required", "there is no type")
            return types
        for i, t in enumerate(types):
            if not isinstance(t, str) or not t:
                self.add(f"{_at(p, 'type')}[{i}]", "type.value", f"{t!r} is not a term or URL")
        if wanted not in types:
            self.add(_at(p, "type"), rule, f"type must include {wanted}")
        return types

    def named(self, node: Any, p: str) -> None:
        if not isinstance(node, Mapping):
            return
        for name in ("name", "description"):
            if name in node:
                problem = language_value_problem(node[name])
                if problem is not None:
                    self.add(_at(p, name), "name.value", f"{name} {problem}")

    def typed(
        self, doc: Mapping[str, Any], p: str, base: str | None, names: tuple[str, ...]
    ) -> None:
        need_id = NEEDS_ID.get(base or VC_V2, ())
        for name in names:
            if name not in doc:
                continue
            for entry, ep in _entries(doc[name], _at(p, name)):
                if not isinstance(entry, Mapping):
                    self.add(ep, "typed.object", f"{name} values must be objects, not {entry!r}")
                    continue
                types = _types(entry.get("type"))
                if not types:
                    self.add(_at(ep, "type"), "typed.type", f"a {name} object must have a type")
                elif not all(isinstance(t, str) and t for t in types):
                    self.add(
                        _at(ep, "type"),
                        "typed.type",
                        f"{name} type {entry['type']!r} is not a string",
                    )
                if name in need_id and "id" not in entry:
                    self.add(_at(ep, "id"), "typed.id", f"a {name} object must have an id")
                self.ident(entry, ep)

    # --- credentials ---------------------------------------------------------
    def credential(self, doc: Mapping[str, Any], p: str = "", resources: Any = None) -> None:
        base = self.context(doc, p)
        self.ident(doc, p)
        self.type_(doc, p, "VerifiableCredential", "type.credential")
        self.named(doc, p)
        self.issuer(doc, p)
        self.subjects(doc, p)
        self.dates(doc, p, base)
        self.typed(doc, p, base, (*TYPED, "proof"))
        self.related(doc, p, resources)

    def issuer(self, doc: Mapping[str, Any], p: str) -> None:
        if "issuer" not in doc:
            self.add(_at(p, "issuer"), "issuer.required", "there is no issuer")
            return
        issuer, ip = doc["issuer"], _at(p, "issuer")
        if isinstance(issuer, Mapping):
            if not is_url(issuer.get("id")):
                self.add(
                    _at(ip, "id"), "issuer.url", f"issuer id {issuer.get('id')!r} is not a URL"
                )
            self.named(issuer, ip)
        elif not is_url(issuer):
            self.add(ip, "issuer.url", f"issuer {issuer!r} is not a URL or an object with an id")

    def subjects(self, doc: Mapping[str, Any], p: str) -> None:
        if "credentialSubject" not in doc:
            self.add(
                _at(p, "credentialSubject"),
                "credentialSubject.required",
                "there is no credentialSubject",
            )
            return
        value = doc["credentialSubject"]
        if value == []:
            self.add(
                _at(p, "credentialSubject"),
                "credentialSubject.claims",
                "the list of subjects is empty",
            )
        for subject, sp in _entries(value, _at(p, "credentialSubject")):
            if not isinstance(subject, Mapping) or not subject:
                shown = "an empty object" if subject == {} else repr(subject)
                self.add(
                    sp,
                    "credentialSubject.claims",
                    f"a subject must be an object with claims, not {shown}",
                )
            self.ident(subject, sp)

    def dates(self, doc: Mapping[str, Any], p: str, base: str | None) -> None:
        for name in ("validFrom", "validUntil"):
            if name in doc and not is_datetime(doc[name], timezone=True):
                self.add(_at(p, name), f"{name}.datetime", f"{doc[name]!r} is not a dateTimeStamp")
        start, end = doc.get("validFrom"), doc.get("validUntil")
        if is_datetime(start, timezone=True) and is_datetime(end, timezone=True):
            from microcred_vc.proofs.engine import parse_datetime

            if parse_datetime(end) < parse_datetime(start):
                self.add(
                    _at(p, "validUntil"),
                    "validity.order",
                    f"validUntil {end} is before validFrom {start}",
                )
        if base != VC_V1:
            return
        if "issuanceDate" not in doc and self.issuance_date:
            self.add(
                _at(p, "issuanceDate"),
                "issuanceDate.required",
                "a VC 1.1 credential needs an issuanceDate",
            )
        for name in ("issuanceDate", "expirationDate"):
            if name in doc and not is_datetime(doc[name], timezone=False):
                self.add(_at(p, name), f"{name}.datetime", f"{doc[name]!r} is not a dateTime")

    def related(
        self, doc: Mapping[str, Any], p: str, resources: Mapping[str, bytes] | None
    ) -> None:
        if "relatedResource" not in doc:
            return
        seen: set[str] = set()
        for entry, rp in _entries(doc["relatedResource"], _at(p, "relatedResource")):
            if not isinstance(entry, Mapping):
                self.add(rp, "relatedResource.object", f"{entry!r} is not an object")
                continue
            rid = entry.get("id")
            if not is_url(rid):
                self.add(_at(rp, "id"), "relatedResource.id", f"id {rid!r} is not a URL")
            elif rid in seen:
                self.add(_at(rp, "id"), "relatedResource.unique", f"{rid} is listed twice")
            else:
                seen.add(rid)
            digests = self.digests(entry, rp)
            given = resources.get(rid) if resources is not None and isinstance(rid, str) else None
            if digests is not None and given is not None and not digests_match(digests, given):
                self.add(rp, "relatedResource.match", f"the content of {rid} has another digest")

    def digests(self, entry: Mapping[str, Any], rp: str) -> list[tuple[str, bytes]] | None:
        if "digestSRI" not in entry and "digestMultibase" not in entry:
            self.add(rp, "relatedResource.digest", "no digestSRI or digestMultibase")
            return None
        out: list[tuple[str, bytes]] = []
        for name, parse in (("digestSRI", sri_digests), ("digestMultibase", multibase_digests)):
            if name in entry:
                parsed = parse(entry[name])
                if parsed is None:
                    self.add(
                        _at(rp, name), "relatedResource.digest", f"{entry[name]!r} is not a {name}"
                    )
                    return None
                out.extend(parsed)
        return out

    # --- presentations -------------------------------------------------------
    def presentation(self, doc: Mapping[str, Any], p: str = "") -> None:
        self.context(doc, p)
        self.ident(doc, p)
        self.type_(doc, p, "VerifiablePresentation", "type.presentation")
        self.named(doc, p)
        if "holder" in doc:
            holder, hp = doc["holder"], _at(p, "holder")
            hid = holder.get("id") if isinstance(holder, Mapping) else holder
            if not is_url(hid):
                self.add(
                    hp, "holder.url", f"holder {holder!r} is not a URL or an object with a URL id"
                )
        self.typed(doc, p, None, ("termsOfUse", "proof"))
        if "verifiableCredential" in doc:
            for cred, cp in _entries(doc["verifiableCredential"], _at(p, "verifiableCredential")):
                if not isinstance(cred, Mapping):
                    self.add(
                        cp,
                        "verifiableCredential.object",
                        f"a credential must be an object, not {type(cred).__name__}",
                    )
                elif _looks_enveloped(cred):
                    self.enveloped(cred, cp)
                elif self.nested:
                    self.credential(cred, cp)

    def enveloped(self, obj: Mapping[str, Any], p: str, kind: str = "Credential") -> None:
        """An EnvelopedVerifiableCredential/-Presentation: the secured document is in a data: URL."""
        if "@context" not in obj:
            self.add(
                _at(p, "@context"),
                "envelope.context",
                f"an enveloped {kind.lower()} needs an @context",
            )
        if f"EnvelopedVerifiable{kind}" not in _types(obj.get("type")):
            self.add(_at(p, "type"), "envelope.type", f"type must be EnvelopedVerifiable{kind}")
        if not (isinstance(obj.get("id"), str) and obj["id"].startswith("data:")):
            self.add(
                _at(p, "id"),
                "envelope.id",
                f"the id must be a data: URL holding the {kind.lower()}",
            )


def _looks_enveloped(cred: Mapping[str, Any]) -> bool:
    """Typed as enveloped, or an untyped, subject-less object whose id is a data: URL."""
    if "EnvelopedVerifiableCredential" in _types(cred.get("type")):
        return True
    untyped = "type" not in cred and "credentialSubject" not in cred
    return untyped and str(cred.get("id", "")).startswith("data:")


def is_presentation(doc: Mapping[str, Any]) -> bool:
    """A presentation says so in its type, or has what only presentations have."""
    types = _types(doc.get("type"))
    if "VerifiablePresentation" in types:
        return True
    if "VerifiableCredential" in types or "credentialSubject" in doc:
        return False
    return "verifiableCredential" in doc or "holder" in doc


def check_datamodel(
    document: Any,
    *,
    kind: str | None = None,
    require_issuance_date: bool = True,
    nested: bool = True,
    resources: Mapping[str, bytes] | None = None,
    expand: bool = False,
    loader: Any = None,
) -> list[Violation]:
    """Every data-model violation of a credential or presentation; empty when it conforms.

    ``kind`` ("credential" or "presentation") says what the caller expects;
    without it the document's type and members decide.
    ``require_issuance_date=False`` allows a VC 1.1 credential without an
    issuanceDate where something else supplies it: issuing fills it in, and a
    VC 1.1 JWT carries it as ``nbf``.
    ``nested=False`` leaves the credentials inside a presentation to their own
    check (verify checks each one anyway). ``resources`` maps related-resource
    URLs to their bytes, so their digests are checked. ``expand=True`` also
    processes the contexts with the JSON-LD loader (rule ``context.processable``).
    """
    checker = _Checker(issuance_date=require_issuance_date, nested=nested)
    if not isinstance(document, Mapping):
        checker.add("$", "type.required", "a credential or presentation must be a JSON object")
        return checker.found
    types = _types(document.get("type"))
    if "EnvelopedVerifiablePresentation" in types:
        checker.enveloped(document, "", "Presentation")
    elif "EnvelopedVerifiableCredential" in types:
        checker.enveloped(document, "")
    elif kind == "presentation" or (kind is None and is_presentation(document)):
        checker.presentation(document)
    else:
        checker.credential(document, resources=resources)
    if expand and not any(v.rule == "context.base" for v in checker.found):
        from microcred_vc.errors import MicrocredError
        from microcred_vc.jsonld.expand import expand as jsonld_expand

        try:
            jsonld_expand(
                {k: v for k, v in document.items() if k != "proof"}, loader=loader, safe=True
            )
        except MicrocredError as exc:
            checker.add("@context", "context.processable", exc.message)
    return checker.found


__all__ = [
    "RULES",
    "Violation",
    "check_datamodel",
    "datamodel_check",
    "is_presentation",
    "require_datamodel",
]


def require_datamodel(document: Any, **options: Any) -> None:
    """Raise :class:`DataModelError` listing every violation; return when the document conforms."""
    found = check_datamodel(document, **options)
    if found:
        raise DataModelError(found)


def datamodel_check(document: Any, **options: Any) -> Check:
    """The ``datamodel`` check of a verification report (the violations in its message)."""
    found = check_datamodel(document, **options)
    if not found:
        return Check("datamodel", "pass", "conforms to the W3C VC data model")
    shown = "; ".join(str(v) for v in found[:10])
    more = f" (and {len(found) - 10} more)" if len(found) > 10 else ""
    message = f"{len(found)} data-model violation(s): {shown}{more}"
    return Check("datamodel", "fail", message, DataModelError.code)
