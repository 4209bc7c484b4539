"""What a CLR holds, counted for the report: achievements, credentials, associations.

A wallet shows a transcript as a tree (a programme and its courses); the tree is
drawn from ``association`` entries whose ``sourceId``/``targetId`` name
achievements. Real records (the 1EdTech validator's ``complex.json``) name
achievements that are in neither the CLR's own ``achievement`` list nor a nested
credential, so an unresolvable end is reported as a warning, never a failure:
the signature still holds, only the tree cannot be drawn whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from microcred_vc.report import Check


@dataclass(frozen=True)
class ClrSummary:
    """The counts and names a UI needs to show a CLR before opening each credential."""

    #: Achievement ids listed by the CLR itself (``credentialSubject.achievement``).
    listed: tuple[str, ...] = ()
    #: Achievement ids awarded by the nested credentials that are JSON (JWTs are opaque here).
    awarded: tuple[str, ...] = ()
    credentials: int = 0
    #: association type -> how many.
    associations: Mapping[str, int] = field(default_factory=dict)
    #: Association ends that name no achievement of this CLR.
    dangling: tuple[str, ...] = ()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _ids(items: list[Any]) -> list[str]:
    return [a["id"] for a in items if isinstance(a, Mapping) and isinstance(a.get("id"), str)]


def nested_credentials(doc: Mapping[str, Any]) -> list[Any]:
    """``credentialSubject.verifiableCredential`` as a list (absent: none)."""
    subject = doc.get("credentialSubject")
    if not isinstance(subject, Mapping):
        return []
    return _as_list(subject.get("verifiableCredential"))


def summarize(doc: Mapping[str, Any]) -> ClrSummary:
    """Count what a ClrCredential lists; reads the JSON (the proof check covers it)."""
    subject = doc.get("credentialSubject")
    subject = subject if isinstance(subject, Mapping) else {}
    listed = _ids(_as_list(subject.get("achievement")))
    nested = nested_credentials(doc)
    awarded: list[str] = []
    for cred in nested:
        inner = cred.get("credentialSubject") if isinstance(cred, Mapping) else None
        if isinstance(inner, Mapping):
            awarded.extend(_ids(_as_list(inner.get("achievement"))))
    known = set(listed) | set(awarded)
    kinds: Counter[str] = Counter()
    dangling: list[str] = []
    for assoc in _as_list(subject.get("association")):
        if not isinstance(assoc, Mapping):
            continue
        kinds[str(assoc.get("associationType", "unspecified"))] += 1
        for end in (assoc.get("sourceId"), assoc.get("targetId")):
            if isinstance(end, str) and end not in known and end not in dangling:
                dangling.append(end)
    return ClrSummary(tuple(listed), tuple(awarded), len(nested), dict(kinds), tuple(dangling))


def summary_check(summary: ClrSummary) -> Check:
    """The ``achievements`` check: what the record holds, warning on an undrawable tree."""
    achievements = len(set(summary.listed) | set(summary.awarded))
    links = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.associations.items()))
    message = (
        f"{achievements} achievement(s), {summary.credentials} nested credential(s), "
        f"{sum(summary.associations.values())} association(s)" + (f" ({links})" if links else "")
    )
    if summary.dangling:
        shown = ", ".join(summary.dangling[:3]) + (" …" if len(summary.dangling) > 3 else "")
        return Check(
            "achievements",
            "warn",
            f"{message}; {len(summary.dangling)} association end(s) name no achievement "
            f"of this record: {shown}",
            "CLR_ASSOCIATION_UNRESOLVED",
        )
    return Check("achievements", "pass", message)
