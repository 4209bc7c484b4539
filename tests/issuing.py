"""Test helper: a credential that names the signing key's controller as its issuer.

``issue()`` never rewrites an issuer (DESIGN.md, "Never change what the caller
gave"), so a test that signs a sample with a fresh did:key must say, in the
test, that the key's controller is the issuer. This is the one place that does
it: the issuer id (and an awarding body that was the issuer) become ``key.did``;
nothing else changes.
"""

from __future__ import annotations

import copy
from typing import Any


def issued_by(credential: Any, key: Any) -> Any:
    """A copy of ``credential`` (dict or MicroCredential) whose issuer is ``key.did``."""
    did = key.did
    if isinstance(credential, dict):
        doc = copy.deepcopy(credential)
        issuer = doc.get("issuer")
        doc["issuer"] = {**issuer, "id": did} if isinstance(issuer, dict) else did
        return doc
    old = credential.issuer.id
    issuer = credential.issuer.model_copy(update={"id": did})
    bodies = [issuer if b.id == old else b for b in credential.awarding_bodies]
    return credential.model_copy(update={"issuer": issuer, "awarding_bodies": bodies})
