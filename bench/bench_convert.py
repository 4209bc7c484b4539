"""Benchmark: conversions per second, API in-process vs ``microcred convert DIR`` vs one CLI call per file.

Inputs are real credentials: the 1EdTech OB3 spec examples and the EC's ELM 3
samples from ../shared/fixtures, converted OB3 → EDC and EDC → OB3. Issue 19
measured 1,000 API conversions at 18.6 s and noted that 1,000 CLI calls would
take minutes (each start imports pydantic, rdflib and the contexts); the
directory mode pays that start once. The CLI figures include writing every
output and its loss report (atomic, fsync'd), the API figure does not.

    .venv/bin/python bench/bench_convert.py [--out docs/performance.md] [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import write_section  # noqa: E402
from microcred_vc.api import convert  # noqa: E402
from tests.fixture_paths import FIXTURES  # noqa: E402

CLI = [sys.executable, "-c", "from microcred_vc.cli import main; raise SystemExit(main())"]


def inputs() -> list[tuple[Path, str]]:
    """(file, target format) pairs that convert: OB3 examples → EDC, EDC samples → OB3."""
    pairs = [(p, "edc") for p in sorted((FIXTURES / "ob3" / "spec-examples").glob("*.json"))]
    pairs += [(p, "ob3") for p in sorted((FIXTURES / "edc" / "elm-v3-samples").glob("*.jsonld"))]
    good = []
    for path, to in pairs:
        try:
            convert(path.read_bytes(), to=to)
        except Exception:  # not every spec example is a credential (endorsements, profiles)
            continue
        good.append((path, to))
    return good


def api_rate(pairs: list[tuple[bytes, str]], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for data, to in pairs:
            convert(data, to=to)
    return rounds * len(pairs) / (time.perf_counter() - start)


def dir_rate(folder: Path, to: str, out: Path, count: int) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [*CLI, "convert", str(folder), "--to", to, "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr[-2000:]
    return count / elapsed


def per_file_rate(files: list[Path], to: str, out: Path) -> float:
    start = time.perf_counter()
    for i, path in enumerate(files):
        target = out / f"{i}.json"
        proc = subprocess.run(
            [*CLI, "convert", str(path), "--to", to, "--out", str(target)],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
    return len(files) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    found = inputs()
    copies = 2 if args.quick else 10
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-convert-") as tmp:
        root = Path(tmp)
        for to in ("edc", "ob3"):
            files = [p for p, t in found if t == to]
            if not files:
                continue
            folder = root / f"in-{to}"
            folder.mkdir()
            for n in range(copies):
                for path in files:
                    shutil.copy(path, folder / f"{n}-{path.name}")
            count = copies * len(files)
            pairs = [(p.read_bytes(), to) for p in files]
            api_rate(pairs, 1)  # warm the context cache
            rows.append((f"→ {to}: API `convert()`, in-process", count, api_rate(pairs, copies)))
            rows.append(
                (
                    f"→ {to}: `microcred convert DIR` (one process, writes reports)",
                    count,
                    dir_rate(folder, to, root / f"out-{to}", count),
                )
            )
            sample = files[: 3 if args.quick else 8]
            (root / f"one-{to}").mkdir()
            rows.append(
                (
                    f"→ {to}: one `microcred convert FILE` per file",
                    len(sample),
                    per_file_rate(sample, to, root / f"one-{to}"),
                )
            )
    body = [
        "## Conversion throughput",
        "",
        f"{len(found)} real credentials (1EdTech OB3 examples → EDC, EC ELM 3 samples → OB3), "
        f"each {copies}×; the CLI rows include interpreter start and file writes.",
        "",
        "| path | files | conversions/s |",
        "|---|---:|---:|",
        *(f"| {name} | {n} | {rate:.1f} |" for name, n, rate in rows),
        "",
    ]
    text = "\n".join(body)
    print(text)
    if args.out:
        write_section(args.out, "bench_convert", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
