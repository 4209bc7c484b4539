"""Run ``pg_ctl`` for pytest-postgresql when the tests run as root (as CI does).

PostgreSQL refuses to run as root, and pytest's temporary directories are
private to root (mode 0700), so simply switching user is not enough: the
``postgres`` user could not reach the data directory. This wrapper therefore
drops to the ``postgres`` user and keeps the server's data and log in a
private "shadow" directory that user owns; the data directory pytest-postgresql
asked for is kept as an empty placeholder (so its existence checks and clean-up
work unchanged) and its log path becomes a symlink to the real log.

Usage (generated shell shim): ``python pg_as_postgres.py REAL_PG_CTL ARGS...``.
Not a test module; stdlib only.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PG_USER = os.environ.get("MICROCRED_PG_USER", "postgres")


def _shadow_base() -> Path:
    base = Path(tempfile.gettempdir())
    # The postgres user must be able to traverse it; /tmp always allows that.
    return base if base.stat().st_mode & 0o001 else Path("/tmp")


def shadow_dir(datadir: str) -> Path:
    digest = hashlib.sha256(str(Path(datadir).resolve()).encode()).hexdigest()[:20]
    return _shadow_base() / f"microcred-pg-{digest}"


def _drop_privileges(user: pwd.struct_passwd) -> None:
    os.setgroups([])
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)


def _option_index(args: list[str], *names: str) -> int | None:
    for i, arg in enumerate(args[:-1]):
        if arg in names:
            return i + 1
    return None


def main(argv: list[str]) -> int:
    real, args = argv[1], list(argv[2:])
    if os.geteuid() != 0:
        os.execv(real, [real, *args])
    user = pwd.getpwnam(PG_USER)
    command = args[0] if args else ""
    shadow: Path | None = None
    data_at = _option_index(args, "-D", "--pgdata")
    if data_at is not None:
        requested = args[data_at]
        shadow = shadow_dir(requested)
        if command == "initdb":
            shutil.rmtree(shadow, ignore_errors=True)
            shadow.mkdir(mode=0o700)
            os.chown(shadow, user.pw_uid, user.pw_gid)
            Path(requested).mkdir(parents=True, exist_ok=True)
        args[data_at] = str(shadow / "data")
        log_at = _option_index(args, "-l", "--log")
        if log_at is not None:
            requested_log = Path(args[log_at])
            args[log_at] = str(shadow / "server.log")
            if not requested_log.exists() and not requested_log.is_symlink():
                requested_log.symlink_to(shadow / "server.log")
    env = dict(os.environ, HOME=user.pw_dir, USER=user.pw_name, LOGNAME=user.pw_name)
    cwd = str(shadow) if shadow is not None and shadow.is_dir() else "/"
    if command == "stop" and shadow is not None:
        # Run as a child so the shadow directory can be removed afterwards.
        done = subprocess.run(
            [real, *args],
            env=env,
            cwd=cwd,
            preexec_fn=lambda: _drop_privileges(user),  # single-threaded script: safe
            check=False,
        )
        if done.returncode == 0:
            shutil.rmtree(shadow, ignore_errors=True)
        return done.returncode
    os.chdir(cwd)
    _drop_privileges(user)
    os.execve(real, [real, *args], env)
    return 127  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv))
