"""The three verbs of the public API: ``issue``, ``verify``, ``convert``.

They are thin dispatchers over the format registry (:mod:`microcred_vc.formats.registry`):
each format declares its hooks there, so adding one touches nothing here. ``verify``
builds one :class:`~microcred_vc.context.VerificationContext` and hands it to the
format's verify hook, which hands it on to every nested credential, presentation,
status list and JWT. Spokes are imported by their hooks, so ``import microcred_vc``
stays light.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from microcred_vc.context import VerificationContext
from microcred_vc.errors import ConversionError, MicrocredError
from microcred_vc.formats.base import ConversionResult
from microcred_vc.formats.builtin import FORMATS
from microcred_vc.formats.registry import FormatRegistry
from microcred_vc.report import VerificationReport
from microcred_vc.verification import convert_with

ISSUE_FORMATS = ("ob3", "edc")
CONVERT_TARGETS = ("ob3", "edc", "vc2", "vc1")


def issue(
    credential: Any,
    key: Any,
    *,
    format: str = "ob3",
    cryptosuite: str | None = None,
    envelope: str | None = None,
    credential_status: dict[str, Any] | list[dict[str, Any]] | None = None,
    created: datetime | str | None = None,
    loader: Any = None,
    formats: FormatRegistry | None = None,
) -> dict[str, Any] | str:
    """Sign a :class:`MicroCredential` (dumped to ``format``) or a credential dict.

    ``cryptosuite`` defaults by key type: eddsa-rdfc-2022 for Ed25519,
    ecdsa-rdfc-2019 for P-256 and P-384. ``envelope="jwt"`` returns a VC-JOSE-COSE compact JWT instead of an
    embedded Data Integrity proof. ``credential_status`` (an entry made by the
    status registry) is placed in the credential before signing.

    The issuer is never filled in or rewritten: the key's controller
    (``key.did``) must be the issuer the credential names, or
    :class:`~microcred_vc.errors.IssuerKeyMismatch` is raised. An institution
    issues as itself with ``generate_key(controller="did:web:…")``.
    """
    from microcred_vc.model import MicroCredential
    from microcred_vc.model.found import LearningCredential

    formats = formats or FORMATS
    if isinstance(credential, LearningCredential):  # issuing stays strict: all of Annex I
        credential = credential.to_micro_credential()
    if isinstance(credential, MicroCredential):
        doc = formats.dump(credential, format)
    elif isinstance(credential, dict):
        doc = copy.deepcopy(credential)
    else:
        raise MicrocredError(
            "issue() takes a MicroCredential or a credential dict", code="ISSUE_INPUT_INVALID"
        )
    if credential_status is not None:
        from microcred_vc.status import attach_status

        attach_status(doc, credential_status)  # with the status context an EDC lacks
    if envelope == "jwt":
        from microcred_vc.jose import sign_jwt
        from microcred_vc.proofs.issue import check_issuer

        check_issuer(doc, key)  # the issuer is the caller's: refused, never rewritten
        from microcred_vc.validate.datamodel import require_datamodel

        # the JWT payload is the credential: the same model as a DI one, contexts processable
        require_datamodel(doc, expand=True, loader=loader)
        return sign_jwt(doc, key)
    if envelope is not None:
        raise MicrocredError(
            f"unknown envelope {envelope!r}; use 'jwt' or none", code="ISSUE_INPUT_INVALID"
        )
    from microcred_vc.proofs import issue_document

    return issue_document(doc, key, cryptosuite=cryptosuite, created=created, loader=loader)


def verify(
    credential: Any,
    *,
    now: datetime | None = None,
    loader: Any = None,
    resolver: Any = None,
    fetch: Callable[[str], Any] | None = None,
    status: bool = True,
    registry: Any = None,
    recipient_email: str | None = None,
    trust_roots: Any = None,
    trusted_lists: Any = None,
    require_qualified: bool | str = False,
    ob3_schemas: str | Path | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    clock_skew: timedelta | None = None,
    context: VerificationContext | None = None,
    formats: FormatRegistry | None = None,
    status_list_signers: str | Collection[str] = "issuer",
    jwks: Any = None,
    allowed_algs: Collection[str] | None = None,
    allowed_suites: Collection[str] | None = None,
    trust: Any = None,
    status_min_entries: int = 131_072,
    status_cache: Any = None,
    accept_unchecked_status: bool = False,
    require_holder_is_subject: bool = False,
    limits: Any = None,
) -> VerificationReport:
    """Verify anything a wallet imports; never raises on a bad credential.

    Accepts a dict, JSON text, a compact JWT/JWS, or baked PNG/SVG bytes. The
    first check says which format was seen; the others are the named steps of
    that format's verification, each with a sentence a person can read.
    ``context`` (a :class:`VerificationContext`) replaces the keyword options;
    ``clock_skew`` tolerates clocks that disagree (validity, proof times, nbf/exp).
    ``status_list_signers`` is who may sign a fetched status list: ``"issuer"``
    (the credential's own issuer), ``"any-verified"`` or a set of DIDs.
    ``jwks`` (keys the caller trusts; ``{issuer_id: keys}`` binds them to issuers, see
    :mod:`microcred_vc.jose.trusted`) and ``allowed_algs`` (e.g. add ``"PS256"``)
    go to the JWT branch (:func:`microcred_vc.jose.verify_jwt`). ``allowed_suites``
    names the cryptosuites a Data Integrity proof may use (e.g. only
    ``{"ecdsa-rdfc-2019"}`` in an ecosystem that mandates it); a proof of any
    other is ``CRYPTOSUITE_NOT_ALLOWED`` and adds no trust.
    ``trust`` (a :class:`~microcred_vc.trust.TrustRegistry`, a registry file, or a list
    of them) adds the ``trust`` check on the issuer the proof established; it sets
    ``report.trusted`` and never changes ``report.verified`` (docs/issuer-identity.md).
    ``status_min_entries`` is the shortest status list believed, ``status_cache``
    a :class:`~microcred_vc.status.StatusListCache` reused across calls, and
    ``accept_unchecked_status=True`` lets a status that could not be checked
    warn instead of failing (``status=False`` skips the check, by request).
    Presentations (Data Integrity, JWT, enveloped) need ``challenge`` (and ``domain``
    when the holder bound one); ``require_holder_is_subject`` also fails a presented
    credential that is not about the holder (``HOLDER_NOT_SUBJECT``).
    Sealed EDCs: ``trust_roots`` anchor the seal's path; ``trusted_lists`` (``TrustedLists.load``
    of the EU LOTL and national lists, docs/guides/sealing.md) add the ``seal-qualification``
    check, and ``require_qualified`` fails a seal that is not qualified.
    ``limits`` (a :class:`~microcred_vc.jsonld.limits.Limits`) replaces the default size,
    depth and node caps on what is verified (JSON text and dicts alike).
    """
    formats = formats or (context.formats if context else None) or FORMATS
    if context is None:
        from microcred_vc.trust.loader import as_registries

        context = VerificationContext(
            loader=loader,
            resolver=resolver,
            fetch=fetch,
            now=now,
            clock_skew=clock_skew,
            status=status,
            registry=registry,
            recipient_email=recipient_email,
            trust_roots=trust_roots,
            trusted_lists=trusted_lists,
            require_qualified=require_qualified,
            ob3_schemas=ob3_schemas,
            challenge=challenge,
            domain=domain,
            status_list_signers=status_list_signers,
            trusted_keys=jwks,
            algorithms=None if allowed_algs is None else tuple(allowed_algs),
            allowed_suites=_names(allowed_suites),
            trust_registries=as_registries(trust),
            status_min_entries=status_min_entries,
            status_cache=status_cache,
            accept_unchecked_status=accept_unchecked_status,
            require_holder_is_subject=require_holder_is_subject,
            limits=limits,
        )
    return formats.verify(credential, context.with_changes(formats=formats))


def _names(names: Collection[str] | None) -> frozenset[str] | None:
    if isinstance(names, str):
        raise TypeError("allowed_suites must be a collection of suite names, not one string")
    return None if names is None else frozenset(names)


def verify_presentation(vp: Any, **options: Any) -> VerificationReport:
    """:func:`microcred_vc.proofs.verify_presentation`, with enveloped credentials inside
    verified through the default format registry (the proofs package cannot import it)."""
    from microcred_vc.proofs.presentation import verify_presentation as verify_vp

    options.setdefault("formats", FORMATS)
    return verify_vp(vp, **options)


def convert(
    document: Any,
    to: str,
    *,
    fetch: Callable[[str], Any] | None = None,
    formats: FormatRegistry | None = None,
    require: str | None = None,
    complete_with: Any = None,
    seal_certificate: Any = None,
    verify: bool = False,
) -> ConversionResult:
    """Convert between formats through the :class:`MicroCredential` hub, with a loss report.

    Best-effort: any credential of a known format converts, missing elements stay
    missing (never invented) and ``result.completeness`` names them.
    ``require="annex-i"`` refuses one that is not a complete micro-credential.
    ``complete_with`` (a course spec, dict or :class:`CourseSpec`) fills what is
    missing; each filled element is listed in ``completeness.supplied``.
    An EDC is refused without the issuer's eIDAS legal identifier (``EDC_ISSUER_NO_LEGAL_ID``);
    ``seal_certificate`` (the certificate that will seal it) supplies it from its
    ``organizationIdentifier``, or must agree with the one the issuer has.
    ``fetch(url)`` lets an Open Badges 2.0 assertion bring in a BadgeClass or
    Issuer given by URL; without it nothing is fetched and such a badge fails
    with ``NETWORK_DISABLED`` naming the URL.

    No signature or seal survives a format change: each is named in the losses, with
    whether the source was verified. ``convert`` only reads, so by default it does not
    verify (a tampered credential converts too, and the losses say it was not
    verified); ``verify=True`` verifies the source first (status not checked) and
    raises ``CONVERT_SOURCE_UNVERIFIED`` naming the failed checks.
    """
    from microcred_vc.api import verify as verify_credential  # the parameter hides it

    verify_source = verify
    registry = formats or FORMATS
    if verify_source:
        report = verify_credential(document, fetch=fetch, formats=registry, status=False)
        if not report.verified:
            failed = "; ".join(f"{c.name}: {c.message}" for c in report.checks if c.failed)
            raise ConversionError(
                f"the source credential does not verify, so it is not converted ({failed})",
                code="CONVERT_SOURCE_UNVERIFIED",
            )
    return convert_with(
        registry,
        document,
        to,
        fetch,
        require=require,
        complete_with=complete_with,
        seal_certificate=seal_certificate,
        verified=verify_source,
    )
