"""EBSI Trusted Issuers Registry responses (microcred_vc/trust/ebsi.py).

Oracle: the TIR API response shapes (``GET /issuers/{did}`` with ``attributes``
whose ``body`` is a verifiable accreditation JWT and whose ``issuerType`` is
RootTAO / TAO / TI / Revoked; ``GET /issuers`` pages of ``items`` {did, href}),
as built in tests/trust/ebsi_samples.py and data/ebsi-issuers.json, and the
accreditation's own validity dates: an accreditation vouches for its
``credentialSubject.id`` only, only while valid, and not once revoked.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from microcred_vc.trust import EbsiIssuerList, EbsiIssuerRecord, load_trust_registry
from tests.trust.ebsi_samples import accreditation_jwt, attribute, issuer_record

DATA = Path(__file__).parent / "data"
DID = "did:ebsi:zTestAccreditedUniversity00001"
NOW = datetime(2027, 6, 1, tzinfo=UTC)


def test_accredited_issuer_is_vouched(tmp_path) -> None:
    path = tmp_path / "issuer.json"
    record = issuer_record(DID, attribute(accreditation_jwt(DID, name="Example University")))
    path.write_text(json.dumps(record))
    registry = load_trust_registry(path, name="EBSI TIR (pilot)")
    assert isinstance(registry, EbsiIssuerRecord)
    answer = registry.lookup(DID, now=NOW)
    assert answer.vouched, answer
    assert answer.name == "Example University"
    assert "TI" in answer.detail and "VerifiableAccreditationToAttest" in answer.detail


def test_revoked_accreditation_is_revoked() -> None:
    record = issuer_record(DID, attribute(accreditation_jwt(DID), issuer_type="Revoked"))
    assert EbsiIssuerRecord(record).lookup(DID, now=NOW).status == "revoked"


def test_expired_and_future_accreditations_are_expired() -> None:
    old = issuer_record(DID, attribute(accreditation_jwt(DID, valid_until="2026-01-01T00:00:00Z")))
    assert EbsiIssuerRecord(old).lookup(DID, now=NOW).status == "expired"
    assert EbsiIssuerRecord(old).lookup(DID, now=datetime(2025, 6, 1, tzinfo=UTC)).vouched
    future = issuer_record(
        DID, attribute(accreditation_jwt(DID, valid_from="2028-01-01T00:00:00Z"))
    )
    assert EbsiIssuerRecord(future).lookup(DID, now=NOW).status == "expired"


def test_one_valid_accreditation_is_enough() -> None:
    record = issuer_record(
        DID,
        attribute(accreditation_jwt(DID), issuer_type="Revoked"),
        attribute(accreditation_jwt(DID, valid_from="2026-01-01T00:00:00Z")),
    )
    assert EbsiIssuerRecord(record).lookup(DID, now=NOW).vouched


def test_accreditation_of_someone_else_vouches_for_nobody_here() -> None:
    """A record for DID whose attribute accredits another DID (a copied body) is no vouching."""
    record = issuer_record(DID, attribute(accreditation_jwt("did:ebsi:zSomebodyElse")))
    assert EbsiIssuerRecord(record).lookup(DID, now=NOW).status == "not-listed"


def test_record_is_about_its_own_did_only() -> None:
    record = issuer_record(DID, attribute(accreditation_jwt(DID)))
    assert EbsiIssuerRecord(record).lookup("did:ebsi:zOther", now=NOW).status == "not-listed"


def test_garbage_bodies_and_unknown_types_are_ignored() -> None:
    record = issuer_record(
        DID,
        {"hash": "00", "body": "not-a-jwt", "issuerType": "TI"},
        {"hash": "00", "body": "a.%%%.c", "issuerType": "TI"},
        attribute(accreditation_jwt(DID), issuer_type="Unknown"),
    )
    assert EbsiIssuerRecord(record).lookup(DID, now=NOW).status == "not-listed"


def test_issuer_list_vouches_for_registered_dids() -> None:
    registry = load_trust_registry(DATA / "ebsi-issuers.json")
    assert isinstance(registry, EbsiIssuerList)
    assert registry.lookup("did:ebsi:zTestListedOnlyIssuer000000002").vouched
    assert registry.lookup("did:ebsi:zNotRegistered").status == "not-listed"
