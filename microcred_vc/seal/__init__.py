"""JAdES seals for European Digital Credentials, with X.509 path validation."""

from microcred_vc.seal.envelope import decode_sealed_payload
from microcred_vc.seal.jades import seal_edc
from microcred_vc.seal.report import SealReport, SealStep
from microcred_vc.seal.verify import verify_seal

__all__ = ["SealReport", "SealStep", "decode_sealed_payload", "seal_edc", "verify_seal"]
