"""An RFC 3161 timestamp client over HTTP, through the library's guarded network layer.

A seal at level B-T or above needs a timestamp from a timestamp authority.
The request goes through :func:`microcred_vc.net.fetch_bytes` like every
other fetch: deadline, size cap, no redirects, and no private or loopback
address unless the caller switches ``block_private`` off (what tests on
127.0.0.1 do). The answer is checked before it is used: status granted, the
nonce sent, and an imprint over exactly the bytes asked for.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from asn1crypto import algos, tsp

from microcred_vc.errors import SealCreationError
from microcred_vc.net import check_public_http, fetch_bytes
from microcred_vc.seal.timestamps import token_imprint


def timestamp_request(data: bytes, nonce: int, hash_name: str = "sha256") -> bytes:
    """DER TimeStampReq (RFC 3161 §2.4.1) asking for the TSA's certificate in the token."""
    return tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": algos.DigestAlgorithm({"algorithm": hash_name}),
                "hashed_message": hashlib.new(hash_name, data).digest(),
            },
            "nonce": nonce,
            "cert_req": True,
        }
    ).dump()


def token_from_response(body: bytes, data: bytes, nonce: int, hash_name: str = "sha256") -> bytes:
    """The TimeStampToken of a TimeStampResp after checking status, nonce and imprint."""
    try:
        response = tsp.TimeStampResp.load(body)
        status = response["status"]["status"].native
        token = response["time_stamp_token"]
        if status not in ("granted", "granted_with_mods") or not token:
            raise SealCreationError(f"the timestamp authority refused the request ({status})")
        info = token["content"]["encap_content_info"]["content"].parsed
        if info["nonce"].native != nonce:
            raise SealCreationError("the timestamp answers another request (nonce differs)")
        der = token.dump()
    except (ValueError, TypeError, KeyError) as exc:
        raise SealCreationError(f"the timestamp authority's answer is unreadable: {exc}") from exc
    if token_imprint(der) != (hash_name, hashlib.new(hash_name, data).digest()):
        raise SealCreationError("the timestamp authority stamped other data than was sent")
    return der


@dataclass
class HttpTimestamper:
    """``tsa(data) -> token DER`` for :func:`seal_edc`: one RFC 3161 request per call.

    ``block_private=False`` allows loopback and private addresses (tests and an
    in-house TSA); ``transport`` is the httpx test hook of ``fetch_bytes``.
    """

    url: str
    timeout: float = 10.0
    block_private: bool = True
    hash_name: str = "sha256"
    max_bytes: int = 1_000_000
    transport: Any = None

    def __call__(self, data: bytes) -> bytes:
        nonce = secrets.randbits(63)
        body = fetch_bytes(
            self.url,
            timeout=self.timeout,
            max_bytes=self.max_bytes,
            max_redirects=0,
            check_url=lambda hop: check_public_http(hop, block_private=self.block_private),
            headers={"Content-Type": "application/timestamp-query"},
            block_private=self.block_private,
            transport=self.transport,
            content=timestamp_request(data, nonce, self.hash_name),
        )
        return token_from_response(body, data, nonce, self.hash_name)
