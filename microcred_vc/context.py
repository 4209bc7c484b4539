"""One verification context: every option of ``verify()`` in one frozen value.

``verify()`` builds it once and hands the same object to every branch — each
format's verify hook, every credential inside a presentation or a baked image,
the status check and the status lists it fetches, a JWT's payload checks — so
a branch cannot drop an option the caller set (DESIGN.md, "One verification
context"; issue 15 item 2). Nested documents are verified through
:meth:`VerificationContext.verify`, which dispatches through ``formats`` (the
format registry) with this same context.

The module imports nothing else of the package at run time, so any spoke may
take a context without an import circle.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from microcred_vc.formats.registry import FormatRegistry
    from microcred_vc.report import Check, VerificationReport


@dataclass(frozen=True)
class VerificationContext:
    """What every branch of a verification needs; ``None`` means "the library default"."""

    #: JSON-LD document loader (contexts), for every proof and every nested credential.
    loader: Any = None
    #: DID / controller-document resolver.
    resolver: Any = None
    #: ``fetch(url)`` for status lists and hosted badges; without it nothing is fetched.
    fetch: Callable[[str], Any] | None = None
    #: The clock: the moment the credential is judged at (``None``: now).
    now: datetime | None = None
    #: Tolerance for clocks that disagree (validity dates, proof times, nbf/exp).
    clock_skew: timedelta | None = None
    #: Cryptosuites a Data Integrity proof may use (``None``: every registered one).
    allowed_suites: frozenset[str] | None = None
    #: JOSE algorithms a JWT may use (``None``: the JOSE defaults).
    algorithms: tuple[str, ...] | None = None
    #: Keys trusted to sign JWTs (a JWK set), beside those the resolver finds.
    trusted_keys: Any = None
    #: X.509 trust anchors for sealed EDCs (the EU trusted lists, or the caller's).
    trust_roots: Any = None
    #: EU Trusted Lists (a ``seal.trusted_list.TrustedLists``) that decide whether a seal is
    #: qualified, and whether one must be (True: a qualified seal, "QC": a qualified certificate).
    trusted_lists: Any = None
    require_qualified: bool | str = False
    #: Issuer trust registries (TrustRegistry objects; ``verify(trust=)`` loads files)
    #: consulted by the ``trust`` check of every credential, nested ones included.
    trust_registries: tuple[Any, ...] = ()
    #: Status policy: whether to check status at all, and the local registry.
    status: bool = True
    registry: Any = None
    #: Who may sign a fetched status list: "issuer", "any-verified" or a set of DIDs.
    status_list_signers: str | Collection[str] = "issuer"
    #: Shortest status list believed (the Recommendation's 131,072; an ecosystem may differ).
    status_min_entries: int = 131_072
    #: A ``StatusListCache`` of verified lists (their ``ttl``), shared by repeated verifies.
    status_cache: Any = field(default=None, compare=False)
    #: Accept a credentialStatus that could not be checked (a warning instead of a failure).
    accept_unchecked_status: bool = False
    #: Size, depth and work limits (``None``: the library defaults).
    limits: Any = None
    #: Branch-specific requests of the caller.
    recipient_email: str | None = None
    ob3_schemas: str | Path | None = None
    challenge: str | None = None
    domain: str | list[str] | None = None
    #: Presentations: each credential's (signed) subject must be the holder, so a
    #: holder cannot present someone else's credentials as their own.
    require_holder_is_subject: bool = False
    #: The format registry nested documents are dispatched through.
    formats: FormatRegistry | None = field(default=None, compare=False)

    def with_changes(self, **changes: Any) -> VerificationContext:
        """A copy with some fields changed (e.g. no status check for a status list)."""
        return replace(self, **changes)

    def verify(self, value: Any) -> VerificationReport:
        """Verify a nested document (credential in a presentation, badge in an image)."""
        if self.formats is None:
            from microcred_vc.report import Check, VerificationReport

            report = VerificationReport()
            report.checks.append(
                Check("proof", "fail", "cannot verify a non-Data-Integrity credential")
            )
            return report
        return self.formats.verify(value, self)

    def verify_data_integrity(self, value: Any) -> VerificationReport:
        """Verify one Data Integrity credential with every option of this context.

        Each format branch that holds a plain Data Integrity credential (OB3, VC, CLR…)
        calls this one place, so none can forget an option (the CLR branch once dropped
        the allowed suites).
        """
        from microcred_vc.proofs.verify import verify_credential

        return verify_credential(
            value,
            now=self.now,
            resolver=self.resolver,
            loader=self.loader,
            status_checker=self.status_checker(),
            suites=self.suites(),
            **self.skew(),
        )

    def suites(self) -> Any:
        """The cryptosuite registry proofs are looked up in: the default one, narrowed to
        ``allowed_suites`` when the caller named some (``None``: every registered suite)."""
        if self.allowed_suites is None:
            return None
        from microcred_vc.proofs.suites.registry import SuiteRegistry

        return SuiteRegistry(allowed=self.allowed_suites)

    def skew(self) -> dict[str, Any]:
        """The ``clock_skew`` keyword for a verifier, only when the caller set one."""
        return {} if self.clock_skew is None else {"clock_skew": self.clock_skew}

    def trust_check(self, report: VerificationReport) -> Check:
        """The ``trust`` check of one credential's report, with this context's registries
        and clock (``skip`` when the caller gave none)."""
        from microcred_vc.trust.check import trust_check

        return trust_check(report, self.trust_registries, self.now)

    def status_checker(self) -> Callable[[Mapping[str, Any]], Check] | None:
        """The status check this context asks for, with the lists verified in this context.

        With ``status=False`` the check still runs, to say it was skipped by request.
        """
        if not self.status:
            from microcred_vc.status.check import not_requested

            return not_requested
        from microcred_vc.status import check_status

        def checker(doc: Mapping[str, Any]) -> Check:
            # each list is verified with the same loader, resolver and clock as the credential
            return check_status(
                doc,
                fetch=self.fetch,
                registry=self.registry,
                now=self.now,
                loader=self.loader,
                resolver=self.resolver,
                list_signers=self.status_list_signers,
                clock_skew=self.clock_skew,
                allowed_suites=self.allowed_suites,
                min_entries=self.status_min_entries,
                cache=self.status_cache,
                accept_unchecked=self.accept_unchecked_status,
            )

        return checker


def field_names() -> list[str]:
    """Every field of the context (the test that each branch receives them all uses it)."""
    return [f.name for f in fields(VerificationContext)]
