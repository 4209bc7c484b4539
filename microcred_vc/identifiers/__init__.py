"""Legal identifiers of organisations (ETSI EN 319 412-1, eIDAS, ELM), parsed and compared.

``parse("VATIE-3668997OH")`` gives scheme ``VAT``, country ``IE``, value
``3668997OH``; :meth:`LegalIdentifier.matches` says whether two written forms
name the same organisation (a seal certificate and an EDC issuer, for one).
"""

from microcred_vc.identifiers.parse import LegalIdentifier, from_elm, parse
from microcred_vc.identifiers.schemes import SCHEMES

#: ``parse`` under the name the top-level package exports it by
parse_legal_identifier = parse

__all__ = ["SCHEMES", "LegalIdentifier", "from_elm", "parse", "parse_legal_identifier"]
