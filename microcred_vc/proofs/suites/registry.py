"""Registries of cryptosuites: instances, not a module-global dict anyone can overwrite.

:data:`DEFAULT_SUITES` holds the built-in suites (and any a program registers
under a *new* name). A verifier narrows what it accepts with
``SuiteRegistry(allowed=[...])`` -- a live view of the default registry -- and
passes it as ``verify_proof(..., suites=...)``; a test or plug-in can build a
registry of its own (``SuiteRegistry([suite, ...])``) without touching the
default one. Registering a name that is taken raises :class:`RegistryConflict`:
an import must never silently change what ``ecdsa-rdfc-2019`` means.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from microcred_vc.errors import RegistryConflict, UnknownCryptosuite
from microcred_vc.proofs.suites.base import DATA_INTEGRITY_PROOF, Cryptosuite


class SuiteRegistry:
    """Cryptosuites by name (cryptosuite name, or proof type for legacy suites).

    ``suites=None`` (the default) makes a view of :data:`DEFAULT_SUITES`: it sees
    suites registered there later and adds its own on top. ``allowed`` limits the
    names it hands out; any other is refused as ``CRYPTOSUITE_NOT_ALLOWED`` (a
    kind of unknown suite, so a verifier treats such a proof as adding no trust).
    """

    def __init__(
        self,
        suites: Iterable[Cryptosuite] | None = None,
        *,
        allowed: Iterable[str] | None = None,
    ) -> None:
        if isinstance(allowed, str):
            raise TypeError("allowed must be a collection of suite names, not one string")
        self._base: SuiteRegistry | None = DEFAULT_SUITES if suites is None else None
        self._own: dict[str, Cryptosuite] = {}
        self.allowed: frozenset[str] | None = None if allowed is None else frozenset(allowed)
        #: key type -> suite name used when a signer names no suite
        self.defaults: dict[str, str] = {}
        for suite in suites or ():
            self.register(suite)

    def _lookup(self, name: str) -> Cryptosuite | None:
        found = self._own.get(name)
        if found is None and self._base is not None:
            found = self._base._lookup(name)
        return found

    def register(self, suite: Cryptosuite) -> Cryptosuite:
        """Add ``suite`` under ``suite.name``; a taken name raises RegistryConflict."""
        if not isinstance(suite, Cryptosuite):
            raise TypeError(f"expected a Cryptosuite, not {type(suite).__name__}")
        if self._lookup(suite.name) is not None:
            raise RegistryConflict(
                f"cryptosuite {suite.name!r} is already registered; register the variant "
                "under a new name, or build a SuiteRegistry of your own",
                name=suite.name,
            )
        self._own[suite.name] = suite
        return suite

    def default_for(self, key_type: str) -> str:
        """The suite name a key of ``key_type`` signs with when none is named."""
        name = self.defaults.get(key_type)
        if name is None and self._base is not None:
            return self._base.default_for(key_type)
        if name is None:
            raise UnknownCryptosuite(f"no default cryptosuite for {key_type} keys")
        return name

    def names(self) -> list[str]:
        """Every name this registry hands out, sorted."""
        known = set(self._own) | (set(self._base.names()) if self._base is not None else set())
        return sorted(known if self.allowed is None else known & self.allowed)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.names()

    def get(self, name: str) -> Cryptosuite:
        """The suite called ``name``: UnknownCryptosuite when absent or not allowed."""
        suite = self._lookup(name) if isinstance(name, str) else None
        if suite is None:
            raise UnknownCryptosuite(
                f"unknown cryptosuite {name!r}; known: {', '.join(self.names())}",
                cryptosuite=str(name),
            )
        if self.allowed is not None and name not in self.allowed:
            raise UnknownCryptosuite(
                f"cryptosuite {name!r} is not allowed here; allowed: "
                f"{', '.join(sorted(self.allowed)) or 'none'}",
                code="CRYPTOSUITE_NOT_ALLOWED",
                cryptosuite=name,
            )
        return suite

    def for_proof(self, proof: Mapping[str, Any]) -> Cryptosuite:
        """The suite a proof object declares (type + cryptosuite), or UnknownCryptosuite."""
        proof_type = proof.get("type")
        if proof_type == DATA_INTEGRITY_PROOF:
            name = proof.get("cryptosuite")
            if not isinstance(name, str):
                raise UnknownCryptosuite("DataIntegrityProof without a cryptosuite string")
            suite = self.get(name)
        elif isinstance(proof_type, str):
            suite = self.get(proof_type)
        else:
            raise UnknownCryptosuite(f"proof type {proof_type!r} is not a string")
        if suite.proof_type != proof_type:
            raise UnknownCryptosuite(
                f"cryptosuite {suite.name!r} is not used with proof type {proof_type!r}"
            )
        if suite.cryptosuite is None and "cryptosuite" in proof:
            raise UnknownCryptosuite(f"{proof_type} proofs carry no cryptosuite field")
        return suite

    def __repr__(self) -> str:
        return f"SuiteRegistry({self.names()!r})"


#: The built-in suites; importing :mod:`microcred_vc.proofs.suites` fills it.
DEFAULT_SUITES = SuiteRegistry([])
DEFAULT_SUITES.defaults.update(
    {"Ed25519": "eddsa-rdfc-2022", "P-256": "ecdsa-rdfc-2019", "P-384": "ecdsa-rdfc-2019"}
)


def register_suite(suite: Cryptosuite) -> Cryptosuite:
    """Make ``suite`` available under ``suite.name`` in :data:`DEFAULT_SUITES` (new names only)."""
    return DEFAULT_SUITES.register(suite)


def get_suite(name: str) -> Cryptosuite:
    return DEFAULT_SUITES.get(name)


def suite_for_proof(proof: Mapping[str, Any]) -> Cryptosuite:
    return DEFAULT_SUITES.for_proof(proof)


def available_suites() -> list[str]:
    return DEFAULT_SUITES.names()
