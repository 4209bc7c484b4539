"""Fetch revocation data online: OCSP from a certificate's AIA, CRLs from its distribution points.

Offline by default, like the rest of the library: revocation is fetched only
when the caller passes the library's guarded fetcher (``fetch=HttpFetcher()``,
what ``verify --network`` does) or a :class:`RevocationFetcher`. Every request
goes through :func:`microcred_vc.net.fetch_bytes`: per-read timeout, a deadline
per request and one budget for all of them, a size cap, no redirects, and no
private or loopback address unless ``block_private`` is switched off (tests
on 127.0.0.1). A responder that is down, slow or answers garbage becomes a
*problem* the report shows ("revocation unknown"), never an exception.

Nothing fetched here is trusted yet: the OCSP responses (signature, responder
authorised by the CA, about this certificate) and CRLs (signature, issuer,
freshness) are judged by pyhanko-certvalidator in
:func:`microcred_vc.seal.certs.validate_path`, like data the caller supplies.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import ocsp as asn1_ocsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID

from microcred_vc.errors import MicrocredError, SealCreationError
from microcred_vc.net import check_public_http, fetch_bytes
from microcred_vc.seal.certs import der, describe

#: a chain longer than this is not walked (each certificate may cost two fetches)
MAX_CERTIFICATES = 6
#: at most this many URLs of each kind are tried per certificate
MAX_URLS = 2


@dataclass(frozen=True)
class RevocationFetcher:
    """How revocation data is fetched: the guarded transport's limits, and a total budget.

    ``timeout`` bounds each socket operation, ``deadline`` each request (None:
    ``timeout`` x 3) and ``budget`` all requests of one verification together.
    """

    timeout: float = 5.0
    deadline: float | None = None
    budget: float = 30.0
    max_bytes: int = 5_000_000
    block_private: bool = True
    transport: Any = None


def fetcher_for(fetch: Any) -> RevocationFetcher | None:
    """The revocation fetcher for a verifier's ``fetch=`` option, or None (offline).

    The library's :class:`~microcred_vc.net.HttpFetcher` lends its settings
    (loopback allowed only when it allows it); any other ``fetch`` callable
    answers JSON by URL and cannot POST an OCSP request, so it means offline.
    """
    if fetch is None or isinstance(fetch, RevocationFetcher):
        return fetch
    from microcred_vc.net import HttpFetcher

    if isinstance(fetch, HttpFetcher):
        return RevocationFetcher(
            timeout=fetch.timeout,
            deadline=fetch.deadline,
            budget=max(fetch.timeout * 6, 1.0),
            max_bytes=fetch.max_bytes,
            block_private=fetch.block_private,
            transport=fetch.transport,
        )
    return None


@dataclass
class Gathered:
    """What was fetched (DER), from where, and what could not be fetched."""

    crls: list[bytes] = field(default_factory=list)
    ocsps: list[bytes] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: whether any certificate named an OCSP responder or CRL distribution point
    declared: bool = False


def ocsp_urls(cert: x509.Certificate) -> list[str]:
    """The OCSP responders named in the certificate's AIA (RFC 5280 §4.2.2.1)."""
    try:
        aia = cert.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS)
    except x509.ExtensionNotFound:
        return []
    return [
        d.access_location.value
        for d in aia.value
        if d.access_method == AuthorityInformationAccessOID.OCSP
        and isinstance(d.access_location, x509.UniformResourceIdentifier)
    ]


def crl_urls(cert: x509.Certificate) -> list[str]:
    """The http(s) CRL distribution points of the certificate (RFC 5280 §4.2.1.13)."""
    try:
        points = cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS)
    except x509.ExtensionNotFound:
        return []
    return [
        name.value
        for point in points.value
        for name in point.full_name or ()
        if isinstance(name, x509.UniformResourceIdentifier)
        and name.value.lower().startswith(("http://", "https://"))
    ]


def issuer_of(cert: x509.Certificate, candidates: Iterable[x509.Certificate]) -> Any:
    """The candidate whose key signed ``cert`` (None when there is none, or it is self-signed)."""
    for candidate in candidates:
        if candidate.subject != cert.issuer or der(candidate) == der(cert):
            continue
        try:
            cert.verify_directly_issued_by(candidate)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return candidate
    return None


def chain_to_cover(
    leaves: Sequence[x509.Certificate], candidates: Sequence[x509.Certificate]
) -> list[tuple[x509.Certificate, x509.Certificate]]:
    """(certificate, issuer) for each leaf and each CA above it that has an issuer here."""
    out: list[tuple[x509.Certificate, x509.Certificate]] = []
    seen: set[bytes] = set()
    for leaf in leaves:
        cert = leaf
        while len(out) < MAX_CERTIFICATES and der(cert) not in seen:
            seen.add(der(cert))
            issuer = issuer_of(cert, candidates)
            if issuer is None:
                break
            out.append((cert, issuer))
            cert = issuer
    return out


