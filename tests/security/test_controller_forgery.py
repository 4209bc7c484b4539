"""Issue #16 V1: a document cannot hand out keys in someone else's name.

Oracle: W3C Controlled Identifiers 1.0, "Retrieve Verification Method" -- the
method's controller must be the id of the document it came from, and that
document must be the one the method URL names. Each attack below signs with the
attacker's key through the library's own signers and dresses the key up as the
victim's; on the old code these verified as issued by the victim.
"""

from __future__ import annotations

from typing import Any

import pytest

from microcred_vc.jose.sign import sign_jwt
from microcred_vc.jose.verify import verify_jwt
from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.keys import Resolver, generate_key
from microcred_vc.keys.keypair import KeyPair
from microcred_vc.proofs import add_proof, verify_proof
from tests.fixture_paths import FIXTURES
from tests.jose.conftest import make_credential
from tests.proofs.conftest import EDDSA, read_json

VICTIM = generate_key()
ATTACKER_WEB = "did:web:attacker.example"
ATTACKER_HTTPS = "https://attacker.example/issuer"


@pytest.fixture(scope="module")
def loader() -> DocumentLoader:
    return DocumentLoader(extra_dirs=[FIXTURES / "contexts"])


def _document(doc_id: str, vm: str, key: KeyPair, controller: str) -> dict[str, Any]:
    return {
        "id": doc_id,
        "verificationMethod": [
            {
                "id": vm,
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": key.public.multibase,
            }
        ],
        "assertionMethod": [vm],
    }


@pytest.mark.parametrize("doc_id", [ATTACKER_WEB, ATTACKER_HTTPS])
def test_data_integrity_forged_controller_is_refused(loader, doc_id: str) -> None:
    vm = f"{doc_id}#k"
    attacker = generate_key(controller=VICTIM.did, key_id=vm)
    doc = read_json(EDDSA / "unsigned.json")
    doc["issuer"] = VICTIM.did
    signed = add_proof(doc, attacker, loader=loader)
    resolver = Resolver(documents={doc_id: _document(doc_id, vm, attacker, VICTIM.did)})
    result = verify_proof(signed, loader=loader, resolver=resolver)
    assert not result.verified
    assert result.code == "KEY_CONTROLLER_MISMATCH"


def test_document_served_under_another_id_is_refused(loader) -> None:
    """A URL whose document claims the victim's id cannot lend the victim a key."""
    vm = f"{VICTIM.did}#k"
    attacker = generate_key(controller=VICTIM.did, key_id=ATTACKER_HTTPS)
    signed = add_proof(read_json(EDDSA / "unsigned.json"), attacker, loader=loader)
    forged = _document(VICTIM.did, vm, attacker, VICTIM.did)
    resolver = Resolver(methods={"https": lambda url: forged})
    result = verify_proof(signed, loader=loader, resolver=resolver)
    assert not result.verified and result.code == "KEY_CONTROLLER_MISMATCH"


def test_legitimate_did_web_and_did_key_still_verify(loader) -> None:
    vm = f"{ATTACKER_WEB}#k"
    owner = generate_key(controller=ATTACKER_WEB, key_id=vm)
    resolver = Resolver(documents={ATTACKER_WEB: _document(ATTACKER_WEB, vm, owner, ATTACKER_WEB)})
    signed = add_proof(read_json(EDDSA / "unsigned.json"), owner, loader=loader)
    result = verify_proof(signed, loader=loader, resolver=resolver)
    assert result.verified, result.reason
    assert result.controllers == [ATTACKER_WEB]
    by_key = verify_proof(
        add_proof(read_json(EDDSA / "unsigned.json"), VICTIM, loader=loader), loader=loader
    )
    assert by_key.verified and by_key.controllers == [VICTIM.did]


