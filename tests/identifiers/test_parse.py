"""Legal identifiers read in their real written forms (microcred_vc.identifiers).

Oracles: ETSI EN 319 412-1 §5.1.4 (``VAT``/``NTR``/``PSD``/``LEI`` + ISO 3166 country +
``-`` + value), the identifiers the official fixtures really carry (the EC sample's seal
certificate and issuer, MyNextID's sealed EDC, the EDCI XML samples), ISO 17442 / ISO 7064
MOD 97-10 for LEI check digits (re-implemented here, independently of the library), and
properties (round trip through the ETSI form; normalisation is idempotent).
"""

from __future__ import annotations

import base64
import json
import string

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc import LegalIdentifier, parse_legal_identifier
from microcred_vc.errors import LegalIdentifierInvalid
from microcred_vc.identifiers import from_elm, parse
from tests.fixture_paths import FIXTURES

SAMPLES = FIXTURES / "edc" / "elm-v3-samples"
MYNEXTID = FIXTURES / "edc" / "third-party-mynextid" / "degree-certificate" / "v1" / "edc"
EU = ["AT", "BE", "DE", "EE", "ES", "FI", "IE", "IT", "NL", "PL", "PT", "SE", "SI"]


def _sealed(path):
    """(organizationIdentifier of the seal certificate, the sealed payload's issuer)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    protected = doc["signatures"][0]["protected"]
    header = json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4)))
    cert = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
    org_id = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value
    return org_id, json.loads(doc["payload"])["issuer"]


@pytest.mark.parametrize(
    ("text", "scheme", "country", "value"),
    [
        ("VATIE-3668997OH", "VAT", "IE", "3668997OH"),
        ("NTRBE-0123456789", "NTR", "BE", "0123456789"),
        ("NTRBE-0123.456.789", "NTR", "BE", "0123456789"),
        ("VATBE-BE 0123.456.789", "VAT", "BE", "0123456789"),
        ("VATIE-IE3668997OH", "VAT", "IE", "3668997OH"),  # the VIES form repeats the country
        ("VATEL-123456789", "VAT", "GR", "123456789"),  # Directive 2006/112/EC art. 215
        ("VATFR-FR12345678901", "VAT", "FR", "12345678901"),
        ("VATFR-FR123456789", "VAT", "FR", "FR123456789"),  # an FR key, not a repeated prefix
        ("PSDBE-NBB-0123.456.789", "PSD", "BE", "NBB-0123456789"),  # ETSI TS 119 495
        ("LEIXG-5493001KJTIIGC8Y1R12", "LEI", "XG", "5493001KJTIIGC8Y1R12"),
        ("VATSI-61038750", "VAT", "SI", "61038750"),  # EDCI XML sample <registration>
        ("IE/IE/3668997OH", None, "IE", "3668997OH"),  # eIDAS legal person identifier
        ("AB:SE-5560000000", "AB:", "SE", "5560000000"),  # a local scheme (two letters, colon)
    ],
)
def test_written_forms(text, scheme, country, value):
    parsed = parse(text)
    assert (parsed.scheme, parsed.country, parsed.value) == (scheme, country, value)
    assert parsed.raw == text


def test_the_ec_sample_seal_certificate_names_its_issuer():
    """The EC's sealed Annex I sample: its tool copied the certificate's identifier."""
    org_id, issuer = _sealed(SAMPLES / "Sample-MC-Annex1-signed.jsonld")
    sealer = parse(org_id)
    assert (sealer.scheme, sealer.country, sealer.value) == ("VAT", "ES", "A00000000")
    assert from_elm(issuer["eIDASIdentifier"]) == sealer


def test_a_bare_notation_with_its_country_meets_the_certificate():
    """MyNextID's sealed EDC: certificate NTREE-17207834, issuer notation 17207834 in EST."""
    org_id, issuer = _sealed(MYNEXTID / "examples" / "edc-dc-signed.jsonld")
    claimed = from_elm(issuer["eIDASIdentifier"])
    assert (claimed.scheme, claimed.country, claimed.value) == (None, "EE", "17207834")
    assert claimed.matches(parse(org_id)) and parse(org_id).matches(claimed)


