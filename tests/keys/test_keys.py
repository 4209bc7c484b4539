"""Key pairs: Multikey and JWK round trips, official key material, signing, key files."""

from __future__ import annotations

import json
import os
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred_vc.errors import (
    KeyFileError,
    KeyFormatError,
    KeyPasswordError,
    MicrocredError,
    UnsupportedKeyType,
)
from microcred_vc.keys import KEY_TYPES, KeyPair, PublicKey, generate_key
from microcred_vc.keys.jwk import thumbprint
from microcred_vc.keys.multikey import DID_KEY_PREFIXES, decode_public
from tests.fixture_paths import FIXTURES

VECTOR_KEYS = {
    "vc-di-eddsa/keyPair.json": "Ed25519",
    "vc-di-ecdsa/p256KeyPair.json": "P-256",
    "vc-di-ecdsa/p384KeyPair.json": "P-384",
}
MULTI = FIXTURES / "di-vectors" / "vc-di-eddsa" / "proof-set-chain" / "multiKeyPairs.json"


@pytest.mark.parametrize("name", sorted(VECTOR_KEYS), ids=sorted(VECTOR_KEYS))
def test_official_multikeys_round_trip(name: str) -> None:
    doc = json.loads((FIXTURES / "di-vectors" / name).read_text())
    key = KeyPair.from_multikey(doc)
    assert key.key_type == VECTOR_KEYS[name]
    assert key.public.multibase == doc["publicKeyMultibase"]
    secret = doc.get("secretKeyMultibase") or doc.get("privateKeyMultibase")
    assert key.to_multikey(include_secret=True)["secretKeyMultibase"] == secret
    assert key.did == "did:key:" + doc["publicKeyMultibase"]
    assert key.did.startswith("did:key:" + DID_KEY_PREFIXES[key.key_type])
    assert key.verification_method == f"{key.did}#{doc['publicKeyMultibase']}"


def test_proof_set_keys_all_read() -> None:
    for pair in json.loads(MULTI.read_text()).values():
        assert KeyPair.from_multikey(pair).public.multibase == pair["publicKeyMultibase"]


@pytest.mark.parametrize("kind", KEY_TYPES)
def test_generate_sign_verify_and_formats(kind: str) -> None:
    key = generate_key(kind)
    sig = key.sign(b"hello")
    assert key.verify(b"hello", sig)
    assert not key.verify(b"hellO", sig)
    assert key.sign(b"hello") == sig  # deterministic (RFC 6979 for ECDSA)
    assert len(sig) == {"Ed25519": 64, "P-256": 64, "P-384": 96}[kind]
    # Multikey
    again = KeyPair.from_multikey(key.to_multikey(include_secret=True))
    assert again.did == key.did and again.secret_bytes() == key.secret_bytes()
    assert "secretKeyMultibase" not in key.to_multikey()
    # JWK
    public_jwk = key.to_jwk()
    assert "d" not in public_jwk and public_jwk["kid"] == key.verification_method
    assert PublicKey.from_jwk(public_jwk) == key.public
    assert KeyPair.from_jwk(key.to_jwk(include_secret=True)).did == key.did
    assert len(thumbprint(public_jwk)) == 43
    # PEM
    assert KeyPair.from_pem(key.to_pem()).did == key.did
    assert KeyPair.from_pem(key.to_pem("pw"), "pw").did == key.did


@pytest.mark.parametrize("kind", KEY_TYPES)
def test_private_material_never_in_repr(kind: str) -> None:
    key = generate_key(kind)
    secret = key.to_multikey(include_secret=True)["secretKeyMultibase"]
    text = repr(key) + str(key) + repr(key.public)
    assert secret not in text and secret[1:12] not in text
    assert key.to_jwk(include_secret=True)["d"] not in text


