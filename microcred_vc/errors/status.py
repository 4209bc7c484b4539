"""Status lists and the status registry."""

from __future__ import annotations

from microcred_vc.errors.base import MicrocredError


class StatusError(MicrocredError):
    code = "STATUS_ERROR"
    title = "Status list error"


class StatusDatabaseUnavailable(StatusError):
    """The status database cannot be reached or opened (a message, not a driver traceback)."""

    code = "STATUS_DB_UNAVAILABLE"
    title = "Status database unavailable"


class StatusListFull(StatusError):
    code = "STATUS_LIST_FULL"
    title = "Status list has no free index"


class StatusNotFound(StatusError):
    code = "STATUS_NOT_FOUND"
    title = "Status entry not found"


class StatusListInvalid(StatusError):
    code = "STATUS_LIST_INVALID"
    title = "Status list or status entry is malformed"


class StatusListTooLarge(StatusListInvalid):
    code = "STATUS_LIST_TOO_LARGE"
    title = "Status list inflates beyond the size cap"
