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
# Request logs are one JSON line each; warn keeps the terminal readable (LOG_LEVEL=info to see them).
export LOG_LEVEL="${LOG_LEVEL:-warn}"
exec npx tsx scripts/run-engine.ts --seed --demo
