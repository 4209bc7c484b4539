"""Legal identifiers as written in certificates and EDCs, parsed into scheme, country, value.

Three written forms meet when an EDC is sealed:

- ETSI EN 319 412-1 (the seal certificate's ``organizationIdentifier``, and what
  the EC's issuing tool copies into ``eIDASIdentifier``): ``VATIE-3668997OH``,
  ``NTRBE-0123456789``, ``LEIXG-…``, ``PSDBE-NBB-…``, or a local ``XX:IE-…``;
- the eIDAS node's legal person identifier ``IE/IE/3668997OH`` (country of the
  identifier / country it is sent to / value), as the library's example course has it;
- an ELM ``LegalIdentifier`` node: a bare ``notation`` with its ``spatial`` country
  (``17207834`` in Estonia), sometimes a ``schemeName``.

A bare value states no scheme. It is *unqualified* and can only be compared with a
qualified identifier of the same country, read by that identifier's scheme: the
EDC's Estonian ``17207834`` is the certificate's ``NTREE-17207834``. Two qualified
identifiers are equal only with the same scheme, country and normalised value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from microcred_vc.errors import LegalIdentifierInvalid
from microcred_vc.identifiers.schemes import (
    GLOBAL,
    SCHEMES,
    ascii_value,
    country_code,
    country_of,
    normalise,
)

_ETSI = re.compile(r"(?P<scheme>[A-Z]{3})(?P<country>[A-Z]{2})-(?P<value>.+)", re.DOTALL)
_LOCAL = re.compile(r"(?P<scheme>[A-Z]{2}):(?P<country>[A-Z]{2})-(?P<value>.+)", re.DOTALL)
_EMPTY = re.compile(r"(VAT|NTR|PSD|LEI)[A-Z]{2}-")
_EIDAS = re.compile(r"(?P<country>[A-Za-z]{2})/(?P<to>[A-Za-z]{2})/(?P<value>.+)", re.DOTALL)


@dataclass(frozen=True)
class LegalIdentifier:
    """An organisation's legal identifier: ``scheme`` (``VAT``, ``NTR``, ``PSD``, ``LEI``,
    a local ``XX:`` or None when the writer named none), ``country`` (ISO 3166-1
    alpha-2, ``XG`` for an LEI, None when unknown) and the normalised ``value``.

    ``==`` compares scheme, country and value (``raw``, the text as written, is kept
    for messages only); :meth:`matches` also lets an unqualified identifier meet a
    qualified one of its country.
    """

    scheme: str | None
    country: str | None
    value: str
    raw: str = field(default="", compare=False)

    def __str__(self) -> str:
        """The ETSI EN 319 412-1 form when the scheme is known, else the value."""
        if self.scheme is None or self.country is None:
            return self.value
        return f"{self.scheme}{self.country}-{self.value}"  # a local scheme ends in ':'

    @property
    def qualified(self) -> bool:
        return self.scheme is not None

    def matches(self, other: LegalIdentifier) -> bool:
        """Whether both name the same organisation, as far as their forms can tell.

        Qualified with qualified: same scheme, country and value. With an
        unqualified side: the countries must be known and equal, and its value
        read by the other's scheme must equal the other's value. Nothing matches
        without a country, since a bare number means nothing without its register.
        """
        if self.qualified and other.qualified:
            return self == other
        if self.country is None or other.country is None or self.country != other.country:
            return False
        if not self.qualified and not other.qualified:
            return self.value == other.value
        known, bare = (self, other) if self.qualified else (other, self)
        try:
            value = normalise(known.scheme, known.country, bare.value, bare.raw)
        except LegalIdentifierInvalid:
            return False
        return value == known.value


def parse(text: str, *, country: str | None = None, scheme: str | None = None) -> LegalIdentifier:
    """Read ``text`` in any of the module's forms; ``country`` and ``scheme`` apply to a bare value.

    ``country`` may be an alpha-2, an alpha-3 or an EU authority country IRI. Raises
    :class:`~microcred_vc.errors.LegalIdentifierInvalid` for what is none of them, for
    an unknown country, a wrong LEI check or non-ASCII characters.
    """
    if not isinstance(text, str):
        raise LegalIdentifierInvalid(f"a legal identifier is text, got {type(text).__name__}")
    stripped = text.strip(" ")
    etsi = _ETSI.fullmatch(stripped)
    if etsi and etsi["scheme"] in SCHEMES:
        return _qualified(etsi["scheme"], etsi["country"], etsi["value"], text)
    local = _LOCAL.fullmatch(stripped)
    if local:
        return _qualified(local["scheme"] + ":", local["country"], local["value"], text)
    eidas = _EIDAS.fullmatch(stripped)
    if eidas:
        where = country_code(eidas["country"], None, text)
        country_code(eidas["to"], None, text)
        return LegalIdentifier(scheme, where, _value(scheme, where, eidas["value"], text), text)
    if _EMPTY.fullmatch(stripped):
        raise LegalIdentifierInvalid(f"{text!r} names a scheme but no value", identifier=text)
    if scheme is not None and scheme not in SCHEMES:
        raise LegalIdentifierInvalid(f"unknown legal identifier scheme {scheme!r}")
    where = _country_hint(country, scheme, text)  # "ABCIE-1" (no ETSI scheme) is a bare value
    return LegalIdentifier(scheme, where, _value(scheme, where, stripped, text), text)


def _qualified(scheme: str, country: str, value: str, raw: str) -> LegalIdentifier:
    where = country_code(country, scheme, raw)
    return LegalIdentifier(scheme, where, _value(scheme, where, value, raw), raw)


def _value(scheme: str | None, country: str | None, value: str, raw: str) -> str:
    return normalise(scheme, country, ascii_value(value, raw), raw)


def _country_hint(country: str | None, scheme: str | None, raw: str) -> str | None:
    if scheme == "LEI":
        return GLOBAL
    if country is None:
        return None
    found = country_of(country)
    if found is None:
        raise LegalIdentifierInvalid(f"{country!r} names no ISO 3166-1 country", identifier=raw)
    return found


def _spatial(node: dict[str, Any]) -> str | None:
    spatial = node.get("spatial")
    if isinstance(spatial, list) and len(spatial) == 1:
        spatial = spatial[0]
    if isinstance(spatial, dict):
        spatial = spatial.get("id") or spatial.get("@id")
    return spatial if isinstance(spatial, str) else None


def from_elm(node: Any, *, scheme: str | None = None) -> LegalIdentifier:
    """An ELM ``LegalIdentifier`` node (``notation``, ``spatial``, maybe ``schemeName``).

    A notation in ETSI or eIDAS form keeps its own scheme and country, and a ``spatial``
    that names another country is refused (except for a global LEI). A bare notation takes
    its country from ``spatial`` and its scheme from ``scheme`` (e.g. ``"VAT"`` for a
    ``vatIdentifier``) or from a ``schemeName`` that is an ETSI scheme code.
    """
    if not isinstance(node, dict):
        raise LegalIdentifierInvalid("a LegalIdentifier is an object with a notation")
    notation = node.get("notation")
    if not isinstance(notation, str):
        raise LegalIdentifierInvalid("the LegalIdentifier has no notation (text)")
    spatial = _spatial(node)
    named = node.get("schemeName")
    if scheme is None and isinstance(named, str) and named.strip().upper() in SCHEMES:
        scheme = named.strip().upper()
    parsed = parse(notation, country=spatial, scheme=scheme)
    stated = country_of(spatial) if spatial else None
    if parsed.country not in (GLOBAL, None) and stated not in (None, parsed.country):
        raise LegalIdentifierInvalid(
            f"the notation {notation!r} is from {parsed.country} but its spatial says {stated}",
            identifier=notation,
        )
    return parsed
