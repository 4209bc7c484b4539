"""Tamper families for enveloped credentials: JWT, OB2 signed assertions, JAdES seals.

Here the signature covers bytes, not a graph: the header (alg, kid, typ,
x5c, sigT), the payload and the signature itself are each changed the way an
attacker without the private key can change them, including the two classic
algorithm attacks (``none`` and HMAC keyed with the public key).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding

from microcred_vc.keys import generate_key
from microcred_vc.seal.certs import x5c_entry
from tests.security.samples import ATTACKER_KEY, OB2_OTHER_KEY, Sample, jws_sign
from tests.security.tamper_base import (
    SEAL_PAYLOAD_POSITIONS,
    Tampering,
    b64u,
    b64u_decode,
    did_jwk_of,
    flip,
    flipped_positions,
    property_adds,
    property_removes,
    value_changes,
    with_value,
    without,
)


@dataclass
class Compact:
    header: dict[str, Any]
    payload: Any
    header_b64: str
    payload_b64: str
    signature: bytes

    @classmethod
    def parse(cls, token: str) -> Compact:
        h, p, s = token.split(".")
        return cls(json.loads(b64u_decode(h)), json.loads(b64u_decode(p)), h, p, b64u_decode(s))

    def with_header(self, header: dict[str, Any]) -> str:
        """Header changed, payload and signature kept: what an attacker can do."""
        encoded = b64u(json.dumps(header, separators=(",", ":")).encode())
        return f"{encoded}.{self.payload_b64}.{b64u(self.signature)}"

    def with_payload(self, payload: Any) -> str:
        encoded = b64u(json.dumps(payload, separators=(",", ":")).encode())
        return f"{self.header_b64}.{encoded}.{b64u(self.signature)}"

    def with_signature(self, signature: bytes) -> str:
        return f"{self.header_b64}.{self.payload_b64}.{b64u(signature)}"


def hs256_with_public_key(token: Compact, public_pem_or_jwk: bytes) -> str:
    """The classic algorithm confusion: HMAC keyed with the issuer's *public* key."""
    header = {**token.header, "alg": "HS256"}
    h = b64u(json.dumps(header, separators=(",", ":")).encode())
    mac = hmac.new(public_pem_or_jwk, f"{h}.{token.payload_b64}".encode(), hashlib.sha256)
    return f"{h}.{token.payload_b64}.{b64u(mac.digest())}"


def header_alg_changes(token: Compact, public_secret: bytes) -> list[Tampering]:
    out = []
    for alg in ("ES256", "ES384", "ES512", "EdDSA", "RS256", "PS256", "ES256K", "es256", "RS384"):
        if alg != token.header.get("alg"):
            out.append(Tampering(f"alg={alg}", token.with_header({**token.header, "alg": alg})))
    out.append(
        Tampering(
            "alg-removed", token.with_header({k: v for k, v in token.header.items() if k != "alg"})
        )
    )
    none = token.with_header({**token.header, "alg": "none"}).rsplit(".", 1)[0] + "."
    out.append(Tampering("alg=none,no-signature", none))
    out.append(
        Tampering("alg=none,signature-kept", token.with_header({**token.header, "alg": "none"}))
    )
    out.append(
        Tampering("alg=HS256,public-key-as-secret", hs256_with_public_key(token, public_secret))
    )
    return out


def signature_flips(token: Compact, rng: random.Random) -> list[Tampering]:
    sig = token.signature
    out = [
        Tampering(f"byte{byte}.bit{bit}", token.with_signature(flip(sig, byte, bit)))
        for byte, bit in flipped_positions(len(sig), rng)
    ]
    out.append(Tampering("truncated", token.with_signature(sig[:-1])))
    out.append(Tampering("extended", token.with_signature(sig + b"\0")))
    out.append(Tampering("empty", token.with_signature(b"")))
    out.append(Tampering("all-zero", token.with_signature(bytes(len(sig)))))
    return out