def test_vat_identifier_node_is_read_as_vat():
    node = {
        "notation": "IE 3668997OH",
        "spatial": {"id": "http://publications.europa.eu/resource/authority/country/IRL"},
    }
    assert from_elm(node, scheme="VAT") == parse("VATIE-3668997OH")
    assert from_elm({**node, "schemeName": "VAT"}) == parse("VATIE-3668997OH")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "needs a value"),
        ("VATIE-", "no value"),
        ("VATZZ-123", "ZZ is not an ISO 3166-1 country"),
        ("LEIIE-5493001KJTIIGC8Y1R12", "an LEI is global"),
        ("LEIXG-5493001KJTIIGC8Y1R13", "check digits"),
        ("LEIXG-5493001KJTIIGC8Y1R", "18 letters or digits"),
        ("PSDBE-0123456789", "competent authority"),
        ("VATIE-3668997ОH", "ASCII"),  # Cyrillic О
        ("VATIE-3668997OH\u200b", "ASCII"),  # zero-width space
        ("VATIE-3668997\tOH", "ASCII"),
        ("VATIE-3668997#OH", "letters, digits"),
        ("VATIE-36689970000000OH", "2 to 14"),
    ],
)
def test_invalid_forms_raise_a_typed_error_saying_why(text, why):
    with pytest.raises(LegalIdentifierInvalid, match=why) as raised:
        parse(text)
    assert raised.value.code == "LEGAL_ID_INVALID"


def test_from_elm_refuses_a_notation_whose_country_contradicts_its_spatial():
    node = {
        "notation": "NTREE-17207834",
        "spatial": {"id": "http://publications.europa.eu/resource/authority/country/FRA"},
    }
    with pytest.raises(LegalIdentifierInvalid, match="from EE but its spatial says FR"):
        from_elm(node)


def test_public_api_exports():
    assert parse_legal_identifier("NTRBE-0123456789") == LegalIdentifier("NTR", "BE", "0123456789")


# --- properties ------------------------------------------------------------------
_alnum = st.text(alphabet=string.ascii_uppercase + string.digits, min_size=2, max_size=12)


@given(st.sampled_from(["VAT", "NTR"]), st.sampled_from(EU), _alnum)
def test_round_trip_through_the_etsi_form(scheme, country, value):
    """Property: str() writes the ETSI form, and reading it back gives the same identifier."""
    parsed = parse(f"{scheme}{country}-{value}")
    assert parse(str(parsed)) == parsed
    assert parse(str(parsed)).raw == str(parsed)


@given(st.sampled_from(["VAT", "NTR"]), st.sampled_from(EU), _alnum, st.data())
def test_ascii_spaces_and_case_do_not_make_another_identifier(scheme, country, value, data):
    """Property: ASCII spaces anywhere in the value and ASCII letter case are writing habits."""
    cuts = data.draw(st.lists(st.integers(0, len(value)), max_size=3))
    spaced = value
    for cut in sorted(cuts, reverse=True):
        spaced = spaced[:cut] + " " + spaced[cut:]
    assert parse(f"{scheme}{country}-{spaced.lower()}") == parse(f"{scheme}{country}-{value}")


@given(st.sampled_from([c for c in EU if c != "FR"]), _alnum)
def test_a_repeated_vies_prefix_is_the_same_vat_number(country, value):
    """Property: VATIE-IE… and VATIE-… name one VAT number (VIES writes the prefix)."""
    assert parse(f"VAT{country}-{country}{value}") == parse(f"VAT{country}-{value}")


def _lei_check_digits(base: str) -> str:
    """ISO 17442 / ISO 7064 MOD 97-10, written from the standard (letters A=10 … Z=35)."""
    digits = "".join(str(ord(c) - 55) if c.isalpha() else c for c in base + "00")
    return f"{98 - int(digits) % 97:02d}"


@given(st.text(alphabet=string.ascii_uppercase + string.digits, min_size=18, max_size=18))
def test_lei_check_digits(base):
    """Oracle: an independent ISO 7064 MOD 97-10 implementation; one changed character fails."""
    lei = base + _lei_check_digits(base)
    assert parse(f"LEIXG-{lei}").value == lei
    changed = ("1" if lei[0] != "1" else "2") + lei[1:]
    with pytest.raises(LegalIdentifierInvalid):
        parse(f"LEIXG-{changed}")
