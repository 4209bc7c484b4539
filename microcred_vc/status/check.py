"""The ``status`` step of verification: is this credential revoked or suspended?

Follows the Recommendation's validation algorithm: dereference the list
(through a caller-supplied ``fetch``, since the library does no networking on
its own), verify the list credential itself — a forged list could "un-revoke"
anything — honour its validity period, check the purposes match, and read the
entry's bits. The sentence in the :class:`Check` names the purpose, the list
and the index, so a person can see exactly which entry said what.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from microcred_vc.errors import MicrocredError, StatusError
from microcred_vc.jsonld.limits import parse_json
from microcred_vc.report import Check
from microcred_vc.status.bitstring import (
    DEFAULT_MAX_BYTES,
    StatusEntry,
    parse_entry,
    parse_list_credential,
    status_entries,
)
from microcred_vc.status.list_trust import (
    ListSigners,
    ListVerdict,
    as_verdict,
    check_policy,
    credential_issuer,
    signer_problem,
    verify_list_credential,
)

Fetch = Callable[[str], Mapping[str, Any] | str | bytes]
VerifyList = Callable[[Mapping[str, Any]], Any]
Outcome = tuple[str, str, str | None]  # (pass|fail|skip, sentence, code)

_ADJECTIVE = {"revocation": "revoked", "suspension": "suspended"}


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _where(entry: StatusEntry) -> str:
    return f"status list {entry.list_url} index {entry.index}"


def _default_verify(now: datetime | None, loader: Any, resolver: Any) -> VerifyList:
    def verify(doc: Mapping[str, Any]) -> ListVerdict:
        return verify_list_credential(doc, now=now, loader=loader, resolver=resolver)

    return verify


def _times(doc: Mapping[str, Any], *names: str) -> list[datetime]:
    """Every parsable value of ``names`` (a date signed twice counts with both values)."""
    found: list[datetime] = []
    for name in names:
        values = doc.get(name)
        for value in values if isinstance(values, list) else [values]:
            moment = _parse_time(value)
            if moment is not None:
                found.append(moment)
    return found


def _validity_problem(doc: Mapping[str, Any], now: datetime) -> tuple[str, str] | None:
    starts = _times(doc, "validFrom", "issuanceDate")
    ends = _times(doc, "validUntil", "expirationDate")
    start = max(starts) if starts else None
    end = min(ends) if ends else None
    if start and now < start:
        return f"is not valid before {start.isoformat()}", "STATUS_LIST_NOT_YET_VALID"
    if end and now > end:
        return f"expired at {end.isoformat()}", "STATUS_LIST_EXPIRED"
    return None


def _interpret(entry: StatusEntry, value: int, reason: str | None) -> Outcome:
    where = _where(entry)
    message = entry.message_for(value)
    detail = f": {reason}" if reason else (f": {message}" if message and value else "")
    if entry.purpose in _ADJECTIVE:
        word = _ADJECTIVE[entry.purpose]
        if value:
            return "fail", f"{word} ({where}){detail}", f"STATUS_{word.upper()}"
        return "pass", f"not {word} ({where})", None
    if entry.purpose == "message":
        text = f" {message!r}" if message else ""
        return "pass", f"status message {hex(value)}{text} ({where})", None
    if entry.purpose == "refresh":
        state = "a refreshed credential is available" if value else "no refresh pending"
        return "pass", f"{state} ({where})", None
    return "skip", f"unknown status purpose {entry.purpose!r} ({where})", None


def _from_list(
    entry: StatusEntry,
    doc: Mapping[str, Any],
    verify: VerifyList,
    now: datetime,
    max_bytes: int,
    trust: tuple[ListSigners, str | None],
) -> Outcome:
    """The entry's value from a fetched list, once the list has earned belief.

    ``trust`` is the signer policy and the credential's issuer it is held to.
    """
    where = _where(entry)
    try:
        subject = parse_list_credential(doc)
    except StatusError as exc:
        return "fail", f"{where}: {exc.message}", "STATUS_VERIFICATION_ERROR"
    try:
        verdict = as_verdict(verify(doc))
    except ImportError:
        return (
            "fail",
            f"cannot verify the {where}: proofs are unavailable",
            "STATUS_VERIFICATION_ERROR",
        )
    except Exception as exc:  # a verifier crash must not pass the check
        verdict = ListVerdict(False, [f"verification raised {type(exc).__name__}: {exc}"])
    if not verdict.verified:
        why = "; ".join(verdict.errors) or "its proof did not verify"
        return "fail", f"the {where} is not trustworthy: {why}", "STATUS_VERIFICATION_ERROR"
    refused = signer_problem(trust[0], verdict.signers, trust[1])
    if refused:
        return "fail", f"the {where} is not trustworthy: {refused[0]}", refused[1]
    problem = _validity_problem(verdict.signed or doc, now)
    if problem:
        return "fail", f"the status list {entry.list_url} {problem[0]}", problem[1]
    if entry.purpose not in subject.purposes:
        return (
            "fail",
            f"{where}: entry purpose {entry.purpose!r} is not among the list's {subject.purposes}",
            "STATUS_VERIFICATION_ERROR",
        )
    try:
        bits = subject.bitstring(entry.status_size, max_bytes=max_bytes)
        value = bits.get(entry.index)
    except StatusError as exc:
        code = exc.code if exc.code.startswith("STATUS_") else "STATUS_VERIFICATION_ERROR"
        return "fail", f"{where}: {exc.message}", code
    return _interpret(entry, value, None)


def _from_registry(registry: Any, entry: StatusEntry) -> Outcome | None:
    """The issuer's own record (with its reason), or None when the list is not ours."""
    try:
        record = registry.lookup(entry)
    except StatusError as exc:  # our list, but an index we never handed out
        return "fail", f"{_where(entry)}: {exc.message}", exc.code
    except Exception as exc:  # a database outage must not read as "not revoked"
        return "fail", f"status registry unavailable: {exc}", "STATUS_RETRIEVAL_ERROR"
    if record is None:
        return None
    return _interpret(entry, record.status, record.reason)


