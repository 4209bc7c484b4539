"""Issuer trust registries."""

from __future__ import annotations

from microcred_vc.errors.base import InputError


class TrustRegistryInvalid(InputError):
    """A trust-registry file is none of the formats the library reads (allow-list,
    DCC issuer registry, EBSI TIR response), or is malformed."""

    code = "TRUST_REGISTRY_INVALID"
    title = "Not a trust registry file the library can read"
