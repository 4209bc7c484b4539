"""Revocation and suspension: Bitstring Status List, its registry and the status check."""

from microcred_vc.status.bitstring import (
    MIN_ENTRIES,
    Bitstring,
    StatusEntry,
    StatusMessage,
    attach_status,
    build_list_credential,
    decode_bits,
    encode_bits,
    make_entry,
    parse_entry,
    parse_list_credential,
)
from microcred_vc.status.cache import StatusListCache
from microcred_vc.status.check import check_status
from microcred_vc.status.list_trust import ListVerdict
from microcred_vc.status.registry import ListInfo, StatusRecord, StatusRegistry

__all__ = [
    "MIN_ENTRIES",
    "Bitstring",
    "ListInfo",
    "ListVerdict",
    "StatusEntry",
    "StatusListCache",
    "StatusMessage",
    "StatusRecord",
    "StatusRegistry",
    "attach_status",
    "build_list_credential",
    "check_status",
    "decode_bits",
    "encode_bits",
    "make_entry",
    "parse_entry",
    "parse_list_credential",
]
