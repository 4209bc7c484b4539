"""The ``status`` step of verification: is this credential revoked or suspended?

Follows the Recommendation's validation algorithm: dereference the list
(through a caller-supplied ``fetch``, since the library does no networking on
its own), verify the list credential itself — a forged list could "un-revoke"
anything — honour its validity period, check the purposes match, and read the
entry's bits. The sentence in the :class:`Check` names the purpose, the list
and the index, so a person can see exactly which entry said what.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from microcred_vc.errors import MicrocredError, StatusError
from microcred_vc.jsonld.limits import parse_json
from microcred_vc.report import Check
from microcred_vc.status.bitstring import (
    DEFAULT_MAX_BYTES,
    MIN_ENTRIES,
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
from microcred_vc.status.signed_list import MISMATCH, mismatch

#: A credential status that could not be checked (no fetch, unknown purpose or type).
UNCHECKED = "STATUS_UNCHECKED"
#: The caller turned the status check off (``status=False``).
NOT_REQUESTED = "STATUS_NOT_REQUESTED"

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


def _default_verify(
    now: datetime | None,
    loader: Any,
    resolver: Any,
    clock_skew: timedelta | None = None,
    allowed_suites: Collection[str] | None = None,
) -> VerifyList:
    def verify(doc: Mapping[str, Any]) -> ListVerdict:
        return verify_list_credential(
            doc,
            now=now,
            loader=loader,
            resolver=resolver,
            clock_skew=clock_skew,
            allowed_suites=allowed_suites,
        )

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


def _validity_problem(
    doc: Mapping[str, Any], now: datetime, skew: timedelta = timedelta(0)
) -> tuple[str, str] | None:
    starts = _times(doc, "validFrom", "issuanceDate")
    ends = _times(doc, "validUntil", "expirationDate")
    start = max(starts) if starts else None
    end = min(ends) if ends else None
    if start and now + skew < start:
        return f"is not valid before {start.isoformat()}", "STATUS_LIST_NOT_YET_VALID"
    if end and now - skew > end:
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
    return "skip", f"unknown status purpose {entry.purpose!r} ({where})", UNCHECKED


class _Policy:
    """What a list is held to, besides its proof: the signer policy, clock and length."""

    def __init__(
        self,
        signers: ListSigners,
        issuer: str | None,
        now: datetime,
        skew: timedelta,
        min_entries: int,
        max_bytes: int,
    ) -> None:
        self.signers, self.issuer, self.now, self.skew = signers, issuer, now, skew
        self.min_entries, self.max_bytes = min_entries, max_bytes


def _from_list(
    entry: StatusEntry, doc: Mapping[str, Any], verify: VerifyList, policy: _Policy
) -> tuple[Outcome, int | None]:
    """The entry's value from a fetched list, once the list has earned belief.

    Also returns the list's ``ttl`` when the list was believed (None otherwise),
    so only verified lists are cached.
    """
    where = _where(entry)
    try:
        subject = parse_list_credential(doc)
    except StatusError as exc:
        return ("fail", f"{where}: {exc.message}", "STATUS_VERIFICATION_ERROR"), None
    try:
        verdict = as_verdict(verify(doc))
    except ImportError:
        why = f"cannot verify the {where}: proofs are unavailable"
        return ("fail", why, "STATUS_VERIFICATION_ERROR"), None
    except Exception as exc:  # a verifier crash must not pass the check
        verdict = ListVerdict(False, [f"verification raised {type(exc).__name__}: {exc}"])
    if not verdict.verified:
        why = "; ".join(verdict.errors) or "its proof did not verify"
        # a list judged outside its validity period usually fails its proof's dates
        # too; the list's own code says why (it fails either way)
        dated = _validity_problem(doc, policy.now, policy.skew)
        if dated:
            return ("fail", f"the status list {entry.list_url} {dated[0]}", dated[1]), None
        return ("fail", f"the {where} is not trustworthy: {why}", "STATUS_VERIFICATION_ERROR"), None
    refused = signer_problem(policy.signers, verdict.signers, policy.issuer)
    if refused:
        return ("fail", f"the {where} is not trustworthy: {refused[0]}", refused[1]), None
    if verdict.values is not None:
        differs = mismatch(verdict.values, subject.purposes, subject.encoded_list)
        if differs:
            return ("fail", f"the {where} is not trustworthy: {differs}", MISMATCH), None
    problem = _validity_problem(verdict.signed or doc, policy.now, policy.skew)
    if problem:
        return ("fail", f"the status list {entry.list_url} {problem[0]}", problem[1]), None
    if entry.purpose not in subject.purposes:
        why = f"{where}: entry purpose {entry.purpose!r} is not among the list's {subject.purposes}"
        return ("fail", why, "STATUS_VERIFICATION_ERROR"), None
    try:
        bits = subject.bitstring(
            entry.status_size, max_bytes=policy.max_bytes, min_entries=policy.min_entries
        )
        value = bits.get(entry.index)
    except StatusError as exc:
        code = exc.code if exc.code.startswith("STATUS_") else "STATUS_VERIFICATION_ERROR"
        return ("fail", f"{where}: {exc.message}", code), None
    return _interpret(entry, value, None), subject.ttl if subject.ttl is not None else -1


def _from_registry(registry: Any, entry: StatusEntry, policy: _Policy) -> Outcome | None:
    """The issuer's own record (with its reason), or None when the list is not ours.

    The answer is held to the list-signer policy like a fetched list: the signers
    are the DIDs that signed the list when the registry published it. A list never
    published yet has no signer to compare, and is answered on the registry's word.
    """
    known = getattr(registry, "list_signers", None)  # a registry may not record signers
    try:
        record = registry.lookup(entry)
        signers = known(record.list_id) if record is not None and known else None
    except StatusError as exc:  # our list, but an index we never handed out
        return "fail", f"{_where(entry)}: {exc.message}", exc.code
    except Exception as exc:  # a database outage must not read as "not revoked"
        return "fail", f"status registry unavailable: {exc}", "STATUS_RETRIEVAL_ERROR"
    if record is None:
        return None
    if signers is not None:
        refused = signer_problem(policy.signers, signers, policy.issuer)
        if refused:
            return "fail", f"the {_where(entry)} is not trustworthy: {refused[0]}", refused[1]
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
    clock_skew: timedelta | None = None,
    allowed_suites: Collection[str] | None = None,
    min_entries: int = MIN_ENTRIES,
    cache: Any = None,
    accept_unchecked: bool = False,
) -> Check:
    """Check every status entry of ``credential``; never raises on bad input.

    ``registry`` (a :class:`~microcred_vc.status.registry.StatusRegistry`) answers
    for lists it publishes, with the recorded reason, and needs no fetch.
    ``fetch(url) -> dict`` (or JSON text) retrieves other lists.
    ``verify_list`` defaults to :func:`~microcred_vc.status.list_trust.verify_list_credential`
    with ``now``, ``clock_skew``, ``loader``, ``resolver`` and ``allowed_suites``
    (the credential's verification context); a custom one returns a
    :class:`ListVerdict` (or anything with ``verified`` and ``signers``).
    ``list_signers`` is who may sign a fetched list: ``"issuer"`` (default: the
    credential's issuer), ``"any-verified"``, or a set of DIDs; a list signed by
    someone else fails ``STATUS_LIST_SIGNER_MISMATCH``. ``min_entries`` is the
    shortest list believed (the Recommendation's 131,072 by default; an
    ecosystem may require more, and a legacy one may allow fewer explicitly).
    ``cache`` (a :class:`~microcred_vc.status.cache.StatusListCache`) keeps
    verified lists for their ``ttl``.

    An entry that could not be checked (no fetch, unknown purpose or entry type)
    fails the step with ``STATUS_UNCHECKED`` — "verified" means the status was
    checked — unless ``accept_unchecked`` is set, when the step is a warning.
    """
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    verify = verify_list or _default_verify(now, loader, resolver, clock_skew, allowed_suites)
    if not isinstance(credential, Mapping):
        return Check("status", "fail", "credential is not a JSON object", "STATUS_ERROR")
    try:
        policy = _Policy(
            check_policy(list_signers),
            credential_issuer(credential),
            moment,
            clock_skew or timedelta(0),
            _min_entries(min_entries),
            max_bytes,
        )
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
            outcomes.append(("skip", f"status entry not checked: {exc.message}", UNCHECKED))
            continue
        if registry is not None:
            answer = _from_registry(registry, entry, policy)
            if answer is not None:
                outcomes.append(answer)
                continue
        cached = cache.get(entry.list_url) if cache is not None else None
        if cached is None and fetch is None:
            why = f"{_where(entry)} not retrieved (no fetch function given)"
            outcomes.append(("skip", why, UNCHECKED))
            continue
        if entry.list_url not in fetched:
            fetched[entry.list_url] = (
                cached if cached is not None else _fetch(fetch, entry.list_url)
            )
        doc = fetched[entry.list_url]
        if isinstance(doc, Exception):
            why = f"could not retrieve the {_where(entry)}: {doc}"
            outcomes.append(("fail", why, "STATUS_RETRIEVAL_ERROR"))
            continue
        outcome, ttl = _from_list(entry, doc, verify, policy)
        if ttl is not None and cache is not None and cached is None:
            cache.put(entry.list_url, doc, None if ttl < 0 else ttl)
        outcomes.append(outcome)
    return _combine(outcomes, accept_unchecked)


def _min_entries(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise StatusError(f"status_min_entries must be a positive integer, not {value!r}")
    return value


def _fetch(fetch: Any, url: str) -> Any:
    """The list at ``url`` as a parsed object, or the exception that stopped it."""
    try:
        doc = fetch(url)
    except Exception as exc:  # any fetch failure is a retrieval error
        return exc
    if isinstance(doc, str | bytes | bytearray):
        try:
            return parse_json(doc)
        except MicrocredError as exc:
            return exc
    return doc


def not_requested(credential: Mapping[str, Any]) -> Check:
    """The status step when the caller turned it off (``status=False``): skipped, by request."""
    if isinstance(credential, Mapping) and status_entries(credential):
        return Check(
            "status",
            "skip",
            "status not checked: the caller turned the status check off (status=False)",
            NOT_REQUESTED,
        )
    return Check("status", "skip", "the credential has no credentialStatus")


def _combine(outcomes: list[Outcome], accept_unchecked: bool = False) -> Check:
    """Any failure fails the step; an unchecked entry fails it too unless accepted; else pass."""
    unchecked = [o for o in outcomes if o[0] == "skip" and o[2] == UNCHECKED]
    if unchecked and not any(o[0] == "fail" for o in outcomes):
        others = [o[1] for o in outcomes if o not in unchecked]
        sentence = "; ".join([f"unchecked: {o[1]}" for o in unchecked] + others)
        return Check("status", "warn" if accept_unchecked else "fail", sentence, UNCHECKED)
    for wanted in ("fail", "pass", "skip"):
        chosen = [o for o in outcomes if o[0] == wanted]
        if chosen:
            others = [o[1] for o in outcomes if o[0] != wanted]
            sentence = "; ".join([o[1] for o in chosen] + others)
            return Check("status", wanted, sentence, chosen[0][2])  # type: ignore[arg-type]
    return Check("status", "skip", "no status entry could be checked")
