"""Benchmark: ``POST /credentials/verify`` against ``microcred serve --workers 2`` on 127.0.0.1.

Run from the repository root::

    .venv/bin/python bench/bench_server.py [--out docs/performance.md] [--quick]

A real server process (the operator's command, two worker processes) and a load
generator with one keep-alive connection per concurrent client: ``wrk`` (event-driven
C; ``make bench`` installs it) where it is on PATH, else a threaded httpx client in
this process. Requests/s, p50 and p99 latency at concurrency 1, 8 and 32, and every
answer that was not a 200 (by status code, or the client's error), so failures are
counted and named rather than hidden. The client shares the machine's cores with the
server. The threaded Python client needs most of a core of its own (measured: 190
req/s with it where wrk reads 1,000+ from the same server), so its numbers are a
floor and the table says which client measured them.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from bench.common import write_section  # noqa: E402
from microcred_vc.server.run import free_port  # noqa: E402

TOKEN = "bench-token-0123456789abcdef"


def start(data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    # one client makes every request: lift the per-client rate limit for the bench
    (data_dir / "settings.toml").write_text("[server]\nrate_limit_per_minute = 10000000\n")
    env = {**os.environ, "MICROCRED_API_TOKENS": TOKEN, "PYTHONPATH": str(REPO)}
    code = "import sys; from microcred_vc.cli import main; sys.exit(main())"
    args = ["serve", "--data-dir", str(data_dir), "--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args, "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("the server did not start")


def load(base: str, body: dict[str, Any], concurrency: int, total: int) -> dict[str, Any]:
    latencies: list[float] = []
    outcomes: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()
    left = [total]

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            while True:
                with lock:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                t0 = time.perf_counter()
                try:
                    code = str(client.post("/credentials/verify", json=body).status_code)
                except httpx.HTTPError as exc:
                    code = type(exc).__name__
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    outcomes[code] += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    return {
        "rps": total / wall,
        "p50": statistics.median(latencies) * 1e3,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e3,
        "outcomes": dict(outcomes),
    }


def _ms(text: str) -> float:
    """wrk's latency figure (``812.00us``, ``28.79ms``, ``1.20s``, ``1.02m``) in ms."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise RuntimeError(f"wrk printed a latency this script cannot read: {text!r}")
    number, unit = match.groups()
    return float(number) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}[unit]


def load_wrk(base: str, body: dict[str, Any], concurrency: int, seconds: int) -> dict[str, Any]:
    """The same measurement with wrk: ``seconds`` of load from ``concurrency`` connections."""
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script = Path(tmp) / "post.lua"
        script.write_text(
            'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = {json.dumps(json.dumps(body))}\n"
        )
        threads = str(min(2, concurrency))
        command = ["wrk", "-t", threads, "-c", str(concurrency), "-d", f"{seconds}s"]
        command += ["--latency", "--timeout", "60s", "-s", str(script)]
        out = subprocess.run(
            [*command, f"{base}/credentials/verify"], capture_output=True, text=True, check=True
        ).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    outcomes: collections.Counter[str] = collections.Counter()
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        outcomes["non-2xx"] = int(non_2xx.group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors:
        for name, count in zip(
            ("connect", "read", "write", "timeout"), errors.groups(), strict=True
        ):
            if int(count):
                outcomes[f"socket {name}"] = int(count)
    # wrk counts answered requests, Non-2xx among them; socket errors are extra events
    outcomes["200"] = total - outcomes["non-2xx"]
    return {
        "requests": total,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "outcomes": dict(outcomes),
    }


def run(quick: bool, workers: int) -> tuple[str, bool]:
    levels = [(1, 40), (8, 100), (32, 200)] if quick else [(1, 300), (8, 1000), (32, 2000)]
    use_wrk = shutil.which("wrk") is not None
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        port = free_port()
        proc = start(Path(tmp), port, workers)
        base = f"http://127.0.0.1:{port}"
        try:
            from microcred_vc.server.config import load_config, server_key

            issuer = server_key(load_config(tmp, overrides={"tokens": [TOKEN]}), "Ed25519").did
            unsigned = {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
                "issuer": issuer,
                "credentialSubject": {"id": "did:example:learner"},
            }
            issued = httpx.post(
                f"{base}/credentials/issue",
                json={"credential": unsigned},
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=60,
            )
            issued.raise_for_status()
            body = {"verifiableCredential": issued.json()["verifiableCredential"]}
            load(base, body, 4, 40)  # warm-up: every worker loads its contexts and keys
            if use_wrk:
                seconds = 3 if quick else 10
                results = [(c, load_wrk(base, body, c, seconds)) for c, _ in levels]
            else:
                results = [(c, {**load(base, body, c, n), "requests": n}) for c, n in levels]
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    ok = True
    out = [
        f"## Server: `POST /credentials/verify`, `microcred serve --workers {workers}`",
        "",
        f"{os.cpu_count()} cores shared with the client "
        + (
            f"(wrk, keep-alive, {3 if quick else 10} s per level)"
            if use_wrk
            else "(threaded httpx, keep-alive)"
        )
        + ", small eddsa-rdfc-2022 credential, rate limit lifted for the single client.",
        "",
        "| concurrency | requests | requests/s | p50 ms | p99 ms | answers |",
        "|---|---|---|---|---|---|",
    ]
    for c, r in results:
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(r["outcomes"].items()) if v)
        ok &= {k for k, v in r["outcomes"].items() if v} == {"200"}
        row = f"| {c} | {r['requests']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} |"
        out.append(f"{row} {answers} |")
    return "\n".join(out) + "\n", ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    body, ok = run(args.quick, args.workers)
    print(body)
    if args.out:
        write_section(args.out, "bench_server", body)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
