#!/usr/bin/env bash
# Quick start: set everything up, start the services and the engine, seed reference and demo data,
# print the URLs and demo logins, and keep running until Ctrl-C.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
printf '\n==> services\n'
"$ROOT/infra/services.sh" start
export PORT="${PORT:-8080}"
# Links in e-mails point here.
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:$PORT}"
# Demo mode: the well-known development secret and the demo users. Never in production (the engine refuses it).
export AUTH_MODE="${AUTH_MODE:-demo}"
# Prometheus scrapes /metrics with this bearer token (demo value; set your own anywhere else).
export METRICS_TOKEN="${METRICS_TOKEN:-demo-metrics-token-change-me}"
# Request logs are one JSON line each; warn keeps the terminal readable (LOG_LEVEL=info to see them).
export LOG_LEVEL="${LOG_LEVEL:-warn}"
# node itself (no npx or tsx wrapper between): Ctrl-C and SIGTERM reach the engine, which stops every process.
exec node --require tsx/cjs scripts/run-engine.ts --seed --demo
