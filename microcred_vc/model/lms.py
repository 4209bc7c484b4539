"""LMS inputs: one course spec file plus a learner roster → one credential per learner.

An LMS knows the course once (outcomes, ECTS, level...) and each learner per
row (name, email or student number, grade, completion date). Keeping the two
apart means the course is validated once, before any learner is issued, and a
bad roster row is reported by its row number so the administrator can fix the
spreadsheet rather than guess.
"""

from __future__ import annotations

import csv
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from email_validator import EmailNotValidError, validate_email

from microcred_vc.errors import CourseSpecError, ModelError, RosterError
from microcred_vc.model.course_checks import control_character, course_findings
from microcred_vc.model.elements import MicroCredential

#: Elements that belong to one learner's award, never to the course.
LEARNER_FIELDS = frozenset(
    {
        "learner",
        "issued_at",
        "awarded_at",
        "grade",
        "result_status",
        "id",
        "kind",
        "credits_earned",
        "evidence",
        "identifiers",
    }
)
COURSE_FIELDS = frozenset(MicroCredential.model_fields) - LEARNER_FIELDS
_COURSE_ALIASES = {"id": "achievement_id"}
_IRI_LIKE = re.compile(r"^(did|urn|https?):", re.IGNORECASE)
_PROBE_LEARNER = {"full_name": "Course check"}
_PROBE_DATE = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class CourseSpec:
    """A validated course: the elements every learner's credential shares."""

    data: dict[str, Any]
    source: str = "<memory>"
    #: Findings an administrator should see but that do not stop issuing.
    warnings: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        title = self.data["title"]
        return title if isinstance(title, str) else next(iter(title.values()))


@dataclass(frozen=True)
class LearnerRow:
    """One roster line, already checked; ``row`` is the spreadsheet row number."""

    row: int
    full_name: str
    email: str | None = None
    learner_id: str | None = None
    grade: str | None = None
    completed_at: datetime | None = None
    given_name: str | None = None
    family_name: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def course_spec_from_dict(data: Any, source: str = "<memory>") -> CourseSpec:
    """Check a course spec held in memory (what ``load_course_spec`` reads from a file)."""
    if not isinstance(data, dict):
        raise CourseSpecError(f"Course spec {source} must be an object of course elements")
    data = {_COURSE_ALIASES.get(k, k): v for k, v in data.items()}
    unknown = sorted(str(k) for k in set(data) - COURSE_FIELDS)
    if unknown:
        raise CourseSpecError(
            f"Course spec {source}: {', '.join(map(repr, unknown))} "
            f"{'is not a course element' if len(unknown) == 1 else 'are not course elements'}"
            " (learner details belong in the roster)",
            unknown=", ".join(unknown),
        )
    if "awarding_bodies" not in data and isinstance(data.get("issuer"), dict):
        data = {**data, "awarding_bodies": [data["issuer"]]}
    try:
        probe = MicroCredential(**data, learner=_PROBE_LEARNER, issued_at=_PROBE_DATE)
    except ModelError as exc:
        raise CourseSpecError(
            f"Course spec {source}: {exc.message}", problems=exc.details.get("problems")
        ) from None
    findings = course_findings(data, probe)
    errors = [str(f) for f in findings if f.severity == "error"]
    if errors:
        raise CourseSpecError(f"Course spec {source}: " + "; ".join(errors), problems=errors)
    warnings = tuple(str(f) for f in findings if f.severity == "warning")
    return CourseSpec(data=data, source=source, warnings=warnings)


