"""Cross-implementation checks against Digital Bazaar's ecdsa-rdfc-2019 cryptosuite (npm).

Oracle: an independent implementation (``@digitalbazaar/ecdsa-rdfc-2019-cryptosuite``
with ``jsonld-signatures``, versions pinned in ``tests/interop/node/package.json``),
which hashes *and* labels blank nodes with SHA-384 for P-384 keys. The document is
the vc-di-ecdsa employment credential: its blank-node labels differ between SHA-256
and SHA-384 labelling, so a suite that canonicalised P-384 with SHA-256 fails here
both ways. ``make test`` installs the packages when npm is present; the tests are
skipped only when node or the packages are missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from microcred_vc.jsonld import canonicalize
from microcred_vc.keys import KeyPair, generate_key
from microcred_vc.keys.did import did_key_document
from microcred_vc.proofs import add_proof, verify_proof
from tests.fixture_paths import FIXTURES
from tests.interop.nodejs import NODE_DIR, needs, run_script
from tests.proofs.conftest import ECDSA, read_json

pytestmark = needs("@digitalbazaar/ecdsa-rdfc-2019-cryptosuite")

CONTEXTS = FIXTURES / "contexts"
CREATED = "2024-05-01T10:00:00Z"


def _documents(*keys: str) -> dict[str, Any]:
    """Every official context file, plus the did:key documents, for the offline loader."""
    index = read_json(CONTEXTS / "INDEX.json")
    docs: dict[str, Any] = {url: read_json(CONTEXTS / name) for url, name in index.items()}
    for did in keys:
        docs[did] = did_key_document(did)
        for vm in docs[did]["verificationMethod"]:
            docs[vm["id"]] = {"@context": "https://w3id.org/security/multikey/v1", **vm}
    return docs


def _node(request: dict[str, Any]) -> dict[str, Any]:
    return run_script("ecdsa_rdfc_2019.mjs", request)


def _credential() -> dict[str, Any]:
    """The employment credential: blank nodes whose labels depend on the RDFC hash."""
    signed = read_json(ECDSA / "ecdsa-rdfc-2019-p384" / "employ" / "signedECDSAP384.json")
    return {k: v for k, v in signed.items() if k != "proof"}


def test_the_document_tells_the_hashes_apart(loader) -> None:
    """Guard: the cross-checks below are meaningful only if the labelling hash matters."""
    doc = _credential()
    assert canonicalize(doc, loader=loader, hash_algorithm="SHA256") != canonicalize(
        doc, loader=loader, hash_algorithm="SHA384"
    )


def test_library_p384_proof_verifies_under_digitalbazaar(loader) -> None:
    key = generate_key("P-384")
    signed = add_proof(_credential(), key, cryptosuite="ecdsa-rdfc-2019", loader=loader)
    answer = _node({"action": "verify", "document": signed, "documents": _documents(key.did)})
    assert answer["verified"], answer["error"]
    # and the oracle is not a yes-machine: a changed value fails there too
    signed["credentialSubject"]["givenName"] = "JANE"
    answer = _node({"action": "verify", "document": signed, "documents": _documents(key.did)})
    assert not answer["verified"]


def test_digitalbazaar_p384_proof_verifies_here(loader) -> None:
    generated = _node({"action": "generate", "curve": "P-384"})["key"]
    public = generated["publicKeyMultibase"]
    did = f"did:key:{public}"
    key_doc = {**generated, "id": f"{did}#{public}", "controller": did}
    signed = _node(
        {
            "action": "sign",
            "document": _credential(),
            "documents": _documents(did),
            "key": key_doc,
            "created": CREATED,
        }
    )["document"]
    assert signed["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    result = verify_proof(signed, loader=loader)
    assert result.verified, result.reason
    # the same key, through the library, gives a proof the library verifies as well
    ours = add_proof(
        _credential(), KeyPair.from_multikey(key_doc), cryptosuite="ecdsa-rdfc-2019", loader=loader
    )
    assert verify_proof(ours, loader=loader).verified
    signed["credentialSubject"]["givenName"] = "JANE"
    assert not verify_proof(signed, loader=loader).verified


def test_node_dir_is_pinned() -> None:
    """The cross-check runs against exact versions (no ranges), so results are repeatable."""
    deps = read_json(Path(NODE_DIR / "package.json"))["dependencies"]
    assert deps and all(v[0].isdigit() for v in deps.values()), deps