def test_jwt_kid_forged_controller_is_refused() -> None:
    vm = f"{ATTACKER_WEB}#k"
    attacker = generate_key(controller=VICTIM.did, key_id=vm)
    resolver = Resolver(documents={ATTACKER_WEB: _document(ATTACKER_WEB, vm, attacker, VICTIM.did)})
    token = sign_jwt(make_credential(VICTIM.did), attacker, kid=vm)
    report = verify_jwt(token, resolver=resolver, allow_embedded_jwk=False)
    assert not report.verified
    assert report.check("signature").code == "KEY_CONTROLLER_MISMATCH"


def test_jwt_legitimate_did_web_and_did_key_still_verify() -> None:
    vm = f"{ATTACKER_WEB}#k"
    owner = generate_key(controller=ATTACKER_WEB, key_id=vm)
    resolver = Resolver(documents={ATTACKER_WEB: _document(ATTACKER_WEB, vm, owner, ATTACKER_WEB)})
    assert verify_jwt(
        sign_jwt(make_credential(ATTACKER_WEB), owner, kid=vm), resolver=resolver
    ).verified
    assert verify_jwt(sign_jwt(make_credential(VICTIM.did), VICTIM)).verified


# --- a caller's resolver that hands back plain dicts (issue #16 V1 leftovers) ----------
def _dict_resolver(answer: dict[str, Any]):
    return lambda kid: answer


@pytest.mark.parametrize("allow_embedded", [False, True], ids=["no-jwk-fallback", "jwk-fallback"])
def test_jwt_dict_document_with_claimed_controller_is_refused(allow_embedded: bool) -> None:
    vm = f"{ATTACKER_WEB}#k"
    attacker = generate_key(controller=VICTIM.did, key_id=vm)
    document = _document(ATTACKER_WEB, vm, attacker, VICTIM.did)
    token = sign_jwt(make_credential(VICTIM.did), attacker, kid=vm)
    report = verify_jwt(token, resolver=_dict_resolver(document), allow_embedded_jwk=allow_embedded)
    assert not report.verified
    assert report.check("signature").code == "KEY_CONTROLLER_MISMATCH"


def test_jwt_dict_document_served_under_another_id_is_refused() -> None:
    """The resolver answers the attacker's kid with a document that says it is the victim's."""
    vm = f"{ATTACKER_WEB}#k"
    attacker = generate_key(controller=VICTIM.did, key_id=vm)
    document = _document(VICTIM.did, f"{VICTIM.did}#k", attacker, VICTIM.did)
    token = sign_jwt(make_credential(VICTIM.did), attacker, kid=vm)
    report = verify_jwt(token, resolver=_dict_resolver(document), allow_embedded_jwk=False)
    assert not report.verified
    assert report.check("signature").code == "KEY_CONTROLLER_MISMATCH"


def test_jwt_bare_method_dict_cannot_claim_a_controller() -> None:
    vm = f"{ATTACKER_WEB}#k"
    attacker = generate_key(controller=VICTIM.did, key_id=vm)
    method = _document(ATTACKER_WEB, vm, attacker, VICTIM.did)["verificationMethod"][0]
    token = sign_jwt(make_credential(VICTIM.did), attacker, kid=vm)
    report = verify_jwt(token, resolver=_dict_resolver(method), allow_embedded_jwk=False)
    assert not report.verified
    assert report.check("signature").code == "KEY_CONTROLLER_MISMATCH"


def test_jwt_dict_document_must_list_the_key_for_assertion() -> None:
    vm = f"{ATTACKER_WEB}#k"
    owner = generate_key(controller=ATTACKER_WEB, key_id=vm)
    document = _document(ATTACKER_WEB, vm, owner, ATTACKER_WEB)
    document["authentication"] = document.pop("assertionMethod")
    token = sign_jwt(make_credential(ATTACKER_WEB), owner, kid=vm)
    report = verify_jwt(token, resolver=_dict_resolver(document), allow_embedded_jwk=False)
    assert report.check("signature").code == "KEY_PURPOSE_NOT_ALLOWED"
    document["assertionMethod"] = [vm]
    assert verify_jwt(token, resolver=_dict_resolver(document)).verified
