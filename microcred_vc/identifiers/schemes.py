"""The legal-person identifier schemes of ETSI EN 319 412-1 §5.1.4, and how each normalises.

A seal certificate's ``organizationIdentifier`` is written ``VATIE-3668997OH``:
three letters for the scheme (``VAT``, ``NTR``, ``PSD``, ``LEI``), the country
(ISO 3166-1 alpha-2; ``XG`` for the global LEI), a hyphen, the identifier. A
scheme "according to local definition" is two letters and a colon (``XX:IE-…``).
Each scheme decides what may be told apart in a value, so normalisation is
per scheme: VAT numbers are letters and digits only (``BE 0123.456.789`` is
``0123456789``), trade-register numbers lose their dots and may repeat their VIES country prefix (``IE3668997OH``); an
LEI carries ISO 7064 check digits; a PSD value is the competent authority and
the provider number (ETSI TS 119 495 §5.2.1).

Everything is ASCII: a non-ASCII character (a Cyrillic ``О``, a full-width
digit, a no-break space) is refused rather than folded, so no Unicode case or
compatibility mapping can make two different identifiers compare equal.
"""

from __future__ import annotations

import re

import pycountry

from microcred_vc.errors import LegalIdentifierInvalid

#: ETSI EN 319 412-1 §5.1.4 scheme codes (three letters), with what they identify.
SCHEMES: dict[str, str] = {
    "VAT": "national value added tax identification number",
    "NTR": "national trade register identifier",
    "PSD": "payment service provider authorisation number (PSD2, ETSI TS 119 495)",
    "LEI": "Legal Entity Identifier (ISO 17442), country XG",
}

#: Council Directive 2006/112/EC art. 215: VAT prefixes that are not the ISO code.
VAT_PREFIX = {"GR": "EL"}
_VAT_COUNTRY = {"EL": "GR", "XI": "XI"}  # XI: Northern Ireland (Directive 2020/1756)
GLOBAL = "XG"

_VALUE_CHARS = re.compile(r"[A-Z0-9./_:-]+")  # after ASCII spaces are removed and case folded
_VAT_VALUE = re.compile(r"[A-Z0-9]{2,14}")
_LEI = re.compile(r"[A-Z0-9]{18}[0-9]{2}")
#: France's VAT key may be letters ("FR" + key + SIREN = 13): strip a repeated "FR" only then
_VAT_NATIONAL_LENGTH = {"FR": 11}


def _invalid(message: str, text: str) -> LegalIdentifierInvalid:
    return LegalIdentifierInvalid(f"{message} (got {text!r})", identifier=text)


def ascii_value(text: str, raw: str) -> str:
    """``text`` without ASCII spaces, upper-cased; anything outside printable ASCII is refused."""
    if not text.isascii() or not text.isprintable():
        raise _invalid(
            "a legal identifier is written in ASCII letters and digits; "
            "non-ASCII or control characters could pass for others",
            raw,
        )
    value = text.replace(" ", "").upper()
    if not value:
        raise _invalid("a legal identifier needs a value", raw)
    if not _VALUE_CHARS.fullmatch(value):
        raise _invalid("a legal identifier holds letters, digits and . / _ : - only", raw)
    return value


def country_code(code: str, scheme: str | None, raw: str) -> str:
    """The ISO 3166-1 alpha-2 country an identifier belongs to (``XG`` for a global LEI)."""
    code = code.upper()
    if scheme == "LEI":
        if code != GLOBAL:
            raise _invalid("an LEI is global: ETSI EN 319 412-1 writes it LEIXG-", raw)
        return code
    if scheme == "VAT" and code in _VAT_COUNTRY:
        return _VAT_COUNTRY[code]
    if code == GLOBAL or pycountry.countries.get(alpha_2=code) is None:
        raise _invalid(f"{code} is not an ISO 3166-1 country code", raw)
    return code


def country_of(value: str) -> str | None:
    """ISO alpha-2 for an alpha-2, an alpha-3 or an EU authority country IRI (``…/country/IRL``)."""
    code = value.rstrip("/").rsplit("/", 1)[-1].upper()
    if not code.isascii():
        return None
    found = None
    if len(code) == 2:
        found = pycountry.countries.get(alpha_2=code)
    elif len(code) == 3:
        found = pycountry.countries.get(alpha_3=code)
    return found.alpha_2 if found else None


def _check_lei(value: str, raw: str) -> None:
    if not _LEI.fullmatch(value):
        raise _invalid("an LEI is 18 letters or digits and 2 check digits", raw)
    number = int("".join(str(int(ch, 36)) for ch in value))
    if number % 97 != 1:
        raise _invalid("the LEI's ISO 7064 MOD 97-10 check digits are wrong", raw)


def normalise(scheme: str | None, country: str | None, value: str, raw: str) -> str:
    """The value as ``scheme`` tells identifiers apart (``value`` is already :func:`ascii_value`)."""
    if scheme == "VAT":
        value = re.sub(r"[.\-/]", "", value)
        prefix = VAT_PREFIX.get(country or "", country or "")
        national = _VAT_NATIONAL_LENGTH.get(prefix)
        if prefix and value.startswith(prefix) and (national is None or len(value) == national + 2):
            value = value[len(prefix) :]  # the VIES form repeats the country: IE3668997OH
        if not _VAT_VALUE.fullmatch(value):
            raise _invalid("a VAT number is 2 to 14 letters and digits", raw)
    elif scheme == "NTR":
        value = value.replace(".", "")  # registers print groups: 0123.456.789
    elif scheme == "LEI":
        _check_lei(value, raw)
    elif scheme == "PSD":
        authority, sep, number = value.partition("-")
        if not (sep and re.fullmatch(r"[A-Z]{2,8}", authority) and number):
            raise _invalid(
                "a PSD identifier is the competent authority, '-' and the provider number "
                "(ETSI TS 119 495, e.g. PSDBE-NBB-0123456789)",
                raw,
            )
        value = f"{authority}-{re.sub(r'[.]', '', number)}"
    return value
