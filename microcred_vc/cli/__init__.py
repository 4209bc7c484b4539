"""The ``microcred`` command: what an LMS administrator or integrator types.

Errors are one line with their stable code, never a traceback (``--debug``
shows it). Exit codes: 0 success, 1 a credential did not verify, 2 an error.
"""

from __future__ import annotations

# command modules register themselves on ``app``
from microcred_vc.cli import convert as _convert  # noqa: F401
from microcred_vc.cli import issue as _issue  # noqa: F401
from microcred_vc.cli import keys as _keys  # noqa: F401
from microcred_vc.cli import serve as _serve  # noqa: F401
from microcred_vc.cli import status as _status  # noqa: F401
from microcred_vc.cli import verify as _verify  # noqa: F401
from microcred_vc.cli.app import app
from microcred_vc.cli.entry import main

__all__ = ["app", "main"]
