"""Validate an Open Badges 3.0 credential: the official JSON Schema plus our own rules.

The 1EdTech JSON Schemas are not ours to ship (their licence and their home
is purl.imsglobal.org), so the caller names the folder or file holding them
and they are loaded at run time. The schemas miss what a verifier must still
catch — a credential not yet valid or already expired, an end before its
start, a recipient nobody can identify, and for micro-credentials the
Council's mandatory elements — so those are checked here in plain words.

Like the 1EdTech validator, a single value where the schema expects an array
is read as a one-item array: JSON-LD compaction produces exactly that.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft201909Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from microcred_vc.errors import ConversionError, FormatError, SchemaUnavailable
from microcred_vc.validate.findings import Finding

SCHEMA_NAME = "ob_v3p0_achievementcredential_schema.json"
DRAFT4_NAME = "draft4/ob_v3p0_achievementcredential_schema_draft4.json"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB3_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
ENDORSEMENT = "EndorsementCredential"


@lru_cache(maxsize=8)
def _load_schema(path: str) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchemaUnavailable(f"OB 3.0 JSON Schema {path} cannot be read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise SchemaUnavailable(f"OB 3.0 JSON Schema {path} is not valid JSON: {exc}") from None


def _schema_for(schemas: str | Path, vc1: bool) -> dict[str, Any]:
    """A folder holds both schemas (VC 2.0 and the VC 1.1 draft-04 port); a file is used as is."""
    path = Path(schemas)
    if path.is_dir():
        chosen = (
            path / DRAFT4_NAME if vc1 and (path / DRAFT4_NAME).is_file() else path / SCHEMA_NAME
        )
        if not chosen.is_file():
            raise SchemaUnavailable(f"No {SCHEMA_NAME} in {path}", path=str(path))
        return _load_schema(str(chosen))
    if not path.is_file():
        raise SchemaUnavailable(f"OB 3.0 JSON Schema not found at {path}", path=str(path))
    return _load_schema(str(path))


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 20:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            return schema
        node: Any = root
        for part in ref[2:].split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        schema, seen = node, seen + 1
    return schema


def _arrays(value: Any, schema: Any, root: dict[str, Any], depth: int = 0) -> Any:
    """Wrap single values the schema wants as arrays (a copy; the input is not touched)."""
    if depth > 64 or not isinstance(schema, dict):
        return value
    schema = _resolve(schema, root)
    if isinstance(value, dict) and "properties" not in schema:
        for branch in schema.get("anyOf", []) + schema.get("oneOf", []):
            branch = _resolve(branch, root)
            if isinstance(branch, dict) and branch.get("type") == "object":
                schema = branch
                break
    kind = schema.get("type")
    if kind == "array" and not isinstance(value, list):
        value = [value]
    if isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, dict):
            return [_arrays(v, items, root, depth + 1) for v in value]
        return list(value)
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        return {k: _arrays(v, props.get(k), root, depth + 1) for k, v in value.items()}
    return value


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _sentence(error: ValidationError) -> str:
    if error.validator == "required":
        return f"Required property {error.message.split(' is a required')[0]} is missing"
    if error.validator == "contains" and error.path and list(error.path)[-1] == "type":
        return f"type {error.instance!r} does not include a type the OB 3.0 schema requires here"
    if error.validator == "format":
        return f"{error.instance!r} is not a valid {error.validator_value}"
    return error.message


def _strip_endorsements(value: Any, path: str, found: list[str]) -> Any:
    """Embedded endorsements out of a copy; each is its own credential, checked on its own."""
    if isinstance(value, list):
        return [_strip_endorsements(v, f"{path}[{i}]", found) for i, v in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if key in ("endorsement", "endorsementJwt"):
                found.append(where)
                continue
            out[key] = _strip_endorsements(item, where, found)
        return out
    return value


def _deepest(error: ValidationError) -> ValidationError:
    """Of the alternatives an anyOf/oneOf tried, the one that got furthest into the value."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.schema_path)))
    return error


def _schema_findings(doc: dict[str, Any], schemas: str | Path, vc1: bool) -> list[Finding]:
    root = _schema_for(schemas, vc1)
    findings: list[Finding] = []
    defs = root.get("$defs", {})
    if ENDORSEMENT in _types(doc) and ENDORSEMENT in defs:
        target = {"$schema": root.get("$schema"), "$defs": defs, **defs[ENDORSEMENT]}
    else:
        target = root
    if vc1:
        # The draft-04 port is stricter about embedded endorsements than the
        # 1EdTech validator it ships with, which checks each one on its own.
        skipped: list[str] = []
        doc = _strip_endorsements(doc, "", skipped)
        findings += [
            Finding(p, "Embedded endorsement not checked against a schema; verify it on its own",
                    "warning")
            for p in skipped
        ]  # fmt: skip
    cls = Draft4Validator if "draft-04" in str(root.get("$schema", "")) else Draft201909Validator
    validator = cls(target, format_checker=FormatChecker())
    for error in validator.iter_errors(_arrays(doc, target, target)):
        deepest = _deepest(error)
        findings.append(
            Finding(_path(deepest.absolute_path), f"OB 3.0 schema: {_sentence(deepest)}")
        )
    return findings