def jwt_family(sample: Sample, family: str, rng: random.Random) -> list[Tampering]:
    token = Compact.parse(sample.value)
    claims = token.payload
    key = sample.key
    if family == "value-change":
        return [Tampering(n, token.with_payload(v)) for n, v in value_changes(claims, {"@context"})]
    if family == "property-add":
        added = property_adds(claims, set(), "description")
        added.append(("+exp-far-future", with_value(claims, ("exp",), 4102444800)))
        added.append(("+aud", with_value(claims, ("aud",), "https://verifier.example")))
        return [Tampering(n, token.with_payload(v)) for n, v in added]
    if family == "property-remove":
        return [Tampering(n, token.with_payload(v)) for n, v in property_removes(claims, set())]
    if family == "header-alg":
        return header_alg_changes(token, json.dumps(key.to_jwk()).encode())
    if family == "header-kid":
        other = generate_key(key.key_type)
        different = generate_key("P-256" if key.key_type == "Ed25519" else "Ed25519")
        kids = {
            "other-key-same-type": other.verification_method,
            "other-key-other-type": different.verification_method,
            "same-key-as-did:jwk": did_jwk_of(key) + "#0",
            "same-key-no-fragment": key.did,
            "did:example": "did:example:123#key-1",
            "https-url": "https://issuer.example/keys/1",
            "empty": "",
        }
        out = [Tampering(n, token.with_header({**token.header, "kid": k})) for n, k in kids.items()]
        no_kid = {k: v for k, v in token.header.items() if k != "kid"}
        out.append(Tampering("kid-removed", token.with_header(no_kid)))
        out.append(
            Tampering(
                "kid-removed,jwk-of-issuer", token.with_header({**no_kid, "jwk": key.to_jwk()})
            )
        )
        return out
    if family == "header-typ":
        out = []
        for typ in ("JWT", "vc+jwt", "vc+ld+json", "application/vc+jwt", "vp+jwt", "jose"):
            if typ != token.header.get("typ"):
                out.append(Tampering(f"typ={typ}", token.with_header({**token.header, "typ": typ})))
        out.append(
            Tampering(
                "typ-removed",
                token.with_header({k: v for k, v in token.header.items() if k != "typ"}),
            )
        )
        out.append(Tampering("cty=vp", token.with_header({**token.header, "cty": "vp"})))
        return out
    if family == "header-other":
        extra = {
            "crit-exp": {"crit": ["exp"], "exp": 1},
            "crit-unknown": {"crit": ["x-policy"], "x-policy": 1},
            "b64-false": {"b64": False, "crit": ["b64"]},
            "jku": {"jku": "https://evil.example/jwks.json"},
            "x5u": {"x5u": "https://evil.example/cert.pem"},
            "zip": {"zip": "DEF"},
            "nonce": {"nonce": "abc"},
        }
        return [Tampering(n, token.with_header({**token.header, **v})) for n, v in extra.items()]
    if family == "signature-flip":
        return signature_flips(token, rng)
    raise ValueError(family)


def ob2_family(sample: Sample, family: str, rng: random.Random) -> list[Tampering]:
    token = Compact.parse(sample.value)
    assertion = token.payload
    if family == "value-change":
        return [
            Tampering(n, token.with_payload(v)) for n, v in value_changes(assertion, {"@context"})
        ]
    if family == "property-add":
        added = property_adds(assertion, set(), "expires")
        added.append(("+revoked", with_value(assertion, ("revoked",), False)))
        return [Tampering(n, token.with_payload(v)) for n, v in added]
    if family == "property-remove":
        return [Tampering(n, token.with_payload(v)) for n, v in property_removes(assertion, set())]
    if family == "header-alg":
        pem = json.loads(sample.key.export_public())
        added = Tampering("jwk-header-added", token.with_header({**token.header, "jwk": pem}))
        return [*header_alg_changes(token, sample.key.export_to_pem()), added]
    if family == "key-swap":
        attacker = sample.extras["attacker"]
        second = sample.extras["second"]
        creator = ("verification", "creator")
        return [
            Tampering(
                "creator=issuer's-second-key",
                token.with_payload(with_value(assertion, creator, OB2_OTHER_KEY)),
            ),
            Tampering(
                "creator=attacker-key",
                token.with_payload(with_value(assertion, creator, ATTACKER_KEY)),
            ),
            Tampering(
                "resigned-by-attacker,creator=attacker-key",
                jws_sign(with_value(assertion, creator, ATTACKER_KEY), attacker, {"alg": "RS256"}),
            ),
            Tampering(
                "resigned-by-attacker,creator=issuer-key",
                jws_sign(assertion, attacker, {"alg": "RS256"}),
            ),
            Tampering(
                "resigned-by-second-key,creator=first",
                jws_sign(assertion, second, {"alg": "RS256"}),
            ),
            Tampering("creator-removed", token.with_payload(without(assertion, creator))),
        ]
    if family == "signature-flip":
        return signature_flips(token, rng)
    raise ValueError(family)


# --- JAdES seal -----------------------------------------------------------------
def _reseal(
    sealed: dict[str, Any],
    *,
    header: dict[str, Any] | None = None,
    payload: str | None = None,
    signature: bytes | None = None,
) -> dict[str, Any]:
    out = copy.deepcopy(sealed)
    entry = out["signatures"][0]
    if header is not None:
        entry["protected"] = b64u(json.dumps(header, separators=(",", ":")).encode())
    if payload is not None:
        out["payload"] = payload
    if signature is not None:
        entry["signature"] = b64u(signature)
    return out


