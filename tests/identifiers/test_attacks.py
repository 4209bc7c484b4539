"""Identifiers that look alike but name another organisation must not match.

Oracle: ETSI EN 319 412-1 §5.1.4 (scheme and country are part of the identifier: a VAT
number is not a trade-register number, an Irish number is not a Belgian one) and the
property that only ASCII spaces and ASCII letter case are writing habits. Every look-alike
below either fails to parse (a typed error) or compares unequal; none is folded into the
genuine identifier. The seal-level regressions (which the old comparison let through) are
in tests/seal/test_issuer_identity.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc.errors import LegalIdentifierInvalid
from microcred_vc.identifiers import LegalIdentifier, parse

GENUINE = parse("VATIE-6388047IH")


def _matches(text: str, country: str | None = None) -> bool:
    try:
        other = parse(text, country=country)
    except LegalIdentifierInvalid:
        return False
    return other.matches(GENUINE) or GENUINE.matches(other)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("NTRIE-6388047IH", None),  # another scheme
        ("VATBE-6388047IH", None),  # another country
        ("6388047IH", "BE"),  # a bare number of another country
        ("6388047IH", None),  # a bare number of no stated country
        ("BE/IE/6388047IH", None),  # eIDAS form issued by another country
        ("VATIE-6388047ıH", None),  # dotless ı: str.upper() makes it I
        ("VATIE-6388047ſH", None),  # long s: str.upper() makes it S
        ("VATIE-６388047IH", None),  # full-width 6
        ("VATIE-6388047ІH", None),  # Cyrillic І
        ("VATIE-6388047IH\u200b", None),  # zero-width space
        ("VATIE-6388047\u00a0IH", None),  # no-break space
        ("VATIE-6388047IHX", None),  # one character more
        ("VATIE-638804IH", None),  # one character less
        ("vatie-6388047IH", None),  # the ETSI prefix is upper case: a bare value, not VATIE
    ],
)
def test_look_alikes_do_not_match(text, country):
    assert not _matches(text, country)


def test_the_genuine_forms_do_match():
    assert _matches("VATIE-6388047IH")
    assert _matches("VATIE-IE 6388047 ih")
    assert _matches("IE/IE/6388047IH")
    assert _matches("6388047IH", "IRL")


@given(
    st.sampled_from(["VATBE-", "NTRBE-", "AB:BE-", "CD:BE-"]),
    st.sampled_from(["VATBE-", "NTRBE-", "AB:BE-", "CD:BE-"]),
    st.text(alphabet="0123456789", min_size=4, max_size=12),
)
def test_qualified_identifiers_of_different_schemes_never_match(first, second, number):
    """Property: the scheme is part of the identity; the same number in two registers is two."""
    assert parse(first + number).matches(parse(second + number)) is (first == second)


def test_raw_text_is_not_part_of_equality():
    assert parse("VATBE-0123.456.789") == LegalIdentifier("VAT", "BE", "0123456789")
    assert hash(parse("VATBE-0123.456.789")) == hash(parse("VATBE-0123456789"))
