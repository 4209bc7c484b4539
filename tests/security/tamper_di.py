"""Tamper families for Data Integrity credentials: contexts, proof options, keys, bits.

The look-alike context family is the JSON-LD-specific attack: the same JSON
read through a context that maps its terms to other IRIs says something else,
so an RDF-canonicalising suite must see different quads and fail, and a JCS
suite must see different bytes and fail, whether or not the verifier's loader
knows the look-alike URL.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import base58

from microcred_vc.jsonld.loader import DocumentLoader
from microcred_vc.keys import generate_key
from microcred_vc.keys.multikey import multibase_decode
from tests.fixture_paths import FIXTURES
from tests.security.samples import Sample, fixture_loader
from tests.security.tamper_base import (
    LOOKALIKE_PREFIX,
    SUITE_NAMES,
    Tampering,
    b64u,
    changed_scalar,
    did_jwk_of,
    flip,
    flipped_positions,
    property_adds,
    property_removes,
    type_changes,
    value_changes,
    with_value,
    without,
)


# --- look-alike contexts --------------------------------------------------------
def lookalike_url(url: str) -> str:
    """Same path, a host one glyph away (``w3.org`` → ``w3.0rg``)."""
    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    i = host.rfind("o")
    host = host[:i] + "0" + host[i + 1 :] if i >= 0 else host + "s"
    return f"{scheme}://{host}/{path}"


def remap_iris(node: Any) -> Any:
    """The same context, every absolute IRI it maps a term to moved to another vocabulary."""
    if isinstance(node, dict):
        return {
            k: (v if k in ("@version", "@protected", "@container") else remap_iris(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [remap_iris(v) for v in node]
    if isinstance(node, str) and not node.startswith("@"):
        for scheme in ("https://", "http://"):
            if node.startswith(scheme):
                return LOOKALIKE_PREFIX + node[len(scheme) :]
    return node


def context_swaps(doc: dict[str, Any]) -> list[Tampering]:
    """Each context URL replaced by a look-alike: known (served), unknown, or inlined."""
    genuine = fixture_loader()
    out = []
    for i, url in enumerate(doc["@context"]):
        if not isinstance(url, str):
            continue
        fake_url = lookalike_url(url)
        fake = remap_iris(genuine.load(url))
        loader = DocumentLoader(extra_dirs=[FIXTURES / "contexts"], documents={fake_url: fake})
        swapped = with_value(doc, ("@context", i), fake_url)
        out.append(Tampering(f"{url}->{fake_url} (served)", swapped, {"loader": loader}))
        out.append(Tampering(f"{url}->{fake_url} (unknown)", swapped))
        inline = with_value(doc, ("@context", i), fake["@context"])
        out.append(Tampering(f"{url}->inline look-alike", inline))
    return out


# --- Data Integrity proofs ------------------------------------------------------
def _proof_set(doc: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    for key, value in changes.items():
        if value is _DELETE:
            out["proof"].pop(key, None)
        else:
            out["proof"][key] = value
    return out


_DELETE = object()


def proof_field_changes(doc: dict[str, Any]) -> list[Tampering]:
    proof = doc["proof"]
    created = changed_scalar(proof["created"])
    changes: list[tuple[str, dict[str, Any]]] = [
        ("created+1s", {"created": created}),
        ("created-removed", {"created": _DELETE}),
        ("created-future", {"created": "2999-01-01T00:00:00Z"}),
        ("created-not-a-date", {"created": "yesterday"}),
        ("purpose=authentication", {"proofPurpose": "authentication"}),
        ("purpose=capabilityInvocation", {"proofPurpose": "capabilityInvocation"}),
        ("purpose=AssertionMethod", {"proofPurpose": "AssertionMethod"}),
        ("purpose-removed", {"proofPurpose": _DELETE}),
        ("type=DataIntegrityProof2", {"type": proof["type"] + "2"}),
        ("type-removed", {"type": _DELETE}),
        ("expires-past", {"expires": "2001-01-01T00:00:00Z"}),
        ("domain-added", {"domain": "example.org"}),
        ("challenge-added", {"challenge": "abc"}),
        ("nonce-added", {"nonce": "123"}),
        ("previousProof-added", {"previousProof": "urn:uuid:nope"}),
        ("id-added", {"id": "urn:uuid:3bd7a3f7-3b8a-4c9e-9f5f-000000000001"}),
        ("proofValue-removed", {"proofValue": _DELETE}),
        ("verificationMethod-removed", {"verificationMethod": _DELETE}),
    ]
    if proof["type"] == "DataIntegrityProof":
        changes.append(("type=Ed25519Signature2020", {"type": "Ed25519Signature2020"}))
    else:
        changes.append(("type=DataIntegrityProof", {"type": "DataIntegrityProof"}))
    changes.append(("purpose=assertionMethod", {"proofPurpose": "assertionMethod"}))
    out = [
        Tampering(name, _proof_set(doc, change))
        for name, change in changes
        if any(proof.get(k, _DELETE) != v for k, v in change.items())  # a real change only
    ]
    out.append(Tampering("proof-as-string", with_value(doc, ("proof",), "proof")))
    out.append(Tampering("proof-removed", without(doc, ("proof",))))
    return out


def vm_swaps(sample: Sample) -> list[Tampering]:
    doc = sample.value
    key = sample.key
    other = generate_key(key.key_type)
    different = generate_key("P-256" if key.key_type == "Ed25519" else "Ed25519")
    jwk_did = did_jwk_of(key)
    out = [
        Tampering(
            "other-key-same-type",
            _proof_set(doc, {"verificationMethod": other.verification_method}),
        ),
        Tampering(
            "other-key-other-type",
            _proof_set(doc, {"verificationMethod": different.verification_method}),
        ),
        Tampering("same-key-as-did:jwk", _proof_set(doc, {"verificationMethod": jwk_did + "#0"})),
        Tampering("same-key-no-fragment", _proof_set(doc, {"verificationMethod": key.did})),
        Tampering(
            "unresolvable-did", _proof_set(doc, {"verificationMethod": "did:example:123#key-1"})
        ),
        Tampering(
            "https-vm-offline",
            _proof_set(doc, {"verificationMethod": "https://example.com/issuers/876543#key-1"}),
        ),
    ]
    coherent = _proof_set(doc, {"verificationMethod": other.verification_method})
    if "holder" in coherent:  # a presentation: the holder, not an issuer, owns the key
        coherent["holder"] = other.did
    else:
        coherent["issuer"]["id"] = other.did
    out.append(Tampering("other-key-and-issuer", coherent))
    return out


def cryptosuite_renames(doc: dict[str, Any]) -> list[Tampering]:
    proof = doc["proof"]
    current = proof.get("cryptosuite")
    out = []
    if current is None:  # Ed25519Signature2020: dress it up as a Data Integrity proof
        for name in SUITE_NAMES:
            out.append(Tampering(f"+cryptosuite={name}", _proof_set(doc, {"cryptosuite": name})))
            out.append(
                Tampering(
                    f"as-DataIntegrityProof/{name}",
                    _proof_set(doc, {"type": "DataIntegrityProof", "cryptosuite": name}),
                )
            )
        return out
    for name in (*SUITE_NAMES, "bbs-2023", "ecdsa-sd-2023", "eddsa-2022", "", current.upper()):
        if name != current:
            out.append(
                Tampering(
                    f"cryptosuite={name or '<empty>'}", _proof_set(doc, {"cryptosuite": name})
                )
            )
    out.append(Tampering("cryptosuite-removed", _proof_set(doc, {"cryptosuite": _DELETE})))
    out.append(
        Tampering(
            "as-Ed25519Signature2020",
            _proof_set(doc, {"type": "Ed25519Signature2020", "cryptosuite": _DELETE}),
        )
    )
    return out


def di_signature_flips(doc: dict[str, Any], rng: random.Random) -> list[Tampering]:
    raw = multibase_decode(doc["proof"]["proofValue"])
    out = []
    for byte, bit in flipped_positions(len(raw), rng):
        value = "z" + base58.b58encode(flip(raw, byte, bit)).decode()
        out.append(Tampering(f"byte{byte}.bit{bit}", _proof_set(doc, {"proofValue": value})))
    encode = lambda b: "z" + base58.b58encode(b).decode()  # noqa: E731
    out.append(Tampering("truncated", _proof_set(doc, {"proofValue": encode(raw[:-1])})))
    out.append(Tampering("extended", _proof_set(doc, {"proofValue": encode(raw + b"\0")})))
    out.append(Tampering("all-zero", _proof_set(doc, {"proofValue": encode(bytes(len(raw)))})))
    out.append(Tampering("base64-prefix", _proof_set(doc, {"proofValue": "u" + b64u(raw)})))
    return out


# --- renamed keys and aliases: same signed quads, different JSON -------------------
CRED = "https://www.w3.org/2018/credentials#"
STATUS = "https://www.w3.org/ns/credentials/status#"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
#: the facts the verifier judges, with how each is typed in the VC contexts
CHECKED_TERMS = {
    "validFrom": XSD_DATETIME,
    "validUntil": XSD_DATETIME,
    "issuanceDate": XSD_DATETIME,
    "expirationDate": XSD_DATETIME,
    "issuer": "@id",
    "holder": "@id",
    "credentialStatus": "@id",
}
STATUS_TERMS = ("statusPurpose", "statusListIndex", "statusListCredential")


def _as_expanded(value: Any, kind: str) -> Any:
    if kind == XSD_DATETIME and isinstance(value, str):
        return {"@value": value, "@type": XSD_DATETIME}
    if kind == "@id" and isinstance(value, str):
        return {"@id": value}
    return value


def _contexts(doc: dict[str, Any]) -> list[Any]:
    value = doc.get("@context", [])
    return list(value) if isinstance(value, list) else [value]


def renames(doc: dict[str, Any]) -> list[Tampering]:
    """Each checked fact moved to its full IRI, or behind an inline alias (#16 V2).

    An RDF suite signs the same quads either way, so only a verifier that
    judges the signed graph (and compares it with the JSON) rejects these.
    """
    out: list[Tampering] = []
    for term, kind in CHECKED_TERMS.items():
        if term not in doc:
            continue
        full = copy.deepcopy(doc)
        full[CRED + term] = _as_expanded(full.pop(term), kind)
        out.append(Tampering(f"{term}-full-iri", full))
        alias = copy.deepcopy(doc)
        alias["@context"] = [*_contexts(doc), {"x-" + term: {"@id": CRED + term, "@type": kind}}]
        alias["x-" + term] = alias.pop(term)
        out.append(Tampering(f"{term}-inline-alias", alias))
    entries = doc.get("credentialStatus")
    for number, entry in enumerate(entries if isinstance(entries, list) else [entries]):
        for term in STATUS_TERMS if isinstance(entry, dict) else ():
            if term in entry:
                moved = copy.deepcopy(doc)
                target = moved["credentialStatus"]
                target = target[number] if isinstance(target, list) else target
                target[STATUS + term] = target.pop(term)
                out.append(Tampering(f"credentialStatus[{number}].{term}-full-iri", moved))
    return out


def di_family(sample: Sample, family: str, rng: random.Random) -> list[Tampering]:
    doc = sample.value
    skip = {"proof", "@context"}
    if family == "value-change":
        return [Tampering(n, v) for n, v in value_changes(doc, skip)]
    if family == "property-add":
        return [Tampering(n, v) for n, v in property_adds(doc, skip, "description")]
    if family == "property-remove":
        return [Tampering(n, v) for n, v in property_removes(doc, {"proof"})]
    if family == "type-change":
        return [Tampering(n, v) for n, v in type_changes(doc, skip)]
    if family == "context-swap":
        return context_swaps(doc)
    if family == "proof-fields":
        return proof_field_changes(doc)
    if family == "vm-swap":
        return vm_swaps(sample)
    if family == "cryptosuite-rename":
        return cryptosuite_renames(doc)
    if family == "signature-flip":
        return di_signature_flips(doc, rng)
    if family == "rename-alias":
        return renames(doc)
    raise ValueError(family)


def replays(sample: Sample) -> list[Tampering]:
    """The untouched presentation shown to a verifier that asked for something else."""
    asked = [
        ("other-challenge", {"challenge": "c-000000"}),
        ("no-challenge", {"challenge": None}),
        ("challenge-prefix", {"challenge": sample.options["challenge"][:-1]}),
        ("other-domain", {"domain": "evil.example"}),
        ("domain-list-without-it", {"domain": ["a.example", "b.example"]}),
        ("domain-case", {"domain": sample.options["domain"].upper()}),
    ]
    return [Tampering(name, sample.fresh(), options) for name, options in asked]


def vp_family(sample: Sample, family: str, rng: random.Random) -> list[Tampering]:
    """Presentations: the Data Integrity families on the outer proof, plus replays."""
    if family == "replay":
        return replays(sample)
    return di_family(sample, family, rng)
