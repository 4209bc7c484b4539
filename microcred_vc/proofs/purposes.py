"""Proof purposes: what the signer meant, and what the verifier must check for it.

A signature only proves that a key signed; the purpose says the key was used
*as* an issuer key (assertionMethod) or to log in (authentication), and the
controller document must list the key under that relationship. Authentication
proofs also bind a verifier-chosen challenge and domain, so a presentation
cannot be replayed to another verifier or later.

A purpose owns both halves: :meth:`ProofPurpose.update` writes its terms into
the proof at signing, :meth:`ProofPurpose.validate` checks them at verifying;
the challenge and domain travel inside the purpose (:meth:`ProofPurpose.bound`),
so the engine never interprets them itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from microcred_vc.errors import ProofVerificationError, RegistryConflict
from microcred_vc.keys.did import VerificationMethod


@dataclass(frozen=True)
class Expectation:
    """What the verifier expects of a proof beyond the signature (kept for callers of
    :meth:`ProofPurpose.check`; new code binds challenge and domain to the purpose)."""

    purpose: str
    challenge: str | None = None
    domain: str | list[str] | None = None


@dataclass(frozen=True)
class ProofPurpose:
    name: str
    #: whether a verifier must supply a challenge (authentication: yes)
    needs_challenge: bool = False
    #: signing: written into the proof; verifying: the value the proof must carry
    challenge: str | None = None
    #: signing: written into the proof; verifying: one of these must be in the proof
    domain: str | list[str] | None = None

    def bound(
        self, *, challenge: str | None = None, domain: str | list[str] | None = None
    ) -> ProofPurpose:
        """This purpose with a challenge and/or domain (``None`` keeps the current one)."""
        return replace(
            self,
            challenge=self.challenge if challenge is None else challenge,
            domain=self.domain if domain is None else domain,
        )

    def update(self, proof: dict[str, Any]) -> None:
        """Signing: add this purpose's terms to the proof options being built."""
        proof["proofPurpose"] = self.name
        if self.challenge is not None:
            proof["challenge"] = self.challenge
        if self.domain is not None:
            proof["domain"] = self.domain

    def validate(self, proof: Mapping[str, Any], method: VerificationMethod) -> str | None:
        """Verifying: None when the proof satisfies this purpose, else the reason it does not."""
        if proof.get("proofPurpose") != self.name:
            return f"proof purpose is {proof.get('proofPurpose')!r}, the verifier expected {self.name!r}"
        if not method.allows(self.name):
            return (
                f"verification method {method.id} is not listed under {self.name} "
                f"by its controller {method.controller}"
            )
        if self.challenge is not None and proof.get("challenge") is None:
            return f"the proof carries no challenge, but the verifier asked for {self.challenge!r}"
        if self.challenge is not None and proof.get("challenge") != self.challenge:
            return "proof challenge does not match the verifier's challenge"
        if self.needs_challenge and self.challenge is None:
            return "an authentication proof needs a verifier-supplied challenge"
        if self.domain is not None:
            wanted = self.domain if isinstance(self.domain, list) else [self.domain]
            got = proof.get("domain")
            got_list = got if isinstance(got, list) else [got]
            if not any(d in got_list for d in wanted):
                return f"proof domain {got!r} does not match the expected domain {self.domain!r}"
        return None

    def check(
        self, proof: Mapping[str, Any], method: VerificationMethod, expect: Expectation
    ) -> str | None:
        """:meth:`validate` with the challenge and domain of ``expect``."""
        return self.bound(challenge=expect.challenge, domain=expect.domain).validate(proof, method)


ASSERTION_METHOD = ProofPurpose("assertionMethod")
AUTHENTICATION = ProofPurpose("authentication", needs_challenge=True)


class PurposeRegistry:
    """Proof purposes by name; a taken name is refused (RegistryConflict)."""

    def __init__(self, purposes: Iterable[ProofPurpose] = ()) -> None:
        self._purposes: dict[str, ProofPurpose] = {}
        for purpose in purposes:
            self.register(purpose)

    def register(self, purpose: ProofPurpose) -> ProofPurpose:
        if not isinstance(purpose, ProofPurpose):
            raise TypeError(f"expected a ProofPurpose, not {type(purpose).__name__}")
        if purpose.name in self._purposes:
            raise RegistryConflict(
                f"proof purpose {purpose.name!r} is already registered", name=purpose.name
            )
        self._purposes[purpose.name] = purpose
        return purpose

    def get(self, purpose: str | ProofPurpose) -> ProofPurpose:
        """The purpose called ``purpose`` (a ProofPurpose is returned as given).

        An unknown name is caller misuse, so it raises."""
        if isinstance(purpose, ProofPurpose):
            return purpose
        try:
            return self._purposes[purpose]
        except (KeyError, TypeError):
            raise ProofVerificationError(
                f"unknown proof purpose {purpose!r}; use one of {', '.join(self.names())}"
            ) from None

    def names(self) -> list[str]:
        return sorted(self._purposes)


DEFAULT_PURPOSES = PurposeRegistry(
    [
        ASSERTION_METHOD,
        AUTHENTICATION,
        ProofPurpose("capabilityInvocation"),
        ProofPurpose("capabilityDelegation"),
    ]
)


def get_purpose(name: str | ProofPurpose) -> ProofPurpose:
    """The purpose called ``name`` in :data:`DEFAULT_PURPOSES`; unknown names raise."""
    return DEFAULT_PURPOSES.get(name)


def register_purpose(purpose: ProofPurpose) -> ProofPurpose:
    """Add a purpose under a new name to :data:`DEFAULT_PURPOSES`."""
    return DEFAULT_PURPOSES.register(purpose)
