"""Caps on proof sets and chains, checked before any proof is verified (issue #16 V5).

Every proof of a set costs a signature check and its proof configuration's
canonicalisation, and every distinct ``previousProof`` chain re-canonicalises
the whole document with the proofs it names: 200 proofs each naming the 199
others never finished. Real credentials carry one to a few proofs; these caps
are far above that and far below harm. They are counted on the JSON alone
(no canonicalisation), so a refusal is immediate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Most proofs accepted in one proof set.
MAX_PROOFS = 32
#: Longest ``previousProof`` chain, counted transitively (a proof with no
#: previous proof is a chain of 1; each proof it names adds its own chain).
MAX_CHAIN = 8


def proof_set_problem(proofs: list[Any]) -> tuple[str, str] | None:
    """``(reason, code)`` when the set is too large or a chain too long, else None."""
    if len(proofs) > MAX_PROOFS:
        return (
            f"the proof set has {len(proofs)} proofs; at most {MAX_PROOFS} are verified",
            "PROOF_SET_TOO_LARGE",
        )
    by_id: dict[str, list[Mapping[str, Any]]] = {}
    for proof in proofs:
        if isinstance(proof, Mapping) and isinstance(proof.get("id"), str):
            by_id.setdefault(proof["id"], []).append(proof)
    length = chain_length(proofs, by_id)
    if length is None:
        return ("previousProof references form a cycle", "PROOF_CHAIN_INVALID")
    if length > MAX_CHAIN:
        return (
            f"a previousProof chain is {length} proofs long; at most {MAX_CHAIN} are verified",
            "PROOF_CHAIN_TOO_LONG",
        )
    return None


def _previous(proof: Any) -> list[str]:
    if not isinstance(proof, Mapping) or "previousProof" not in proof:
        return []
    wanted = proof["previousProof"]
    wanted = wanted if isinstance(wanted, list) else [wanted]
    return [w for w in wanted if isinstance(w, str)]  # malformed ones fail per proof later


def chain_length(proofs: list[Any], by_id: dict[str, list[Mapping[str, Any]]]) -> int | None:
    """Longest chain through ``previousProof`` (iterative), or None on a cycle.

    A name missing from the set ends the chain here; the proof that uses it
    fails later with PROOF_CHAIN_BROKEN, as before.
    """
    depth: dict[int, int] = {}  # id(proof) -> chain length, once known
    on_path: set[int] = set()
    longest = 0
    for start in proofs:
        stack: list[tuple[Any, bool]] = [(start, False)]
        while stack:
            proof, expanded = stack.pop()
            key = id(proof)
            if expanded:
                on_path.discard(key)
                below = [depth[id(p)] for w in _previous(proof) for p in by_id.get(w, [])]
                depth[key] = 1 + max(below, default=0)
                continue
            if key in depth:
                continue
            if key in on_path:
                return None
            on_path.add(key)
            stack.append((proof, True))
            for name in _previous(proof):
                for p in by_id.get(name, []):
                    if id(p) in on_path:
                        return None
                    if id(p) not in depth:
                        stack.append((p, False))
        longest = max(longest, depth[id(start)])
    return longest
