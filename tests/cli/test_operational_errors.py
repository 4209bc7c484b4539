"""Failures a user causes get a one-line typed message, never INTERNAL (issue #20, item 5).

Oracle: the CLI contract in the project README ("no traceback or INTERNAL to the
user of the CLI"): each case below printed ``error [INTERNAL]`` or a driver
traceback before.
"""

from __future__ import annotations

import socket

import pytest

from microcred_vc.errors import StatusDatabaseUnavailable
from microcred_vc.status import StatusRegistry


def _closed_port() -> int:
    with socket.socket() as sock:  # bound then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    "args",
    [("status", "publish"), ("verify",), ("issue", "--no-such-option")],
    ids=["missing-argument", "missing-file-argument", "unknown-option"],
)
def test_usage_errors_are_usage_messages(run, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.code == 2
    assert "INTERNAL" not in result.err and "Traceback" not in result.err


def test_unreachable_postgresql_is_a_typed_one_line_error(run, tmp_path) -> None:
    url = f"postgresql+psycopg://issuer:s3cret@127.0.0.1:{_closed_port()}/status"
    with pytest.raises(StatusDatabaseUnavailable) as info:
        StatusRegistry(url)
    assert "s3cret" not in info.value.message  # the password never reaches a log
    key = tmp_path / "key.json"
    assert run("keys", "new", "--out", str(key)).code == 0
    result = run("status", "publish", "revocation-1", "--status-db", url, "--key", str(key))
    assert result.code == 2
    assert "STATUS_DB_UNAVAILABLE" in result.err, result.err
    assert "INTERNAL" not in result.err and "s3cret" not in result.err
