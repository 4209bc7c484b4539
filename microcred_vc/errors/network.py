"""The guarded HTTP transport: disabled network, refused addresses, deadlines."""

from __future__ import annotations

from microcred_vc.errors.base import MicrocredError


class NetworkError(MicrocredError):
    code = "NETWORK_ERROR"
    title = "Network request failed"


class NetworkDisabled(NetworkError):
    code = "NETWORK_DISABLED"
    title = "Network access is disabled"


class AddressNotAllowed(NetworkError):
    code = "ADDRESS_NOT_ALLOWED"
    title = "Address not allowed"


class NetworkDeadlineExceeded(NetworkError):
    """The whole request (lookups, redirects, body) outlived its deadline."""

    code = "NETWORK_DEADLINE"
    title = "Network request took longer than its deadline"