def seal_family(sample: Sample, family: str, rng: random.Random) -> list[Tampering]:
    sealed = sample.value
    header = json.loads(b64u_decode(sealed["signatures"][0]["protected"]))
    payload: str = sealed["payload"]
    if family == "payload-bytes":
        out = []
        for pos in sorted(rng.sample(range(len(payload)), SEAL_PAYLOAD_POSITIONS)):
            char = payload[pos]
            new = "a" if char != "a" else "b"
            out.append(
                Tampering(
                    f"char{pos}:{char!r}->{new!r}",
                    _reseal(sealed, payload=payload[:pos] + new + payload[pos + 1 :]),
                )
            )
        out.append(Tampering("whitespace-appended", _reseal(sealed, payload=payload + " ")))
        out.append(
            Tampering(
                "re-serialised-indented",
                _reseal(sealed, payload=json.dumps(json.loads(payload), indent=1)),
            )
        )
        return out
    if family == "header-x5c":
        other = sample.extras["other"]
        inter, root = sample.extras["inter"], sample.extras["root"]
        x5c = header["x5c"]
        thumb = b64u(hashlib.sha256(other.public_bytes(Encoding.DER)).digest())
        return [
            Tampering(
                "leaf=other-valid-cert",
                _reseal(sealed, header={**header, "x5c": [x5c_entry(other), *x5c[1:]]}),
            ),
            Tampering(
                "leaf=other-valid-cert,x5t-updated",
                _reseal(
                    sealed,
                    header={**header, "x5c": [x5c_entry(other), *x5c[1:]], "x5t#S256": thumb},
                ),
            ),
            Tampering(
                "leaf=intermediate", _reseal(sealed, header={**header, "x5c": [x5c_entry(inter)]})
            ),
            Tampering("leaf=root", _reseal(sealed, header={**header, "x5c": [x5c_entry(root)]})),
            Tampering("chain-reversed", _reseal(sealed, header={**header, "x5c": x5c[::-1]})),
            Tampering("intermediate-dropped", _reseal(sealed, header={**header, "x5c": x5c[:1]})),
            Tampering("x5c-empty", _reseal(sealed, header={**header, "x5c": []})),
            Tampering(
                "x5c-removed",
                _reseal(sealed, header={k: v for k, v in header.items() if k != "x5c"}),
            ),
        ]
    if family == "header-sigT":
        sig_t = header["sigT"]
        moment = datetime.strptime(sig_t, "%Y-%m-%dT%H:%M:%SZ")
        return [
            Tampering(f"sigT={v}", _reseal(sealed, header={**header, "sigT": v}))
            for v in (
                (moment + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                (moment - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "2001-01-01T00:00:00Z",
                "2999-01-01T00:00:00Z",
                sig_t.replace("Z", "+00:00"),
                "yesterday",
            )
        ] + [
            Tampering(
                "sigT-removed",
                _reseal(sealed, header={k: v for k, v in header.items() if k != "sigT"}),
            )
        ]
    if family == "header-other":
        changes = {
            "alg=ES384": {"alg": "ES384"},
            "alg=RS256": {"alg": "RS256"},
            "alg=none": {"alg": "none"},
            "kid-changed": {"kid": header["kid"][:-2] + "AA"},
            "x5t-changed": {"x5t#S256": b64u(bytes(32))},
            "crit-without-sigT": {"crit": ["b64"]},
            "crit-unknown": {"crit": [*header["crit"], "x-policy"], "x-policy": 1},
            "b64-true": {"b64": True},
            "typ-changed": {"typ": "JWT"},
            "cty-changed": {"cty": "json"},
        }
        out = [Tampering(n, _reseal(sealed, header={**header, **c})) for n, c in changes.items()]
        out.append(
            Tampering(
                "b64-removed",
                _reseal(sealed, header={k: v for k, v in header.items() if k != "b64"}),
            )
        )
        return out
    if family == "signature-flip":
        sig = b64u_decode(sealed["signatures"][0]["signature"])
        out = [
            Tampering(f"byte{b}.bit{i}", _reseal(sealed, signature=flip(sig, b, i)))
            for b, i in flipped_positions(len(sig), rng)
        ]
        out.append(Tampering("truncated", _reseal(sealed, signature=sig[:-1])))
        out.append(Tampering("all-zero", _reseal(sealed, signature=bytes(len(sig)))))
        return out
    raise ValueError(family)
