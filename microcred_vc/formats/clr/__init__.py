"""Comprehensive Learner Record 2.0: a ``ClrCredential`` and the credentials it holds.

A CLR is how US institutions stack micro-credentials into one transcript: one
credential, signed by the publisher of the record, whose subject lists
achievements, the associations between them (``isParentOf``, ``isPartOf``…) and
the OB 3.0 AchievementCredentials (JSON or compact JWTs) that award them.
Verifying one means verifying the CLR's own proof *and* every nested credential
on its own terms (:mod:`microcred_vc.formats.clr.verify`); the summary a wallet
shows comes from :mod:`microcred_vc.formats.clr.summary`.
"""

from __future__ import annotations

from microcred_vc.formats.clr.summary import ClrSummary, summarize
from microcred_vc.formats.clr.verify import verify_clr

__all__ = ["ClrSummary", "summarize", "verify_clr"]
