#!/usr/bin/env bash
# Install the load generator bench/bench_server.py drives the server with: wrk, an
# event-driven C client, so the client costs the 2-core machine almost nothing (the
# threaded Python client took a core of its own and capped the figures it measured).
# Idempotent; without root or sudo it says so and the bench falls back to httpx.
set -euo pipefail

command -v wrk >/dev/null 2>&1 && exit 0
status=0
bash "$(dirname "$0")/apt-install.sh" bench-deps wrk || status=$?
if [ "$status" -eq 3 ]; then
  echo "bench-deps: bench_server.py will use httpx" >&2
  exit 0
fi
exit "$status"
