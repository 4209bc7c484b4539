"""The console entry point, apart from the package so the demo can drive the CLI.

``microcred_vc.demo`` runs real commands through :func:`main`; keeping it here
(not in ``cli/__init__``, which imports every command, the ``demo`` command
among them) means the demo and the CLI do not import each other.
"""

from __future__ import annotations

import sys

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
        import typer

        # Typer vendors its own click (typer._click): its exceptions are not click's, so
        # both families are recognised, or a usage error would surface as INTERNAL.
        if isinstance(exc, click.exceptions.Exit | typer.Exit):
            return int(getattr(exc, "exit_code", 0) or 0)
        if isinstance(exc, click.exceptions.Abort | typer.Abort):
            print("aborted", file=sys.stderr)
            return 1
        usage = click.ClickException | typer.exceptions.TyperException
        if isinstance(exc, usage) and callable(getattr(exc, "show", None)):
            exc.show()
            return 2
        if state.debug:
            raise
        print(
            f"error [INTERNAL]: {type(exc).__name__}: {exc} (run with --debug for details)",
            file=sys.stderr,
        )
        return 2
    return code if isinstance(code, int) else 0