def check_status(
    credential: Mapping[str, Any],
    *,
    fetch: Fetch | None = None,
    registry: Any = None,
    verify_list: VerifyList | None = None,
    now: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    list_signers: ListSigners = "issuer",
    loader: Any = None,
    resolver: Any = None,
) -> Check:
    """Check every status entry of ``credential``; never raises on bad input.

    ``registry`` (a :class:`~microcred_vc.status.registry.StatusRegistry`) answers
    for lists it publishes, with the recorded reason, and needs no fetch.
    ``fetch(url) -> dict`` (or JSON text) retrieves other lists; without it they
    are skipped.
    ``verify_list`` defaults to :func:`~microcred_vc.status.list_trust.verify_list_credential`
    with ``loader`` and ``resolver`` (the caller's verification context); a
    custom one returns a :class:`ListVerdict` (or anything with ``verified``
    and ``signers``). ``list_signers`` is who may sign a fetched list:
    ``"issuer"`` (default: the credential's issuer), ``"any-verified"``, or a
    set of DIDs; a list signed by someone else fails ``STATUS_LIST_SIGNER_MISMATCH``.
    """
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    verify = verify_list or _default_verify(now, loader, resolver)
    if not isinstance(credential, Mapping):
        return Check("status", "fail", "credential is not a JSON object", "STATUS_ERROR")
    try:
        trust = (check_policy(list_signers), credential_issuer(credential))
    except StatusError as exc:
        return Check("status", "fail", exc.message, exc.code)
    raw_entries = status_entries(credential)
    if not raw_entries:
        return Check("status", "skip", "the credential has no credentialStatus")
    outcomes: list[Outcome] = []
    fetched: dict[str, Any] = {}
    for raw in raw_entries:
        try:
            entry = parse_entry(raw)
        except StatusError as exc:
            outcomes.append(("skip", f"status entry not checked: {exc.message}", None))
            continue
        if registry is not None:
            answer = _from_registry(registry, entry)
            if answer is not None:
                outcomes.append(answer)
                continue
        if fetch is None:
            outcomes.append(
                ("skip", f"{_where(entry)} not retrieved (no fetch function given)", None)
            )
            continue
        if entry.list_url not in fetched:
            try:
                fetched[entry.list_url] = fetch(entry.list_url)
            except Exception as exc:  # any fetch failure is a retrieval error
                fetched[entry.list_url] = exc
        doc = fetched[entry.list_url]
        if isinstance(doc, str | bytes | bytearray):
            try:
                doc = fetched[entry.list_url] = parse_json(doc)
            except MicrocredError as exc:
                doc = fetched[entry.list_url] = exc
        if isinstance(doc, Exception):
            outcomes.append(
                ("fail", f"could not retrieve the {_where(entry)}: {doc}", "STATUS_RETRIEVAL_ERROR")
            )
            continue
        outcomes.append(_from_list(entry, doc, verify, moment, max_bytes, trust))
    return _combine(outcomes)


def _combine(outcomes: list[Outcome]) -> Check:
    """Any failure fails the step; otherwise any pass passes it; else it was skipped."""
    for wanted in ("fail", "pass", "skip"):
        chosen = [o for o in outcomes if o[0] == wanted]
        if chosen:
            others = [o[1] for o in outcomes if o[0] != wanted]
            sentence = "; ".join([o[1] for o in chosen] + others)
            return Check("status", wanted, sentence, chosen[0][2])  # type: ignore[arg-type]
    return Check("status", "skip", "no status entry could be checked")
