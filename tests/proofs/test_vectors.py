"""The W3C vc-di-eddsa / vc-di-ecdsa test vectors, reproduced byte for byte at each stage.

Each case names the suite folder; every stage file present in it is compared:
canonical document, canonical proof config, both hashes, the combined hash,
the signature (hex and base58btc) and the whole signed document. ECDSA in
the vectors is deterministic (RFC 6979), so ECDSA signatures are reproduced too.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import pytest

from microcred_vc.keys import KeyPair
from microcred_vc.proofs import add_proof, get_suite, verify_proof
from microcred_vc.proofs.engine import stages
from tests.proofs.conftest import ECDSA, EDDSA, read_json


@dataclass(frozen=True)
class Case:
    folder: Path
    suffix: str  # file-name suffix used by the vector set, e.g. "DataInt"
    unsigned: Path
    keys: Path

    @property
    def id(self) -> str:
        return str(self.folder.relative_to(self.folder.parents[1]))

    def file(self, stem: str, ext: str = "txt") -> Path:
        return self.folder / f"{stem}{self.suffix}.{ext}"


CASES = [
    Case(EDDSA / "eddsa-rdfc-2022", "DataInt", EDDSA / "unsigned.json", EDDSA / "keyPair.json"),
    Case(
        EDDSA / "eddsa-rdfc-2022" / "employ",
        "DataInt",
        EDDSA / "employmentAuth.json",
        EDDSA / "keyPair.json",
    ),
    Case(EDDSA / "eddsa-jcs-2022", "JCS", EDDSA / "unsigned.json", EDDSA / "keyPair.json"),
    Case(EDDSA / "Ed25519Signature2020", "EdSig", EDDSA / "unsigned.json", EDDSA / "keyPair.json"),
    Case(
        ECDSA / "ecdsa-rdfc-2019-p256",
        "ECDSAP256",
        ECDSA / "unsigned.json",
        ECDSA / "p256KeyPair.json",
    ),
    Case(
        ECDSA / "ecdsa-rdfc-2019-p256" / "employ",
        "ECDSAP256",
        ECDSA / "employmentAuth.json",
        ECDSA / "p256KeyPair.json",
    ),
    Case(
        ECDSA / "ecdsa-rdfc-2019-p384",
        "ECDSAP384",
        ECDSA / "unsigned.json",
        ECDSA / "p384KeyPair.json",
    ),
    Case(
        ECDSA / "ecdsa-rdfc-2019-p384" / "employ",
        "ECDSAP384",
        ECDSA / "employmentAuth.json",
        ECDSA / "p384KeyPair.json",
    ),
    Case(
        ECDSA / "ecdsa-jcs-2019-p256",
        "JCSECDSAP256",
        ECDSA / "unsigned.json",
        ECDSA / "p256KeyPair.json",
    ),
    Case(
        ECDSA / "ecdsa-jcs-2019-p384",
        "JCSECDSAP384",
        ECDSA / "unsigned.json",
        ECDSA / "p384KeyPair.json",
    ),
]
IDS = [c.id for c in CASES]


def _suite_name(case: Case) -> str:
    config = read_json(case.file("proofConfig", "json"))
    return config.get("cryptosuite") or config["type"]


def _needs_context(case: Case, loader) -> None:
    """Every context a vector lists must load offline: a missing one fails, never skips.

    (The employ vectors' citizenship context is in the fixtures and in contexts/.)
    """
    if not get_suite(_suite_name(case)).uses_rdf:
        return
    for url in read_json(case.file("signed", "json"))["@context"]:
        loader(url, None)  # raises ContextNotAllowed, failing the test, when absent


@pytest.fixture(params=["fixture-contexts", "library-contexts"])
def any_loader(request, loader):
    """The official context files, and the library's own authored contexts/."""
    if request.param == "fixture-contexts":
        return loader
    from microcred_vc.jsonld.loader import DocumentLoader

    return DocumentLoader()


def _hex(path: Path) -> bytes:
    return bytes.fromhex(path.read_text().strip())


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_stages_byte_for_byte(case: Case, loader) -> None:
    _needs_context(case, loader)
    suite = get_suite(_suite_name(case))
    key = KeyPair.from_multikey(read_json(case.keys))
    signed = read_json(case.file("signed", "json"))
    config = read_json(case.file("proofConfig", "json"))
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    got = stages(suite, unsigned, config, key.key_type, loader=loader)
    assert got.canonical_document == case.file("canonDoc").read_bytes().rstrip(b"\n") + (
        b"\n" if suite.uses_rdf else b""
    )
    assert got.canonical_proof_config.rstrip(b"\n") == case.file("proofCanon").read_bytes().rstrip(
        b"\n"
    )
    assert got.document_hash == _hex(case.file("docHash"))
    assert got.proof_hash == _hex(case.file("proofHash"))
    assert got.hash_data == _hex(case.file("combinedHash"))
    signature = suite.sign(key, got.hash_data)
    assert signature == _hex(case.file("sigHex"))
    assert suite.encode_proof_value(signature) == case.file("sigBTC58").read_text().strip()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_add_proof_reproduces_signed_document(case: Case, any_loader) -> None:
    _needs_context(case, any_loader)
    key = KeyPair.from_multikey(read_json(case.keys))
    signed = read_json(case.file("signed", "json"))
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    config = read_json(case.file("proofConfig", "json"))
    out = add_proof(
        unsigned, key, cryptosuite=_suite_name(case), created=config["created"], loader=any_loader
    )
    assert out == signed
    # The unsigned input file gives the same bytes once the suite's context is added.
    assert (
        add_proof(
            read_json(case.unsigned) | {"@context": signed["@context"]},
            key,
            cryptosuite=_suite_name(case),
            created=config["created"],
            loader=any_loader,
        )
        == signed
    )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_signed_vector_verifies(case: Case, any_loader) -> None:
    _needs_context(case, any_loader)
    signed = read_json(case.file("signed", "json"))
    result = verify_proof(signed, loader=any_loader)
    assert result.verified, result.reason
    tampered = copy.deepcopy(signed)
    tampered["proof"]["created"] = "2023-02-24T23:36:39Z"
    assert not verify_proof(tampered, loader=any_loader).verified


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_hashes_and_signature_from_canonical_text(case: Case) -> None:
    """Context-free stages: runs even where a vector's context is not available offline."""
    suite = get_suite(_suite_name(case))
    key = KeyPair.from_multikey(read_json(case.keys))
    canon_doc = case.file("canonDoc").read_bytes()
    canon_proof = case.file("proofCanon").read_bytes()
    if not suite.uses_rdf:  # JCS files carry no trailing newline
        canon_doc, canon_proof = canon_doc.rstrip(b"\n"), canon_proof.rstrip(b"\n")
    else:  # N-Quads: exactly one newline after the last quad
        canon_doc = canon_doc.rstrip(b"\n") + b"\n"
        canon_proof = canon_proof.rstrip(b"\n") + b"\n"
    ctx = suite.stage_context(key.key_type)
    doc_hash = suite.hash(canon_doc, ctx)
    proof_hash = suite.hash(canon_proof, ctx)
    assert doc_hash == _hex(case.file("docHash"))
    assert proof_hash == _hex(case.file("proofHash"))
    assert suite.sign(key, proof_hash + doc_hash) == _hex(case.file("sigHex"))
    signed = read_json(case.file("signed", "json"))
    proof = signed["proof"]
    assert proof["proofValue"] == case.file("sigBTC58").read_text().strip()
    assert key.public.verify(proof_hash + doc_hash, suite.decode_proof_value(proof["proofValue"]))


# --- proof sets and chains (vc-di-eddsa/proof-set-chain) -------------------------
CHAIN = EDDSA / "proof-set-chain"


def _chain_key(n: int) -> KeyPair:
    return KeyPair.from_multikey(read_json(CHAIN / "multiKeyPairs.json")[f"keyPair{n}"])


@pytest.mark.parametrize(
    "name",
    [
        "signedProofSet1.json",
        "signedProofSet2.json",
        "signedProofChain1.json",
        "signedProofChain2.json",
    ],
)
def test_proof_set_and_chain_vectors_verify(name: str, loader) -> None:
    doc = read_json(CHAIN / name)
    result = verify_proof(doc, loader=loader)
    assert result.verified, result.reason
    expected = len(doc["proof"]) if isinstance(doc["proof"], list) else 1
    assert sum(p.verified for p in result.proofs) == expected


def _sign_with(doc: dict, key: KeyPair, config: dict, loader) -> dict:
    return add_proof(
        doc,
        key,
        cryptosuite=config["cryptosuite"],
        created=config["created"],
        proof_id=config.get("id"),
        previous_proof=config.get("previousProof"),
        loader=loader,
    )


def test_proof_set_and_chain_reproduced(loader) -> None:
    unsigned = read_json(CHAIN / "unsigned.json")
    set1 = _sign_with(unsigned, _chain_key(1), read_json(CHAIN / "proofSetConfig1.json"), loader)
    assert set1 == read_json(CHAIN / "signedProofSet1.json")
    set2 = _sign_with(set1, _chain_key(2), read_json(CHAIN / "proofSetConfig2.json"), loader)
    assert set2 == read_json(CHAIN / "signedProofSet2.json")
    chain1 = _sign_with(set2, _chain_key(3), read_json(CHAIN / "proofChainConfig1.json"), loader)
    assert chain1 == read_json(CHAIN / "signedProofChain1.json")
    chain2 = _sign_with(chain1, _chain_key(4), read_json(CHAIN / "proofChainConfig2.json"), loader)
    assert chain2 == read_json(CHAIN / "signedProofChain2.json")


def test_broken_chain_is_rejected(loader) -> None:
    doc = read_json(CHAIN / "signedProofChain2.json")
    # Dropping a proof that a later one chains to breaks the chain.
    doc["proof"] = [
        p for p in doc["proof"] if p.get("id") != "urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23"
    ]
    result = verify_proof(doc, loader=loader)
    assert not result.verified
    assert result.code == "PROOF_CHAIN_BROKEN"
    assert "previousProof" in result.reason