def gather(
    pairs: Sequence[tuple[x509.Certificate, x509.Certificate]], fetcher: RevocationFetcher
) -> Gathered:
    """Fetch each certificate's status: OCSP first, its CRLs when OCSP gave nothing."""
    result = Gathered()
    ends = time.monotonic() + fetcher.budget
    crl_cache: dict[str, bytes | None] = {}
    for cert, issuer in pairs:
        responders, points = ocsp_urls(cert)[:MAX_URLS], crl_urls(cert)[:MAX_URLS]
        if not (responders or points):
            continue
        result.declared = True
        who = describe(cert)
        found = False
        for url in responders:
            body = _try(
                result, f"OCSP responder {url}", ends, fetcher, url, _ocsp_request(cert, issuer)
            )
            if body is not None and _ocsp_ok(body, url, result):
                result.ocsps.append(body)
                result.sources.append(f"OCSP {url} for {who}")
                found = True
                break
        for url in [] if found else points:
            if url not in crl_cache:
                crl_cache[url] = _try(result, f"CRL {url}", ends, fetcher, url, None)
                if crl_cache[url] is not None:
                    result.crls.append(crl_cache[url])  # type: ignore[arg-type]
            if crl_cache[url] is not None:
                result.sources.append(f"CRL {url} for {who}")
                break
    return result


def fetch_revocation(
    certs: Sequence[x509.Certificate],
    fetch: Any,
    *,
    extra: Sequence[x509.Certificate] = (),
) -> tuple[list[bytes], list[bytes]]:
    """``(crls, ocsps)`` for ``seal_edc(..., level="B-LT", revocation=...)``, fetched now.

    ``certs`` is the seal's chain (leaf first); ``extra`` other certificates
    that may be issuers (the root). Raises :class:`SealCreationError` when
    a certificate's status could not be fetched: a B-LT seal must not carry
    less than it claims.
    """
    fetcher = fetcher_for(fetch)
    if fetcher is None:
        raise ValueError("fetch_revocation needs the library's HttpFetcher or a RevocationFetcher")
    pool = [*certs, *extra]
    got = gather(chain_to_cover(certs[:1], pool), fetcher)
    if got.problems:
        raise SealCreationError("revocation data could not be fetched: " + "; ".join(got.problems))
    return got.crls, got.ocsps


def _ocsp_request(cert: x509.Certificate, issuer: x509.Certificate) -> bytes:
    """DER OCSPRequest for ``cert`` (RFC 6960 §4.1), SHA-256 CertID, built by cryptography."""
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA256())
    return builder.build().public_bytes(Encoding.DER)


def _ocsp_ok(body: bytes, url: str, result: Gathered) -> bool:
    """A readable OCSPResponse with status ``successful`` (its contents are judged later)."""
    try:
        status = asn1_ocsp.OCSPResponse.load(body)["response_status"].native
    except (ValueError, TypeError, KeyError) as exc:
        result.problems.append(f"OCSP responder {url} answered something unreadable: {exc}")
        return False
    if status != "successful":
        result.problems.append(f"OCSP responder {url} answered {status!r}")
        return False
    return True


def _try(
    result: Gathered,
    what: str,
    ends: float,
    fetcher: RevocationFetcher,
    url: str,
    content: bytes | None,
) -> bytes | None:
    """One guarded request within the budget; a failure is recorded, never raised."""
    left = ends - time.monotonic()
    if left <= 0:
        result.problems.append(
            f"{what} not asked: the revocation budget of {fetcher.budget:g} s is spent"
        )
        return None
    per_request = fetcher.deadline if fetcher.deadline is not None else fetcher.timeout * 3
    headers = {"Content-Type": "application/ocsp-request"} if content is not None else {}
    try:
        return fetch_bytes(
            url,
            timeout=min(fetcher.timeout, left),
            deadline=min(per_request, left),
            max_bytes=fetcher.max_bytes,
            max_redirects=0,
            check_url=lambda hop: check_public_http(hop, block_private=fetcher.block_private),
            headers=headers,
            block_private=fetcher.block_private,
            transport=fetcher.transport,
            content=content,
        )
    except MicrocredError as exc:  # NetworkError, AddressNotAllowed, deadline, too large
        result.problems.append(f"{what} unreachable: {exc}")
        return None
