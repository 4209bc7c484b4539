"""Run every benchmark and collect their sections in docs/performance.md (``make bench``)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = [
    "bench_canon.py",
    "bench_jsonld.py",
    "bench_proofs.py",
    "bench_status.py",
    "bench_batch.py",
    "bench_convert.py",
    "bench_scaling.py",
    "bench_node.py",
    "bench_server.py",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    failed = []
    for script in SCRIPTS:
        path = REPO / "bench" / script
        if not path.exists():
            print(f"skipping {script}: not present", file=sys.stderr)
            continue
        cmd = [sys.executable, str(path), "--out", str(args.out)] + (
            ["--quick"] if args.quick else []
        )
        print(f"$ {' '.join(cmd)}", flush=True)
        if subprocess.run(cmd, cwd=REPO).returncode != 0:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
