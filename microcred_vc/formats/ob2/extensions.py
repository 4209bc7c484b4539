"""Open Badges 2.0 extensions: validate extension nodes against the schema they declare.

An OB2 extension is a node typed ``Extension`` whose JSON-LD context (given on
the node or on the document) may declare ``obi:validation`` entries: "nodes of
type T must satisfy JSON Schema S". The schema speaks in the extension's own
terms, so the node is first compacted against the extension context (pyld,
through :mod:`microcred_vc.jsonld.expand`) — a property written as a full IRI
(``http://schema.org/text``) is checked under its term name like any other.

Extensions add meaning but not trust, so an extension context that cannot be
fetched because the caller gave no fetch function is a *skipped* check naming
the URL, while one that is fetched and violated is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
from referencing.exceptions import Unresolvable

from microcred_vc.errors import ContextNotAllowed, MicrocredError, NetworkDisabled, Ob2Invalid
from microcred_vc.formats.ob2.reading import OB2_CONTEXT, OB2_VOCAB, Fetch, Ob2Badge, fetch_json
from microcred_vc.report import VerificationReport

EXT_VOCAB = "https://w3id.org/openbadges/extensions#"
#: Prefixes the OB2 context defines that extension types and validations use.
PREFIXES = {"obi": OB2_VOCAB, "extensions": EXT_VOCAB}
_EXTENSION_TYPES = frozenset({"Extension", "obi:Extension", OB2_VOCAB + "Extension"})


def extension_checks(report: VerificationReport, badge: Ob2Badge, fetch: Fetch | None) -> None:
    """Add one ``schema`` check covering every extension of assertion, badge and issuer."""
    found = list(_extensions(badge))
    if not found:
        report.add("schema", "skip", "no Open Badges extensions to validate")
        return
    validated: list[str] = []
    skipped: list[str] = []
    for where, node, contexts in found:
        try:
            if _validate(node, contexts, fetch):
                validated.append(where)
        except NetworkDisabled as exc:
            skipped.append(f"{where}: {exc.message}")
        except MicrocredError as exc:
            report.add("schema", "fail", f"extension {where}: {exc.message}", exc.code)
            return
    if skipped:
        report.add("schema", "skip", "extension not validated: " + "; ".join(skipped))
    elif validated:
        report.add("schema", "pass", f"extensions valid against their schemas: {validated}")
    else:
        names = [where for where, _, _ in found]
        report.add("schema", "pass", f"extensions {names} declare no validation for their types")


def _extensions(badge: Ob2Badge) -> Iterator[tuple[str, dict[str, Any], list[str]]]:
    roots = (("assertion", badge.assertion), ("badge", badge.badge), ("issuer", badge.issuer))
    for name, root in roots:
        inherited = [c for c in _as_list(root.get("@context")) if _is_ext_context(c)]
        for key, value in root.items():
            if isinstance(value, dict) and _EXTENSION_TYPES & set(_strings(value.get("type"))):
                own = [c for c in _as_list(value.get("@context")) if _is_ext_context(c)]
                yield f"{name}.{key}", value, list(dict.fromkeys(inherited + own))


def _is_ext_context(value: Any) -> bool:
    return isinstance(value, str) and value.rstrip("/") != OB2_CONTEXT


def _validate(node: dict[str, Any], contexts: list[str], fetch: Fetch | None) -> bool:
    """Validate ``node`` against every schema its contexts declare for its types."""
    documents = {url: fetch_json(url, fetch) for url in contexts}
    types = {_expand(t, PREFIXES) for t in _as_list(node.get("type")) if isinstance(t, str)}
    checked = False
    for url, ctx_doc in documents.items():
        local = ctx_doc.get("@context")
        prefixes = {**PREFIXES, **_prefixes(local)}
        for entry in _as_list(ctx_doc.get("obi:validation")):
            if not isinstance(entry, dict):
                continue
            target = entry.get("obi:validatesType")
            schema_url = entry.get("obi:validationSchema")
            if not isinstance(target, str) or _expand(target, prefixes) not in types:
                continue
            if not isinstance(schema_url, str):
                raise Ob2Invalid(f"extension context {url} names no validationSchema")
            data = _compact(node, contexts, documents, local, fetch)
            _check_schema(data, fetch_json(schema_url, fetch), schema_url)
            checked = True
    return checked


def _compact(
    node: dict[str, Any],
    contexts: list[str],
    documents: dict[str, dict[str, Any]],
    local: Any,
    fetch: Fetch | None,
) -> dict[str, Any]:
    from microcred_vc.jsonld.expand import compact
    from microcred_vc.jsonld.loader import DocumentLoader

    served = dict(documents)
    try:
        DocumentLoader().load(OB2_CONTEXT)
    except ContextNotAllowed:
        served[OB2_CONTEXT] = fetch_json(OB2_CONTEXT, fetch)
    body = {k: v for k, v in node.items() if k != "@context"}
    doc = {"@context": [OB2_CONTEXT, *contexts], **body}
    loader = DocumentLoader(documents=served)
    compacted = compact(doc, local if local is not None else {}, loader=loader)
    compacted.pop("@context", None)
    return compacted


def _check_schema(data: dict[str, Any], schema: dict[str, Any], url: str) -> None:
    try:
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        cls.check_schema(schema)
        errors = sorted(cls(schema).iter_errors(data), key=lambda e: list(e.path))
    except jsonschema.SchemaError as exc:
        raise Ob2Invalid(f"validation schema {url} is not a JSON Schema: {exc.message}") from None
    except Unresolvable as exc:  # schemas come from strangers: no remote $ref retrieval
        raise Ob2Invalid(f"validation schema {url} has an unresolvable $ref: {exc}") from None
    except RecursionError:
        raise Ob2Invalid(f"validation schema {url} recurses without end") from None
    if errors:
        first = errors[0]
        where = "/".join(map(str, first.path)) or "(node)"
        raise Ob2Invalid(
            f"does not match schema {url}: {where}: {first.message}", code="OB2_EXTENSION_INVALID"
        )


def _prefixes(local: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in _as_list(local):
        if isinstance(item, dict):
            out.update({k: v for k, v in item.items() if isinstance(v, str) and v[-1:] in "#/"})
    return out


def _expand(term: str, prefixes: dict[str, str]) -> str:
    prefix, sep, rest = term.partition(":")
    if sep and prefix in prefixes and not rest.startswith("//"):
        return prefixes[prefix] + rest
    return term


def _strings(value: Any) -> list[str]:
    return [v for v in _as_list(value) if isinstance(v, str)]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
