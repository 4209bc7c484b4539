"""EU Trusted Lists (ETSI TS 119 612): the LOTL and national lists the caller gives.

``TrustedLists.load(files, signers=lotl_certs)`` reads and verifies the lists
(XML signatures by signxml, pointers followed only to the given files);
:func:`microcred_vc.seal.verify_seal` then decides with them whether the
seal's CA was a granted qualified service when the seal was made. Nothing
here fetches: the verifier downloads the lists (docs/guides/sealing.md).
"""

from microcred_vc.seal.trusted_list.lists import ListProblem, TrustedLists
from microcred_vc.seal.trusted_list.model import Pointer, Service, TrustedList

__all__ = ["ListProblem", "Pointer", "Service", "TrustedList", "TrustedLists"]
