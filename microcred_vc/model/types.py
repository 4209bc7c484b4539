"""Small constrained value types shared by the model.

They are plain strings and dicts on purpose: pydantic's URL types normalise
(``http://x`` becomes ``http://x/``), which would break the byte-for-byte
round-trips between the hub and the formats that the converters promise.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic.networks import validate_email
from pydantic_core import PydanticCustomError

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_HTTP = re.compile(r"^https?://[^\s<>\"{}|\\^`/]+[^\s<>\"{}|\\^`]*$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)


def _fail(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def check_iri(value: Any) -> str:
    """An absolute IRI (``https:``, ``urn:``, ``did:``, ``mailto:`` ...)."""
    if not isinstance(value, str) or not _IRI.match(value):
        raise _fail("iri", f"must be an absolute web address or IRI (got {value!r})")
    return value


def check_http_url(value: Any) -> str:
    """A web page address; only http(s), because people must be able to open it."""
    if not isinstance(value, str) or not _HTTP.match(value):
        raise _fail("http_url", f"must be a web address starting with https:// (got {value!r})")
    return value


def check_lang_tag(value: Any) -> str:
    if not isinstance(value, str) or not _LANG.match(value):
        raise _fail("lang", f"must be a language code such as 'en' or 'pt-BR' (got {value!r})")
    return value


def check_lang_str(value: Any) -> dict[str, str]:
    """A text in one or more languages; a bare string is taken as English.

    Language maps are what EDC uses for every text, so the hub keeps them and
    the single-string formats (OB3) pick the first language as primary.
    """
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, dict) or not value:
        raise _fail("lang_str", "must be a text, or a map of language code to text")
    out: dict[str, str] = {}
    for lang, text in value.items():
        check_lang_tag(lang)
        if not isinstance(text, str) or not text.strip():
            raise _fail("lang_str", f"must not be empty (language {lang!r})")
        out[lang] = text
    return out


@lru_cache(maxsize=4096)
def check_email(value: str) -> str:
    """pydantic's ``EmailStr`` check (the same function, so the same answers and errors),
    remembered: a batch builds one credential per learner, and the course's own addresses
    (issuer, awarding body) would otherwise be re-checked by email-validator on every row,
    two thirds of the model's validation time. Refusals are not cached (they raise)."""
    return validate_email(value)[1]


def check_duration(value: Any) -> str:
    """An ISO 8601 duration (``P1M``, ``PT60H``), as EDC's ``maximumDuration``."""
    if not isinstance(value, str) or not _DURATION.match(value):
        raise _fail("duration", f"must be an ISO 8601 duration such as 'P3M' (got {value!r})")
    return value


IRI = Annotated[str, BeforeValidator(check_iri)]
HttpUrl = Annotated[str, BeforeValidator(check_http_url)]
LangTag = Annotated[str, BeforeValidator(check_lang_tag)]
LangStr = Annotated[dict[str, str], BeforeValidator(check_lang_str)]
Duration = Annotated[str, BeforeValidator(check_duration)]
#: ``EmailStr`` with a memory: the same validation, the same JSON Schema
Email = Annotated[
    str, AfterValidator(check_email), WithJsonSchema({"type": "string", "format": "email"})
]


def primary_text(text: dict[str, str], prefer: str | None = None) -> str:
    """The text in the preferred language, else the first one given."""
    if prefer and prefer in text:
        return text[prefer]
    return next(iter(text.values()))
