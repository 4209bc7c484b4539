"""The bitstring itself: fixed-length entries, GZIP + base64url encoding, bounded decoding.

Kept apart from the credential shapes in ``bitstring.py`` (entries, list
credentials) because this part is pure data handling with one hostile-input
concern: GZIP lets a tiny payload inflate to gigabytes, so inflation stops at
``max_bytes`` and a larger list is refused with
:class:`~microcred_vc.errors.StatusListTooLarge`.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import zlib
from collections.abc import Iterable, Mapping

from microcred_vc.errors import StatusListInvalid, StatusListTooLarge

#: Minimum number of entries in a list (the spec's 16 KB of one-bit entries).
MIN_ENTRIES = 131_072
#: Largest decompressed bitstring accepted from outside (16 MiB = 134 M bits).
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


class Bitstring:
    """A fixed-length list of ``status_size``-bit entries, index 0 = leftmost bit.

    The spec numbers bits from the most significant bit of the first byte, so
    entry ``i`` with size ``s`` is bits ``i*s .. i*s+s-1`` read big-endian.
    """

    __slots__ = ("_data", "status_size")

    def __init__(
        self, entries: int = MIN_ENTRIES, *, status_size: int = 1, data: bytes | None = None
    ) -> None:
        if status_size < 1 or status_size > 16:
            raise StatusListInvalid(f"statusSize must be 1..16, got {status_size}")
        self.status_size = status_size
        if data is not None:
            self._data = bytearray(data)
        else:
            if entries < 1:
                raise StatusListInvalid(f"a status list needs at least one entry, got {entries}")
            self._data = bytearray(-(-entries * status_size // 8))

    @property
    def entries(self) -> int:
        """How many whole entries the bitstring holds."""
        return len(self._data) * 8 // self.status_size

    @property
    def bit_length(self) -> int:
        return len(self._data) * 8

    def _check(self, index: int) -> None:
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise StatusListInvalid(f"status list index must be a non-negative integer: {index!r}")
        if index >= self.entries:
            raise StatusListInvalid(
                f"index {index} is outside the status list ({self.entries} entries)",
                code="STATUS_RANGE_ERROR",
            )

    def get(self, index: int) -> int:
        """The status value of entry ``index``."""
        self._check(index)
        value = 0
        start = index * self.status_size
        for bit in range(start, start + self.status_size):
            value = (value << 1) | ((self._data[bit >> 3] >> (7 - (bit & 7))) & 1)
        return value

    def set(self, index: int, value: int) -> None:
        """Set entry ``index`` to ``value`` (0 .. 2**status_size - 1)."""
        self._check(index)
        if not 0 <= value < (1 << self.status_size):
            raise StatusListInvalid(
                f"status value {value} does not fit in statusSize {self.status_size}"
            )
        start = index * self.status_size
        for offset in range(self.status_size):
            bit = start + offset
            mask = 1 << (7 - (bit & 7))
            if (value >> (self.status_size - 1 - offset)) & 1:
                self._data[bit >> 3] |= mask
            else:
                self._data[bit >> 3] &= ~mask

    def nonzero(self) -> list[int]:
        """Indexes whose status value is not 0 (for tests, audits and the CLI)."""
        if self.status_size == 1:
            out: list[int] = []
            for byte_no, byte in enumerate(self._data):
                if byte:
                    out.extend(byte_no * 8 + b for b in range(8) if (byte >> (7 - b)) & 1)
            return out
        return [i for i in range(self.entries) if self.get(i)]

    def to_bytes(self) -> bytes:
        return bytes(self._data)

    def encode(self) -> str:
        """``encodedList``: GZIP, then base64url without padding, multibase prefix ``u``."""
        return encode_bits(self._data)

    @classmethod
    def decode(
        cls, encoded: str, *, status_size: int = 1, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> Bitstring:
        return cls(status_size=status_size, data=decode_bits(encoded, max_bytes=max_bytes))

    @classmethod
    def from_values(
        cls,
        values: Mapping[int, int] | Iterable[int],
        *,
        entries: int = MIN_ENTRIES,
        status_size: int = 1,
    ) -> Bitstring:
        """A list with the given indexes set (iterable → value 1; mapping → its values)."""
        bits = cls(entries, status_size=status_size)
        items = values.items() if isinstance(values, Mapping) else ((i, 1) for i in values)
        for index, value in items:
            bits.set(index, value)
        return bits


def encode_bits(data: bytes | bytearray) -> str:
    """GZIP (fixed mtime, so identical lists encode identically) + multibase base64url."""
    compressed = gzip.compress(bytes(data), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_bits(encoded: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Inverse of :func:`encode_bits`, also reading StatusList2021's bare base64.

    Every GZIP stream starts ``H4sI`` in base64, so a leading ``u`` is always the
    multibase prefix and never part of the payload.
    """
    if not isinstance(encoded, str) or not encoded:
        raise StatusListInvalid("encodedList must be a non-empty string")
    text = encoded[1:] if encoded.startswith("u") else encoded
    text = text.strip().replace("+", "-").replace("/", "_").rstrip("=")
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise StatusListInvalid(f"encodedList is not base64url: {exc}") from None
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing only
    try:
        data = inflater.decompress(compressed, max_bytes + 1)
    except zlib.error as exc:
        raise StatusListInvalid(f"encodedList is not valid GZIP: {exc}") from None
    if len(data) > max_bytes:
        raise StatusListTooLarge(
            f"status list inflates beyond {max_bytes} bytes; refusing it (possible zip bomb)",
            max_bytes=max_bytes,
        )
    if not inflater.eof:
        raise StatusListInvalid("encodedList GZIP stream is truncated")
    return data
