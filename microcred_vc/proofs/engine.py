"""The generic Data Integrity engine: add and verify proofs with any registered suite.

The engine owns everything suites share -- the common proof options, proof
sets and chains (``previousProof``), resolving the key, ``created`` and
``expires`` -- and asks the suite for the rest: its configuration step (which
proof options are signed, whether the proof repeats the document's
``@context``), canonicalisation and hashing in a :class:`StageContext` built
for the key type, and the signature primitive. The purpose writes and checks
its own terms. It never names a suite, a curve or a hash; defaults come from
the suite registry.

Verification never raises on a bad document: every failure becomes a
:class:`ProofResult` with a reason a person can read and a stable code.
Exceptions are kept for caller mistakes (an unknown purpose, a non-object).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from microcred_vc.errors import (
    ProofCreationError,
)
from microcred_vc.keys.did import Resolver, VerificationMethod
from microcred_vc.keys.keypair import KeyPair
from microcred_vc.proofs.purposes import ProofPurpose, get_purpose
from microcred_vc.proofs.suites import DEFAULT_SUITES, Cryptosuite, StageContext, SuiteRegistry

ResolverLike = Callable[[str], VerificationMethod]
DEFAULT_SKEW = timedelta(minutes=5)
_DEFAULT_RESOLVER = Resolver()


# --- results -----------------------------------------------------------------
@dataclass(frozen=True)
class SingleProofResult:
    """The outcome for one proof of a proof set or chain."""

    verified: bool
    reason: str
    code: str | None = None
    #: a proof of a type no registered suite handles: neither trusted nor failed
    skipped: bool = False
    suite: str | None = None
    verification_method: str | None = None
    controller: str | None = None
    purpose: str | None = None
    proof_id: str | None = None
    #: the suite expanded JSON-LD in safe mode (so undefined terms were checked)
    expanded: bool = False
    #: the canonical bytes this proof's signature covers (the document without
    #: proofs; None for chained proofs, which also cover earlier proofs), and
    #: their form: "nquads" for RDF suites, "json" for JCS suites
    signed_document: bytes | None = field(default=None, repr=False, compare=False)
    signed_form: str | None = None


@dataclass(frozen=True)
class ProofResult:
    """All proofs of a document; ``verified`` only when there is one and all verify."""

    verified: bool
    reason: str
    code: str | None = None
    proofs: list[SingleProofResult] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.verified

    @property
    def controllers(self) -> list[str]:
        return [p.controller for p in self.proofs if p.verified and p.controller]


@dataclass(frozen=True)
class Stages:
    """Every intermediate value of the hashing algorithm (the W3C vectors' files)."""

    canonical_document: bytes
    canonical_proof_config: bytes
    document_hash: bytes
    proof_hash: bytes

    @property
    def hash_data(self) -> bytes:
        return self.proof_hash + self.document_hash


def stages(
    suite: Cryptosuite,
    unsecured: Mapping[str, Any],
    proof_config: Mapping[str, Any],
    key_type: str,
    *,
    loader: Any = None,
    canonical_document: bytes | None = None,
) -> Stages:
    """Canonicalise and hash the document and the proof configuration.

    The suite's stages run in a :class:`StageContext` the suite itself builds
    for ``key_type`` (so P-384 gets SHA-384 where the suite says so); the
    engine only passes it along.
    """
    ctx = suite.stage_context(key_type, loader=loader, options=proof_config)
    canon_doc = (
        canonical_document if canonical_document is not None else suite.transform(unsecured, ctx)
    )
    canon_proof = suite.serialize_proof_config(proof_config, ctx)
    return Stages(canon_doc, canon_proof, suite.hash(canon_doc, ctx), suite.hash(canon_proof, ctx))


# --- helpers -----------------------------------------------------------------
def _proofs_of(doc: Mapping[str, Any]) -> list[Any]:
    proof = doc.get("proof")
    if proof is None:
        return []
    return list(proof) if isinstance(proof, list) else [proof]


def json_copy(value: Any) -> Any:
    """Deep copy of JSON data; several times faster than copy.deepcopy on credentials."""
    if isinstance(value, dict):
        return {k: json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_copy(v) for v in value]
    if isinstance(value, Mapping):
        return {k: json_copy(v) for k, v in value.items()}
    return value


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def current_time(now: datetime | None) -> datetime:
    """``now`` (default: the clock) as an aware datetime; a naive one is read as UTC,
    as the JOSE and status paths do."""
    moment = now or datetime.now(UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


#: ``24:00:00`` (fraction zeros allowed) and its time zone: XML Schema's end of a day.
_END_OF_DAY = re.compile(r"24:00:00(?:\.0+)?(Z|[+-]\d\d:\d\d)?")


def parse_datetime(value: Any) -> datetime:
    """An XML Schema dateTime as an aware datetime (naive means UTC); ValueError if not."""
    if not isinstance(value, str) or "T" not in value:
        raise ValueError(f"{value!r} is not an XML Schema dateTime")
    text = value.replace("z", "Z")
    day, _, clock = text.partition("T")
    end_of_day = _END_OF_DAY.fullmatch(clock)
    if end_of_day:  # XSD's 24:00:00 is the first instant of the next day
        text = f"{day}T00:00:00{end_of_day.group(1)}"
    parsed = datetime.fromisoformat(text)
    if end_of_day:
        parsed += timedelta(days=1)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_datetime(value: datetime | str | None) -> str:
    if isinstance(value, str):
        try:
            parse_datetime(value)
        except ValueError:
            raise ProofCreationError(
                f"{value!r} is not an XML Schema dateTime (e.g. 2024-05-01T10:00:00Z)"
            ) from None
        return value
    if value is not None and not isinstance(value, datetime):
        raise ProofCreationError(f"expected a datetime or dateTime string, not {value!r}")
    moment = value or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_suite_for(key: KeyPair, suites: SuiteRegistry | None = None) -> str:
    """The suite a key signs with when the caller names none (the registry decides)."""
    return (suites or DEFAULT_SUITES).default_for(key.key_type)


def _ensure_contexts(doc: dict[str, Any], suite: Cryptosuite) -> None:
    if not suite.required_contexts:
        return
    if "@context" not in doc:
        raise ProofCreationError(
            f"{suite.name} signs JSON-LD: the document needs an @context", suite=suite.name
        )
    # The caller's document is returned as given: a one-item array stays an array
    # and a string stays a string unless a context must be added (issue #17 item 4).
    contexts = _as_list(doc["@context"])
    missing = [g[0] for g in suite.required_contexts if not any(c in contexts for c in g)]
    if missing:
        doc["@context"] = [*contexts, *missing]


# --- signing -----------------------------------------------------------------
def add_proof(
    doc: Mapping[str, Any],
    key: KeyPair,
    *,
    cryptosuite: str | None = None,
    purpose: str | ProofPurpose = "assertionMethod",
    created: datetime | str | bool | None = None,
    expires: datetime | str | None = None,
    challenge: str | None = None,
    domain: str | list[str] | None = None,
    previous_proof: str | list[str] | None = None,
    proof_id: str | None = None,
    nonce: str | None = None,
    loader: Any = None,
    suites: SuiteRegistry | None = None,
    copy: bool = True,
) -> dict[str, Any]:
    """A copy of ``doc`` with one more proof (a proof set when it had one already).

    ``cryptosuite`` defaults to eddsa-rdfc-2022 for Ed25519 keys and
    ecdsa-rdfc-2019 for P-256/P-384, looked up in ``suites`` (default: the
    built-in registry). ``purpose`` is a name or a :class:`ProofPurpose`, which
    writes its own terms; ``challenge``/``domain`` are bound to it.
    ``created=False`` leaves ``created`` out; ``None`` means now.
    ``previous_proof`` names proof ids this one chains to.
    ``copy=False`` signs ``doc`` itself (a plain ``dict`` the caller gives up: it becomes
    the returned document), saving the deep copy that keeps a caller's input untouched;
    a batch does this with the documents it built for signing.
    """
    if not isinstance(doc, Mapping):
        raise ProofCreationError("the document to sign must be a JSON object")
    if not isinstance(key, KeyPair):
        raise ProofCreationError("signing needs a KeyPair (see microcred_vc.keys.generate_key)")
    suite = (suites or DEFAULT_SUITES).get(cryptosuite or default_suite_for(key, suites))
    if key.key_type not in suite.key_types:
        raise ProofCreationError(
            f"{suite.name} needs a {' or '.join(sorted(suite.key_types))} key, not {key.key_type}",
            suite=suite.name,
        )
    purpose_obj = get_purpose(purpose).bound(challenge=challenge, domain=domain)
    secured = json_copy(doc) if copy or not isinstance(doc, dict) else doc
    existing = _proofs_of(secured)
    secured.pop("proof", None)
    _ensure_contexts(secured, suite)

    proof: dict[str, Any] = {"type": suite.proof_type}
    if suite.cryptosuite:
        proof["cryptosuite"] = suite.cryptosuite
    if proof_id:
        proof["id"] = proof_id
    if created is not False:
        proof["created"] = format_datetime(None if created is True else created)  # type: ignore[arg-type]
    if expires is not None:
        proof["expires"] = format_datetime(expires)
    proof["verificationMethod"] = key.verification_method
    purpose_obj.update(proof)
    if nonce is not None:
        proof["nonce"] = nonce
    if previous_proof is not None:
        proof["previousProof"] = previous_proof

    unsecured: dict[str, Any] = secured
    if previous_proof is not None:
        wanted = _as_list(previous_proof)
        matching = [p for p in existing if isinstance(p, Mapping) and p.get("id") in wanted]
        if len(matching) != len(wanted):
            raise ProofCreationError(
                f"previousProof {previous_proof!r} does not name existing proof ids"
            )
        unsecured = {**secured, "proof": matching}

    proof_config = suite.configure(proof, secured)
    hashed = stages(suite, unsecured, proof_config, key.key_type, loader=loader)
    proof["proofValue"] = suite.encode_proof_value(suite.sign(key, hashed.hash_data))
    secured["proof"] = [*existing, proof] if existing else proof
    return secured


__all__ = [
    "ProofResult",
    "SingleProofResult",
    "StageContext",
    "Stages",
    "add_proof",
    "stages",
]
