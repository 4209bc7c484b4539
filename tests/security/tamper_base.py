"""What every tamper family is built from: walking JSON, changing a value, flipping a bit.

Kept apart from the families so that the Data Integrity, JWT, OB2 and seal
generators share one notion of "every leaf", "every object" and "a different
value of the same type", and so their counts move together when the samples do.
"""

from __future__ import annotations

import base64
import copy
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

SEED = 20261128
#: signature bytes flipped per sample (every byte when the signature is shorter)
MAX_SIGNATURE_BYTES = 64
#: payload positions changed in a sealed EDC (the payload is tens of kilobytes)
SEAL_PAYLOAD_POSITIONS = 40
SUITE_NAMES = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019")
LOOKALIKE_PREFIX = "https://evil.example/vocab/"


@dataclass
class Tampering:
    """One altered credential and any verify() options it needs (a look-alike loader)."""

    name: str
    value: Any
    options: dict[str, Any] = field(default_factory=dict)


Path_ = tuple[Any, ...]


# --- walking JSON -------------------------------------------------------------
def leaves(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every scalar under ``node`` with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, (*path, i))
    else:
        yield path, node


def objects(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, dict[str, Any]]]:
    """Every JSON object under ``node`` (``node`` itself first)."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from objects(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from objects(value, (*path, i))


def get(doc: Any, path: Path_) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def with_value(doc: Any, path: Path_, value: Any) -> Any:
    out = copy.deepcopy(doc)
    get(out, path[:-1])[path[-1]] = value
    return out


def without(doc: Any, path: Path_) -> Any:
    out = copy.deepcopy(doc)
    del get(out, path[:-1])[path[-1]]
    return out


def label(path: Path_) -> str:
    return "/".join(str(p) for p in path) or "(root)"


def changed_scalar(value: Any) -> Any:
    """A different value of the same JSON type, still well-formed where it matters."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if value is None:
        return "null"
    text = str(value)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is not None and "T" in text:
        # one second later, same format: a date a verifier would still parse
        shifted = (moment + timedelta(seconds=1)).isoformat()
        return shifted.replace("+00:00", "Z") if text.endswith("Z") else shifted
    if ":" in text and " " not in text:
        return text + "x"  # still an absolute IRI, naming something else
    return text[:-1] + chr(ord(text[-1]) ^ 1) if text else "x"


# --- content families (shared by DI, JWT claims and OB2 payloads) -------------
def value_changes(doc: dict[str, Any], skip: set[str]) -> list[tuple[str, Any]]:
    out = []
    for path, value in leaves(doc):
        if path and (path[0] in skip or "type" in path or "@context" in path):
            continue
        out.append(
            (
                f"{label(path)}={changed_scalar(value)!r}",
                with_value(doc, path, changed_scalar(value)),
            )
        )
        if isinstance(value, str):
            out.append((f"{label(path)}=<number>", with_value(doc, path, 7)))
    return out


def property_adds(doc: dict[str, Any], skip: set[str], known: str) -> list[tuple[str, Any]]:
    """Per object: add a term the context defines, and one it does not."""
    out = []
    for path, node in objects(doc):
        if path and path[0] in skip:
            continue
        term = known if known not in node else "name"
        if term not in node:
            out.append((f"{label(path)}+{term}", with_value(doc, (*path, term), "added")))
        out.append((f"{label(path)}+undefinedTerm", with_value(doc, (*path, "grade"), "A+")))
    return out


def property_removes(doc: dict[str, Any], skip: set[str]) -> list[tuple[str, Any]]:
    out = []
    for path, node in objects(doc):
        if path and path[0] in skip:
            continue
        for key in node:
            if not path and key in skip:
                continue
            out.append((f"-{label((*path, key))}", without(doc, (*path, key))))
    return out


def type_changes(doc: dict[str, Any], skip: set[str]) -> list[tuple[str, Any]]:
    # not AchievementCredential: OB 3.0 defines it as an alias of OpenBadgeCredential
    extra = {(): "EndorsementCredential"}
    out = []
    for path, node in objects(doc):
        if (path and path[0] in skip) or "type" not in node:
            continue
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        where = label((*path, "type"))
        for i, name in enumerate(types):
            out.append(
                (f"{where}-{name}", with_value(doc, (*path, "type"), types[:i] + types[i + 1 :]))
            )
            swapped = name[0].swapcase() + name[1:]
            out.append(
                (
                    f"{where}:{name}->{swapped}",
                    with_value(
                        doc,
                        (*path, "type", i) if isinstance(node["type"], list) else (*path, "type"),
                        swapped,
                    ),
                )
            )
        added = extra.get(path, "Profile" if "Profile" not in types else "Achievement")
        out.append((f"{where}+{added}", with_value(doc, (*path, "type"), [*types, added])))
        out.append((f"{where}=[EvilType]", with_value(doc, (*path, "type"), ["EvilType"])))
    return out


def flipped_positions(length: int, rng: random.Random) -> list[tuple[int, int]]:
    """(byte, bit) pairs: every byte when short, else a seeded sample incl. first and last."""
    if length <= MAX_SIGNATURE_BYTES:
        positions = list(range(length))
    else:
        inner = rng.sample(range(1, length - 1), MAX_SIGNATURE_BYTES - 2)
        positions = sorted({0, length - 1, *inner})
    return [(i, rng.randrange(8)) for i in positions]


def flip(data: bytes, byte: int, bit: int) -> bytes:
    out = bytearray(data)
    out[byte] ^= 1 << bit
    return bytes(out)


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def did_jwk_of(key: Any) -> str:
    from microcred_vc.keys.did import did_jwk

    return did_jwk(key.to_jwk())
