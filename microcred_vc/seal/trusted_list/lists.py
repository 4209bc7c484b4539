"""A set of Trusted Lists the caller gave: the LOTL, the national lists, what was missing.

The library never downloads a list by itself: the caller hands over files
(the EU LOTL from https://ec.europa.eu/tools/lotl/eu-lotl.xml and the
national lists it points to). A LOTL is believed when a certificate the
caller trusts signed it; a national list when a certificate the LOTL's
pointer names for that list (or one the caller trusts) signed it. A pointer
is followed only to a file the caller gave, matched by its TSLLocation (when
the caller keyed files by location) or by scheme territory and list type;
pointers with no such file are remembered, so the verifier can say which list
to download instead of "not qualified".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.hashes import SHA256

from microcred_vc.seal.certs import CertLike, load_certificates
from microcred_vc.seal.trusted_list.model import (
    LOTL_TYPE,
    NS,
    XML_MIME,
    Pointer,
    Service,
    TrustedList,
    TrustedListProblem,
    parse_xml,
    read_list,
)
from microcred_vc.seal.trusted_list.signature import verify_list_signature

Source = Path | str | bytes


@dataclass(frozen=True)
class ListProblem:
    """A given list that was not used, and why (``code`` is a check code)."""

    source: str
    code: str
    message: str


@dataclass
class TrustedLists:
    """Verified Trusted Lists; build with :meth:`load`."""

    lists: list[TrustedList] = field(default_factory=list)
    problems: list[ListProblem] = field(default_factory=list)
    missing: list[Pointer] = field(default_factory=list)

    @classmethod
    def load(
        cls,
        sources: Iterable[Source] | Mapping[str, Source],
        *,
        signers: CertLike | Iterable[CertLike] = (),
        moment: datetime | None = None,
    ) -> TrustedLists:
        """Read and verify the given lists (files, XML bytes, or ``{TSLLocation: file}``).

        ``signers`` are the certificates trusted to sign a LOTL (the EU publishes
        them in the Official Journal) or a list given without a LOTL. Lists that
        fail are kept in :attr:`problems` with their code, never raised.
        """
        when = (moment or datetime.now(UTC)).astimezone(UTC)
        trusted = load_certificates(signers) if signers else []
        keyed = isinstance(sources, Mapping)
        items = (
            list(sources.items()) if isinstance(sources, Mapping) else [(None, s) for s in sources]
        )
        out = cls()
        parsed: list[tuple[str | None, str, object]] = []
        for location, source in items:
            label = location or _label(source)
            try:
                parsed.append((location, label, parse_xml(_read(source))))
            except TrustedListProblem as exc:
                out.problems.append(ListProblem(label, exc.code, str(exc)))
        lotls = [p for p in parsed if _scheme_type(p[2]) == LOTL_TYPE]
        others = [p for p in parsed if _scheme_type(p[2]) != LOTL_TYPE]
        used: set[int] = set()
        for _, label, root in lotls:
            lotl = out._verify(label, root, trusted, when)
            if lotl is None:
                continue
            for pointer in lotl.pointers:
                if pointer.tsl_type == LOTL_TYPE or (pointer.mime_type or XML_MIME) != XML_MIME:
                    continue  # the LOTL's pointer to itself, and the PDF renderings
                found = [i for i, p in enumerate(others) if _matches(pointer, p[0], p[2], keyed)]
                if not found:
                    out.missing.append(pointer)
                for index in found:
                    used.add(index)
                    out._verify(
                        others[index][1], others[index][2], [*pointer.signers, *trusted], when
                    )
        for index, (_, label, root) in enumerate(others):
            if index not in used:
                out._verify(label, root, trusted, when)
        return out

    def _verify(
        self, label: str, root: object, signers: list[x509.Certificate], when: datetime
    ) -> TrustedList | None:
        try:
            signed, cert = verify_list_signature(root, signers, when)  # type: ignore[arg-type]
            tl = read_list(signed, label)
        except TrustedListProblem as exc:
            self.problems.append(ListProblem(label, exc.code, f"{label}: {exc}"))
            return None
        tl.signer = cert
        self.lists.append(tl)
        return tl

    def services(self) -> Iterator[tuple[TrustedList, Service]]:
        for tl in self.lists:
            for service in tl.services:
                yield tl, service

    def anchors(self) -> list[x509.Certificate]:
        """Every certificate a listed service is identified by (trust anchors for paths)."""
        seen: dict[bytes, x509.Certificate] = {}
        for _, service in self.services():
            for state in service.states:
                for cert in state.identity.certificates:
                    seen.setdefault(cert.fingerprint(SHA256()), cert)
        return list(seen.values())

    def missing_for(self, territory: str | None) -> list[Pointer]:
        return [p for p in self.missing if territory and p.territory == territory]

    def stale(self, when: datetime) -> list[TrustedList]:
        """Lists whose NextUpdate has passed at ``when`` (a fresher one should exist)."""
        return [tl for tl in self.lists if tl.next_update is not None and tl.next_update < when]


def _matches(pointer: Pointer, location: str | None, root: object, keyed: bool) -> bool:
    if keyed:
        return location == pointer.location
    territory = root.findtext("tsl:SchemeInformation/tsl:SchemeTerritory", namespaces=NS)  # type: ignore[attr-defined]
    kind = _scheme_type(root)
    return (territory or "").strip() == pointer.territory and (
        pointer.tsl_type is None or kind == pointer.tsl_type
    )


def _scheme_type(root: object) -> str:
    """The list's TSLType, read before the signature only to route it (LOTL or not)."""
    value = root.findtext("tsl:SchemeInformation/tsl:TSLType", namespaces=NS)  # type: ignore[attr-defined]
    return (value or "").strip()


def _read(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise TrustedListProblem(f"cannot read {source}: {exc}") from exc


def _label(source: Source) -> str:
    return "a list given as bytes" if isinstance(source, bytes) else str(source)