def _types(node: Any) -> set[str]:
    if not isinstance(node, dict):
        return set()
    value = node.get("type")
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def _moment(doc: dict[str, Any], key: str, out: list[Finding]) -> datetime | None:
    value = doc.get(key)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        out.append(Finding(key, f"{key} {value!r} is not a date and time"))
        return None
    if moment.tzinfo is None:
        out.append(Finding(key, f"{key} {value!r} has no time zone; add Z or an offset"))
        return None
    return moment


def _rule_findings(doc: dict[str, Any], now: datetime) -> list[Finding]:
    out: list[Finding] = []
    contexts = doc.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    if not contexts or contexts[0] not in (VC_V1, VC_V2):
        out.append(Finding("@context", f"The first @context must be {VC_V2}"))
    elif contexts[0] == VC_V1:
        out.append(Finding("@context", "VC 1.1 credential: OB 3.0.3 uses VC 2.0", "warning"))
    if not any(isinstance(c, str) and "purl.imsglobal.org/spec/ob/v3p0" in c for c in contexts):
        out.append(Finding("@context", "The Open Badges 3.0 context is missing"))
    types = _types(doc)
    if "VerifiableCredential" not in types or not types & (OB3_TYPES | {ENDORSEMENT}):
        out.append(
            Finding("type", "type must include VerifiableCredential and OpenBadgeCredential")
        )
    issuer = doc.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or ":" not in issuer_id:
        out.append(Finding("issuer.id", "The issuer needs an id (a URL or DID) to be verifiable"))
    valid_from = _moment(doc, "validFrom", out) or _moment(doc, "issuanceDate", out)
    valid_until = _moment(doc, "validUntil", out) or _moment(doc, "expirationDate", out)
    if valid_from and valid_until and valid_until < valid_from:
        out.append(Finding("validUntil", "validUntil is before validFrom"))
    if valid_from and valid_from > now:
        out.append(Finding("validFrom", f"Not valid yet: valid from {valid_from.isoformat()}"))
    if valid_until and valid_until < now:
        out.append(Finding("validUntil", f"Expired on {valid_until.isoformat()}"))
    subject = doc.get("credentialSubject")
    anonymous = isinstance(subject, dict) and not (subject.get("id") or subject.get("identifier"))
    if anonymous and OB3_TYPES & types:
        out.append(
            Finding("credentialSubject", "The learner has neither id nor identifier", "warning")
        )
    out.extend(_micro_credential_findings(doc, subject))
    return out


def _micro_credential_findings(doc: dict[str, Any], subject: Any) -> list[Finding]:
    """A badge that says it is a MicroCredential should carry the Annex I elements."""
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if not isinstance(achievement, dict) or achievement.get("achievementType") != "MicroCredential":
        return []
    from microcred_vc.formats import ob3

    try:
        ob3.load(doc, require="annex-i")
    except (ConversionError, FormatError) as exc:
        problems = exc.details.get("problems") or [("", exc.message)]
        return [
            Finding(
                f"credentialSubject.achievement{'.' + p if p else ''}",
                f"EU micro-credential: {m}",
                "warning",
            )
            for p, m in problems
        ]
    return []


def validate_ob3(
    doc: Any, schemas: str | Path | None = None, *, now: datetime | None = None
) -> list[Finding]:
    """Findings for ``doc``; no finding of severity "error" means it is a valid OB 3.0 credential.

    ``schemas`` is the folder holding the official OB 3.0 JSON Schemas (or one
    schema file). Without it only the library's own rules run, and a warning
    says so.
    """
    if not isinstance(doc, dict):
        return [Finding("", "An Open Badges 3.0 credential must be a JSON object")]
    now = now or datetime.now(UTC)
    contexts = doc.get("@context")
    vc1 = isinstance(contexts, list) and bool(contexts) and contexts[0] == VC_V1
    findings: list[Finding] = []
    if schemas is None:
        findings.append(
            Finding(
                "", "The official OB 3.0 JSON Schema was not checked (no path given)", "warning"
            )
        )
    else:
        findings.extend(_schema_findings(doc, schemas, vc1))
    findings.extend(_rule_findings(doc, now))
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
