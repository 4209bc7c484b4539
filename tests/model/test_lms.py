"""LMS inputs: course spec (JSON/YAML) + roster (CSV) → one MicroCredential per learner."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred_vc.errors import CourseSpecError, RosterError
from microcred_vc.model import MicroCredential
from microcred_vc.model.lms import (
    build_micro_credential,
    course_spec_from_dict,
    load_course_spec,
    load_roster,
)
from microcred_vc.model.mapping import mapping_rows

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COURSE = json.loads((EXAMPLES / "course.json").read_text(encoding="utf-8"))
HEADER = "name,email,id,grade,completion_date\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_example_course_and_roster_build_valid_credentials() -> None:
    course = load_course_spec(EXAMPLES / "course.json")
    rows = list(load_roster(EXAMPLES / "roster.csv"))
    assert len(rows) >= 50
    assert [r.row for r in rows[:3]] == [2, 3, 4]
    issued = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    creds = [build_micro_credential(course, r, issued_at=issued) for r in rows]
    assert all(isinstance(c, MicroCredential) for c in creds)
    first = creds[0]
    assert first.learner.full_name == "Aoife Byrne"
    assert first.learner.student_id == "S2026000"
    assert first.grade == "A-" and first.result_status == "Completed"
    assert first.awarded_at == datetime.fromisoformat("2026-06-15T16:30:00+02:00")
    assert first.achievement_id == COURSE["id"]
    assert first.eqf_level == 7 and first.participation_mode == "blended"
    assert len({c.id for c in creds}) == len(creds)  # each credential its own id
    assert any(c.learner.did and c.learner.did.startswith("did:key:") for c in creds)
    assert any(c.grade is None for c in creds)


def test_yaml_course_spec(tmp_path: Path) -> None:
    path = write(tmp_path, "course.yaml", yaml.safe_dump(COURSE, allow_unicode=True))
    assert load_course_spec(path).data == load_course_spec(EXAMPLES / "course.json").data


def test_course_spec_without_awarding_bodies_uses_issuer() -> None:
    data = {k: v for k, v in COURSE.items() if k != "awarding_bodies"}
    assert course_spec_from_dict(data).data["awarding_bodies"] == [COURSE["issuer"]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ects": -2}, "Notional workload (ECTS) must be ≥ 0 (got -2)"),
        ({"learning_outcomes": ...}, "Missing mandatory element: Learning outcomes"),
        (
            {"participation_mode": "remote"},
            "Form of participation must be one of: online, onsite, blended (got 'remote')",
        ),
        ({"grade": "A"}, "'grade' is not a course element (learner details belong in the roster)"),
    ],
)
def test_invalid_course_spec(change: dict, message: str) -> None:
    data = {**COURSE}
    for key, value in change.items():
        if value is ...:
            data.pop(key)
        else:
            data[key] = value
    with pytest.raises(CourseSpecError) as info:
        course_spec_from_dict(data, source="course.json")
    assert info.value.message == f"Course spec course.json: {message}"
    assert info.value.code == "COURSE_SPEC_INVALID"


def test_course_spec_file_errors(tmp_path: Path) -> None:
    with pytest.raises(CourseSpecError, match="is not valid JSON or YAML"):
        load_course_spec(write(tmp_path, "c.json", "{not json"))
    with pytest.raises(CourseSpecError, match="cannot be read"):
        load_course_spec(tmp_path / "missing.json")
    with pytest.raises(CourseSpecError, match="must be an object"):
        load_course_spec(write(tmp_path, "c.yaml", "- a list\n"))


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("Jan Kowalski,jan@example.pl,,B,2026-06-30\n,x@example.pl,,,\n",
         "Roster row 3: the learner's name is empty"),
        ("Jan Kowalski,not-an-email,,B,2026-06-30\n",
         "Roster row 2: email 'not-an-email' is not a valid email address"),
        ("Jan Kowalski,,,B,2026-06-30\n",
         "Roster row 2: give the learner's email or id so the credential names them"),
        ("Jan Kowalski,jan@example.pl,,B,30/06/2026\n",
         "Roster row 2: completion date '30/06/2026' must be a date such as 2026-06-30"),
        ("Jan Kowalski,jan@example.pl,,B,2026-06-30T10:00:00\n",
         "Roster row 2: completion date '2026-06-30T10:00:00' needs a time zone, "
         "e.g. 2026-06-30T17:00:00+02:00"),
    ],
)  # fmt: skip
def test_bad_roster_rows_are_row_numbered(tmp_path: Path, lines: str, message: str) -> None:
    path = write(tmp_path, "r.csv", HEADER + lines)
    with pytest.raises(RosterError) as info:
        list(load_roster(path))
    assert info.value.message.startswith(message)
    assert info.value.code == "ROSTER_INVALID"


def test_roster_header_and_blank_lines(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="row 1: a 'name' column"):
        list(load_roster(write(tmp_path, "a.csv", "email\nx@example.org\n")))
    with pytest.raises(RosterError, match="row 1: an 'email' or 'id' column"):
        list(load_roster(write(tmp_path, "b.csv", "name\nJan\n")))
    text = "first_name,last_name,e-mail,Cohort\nMarie,Curie,marie@example.fr,2026\n,,,\n"
    rows = list(load_roster(write(tmp_path, "c.csv", text)))
    assert len(rows) == 1
    assert rows[0].full_name == "Marie Curie" and rows[0].extra == {"Cohort": "2026"}


def test_build_reports_the_roster_row_when_the_credential_is_invalid(tmp_path: Path) -> None:
    course = course_spec_from_dict({**COURSE, "valid_until": "2026-01-01T00:00:00Z"})
    row = next(load_roster(write(tmp_path, "r.csv", HEADER + "Jan K,jan@example.pl,,,\n")))
    issued = datetime(2026, 7, 1, tzinfo=UTC)
    with pytest.raises(RosterError) as info:
        build_micro_credential(course, row, issued_at=issued)
    assert info.value.message == "Roster row 2: Valid until must be later than the date of issuing"


def test_mapping_rows_cover_every_annex_element() -> None:
    rows = mapping_rows()
    refs = {r["ref"] for r in rows}
    assert {f"M{i}" for i in range(1, 12)} <= refs and {f"O{i}" for i in range(1, 6)} <= refs
    fields = set(MicroCredential.model_fields)
    for row in rows:
        for name in row["field"].split(", "):
            assert name.split(".")[0] in fields, row


def test_extension_terms_match_the_shipped_context() -> None:
    from microcred_vc.model.mapping import EXTENSION_CONTEXT_URL, EXTENSION_TERMS

    contexts = EXAMPLES.parent / "contexts"
    index = json.loads((contexts / "index.json").read_text(encoding="utf-8"))
    ctx = json.loads((contexts / index[EXTENSION_CONTEXT_URL]).read_text(encoding="utf-8"))
    prefixes = {
        k: v for k, v in ctx["@context"].items() if isinstance(v, str) and v.endswith(("/", "#"))
    }
    defined = {}
    for term, value in ctx["@context"].items():
        if term.startswith("@") or term in prefixes:
            continue
        defined[term] = value if isinstance(value, str) else value["@id"]
    assert defined == EXTENSION_TERMS
    for iri in defined.values():
        prefix, _, _ = iri.partition(":")
        assert prefix in {"elm", "skos", "mcv", "adms"}, iri


def test_every_mc_term_named_in_the_table_exists() -> None:
    import re

    from microcred_vc.model.mapping import EXTENSION_TERMS

    named = {
        m for row in mapping_rows() for m in re.findall(r"mc:(\w+)", row["ob3"] + " " + row["loss"])
    }
    assert named and named <= set(EXTENSION_TERMS)


_names = st.text(
    alphabet=st.characters(categories=("L",), max_codepoint=0x24F), min_size=1, max_size=15
)


@settings(max_examples=25)
@given(
    st.lists(
        st.tuples(
            _names,
            _names,
            st.from_regex(r"[a-z]{1,8}\.[a-z]{1,8}@[a-z]{2,8}\.eu", fullmatch=True),
            st.one_of(st.just(""), st.sampled_from(["A", "B+", "C-", "Pass", "87%"])),
            st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_roster_rows_read_back_as_written(rows: list[tuple[str, str, str, str, date]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["given_name", "family_name", "email", "grade", "completion_date"])
    writer.writerows([(g, f, e, gr, d.isoformat()) for g, f, e, gr, d in rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        read = list(load_roster(path))
    assert [(r.row, r.full_name, r.email, r.grade) for r in read] == [
        (i + 2, f"{g} {f}", e, gr or None) for i, (g, f, e, gr, _) in enumerate(rows)
    ]
    assert [r.completed_at.date() for r in read if r.completed_at] == [row[4] for row in rows]


def test_unreadable_roster_and_odd_course_keys(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(HEADER.encode() + b"Jan,jan@example.pl,,,2026-06-30\n\xff\xfe broken\n")
    with pytest.raises(RosterError, match=r"row 3 cannot be read: it is not UTF-8 text"):
        list(load_roster(bad))
    header_bad = tmp_path / "head.csv"
    header_bad.write_bytes(b"\xffname,email\n")
    with pytest.raises(RosterError, match=r"row 1 cannot be read: it is not UTF-8 text"):
        list(load_roster(header_bad))
    with pytest.raises(CourseSpecError, match=r"'1' is not a course element"):
        course_spec_from_dict({**COURSE, 1: "x"})
