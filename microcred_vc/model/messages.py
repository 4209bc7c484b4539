"""Turn pydantic's validation errors into sentences a course administrator reads.

An administrator fixing a course spec does not know that ``ects`` lives at
``loc=('ects',)``; they know "Notional workload (ECTS)". Every field carries a
``title`` in those words, and list fields an ``item`` label, so the message
names the element the way the Council Recommendation does.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

#: Messages raised by our own validators that already read as a full sentence.
FULL_SENTENCE_TYPES = frozenset({"mc_sentence"})

_GENERIC: dict[str, str] = {
    "timezone_aware": "must include a time zone, e.g. 2026-06-30T12:00:00Z",
    "datetime_parsing": "must be a date and time such as 2026-06-30T12:00:00Z",
    "datetime_from_date_parsing": "must be a date and time such as 2026-06-30T12:00:00Z",
    "datetime_type": "must be a date and time such as 2026-06-30T12:00:00Z",
    "date_parsing": "must be a date such as 1999-12-31",
    "date_from_datetime_parsing": "must be a date such as 1999-12-31",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_type": "must be a whole number",
    "decimal_parsing": "must be a number",
    "decimal_type": "must be a number",
    "string_type": "must be a text",
    "list_type": "must be a list",
    "dict_type": "must be an object with named fields",
    "model_type": "must be an object with named fields",
    "model_attributes_type": "must be an object with named fields",
    "extra_forbidden": "is not an element of a micro-credential (check the spelling)",
    "bool_parsing": "must be true or false",
}


def _field_info(model: type[BaseModel] | None, name: str) -> tuple[str, str | None, Any]:
    if model is None or name not in model.model_fields:
        return name.replace("_", " "), None, None
    info = model.model_fields[name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    item = extra.get("item")
    return info.title or name.replace("_", " "), item if isinstance(item, str) else None, info


def _nested_model(info: Any) -> type[BaseModel] | None:
    """The element model inside a field annotation (``X``, ``X | None``, ``list[X]``)."""
    if info is None:
        return None
    stack = [info.annotation]
    while stack:
        ann = stack.pop()
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            return ann
        stack.extend(getattr(ann, "__args__", ()))
    return None


def element_label(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """Words for a location: ``('awarding_bodies', 1, 'country')`` → "Awarding body 2, country"."""
    parts: list[str] = []
    current: type[BaseModel] | None = model
    pending_item: str | None = None
    overrides: dict[tuple[str, ...], str] = getattr(model, "__element_labels__", {})
    keys = tuple(str(p) for p in loc if isinstance(p, str))
    if keys in overrides:
        return overrides[keys]
    for part in loc:
        if isinstance(part, int):
            if pending_item and parts:
                parts[-1] = f"{pending_item} {part + 1}"
            else:
                parts.append(f"item {part + 1}")
            continue
        title, pending_item, info = _field_info(current, part)
        parts.append(title if not parts or title[1:2].isupper() else title[:1].lower() + title[1:])
        current = _nested_model(info)
    return ", ".join(parts) if parts else model.__name__


def humanise(model: type[BaseModel], exc: ValidationError) -> list[tuple[str, str]]:
    """(dotted path, sentence) for each problem, in the order pydantic found them."""
    out: list[tuple[str, str]] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        path = ".".join(str(p) for p in loc)
        if err["type"] in FULL_SENTENCE_TYPES or not loc:
            out.append((path, err["msg"]))
            continue
        label = element_label(model, loc)
        if err["type"] == "missing":
            sentence = f"Missing mandatory element: {label}"
        elif err["type"] == "too_short" and err.get("ctx", {}).get("min_length") == 1:
            sentence = f"{label}: give at least one"
        elif err["type"] == "value_error":
            reason = err.get("ctx", {}).get("reason") or str(err.get("ctx", {}).get("error", ""))
            sentence = f"{label} is not valid: {reason}" if reason else f"{label} is not valid"
        elif err["type"] in _GENERIC and not err["type"].startswith("mc_"):
            sentence = f"{label} {_GENERIC[err['type']]}"
        elif err["type"] == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            sentence = f"{label} must be one of {expected} (got {err['input']!r})"
        elif err["type"] in {"greater_than_equal", "less_than_equal", "too_short", "too_long"}:
            sentence = f"{label} {err['msg'][0].lower()}{err['msg'][1:]}"
        else:
            sentence = f"{label} {err['msg']}"
        out.append((path, sentence))
    return out
