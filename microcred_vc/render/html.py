"""Render a credential as one self-contained HTML page (Jinja2, inline QR, print CSS).

The rows are generated from the model's own field titles, so every essential
element the hub knows is shown, in the words the validation messages use,
and a new element appears on the page without touching the template.
Vocabulary values show their EU label, not their IRI.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import segno
from jinja2 import Environment, PackageLoader, select_autoescape

from microcred_vc.model import MicroCredential, vocab
from microcred_vc.model.vocab import SCHEMES, Concept
from microcred_vc.report import VerificationReport

#: Annex I mandatory elements, shown first and marked as such.
MANDATORY = (
    "learner",
    "title",
    "issuer",
    "awarding_bodies",
    "issued_at",
    "learning_outcomes",
    "ects",
    "workload_hours",
    "eqf_level",
    "assessments",
    "participation_mode",
    "quality_assurance",
)
HIDDEN = {"kind", "id", "achievement_id", "credit_system"}
#: A QR code holds the whole credential only when it stays scannable.
MAX_QR_PAYLOAD = 1200

_env = Environment(
    loader=PackageLoader("microcred_vc.render", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def concept_text(value: Concept, lang: str) -> str:
    """A concept's words: the document's label in ``lang``, else the EU table's, else English.

    The vocabulary table (generated from the EU code lists) supplies labels the
    document does not carry, so a person reads "Software and applications
    development and analysis", not ``…/isced-f/0613``.
    """
    own = value.pref_label or {}
    table = vocab.concept_labels(value.id) or {}
    for labels, key in ((own, lang), (table, lang), (own, "en"), (table, "en")):
        if labels.get(key):
            return labels[key]
    if own or table:
        return next(iter((own or table).values()))
    return ""


def _language(tag: str, lang: str) -> str:
    try:
        return vocab.concept_label(vocab.language_iri(tag), lang) or tag
    except ValueError:
        return tag


def _country(alpha2: str, lang: str) -> str:
    try:
        return vocab.concept_label(vocab.country_iri(alpha2), lang) or alpha2
    except ValueError:
        return alpha2


def _text(value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Concept):
        text = concept_text(value, lang)
        if text:
            return text
        # an open scheme's concept without a label: name the scheme and the code
        for scheme in SCHEMES.values():
            if value.id.startswith(scheme.namespace):
                return f"{scheme.title}: {value.id[len(scheme.namespace) :]}"
        return value.id
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return value.get(lang) or next(iter(value.values()))
    if isinstance(value, datetime):
        return value.strftime("%d %B %Y, %H:%M %Z").strip()
    if isinstance(value, date):
        return value.strftime("%d %B %Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list):
        return "; ".join(t for t in (_text(v, lang) for v in value) if t)
    if hasattr(value, "legal_name"):
        name = _text(value.legal_name, lang)
        country = getattr(value, "country", None)
        return f"{name} ({_country(country, lang)})" if country else name
    if hasattr(value, "full_name"):
        return value.full_name
    if hasattr(value, "title") and hasattr(type(value), "model_fields"):
        title = _text(value.title, lang)
        extra = _text(getattr(value, "type", None), lang)
        return f"{title} ({extra})" if extra else title
    return str(value)


def element_rows(mc: MicroCredential, lang: str = "en") -> list[dict[str, Any]]:
    """(label, value, mandatory) for every element that has a value, mandatory ones first."""
    rows: list[dict[str, Any]] = []
    fields = type(mc).model_fields
    order = [*MANDATORY, *(n for n in fields if n not in MANDATORY)]
    for name in order:
        if name in HIDDEN or name not in fields:
            continue
        value = getattr(mc, name)
        if name == "participation_mode":
            value = mc.participation_concept
        elif name == "eqf_level" and value is not None:
            value = f"EQF level {value}"
        elif name == "languages" and value:
            value = [_language(tag, lang) for tag in value]
        text = _text(value, lang)
        if text:
            rows.append(
                {
                    "name": name,
                    "label": fields[name].title or name,
                    "value": text,
                    "mandatory": name in MANDATORY,
                }
            )
    return rows


def _qr_svg(credential: dict[str, Any] | None, verify_url: str | None) -> tuple[str, str] | None:
    if verify_url:
        data, caption = verify_url, "Scan to verify this credential online"
    elif credential is not None:
        data = json.dumps(credential, separators=(",", ":"), ensure_ascii=False)
        if len(data.encode("utf-8")) > MAX_QR_PAYLOAD:
            return None
        caption = "Scan to read the signed credential"
    else:
        return None
    return segno.make(data, error="m").svg_inline(scale=3, border=2), caption


def render_html(
    mc: MicroCredential,
    *,
    credential: dict[str, Any] | None = None,
    report: VerificationReport | None = None,
    verify_url: str | None = None,
    lang: str = "en",
) -> str:
    """The page: status banner, the elements, issuer, the checks, and a QR code."""
    qr = _qr_svg(credential, verify_url)
    template = _env.get_template("credential.html.j2")
    return template.render(
        title=_text(mc.title, lang),
        description=_text(mc.description, lang),
        learner=mc.learner.full_name,
        issuer=_text(mc.issuer, lang),
        rows=element_rows(mc, lang),
        report=report,
        qr_svg=qr[0] if qr else None,
        qr_caption=qr[1] if qr else None,
        lang=lang,
        credential_json=json.dumps(credential, indent=2, ensure_ascii=False)
        if credential
        else None,
    )
