"""Proof verification for the generic engine (see :mod:`microcred_vc.proofs.engine`).

Kept apart from signing so each half stays readable: this half resolves the
verification method, checks purpose, times, chains and the suite's signature,
and turns every failure into a :class:`ProofResult` reason with a stable code
instead of raising.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from microcred_vc.errors import (
    InputTooLarge,
    MicrocredError,
    ProofVerificationError,
    UndefinedTerm,
    UnknownCryptosuite,
)
from microcred_vc.jsonld.budget import work_budget
from microcred_vc.jsonld.limits import check_limits
from microcred_vc.keys.did import VerificationMethod, method_from_document
from microcred_vc.proofs.engine import (
    _DEFAULT_RESOLVER,
    DEFAULT_SKEW,
    ProofResult,
    ResolverLike,
    SingleProofResult,
    _as_list,
    _proofs_of,
    current_time,
    parse_datetime,
    stages,
)
from microcred_vc.proofs.limits import proof_set_problem
from microcred_vc.proofs.purposes import ProofPurpose, get_purpose
from microcred_vc.proofs.suites import DEFAULT_SUITES, SuiteRegistry


# --- verification --------------------------------------------------------------
class _Fail(Exception):
    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


def verify_proof(
    doc: Mapping[str, Any],
    *,
    resolver: ResolverLike | None = None,
    purpose: str | ProofPurpose = "assertionMethod",
    challenge: str | None = None,
    domain: str | list[str] | None = None,
    loader: Any = None,
    now: datetime | None = None,
    clock_skew: timedelta = DEFAULT_SKEW,
    suites: SuiteRegistry | None = None,
) -> ProofResult:
    """Verify every proof of ``doc``; never raises on a bad document.

    ``suites`` is the registry proofs are looked up in (default: the built-in
    one); ``SuiteRegistry(allowed=[...])`` accepts only the named suites, and a
    proof of any other adds no trust (``CRYPTOSUITE_NOT_ALLOWED``). ``purpose``
    is a name or a :class:`ProofPurpose`; ``challenge``/``domain`` are bound to it.

    Cost is bounded before any work (issue #16 V5): the document gets the same
    depth and node caps as JSON text, the proof set and its ``previousProof``
    chains are capped (:mod:`microcred_vc.proofs.limits`), and every proof
    spends from one work budget (:mod:`microcred_vc.jsonld.budget`).
    """
    if isinstance(doc, Mapping):
        try:
            check_limits(doc)
        except InputTooLarge as exc:
            return ProofResult(False, exc.message, exc.code)
        refused = proof_set_problem(_proofs_of(doc))
        if refused:
            return ProofResult(False, *refused)
    with work_budget():
        return _verify_proof(
            doc,
            resolver=resolver,
            purpose=purpose,
            challenge=challenge,
            domain=domain,
            loader=loader,
            now=now,
            clock_skew=clock_skew,
            suites=suites or DEFAULT_SUITES,
        )


def _verify_proof(
    doc: Mapping[str, Any],
    *,
    resolver: ResolverLike | None,
    purpose: str | ProofPurpose,
    challenge: str | None,
    domain: str | list[str] | None,
    loader: Any,
    now: datetime | None,
    clock_skew: timedelta,
    suites: SuiteRegistry,
) -> ProofResult:
    if not isinstance(doc, Mapping):
        raise ProofVerificationError("verify_proof needs the parsed JSON object of the document")
    purpose_obj = get_purpose(purpose).bound(challenge=challenge, domain=domain)
    if resolver is not None and not callable(resolver):
        raise ProofVerificationError("resolver must be callable: vm_url -> VerificationMethod")
    resolve = resolver or _DEFAULT_RESOLVER
    moment = current_time(now)
    proofs = _proofs_of(doc)
    if not proofs:
        return ProofResult(False, "the document has no proof", "PROOF_MISSING")
    base = {k: v for k, v in doc.items() if k != "proof"}
    cache: dict[tuple[Any, str, tuple[str, ...]], bytes] = {}
    results: list[SingleProofResult] = []
    for index, proof in enumerate(proofs):
        label = f"proof {index + 1} of {len(proofs)}" if len(proofs) > 1 else "proof"
        try:
            results.append(
                _verify_one(
                    base,
                    proofs,
                    proof,
                    resolve,
                    purpose_obj,
                    suites,
                    loader,
                    moment,
                    clock_skew,
                    cache,
                )
            )
        except _Fail as fail:
            results.append(_failed(proof, f"{label}: {fail.reason}", fail.code))
        except ProofVerificationError:
            raise  # caller misuse (e.g. a resolver returning the wrong type)
        except UnknownCryptosuite as exc:
            results.append(
                SingleProofResult(False, f"{label}: {exc.message}", exc.code, skipped=True)
            )
        except MicrocredError as exc:
            code = exc.code
            message = exc.message
            if isinstance(exc, UndefinedTerm):
                message = f"safe mode: {message}"
            results.append(_failed(proof, f"{label}: {message}", code))
        except Exception as exc:  # malformed input reaching a library; never raise
            results.append(
                _failed(
                    proof,
                    f"{label}: could not be processed ({type(exc).__name__}: {exc})",
                    "PROOF_MALFORMED",
                )
            )
    # A proof of an unknown type adds no trust and takes none away (a proof set
    # may carry suites this verifier lacks); a known proof that fails always fails.
    bad = [r for r in results if not r.verified and not r.skipped]
    good = [r for r in results if r.verified]
    if bad or not good:
        first = (bad or results)[0]
        return ProofResult(False, first.reason, first.code, results)
    what = ", ".join(f"{r.suite} by {r.verification_method}" for r in good)
    note = (
        f"; {len(results) - len(good)} proof(s) of unknown type ignored"
        if bad or len(good) < len(results)
        else ""
    )
    return ProofResult(True, f"{len(good)} proof(s) verified: {what}{note}", None, results)


def _failed(proof: Any, reason: str, code: str | None) -> SingleProofResult:
    p = proof if isinstance(proof, Mapping) else {}
    vm = p.get("verificationMethod")
    return SingleProofResult(
        False,
        reason,
        code,
        suite=p.get("cryptosuite") or p.get("type") if p else None,
        verification_method=vm if isinstance(vm, str) else None,
        purpose=p.get("proofPurpose") if isinstance(p.get("proofPurpose"), str) else None,
    )


def _check_times(proof: Mapping[str, Any], moment: datetime, skew: timedelta) -> None:
    if "created" in proof:
        try:
            created = parse_datetime(proof["created"])
        except ValueError:
            raise _Fail(
                f"created {proof['created']!r} is not a dateTime", "PROOF_CREATED_INVALID"
            ) from None
        if created > moment + skew:
            raise _Fail(f"created {proof['created']} is in the future", "PROOF_CREATED_FUTURE")
    if "expires" in proof:
        try:
            expires = parse_datetime(proof["expires"])
        except ValueError:
            raise _Fail(
                f"expires {proof['expires']!r} is not a dateTime", "PROOF_EXPIRES_INVALID"
            ) from None
        if expires < moment - skew:
            raise _Fail(f"the proof expired at {proof['expires']}", "PROOF_EXPIRED")


def _verify_one(
    base: Mapping[str, Any],
    proofs: list[Any],
    proof: Any,
    resolve: ResolverLike,
    purpose_obj: ProofPurpose,
    suites: SuiteRegistry,
    loader: Any,
    moment: datetime,
    skew: timedelta,
    cache: dict[tuple[Any, str, tuple[str, ...]], bytes],
) -> SingleProofResult:
    if not isinstance(proof, Mapping):
        raise _Fail("is not a JSON object", "PROOF_MALFORMED")
    suite = suites.for_proof(proof)
    proof_value = proof.get(suite.proof_value_key)
    if not isinstance(proof_value, str) or not proof_value:
        raise _Fail(f"has no {suite.proof_value_key} string", "PROOF_VALUE_MISSING")
    vm_url = proof.get("verificationMethod")
    if not isinstance(vm_url, str) or not vm_url:
        raise _Fail("has no verificationMethod URL", "PROOF_METHOD_MISSING")
    if not isinstance(proof.get("proofPurpose"), str):
        raise _Fail("has no proofPurpose", "PROOF_PURPOSE_MISSING")
    _check_times(proof, moment, skew)

    options = suite.verification_options(proof, base)  # typed errors become reasons

    unsecured: Mapping[str, Any] = base
    chain: tuple[str, ...] = ()
    if "previousProof" in proof:
        wanted = _as_list(proof["previousProof"])
        if not all(isinstance(w, str) for w in wanted):
            raise _Fail("previousProof must be proof id strings", "PROOF_CHAIN_INVALID")
        matching = [p for p in proofs if isinstance(p, Mapping) and p.get("id") in wanted]
        found = {p.get("id") for p in matching}
        missing = [w for w in wanted if w not in found]
        if missing:
            raise _Fail(f"previousProof {missing[0]} is not in the proof set", "PROOF_CHAIN_BROKEN")
        unsecured = {**base, "proof": matching}
        chain = tuple(sorted(set(wanted)))  # the signed set, whatever order or repeats

    try:
        method = resolve(vm_url)
        if isinstance(method, Mapping):  # a resolver may return the controller document
            method = method_from_document(method, vm_url)
    except MicrocredError as exc:
        raise _Fail(
            f"verification method {vm_url} could not be resolved: {exc.message}", exc.code
        ) from exc
    if not isinstance(method, VerificationMethod):
        raise ProofVerificationError(
            "the resolver must return a VerificationMethod or a controller document"
        )
    key_type = method.public_key.key_type
    if key_type not in suite.key_types:
        raise _Fail(f"{suite.name} cannot be verified with a {key_type} key", "PROOF_KEY_TYPE")
    problem = purpose_obj.validate(proof, method)
    if problem:
        raise _Fail(problem, "PROOF_PURPOSE_INVALID")
    try:
        signature = suite.decode_proof_value(proof_value)
    except MicrocredError as exc:
        what = (
            "proofValue is not base58btc multibase"
            if suite.proof_value_key == "proofValue"
            else f"{suite.proof_value_key} cannot be read: {exc.message}"
        )
        raise _Fail(what, "PROOF_VALUE_INVALID") from None

    # the canonical document depends on the hash too (RDFC-1.0 labels with it)
    cache_key = (suite.transform, suite.stage_context(key_type).hash_name, chain)
    canon_doc = cache.get(cache_key)
    hashed = stages(
        suite, unsecured, options, key_type, loader=loader, canonical_document=canon_doc
    )
    cache[cache_key] = hashed.canonical_document
    if not suite.verify(method.public_key, hashed.hash_data, signature):
        raise _Fail(
            f"the {suite.name} signature does not match the document and proof options "
            f"(something was changed after signing, or the wrong key signed)",
            "PROOF_SIGNATURE_INVALID",
        )
    pid = proof.get("id")
    return SingleProofResult(
        True,
        f"{suite.name} proof by {vm_url} verified",
        suite=suite.name,
        verification_method=vm_url,
        controller=method.controller,
        purpose=str(proof.get("proofPurpose")),
        proof_id=pid if isinstance(pid, str) else None,
        expanded=suite.uses_rdf,
        signed_document=None if chain else hashed.canonical_document,
        signed_form="nquads" if suite.uses_rdf else "json",
    )
