"""Issuer trust, separate from cryptography: is anyone the verifier relies on vouching
for the issuer a proof established?

``verify(credential, trust=...)`` takes registries (or their files) and adds a
``trust`` check to the report; ``report.verified`` stays the cryptographic and
data verdict, ``report.trusted`` says whether a registry vouched. Three file
formats are read, offline: a plain allow-list (:class:`AllowList`), the Digital
Credentials Consortium issuer registry (:class:`DccRegistry`) and EBSI Trusted
Issuers Registry responses (:class:`EbsiIssuerRecord`, :class:`EbsiIssuerList`);
:func:`load_trust_registry` tells them apart. Any object with ``name`` and
``lookup(issuer_id, now=...)`` is a :class:`TrustRegistry` too.
"""

from microcred_vc.trust.allowlist import AllowList
from microcred_vc.trust.base import TrustAnswer, TrustRegistry, TrustStatus
from microcred_vc.trust.check import trust_check
from microcred_vc.trust.dcc import DccRegistry
from microcred_vc.trust.ebsi import EbsiIssuerList, EbsiIssuerRecord
from microcred_vc.trust.loader import as_registries, load_trust_registry

__all__ = [
    "AllowList",
    "DccRegistry",
    "EbsiIssuerList",
    "EbsiIssuerRecord",
    "TrustAnswer",
    "TrustRegistry",
    "TrustStatus",
    "as_registries",
    "load_trust_registry",
    "trust_check",
]
