"""JWT credentials: VC-JOSE-COSE (``vc+jwt``) and the VC 1.1 / OB 3.0 JWT encoding.

jwcrypto does the JOSE cryptography; this package decides which key and which
algorithm are acceptable, maps VC 1.1 claims both ways, and turns every outcome
into a readable :class:`~microcred_vc.report.VerificationReport`.
"""

from microcred_vc.jose.compact import DecodedJwt, decode_unverified, is_jwt
from microcred_vc.jose.keys import DEFAULT_ALGS
from microcred_vc.jose.presentation import sign_presentation_jwt, verify_presentation_jwt
from microcred_vc.jose.sign import sign_jwt
from microcred_vc.jose.verify import verify_jwt

__all__ = [
    "DEFAULT_ALGS",
    "DecodedJwt",
    "decode_unverified",
    "is_jwt",
    "sign_jwt",
    "sign_presentation_jwt",
    "verify_jwt",
    "verify_presentation_jwt",
]