def test_from_multikey_rejects_mismatch_and_bad_input() -> None:
    a, b = generate_key(), generate_key()
    bad = a.to_multikey(include_secret=True) | {"publicKeyMultibase": b.public.multibase}
    with pytest.raises(KeyFormatError) as err:
        KeyPair.from_multikey(bad)
    assert err.value.code == "KEY_MISMATCH"
    with pytest.raises(KeyFormatError):
        KeyPair.from_multikey({"publicKeyMultibase": a.public.multibase})
    with pytest.raises(KeyFormatError):
        PublicKey.from_multibase("u" + a.public.multibase[1:])
    with pytest.raises(UnsupportedKeyType):
        PublicKey.from_multibase("z" + "1" * 40)
    with pytest.raises(UnsupportedKeyType):
        generate_key("RSA")
    with pytest.raises(UnsupportedKeyType):
        PublicKey.from_jwk({"kty": "RSA", "n": "x", "e": "AQAB"})
    with pytest.raises(KeyFormatError):
        PublicKey.from_jwk({"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"})


def test_compressed_points_for_ec() -> None:
    key = generate_key("P-256")
    key_type, raw = decode_public(key.public.multibase)
    assert key_type == "P-256" and len(raw) == 33 and raw[0] in (2, 3)


@given(st.binary(min_size=0, max_size=80))
def test_random_bytes_never_crash_multibase_decoding(data: bytes) -> None:
    import base58

    value = "z" + base58.b58encode(data).decode()
    try:
        key = PublicKey.from_multibase(value)
    except MicrocredError:
        return  # rejected with a typed error: fine
    assert key.multibase == value  # accepted only if it is a canonical encoding


# --- key files -----------------------------------------------------------------
@pytest.mark.parametrize("kind", KEY_TYPES)
@pytest.mark.parametrize("password", [None, "correct horse"])
def test_key_file_round_trip(tmp_path, kind: str, password: str | None) -> None:
    key = generate_key(kind)
    path = key.save(tmp_path / "issuer.key.json", password=password)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    doc = json.loads(path.read_text())
    assert doc["publicKeyMultibase"] == key.public.multibase
    assert doc["encrypted"] is bool(password)
    assert ("ENCRYPTED" in doc["privateKeyPem"]) is bool(password)
    loaded = KeyPair.load(path, password=password)
    assert loaded.did == key.did and loaded.secret_bytes() == key.secret_bytes()
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_key_file_password_errors(tmp_path) -> None:
    key = generate_key()
    path = key.save(tmp_path / "k.json", password="right")
    with pytest.raises(KeyPasswordError) as err:
        KeyPair.load(path, password="wrong")
    assert err.value.code == "KEY_PASSWORD_INVALID"
    with pytest.raises(KeyPasswordError):
        KeyPair.load(path)
    plain = key.save(tmp_path / "p.json")
    with pytest.raises(KeyPasswordError):
        KeyPair.load(plain, password="unexpected")


def test_key_file_keeps_controller_and_rejects_garbage(tmp_path) -> None:
    key = generate_key(controller="did:web:uni.example", key_id="did:web:uni.example#key-1")
    loaded = KeyPair.load(key.save(tmp_path / "k.json"))
    assert loaded.did == "did:web:uni.example"
    assert loaded.verification_method == "did:web:uni.example#key-1"
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(KeyFileError):
        KeyPair.load(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text('{"type": "Something"}')
    with pytest.raises(KeyFileError):
        KeyPair.load(tmp_path / "other.json")
    with pytest.raises(KeyFileError):
        KeyPair.load(tmp_path / "missing.json")
    tampered = json.loads((tmp_path / "k.json").read_text())
    tampered["publicKeyMultibase"] = generate_key().public.multibase
    (tmp_path / "t.json").write_text(json.dumps(tampered))
    with pytest.raises(KeyFileError):
        KeyPair.load(tmp_path / "t.json")


def test_pickle_keeps_key(tmp_path) -> None:
    import pickle

    key = generate_key("P-384", controller="did:web:x.example")
    again = pickle.loads(pickle.dumps(key))
    assert again.did == key.did and again.secret_bytes() == key.secret_bytes()
