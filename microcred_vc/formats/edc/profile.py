"""What the EDC application profile demands of what the library writes (emit strictly).

The loss report is for what the *hub* held and EDC cannot carry; a rule of the
target profile that the output would break is not a loss but a refusal
(docs/DESIGN "Rules at the boundary"). The rule enforced here is the one the
issue found broken: EDC AP 1.1 (``EDC-generic-no-cv.ttl``, ``edc:IssuerNodeShape``)
gives the credential's issuer exactly one ``eidasLegalIdentifier``, a
``LegalIdentifier`` with a notation and one ``spatial`` country. A reader stays
generous: :func:`check_output` is only called by the writer.
"""

from __future__ import annotations

from typing import Any

from microcred_vc.errors import EdcIssuerNoLegalId, LegalIdentifierInvalid
from microcred_vc.identifiers import from_elm, parse

_HOW = (
    "give the issuer its eIDAS legal identifier (Organisation.eidas_id, e.g. VATIE-3668997OH, "
    "with its country), or take it from the seal certificate: "
    "convert(..., to='edc', seal_certificate=cert) or edc.dump(mc, seal_certificate=cert)"
)


def check_output(doc: dict[str, Any]) -> None:
    """Refuse an EDC whose issuer lacks the one eIDAS legal identifier the profile requires."""
    issuer = doc.get("issuer")
    if not isinstance(issuer, dict):
        raise EdcIssuerNoLegalId(f"the EDC names no issuer, so no issuer legal identifier; {_HOW}")
    node = issuer.get("eIDASIdentifier")
    if node is None:
        raise EdcIssuerNoLegalId(
            f"the EDC application profile requires the issuer's eIDAS legal identifier "
            f"(eIDASIdentifier), and issuer {issuer.get('id')} has none; {_HOW}",
            issuer=str(issuer.get("id")),
        )
    if isinstance(node, list):
        raise EdcIssuerNoLegalId(
            "the EDC application profile allows the issuer one eIDAS legal identifier, "
            f"not {len(node)}"
        )
    if not isinstance(node, dict) or not isinstance(node.get("notation"), str):
        raise EdcIssuerNoLegalId("the issuer's eIDASIdentifier has no notation")
    if node.get("spatial") is None:
        raise EdcIssuerNoLegalId(
            "the issuer's eIDASIdentifier needs its country (spatial); give the issuer a country"
        )
    try:
        from_elm(node)
    except LegalIdentifierInvalid as exc:
        raise EdcIssuerNoLegalId(
            f"the issuer's eIDAS identifier {node['notation']!r} is not a legal identifier: "
            f"{exc.message}",
            issuer=str(issuer.get("id")),
        ) from exc


def legal_id_country(notation: str | None, fallback: str | None) -> str | None:
    """The country a LegalIdentifier's ``spatial`` names: the identifier's own when it states
    one (``VATES-…`` is Spanish, as in the EC's sealed sample, wherever the issuer sits),
    else ``fallback`` (the organisation's country; a global LEI has none of its own)."""
    if not notation:
        return fallback
    try:
        parsed = parse(notation, country=fallback)
    except LegalIdentifierInvalid:
        return fallback  # refused, with its reason, by check_output
    return parsed.country if parsed.country not in (None, "XG") else fallback
