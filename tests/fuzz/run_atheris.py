"""Coverage-guided fuzzing of the entry points with atheris (``make fuzz``; minutes, not CI).

Targets: verify (any input), canonicalize_nquads, unbake. Seeds live in
tests/fuzz/corpus/<target>/ (committed); the inputs atheris finds interesting
go to .fuzz-corpus/ (git-ignored), and a crasher is written beside the seeds
(crash-*) to be kept.
Only MicrocredError may escape an entry point; anything else is a crash.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"


def _target(name: str):  # type: ignore[no-untyped-def]
    from microcred_vc import verify
    from microcred_vc.bake import unbake
    from microcred_vc.errors import MicrocredError
    from microcred_vc.jsonld.canon import canonicalize_nquads

    def run_verify(data: bytes) -> None:
        report = verify(data)
        assert report.checks

    def run_canon(data: bytes) -> None:
        with contextlib.suppress(MicrocredError):
            canonicalize_nquads(data.decode("utf-8", errors="replace"), max_work=5_000)

    def run_unbake(data: bytes) -> None:
        with contextlib.suppress(MicrocredError):
            unbake(data)

    return {"verify": run_verify, "canon": run_canon, "unbake": run_unbake}[name]


def main() -> None:
    import atheris

    name = os.environ.get("FUZZ_TARGET", "verify")
    seconds = os.environ.get("FUZZ_SECONDS", "300")
    seeds = CORPUS / name  # committed: seeds and crashers only
    work = CORPUS.parents[2] / ".fuzz-corpus" / name  # what atheris grows (git-ignored)
    seeds.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    with atheris.instrument_imports():
        target = _target(name)
    atheris.Setup(
        [
            sys.argv[0],
            str(work),
            str(seeds),
            f"-max_total_time={seconds}",
            f"-artifact_prefix={seeds}/crash-",
        ],
        target,
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
