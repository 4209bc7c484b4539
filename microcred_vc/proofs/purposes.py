"""Proof purposes: what the signer meant, and what the verifier must check for it.

A signature only proves that a key signed; the purpose says the key was used
*as* an issuer key (assertionMethod) or to log in (authentication), and the
controller document must list the key under that relationship. Authentication
proofs also bind a verifier-chosen challenge and domain, so a presentation
cannot be replayed to another verifier or later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from microcred_vc.errors import ProofVerificationError
from microcred_vc.keys.did import VerificationMethod


@dataclass(frozen=True)
class Expectation:
    """What the verifier expects of a proof beyond the signature."""

    purpose: str
    challenge: str | None = None
    domain: str | list[str] | None = None


@dataclass(frozen=True)
class ProofPurpose:
    name: str
    #: whether a verifier must supply a challenge (authentication: yes)
    needs_challenge: bool = False

    def check(
        self, proof: Mapping[str, Any], method: VerificationMethod, expect: Expectation
    ) -> str | None:
        """None when the proof satisfies this purpose, else the reason it does not."""
        if proof.get("proofPurpose") != self.name:
            return f"proof purpose is {proof.get('proofPurpose')!r}, the verifier expected {self.name!r}"
        if not method.allows(self.name):
            return (
                f"verification method {method.id} is not listed under {self.name} "
                f"by its controller {method.controller}"
            )
        if expect.challenge is not None and proof.get("challenge") != expect.challenge:
            return "proof challenge does not match the verifier's challenge"
        if self.needs_challenge and expect.challenge is None:
            return "an authentication proof needs a verifier-supplied challenge"
        if expect.domain is not None:
            wanted = expect.domain if isinstance(expect.domain, list) else [expect.domain]
            got = proof.get("domain")
            got_list = got if isinstance(got, list) else [got]
            if not any(d in got_list for d in wanted):
                return f"proof domain {got!r} does not match the expected domain {expect.domain!r}"
        return None


ASSERTION_METHOD = ProofPurpose("assertionMethod")
AUTHENTICATION = ProofPurpose("authentication", needs_challenge=True)

_PURPOSES: dict[str, ProofPurpose] = {
    p.name: p
    for p in (
        ASSERTION_METHOD,
        AUTHENTICATION,
        ProofPurpose("capabilityInvocation"),
        ProofPurpose("capabilityDelegation"),
    )
}


def get_purpose(name: str) -> ProofPurpose:
    """The purpose called ``name``; an unknown one is caller misuse, so it raises."""
    try:
        return _PURPOSES[name]
    except (KeyError, TypeError):
        raise ProofVerificationError(
            f"unknown proof purpose {name!r}; use one of {', '.join(sorted(_PURPOSES))}"
        ) from None


def register_purpose(purpose: ProofPurpose) -> None:
    _PURPOSES[purpose.name] = purpose
