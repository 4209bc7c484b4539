"""The ``microcred`` command: what an LMS administrator or integrator types.

Errors are one line with their stable code, never a traceback (``--debug``
shows it). Exit codes: 0 success, 1 a credential did not verify, 2 an error.
"""

from __future__ import annotations

import sys

# command modules register themselves on ``app``
from microcred_vc.cli import convert as _convert  # noqa: F401
from microcred_vc.cli import issue as _issue  # noqa: F401
from microcred_vc.cli import keys as _keys  # noqa: F401
from microcred_vc.cli import serve as _serve  # noqa: F401
from microcred_vc.cli import status as _status  # noqa: F401
from microcred_vc.cli import verify as _verify  # noqa: F401
from microcred_vc.cli.app import app, state
from microcred_vc.errors import MicrocredError


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the app, turning our errors into one clear line."""
    try:
        code = app(args=argv, standalone_mode=False)
    except MicrocredError as exc:
        if state.debug:
            raise
        print(f"error [{exc.code}]: {exc.message}", file=sys.stderr)
        return 2
    except SystemExit as exc:
        return int(exc.code or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # click usage errors and anything unexpected
        import click

        if isinstance(exc, click.exceptions.Exit):
            return exc.exit_code
        if isinstance(exc, click.ClickException):
            exc.show()
            return 2
        if isinstance(exc, click.exceptions.Abort):
            print("aborted", file=sys.stderr)
            return 1
        if state.debug:
            raise
        print(
            f"error [INTERNAL]: {type(exc).__name__}: {exc} (run with --debug for details)",
            file=sys.stderr,
        )
        return 2
    return code if isinstance(code, int) else 0


__all__ = ["app", "main"]
