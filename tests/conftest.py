"""Session-wide test settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.fixture_paths import FIXTURES

# `make test` (so CI) runs the "ci" profile: derandomized, so a red run replays and a
# green main stays green; random exploration is the "dev" profile (plain pytest) and
# "explore" (HYPOTHESIS_PROFILE=explore, many more examples) when hunting for bugs.
settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_report_header(config: pytest.Config) -> str:
    return f"microcred_vc fixtures: {FIXTURES}"


@pytest.fixture(scope="session")
def fixtures_dir():
    if not FIXTURES.is_dir():
        pytest.fail(f"reference fixtures not found at {FIXTURES}; clone with ../shared beside it")
    return FIXTURES


# --- the tree guard: tests write only under tmp_path ---------------------------------
#
# Oracle (property): the working tree after the session is the tree before it. A test
# that writes into the checkout (a CLI default output in the cwd, a golden file
# rewritten) turns the session red and names the paths. MICROCRED_TREE_GUARD=0 turns
# the guard off for a developer editing files while the suite runs.

REPO = Path(__file__).resolve().parents[1]


def _tree_state() -> dict[str, str] | None:
    import hashlib
    import subprocess

    try:
        listed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "-z"],
            cwd=REPO,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode()
    except (OSError, subprocess.SubprocessError):
        return None  # not a git checkout (an sdist): nothing to compare
    state = {}
    for entry in filter(None, listed.split("\0")):
        path = REPO / entry[3:]
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"
        state[entry[3:]] = f"{entry[:2]} {digest}"
    return state


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("MICROCRED_TREE_GUARD", "1") != "0":
        session.config.stash[_TREE] = _tree_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_TREE, None)
    after = _tree_state() if before is not None else None
    if before is None or after is None:
        return
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = "tests wrote into the checkout (write under tmp_path): " + ", ".join(changed)
        if reporter is not None:
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_TREE = pytest.StashKey[dict[str, str] | None]()
