"""Key-area errors that ``microcred_vc.errors`` does not define.

Kept here (subclassing the shared classes, so ``except DidResolutionError``
still catches them) because they name one precise refusal a verifier must be
able to branch on: a key that its claimed owner never published.
"""

from __future__ import annotations

from microcred_vc.errors import DidResolutionError


class KeyControllerMismatch(DidResolutionError):
    """The verification method was not published by the controller it names.

    Raised when a method's ``controller`` differs from the id of the document it
    was found in, when its id lies outside that document, or when the document
    served for a URL carries another id: accepting any of these would let one
    party's document hand out keys "controlled" by someone else (issue #16 V1).
    """

    code = "KEY_CONTROLLER_MISMATCH"
    title = "Verification method not published by its controller"