def load_course_spec(path: str | Path) -> CourseSpec:
    """Read a course spec (``.json``, ``.yaml`` or ``.yml``) and check every element."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CourseSpecError(f"Course spec {path} cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CourseSpecError(
            f"Course spec {path} is not UTF-8 text (a course spec is a .json or .yaml file)"
        ) from None
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise CourseSpecError(f"Course spec {path} is not valid JSON or YAML: {exc}") from None
    return course_spec_from_dict(data, source=str(path))


_COLUMN_ALIASES = {
    "name": "name",
    "full_name": "name",
    "fullname": "name",
    "learner": "name",
    "given_name": "given_name",
    "first_name": "given_name",
    "family_name": "family_name",
    "last_name": "family_name",
    "surname": "family_name",
    "email": "email",
    "e-mail": "email",
    "id": "id",
    "learner_id": "id",
    "student_id": "id",
    "did": "id",
    "grade": "grade",
    "completion_date": "completion_date",
    "completed": "completion_date",
    "completed_at": "completion_date",
    "date": "completion_date",
}


def _parse_completion(value: str, row: int) -> datetime:
    """A date (taken as midnight UTC) or a date-time with a time zone."""
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RosterError(
            f"Roster row {row}: completion date {value!r} must be a date such as 2026-06-30",
            row=row,
            column="completion_date",
        ) from None
    if moment.tzinfo is None:
        raise RosterError(
            f"Roster row {row}: completion date {value!r} needs a time zone, "
            "e.g. 2026-06-30T17:00:00+02:00",
            row=row,
            column="completion_date",
        )
    return moment


def _learner_row(raw: dict[str, str], row: int) -> LearnerRow:
    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    for column, cell in raw.items():
        if column is None:
            raise RosterError(f"Roster row {row}: more cells than columns", row=row, column="")
        key = _COLUMN_ALIASES.get(column.strip().lower())
        cell = (cell or "").strip()
        if key is None:
            if cell:
                extra[column] = cell
        elif cell:
            values[key] = cell
    for key, cell in (*values.items(), *extra.items()):
        found = control_character(cell)
        if found is not None:
            raise RosterError(
                f"Roster row {row}: {key} contains the control character {found} "
                "(not printable text)",
                row=row,
                column=key,
            )
    name = values.get("name")
    if not name and values.get("given_name") and values.get("family_name"):
        name = f"{values['given_name']} {values['family_name']}"
    if not name:
        raise RosterError(f"Roster row {row}: the learner's name is empty", row=row, column="name")
    email = values.get("email")
    if email:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError as exc:
            raise RosterError(
                f"Roster row {row}: email {email!r} is not a valid email address ({exc})",
                row=row,
                column="email",
            ) from None
    if not email and not values.get("id"):
        raise RosterError(
            f"Roster row {row}: give the learner's email or id so the credential names them",
            row=row,
            column="email",
        )
    completed = values.get("completion_date")
    return LearnerRow(
        row=row,
        full_name=name,
        email=email,
        learner_id=values.get("id"),
        grade=values.get("grade"),
        completed_at=_parse_completion(completed, row) if completed else None,
        given_name=values.get("given_name"),
        family_name=values.get("family_name"),
        extra=extra,
    )


def learner_from_record(record: dict[str, Any], row: int = 1) -> LearnerRow:
    """One learner given as the roster's columns (an HTTP request body, a spreadsheet row).

    The same checks as a roster row, so the HTTP service and the CLI accept the same
    learners; ``row`` is the number a bad record is reported under.
    """
    cells = {str(k): "" if v is None else str(v) for k, v in record.items()}
    return _learner_row(cells, row)


def _unreadable(path: Path, row: int, exc: Exception) -> RosterError:
    """Name the row a spreadsheet shows; decoding runs ahead in chunks, so find it in the bytes."""
    if isinstance(exc, UnicodeDecodeError):
        with path.open("rb") as raw:
            for number, line in enumerate(raw, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    row = number
                    break
        reason = "it is not UTF-8 text (save the spreadsheet as CSV UTF-8)"
    else:
        reason = str(exc)
    return RosterError(f"Roster {path} row {row} cannot be read: {reason}", row=row)


def load_roster(path: str | Path) -> Iterator[LearnerRow]:
    """Yield checked learner rows; a bad row raises ``RosterError`` naming its row number.

    Rows are numbered as a spreadsheet shows them (the header is row 1).
    """
    for record in roster_records(path):
        if isinstance(record.learner, RosterError):
            raise record.learner
        yield record.learner


@dataclass(frozen=True)
class RosterRecord:
    """One roster line as read (``cells`` by header) and its check: a row or its error.

    The batch reports every bad row at once and writes rejected rows back with their
    original cells, so it needs both; ``RosterError.details["column"]`` is the header.
    """

    row: int
    header: tuple[str, ...]
    cells: dict[str | None, Any]
    learner: LearnerRow | RosterError


def roster_records(path: str | Path) -> Iterator[RosterRecord]:
    """Every roster row, good or bad; a file that cannot be read at all still raises."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise RosterError(f"Roster {path} cannot be read: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            fieldnames = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error) as exc:
            raise _unreadable(path, 1, exc) from None
        columns = {_COLUMN_ALIASES.get((c or "").strip().lower()) for c in fieldnames}
        if "name" not in columns and not {"given_name", "family_name"} <= columns:
            raise RosterError(
                f"Roster {path} row 1: a 'name' column (or given_name and family_name) is needed",
                row=1,
            )
        if not columns & {"email", "id"}:
            raise RosterError(f"Roster {path} row 1: an 'email' or 'id' column is needed", row=1)
        while True:
            try:
                raw = next(reader)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as exc:
                raise _unreadable(path, reader.line_num + 1, exc) from None
            if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
                continue
            header = tuple(c or "" for c in fieldnames)
            try:
                learner: LearnerRow | RosterError = _learner_row(raw, reader.line_num)
            except RosterError as exc:
                exc.details["column"] = _header_column(header, exc.details.get("column"))
                learner = exc
            yield RosterRecord(reader.line_num, header, raw, learner)


def _header_column(header: tuple[str, ...], key: Any) -> str:
    """The roster's own name for a column the checks call by its canonical ``key``."""
    for column in header:
        if column == key or _COLUMN_ALIASES.get(column.strip().lower()) == key:
            return column
    return str(key or "")


def build_micro_credential(
    course: CourseSpec,
    learner_row: LearnerRow,
    *,
    issued_at: datetime | None = None,
    credential_id: str | None = None,
) -> MicroCredential:
    """One learner's micro-credential: the course elements plus this learner's award."""
    learner: dict[str, Any] = {"full_name": learner_row.full_name}
    if learner_row.given_name:
        learner["given_name"] = learner_row.given_name
    if learner_row.family_name:
        learner["family_name"] = learner_row.family_name
    if learner_row.email:
        learner["email"] = learner_row.email
    if learner_row.learner_id:
        key = "did" if _IRI_LIKE.match(learner_row.learner_id) else "student_id"
        learner[key] = learner_row.learner_id
    data: dict[str, Any] = {
        **course.data,
        "id": credential_id or f"urn:uuid:{uuid.uuid4()}",
        "learner": learner,
        "issued_at": issued_at or datetime.now(UTC).replace(microsecond=0),
    }
    if learner_row.completed_at:
        if learner_row.completed_at > data["issued_at"]:
            raise RosterError(
                f"Roster row {learner_row.row}: completion date "
                f"{learner_row.completed_at.isoformat()} is after the date of issuing "
                f"{data['issued_at'].isoformat()} (a credential cannot be awarded in the future)",
                row=learner_row.row,
                column="completion_date",
            )
        data["awarded_at"] = learner_row.completed_at
    if learner_row.grade:
        data["grade"] = learner_row.grade
        data["result_status"] = "Completed"
    try:
        return MicroCredential(**data)
    except ModelError as exc:
        raise RosterError(
            f"Roster row {learner_row.row}: {exc.message}", row=learner_row.row
        ) from None
