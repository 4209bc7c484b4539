"""Hypothesis strategies for valid micro-credentials (shared by format tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from microcred_vc.model import MicroCredential, vocab

_word = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N"), max_codepoint=0x2FF),
    min_size=1,
    max_size=12,
)
text = st.builds(lambda a, b: f"{a} {b}", _word, _word)
langs = st.sampled_from(["en", "de", "fr", "ga", "pt-BR", "mt"])
lang_str = st.dictionaries(langs, text, min_size=1, max_size=3)
slug = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
iri = st.one_of(
    slug.map(lambda s: f"https://example.org/{s}"),
    st.uuids().map(lambda u: f"urn:uuid:{u}"),
    slug.map(lambda s: f"did:web:{s}.example"),
)
http_url = slug.map(lambda s: f"https://{s}.example.eu/page")
country = st.sampled_from(["IE", "DE", "FR", "EE", "PT", "PL", "IT", "NL", "FI", "NO", "CH"])
tz = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])
moment = st.builds(
    lambda d, s, z: datetime.combine(d, datetime.min.time(), tzinfo=z) + timedelta(seconds=s),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(0, 86399),
    tz,
)
email = st.builds(lambda a, b: f"{a}@{b}.example.com", slug, slug)


def organisation(**over: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"id": iri, "legal_name": lang_str, "country": country, **over},
        optional={
            "region": text,
            "eidas_id": slug,
            "vat_id": slug,
            "homepage": http_url,
            "email": email,
        },
    )


learner = st.fixed_dictionaries(
    {"full_name": text},
    optional={
        "given_name": _word,
        "family_name": _word,
        "email": email,
        "did": iri,
        "date_of_birth": st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 1, 1)),
        "national_id": st.fixed_dictionaries({"notation": slug, "country": country}),
        "student_id": slug,
    },
)
concept = lambda scheme: st.sampled_from(sorted(scheme.concepts))  # noqa: E731
outcome = st.fixed_dictionaries(
    {"title": lang_str},
    optional={"esco_skill": st.uuids().map(lambda u: f"http://data.europa.eu/esco/skill/{u}")},
)
assessment = st.fixed_dictionaries(
    {"title": lang_str, "type": concept(vocab.ASSESSMENT)},
    optional={"mode": concept(vocab.MODE)},
)
qa = st.fixed_dictionaries(
    {"type": concept(vocab.ACCREDITATION), "title": lang_str, "agent": organisation()},
    optional={"report_url": http_url},
)
ects = st.decimals(min_value=0, max_value=60, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def micro_credentials(draw: st.DrawFn) -> MicroCredential:
    issued = draw(moment)
    issuer = draw(organisation())
    data: dict[str, Any] = {
        "learner": draw(learner),
        "title": draw(lang_str),
        "issuer": issuer,
        "awarding_bodies": [issuer, *draw(st.lists(organisation(), max_size=2))],
        "issued_at": issued,
        "learning_outcomes": draw(st.lists(outcome, min_size=1, max_size=3)),
        "assessments": draw(st.lists(assessment, min_size=1, max_size=2)),
        "participation_mode": draw(st.sampled_from(["online", "onsite", "blended"])),
        "quality_assurance": draw(st.lists(qa, min_size=1, max_size=2)),
    }
    workload = draw(st.sampled_from(["ects", "hours", "both"]))
    if workload in ("ects", "both"):
        data["ects"] = draw(ects)
    if workload in ("hours", "both"):
        data["workload_hours"] = draw(st.integers(0, 1800))
    optional: dict[str, st.SearchStrategy[Any]] = {
        "id": st.uuids().map(lambda u: f"urn:uuid:{u}"),
        "achievement_id": iri,
        "description": lang_str,
        "awarded_at": moment,
        "valid_until": st.just(issued + timedelta(days=365 * 3)),
        "eqf_level": st.integers(1, 8),
        "qf_ehea_cycle": st.integers(0, 3),
        "learning_outcome_summary": lang_str,
        "entry_requirements": lang_str,
        "supervision": concept(vocab.SUPERVISION),
        "grade": text,
        "grading_scheme": lang_str,
        "result_status": st.sampled_from(["Completed", "Failed", "Provisional"]),
        "has_part": st.lists(iri, max_size=2),
        "additional_info": st.lists(lang_str, max_size=2),
        "homepage": http_url,
        "max_duration": st.sampled_from(["P1M", "P6W", "PT60H", "P1Y2M"]),
        "resources": st.lists(http_url, max_size=2),
        "learner_outcome": st.lists(
            st.sampled_from(["admission", "credit", "certification", "badge"]),
            max_size=4,
            unique=True,
        ),
        "languages": st.lists(langs, max_size=3, unique=True),
        "isced_f": st.lists(
            st.sampled_from(["0611", "0613", "0413"]).map(
                lambda c: f"http://data.europa.eu/snb/isced-f/{c}"
            ),
            max_size=2,
            unique=True,
        ),
        "learning_setting": concept(vocab.LEARNING_SETTING),
        "code": slug,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            data[key] = draw(strategy)
    if draw(st.booleans()):
        data["stackability"] = "stackable"
        data["part_of"] = draw(st.lists(iri, min_size=1, max_size=2))
    if draw(st.booleans()):
        start = draw(moment)
        data["start"] = start
        data["end"] = start + timedelta(days=draw(st.integers(0, 200)))
    return MicroCredential(**data)


__all__ = ["Decimal", "micro_credentials"]
