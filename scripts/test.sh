#!/usr/bin/env bash
# Runs every check and test against real services: set up, start what is not running,
# type-check, lint, then the whole test suite. Services this script started are stopped at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
printf '\n==> services\n'
before="$("$ROOT/infra/services.sh" status || true)"
"$ROOT/infra/services.sh" start
if [[ "${KEEP_SERVICES:-}" != "1" ]] && ! grep -q "up on" <<<"$before"; then
  trap '"$ROOT/infra/services.sh" stop' EXIT
fi
printf '\n==> type-check\n'
npx tsc --noEmit -p .
printf '\n==> lint\n'
npx eslint --max-warnings 0 .
printf '\n==> tests\n'
npx vitest run "$@"
if [[ $# -eq 0 && -f web/package.json ]]; then
  printf '\n==> browser tests (Chromium)\n'
  if [[ ! -x /usr/bin/chromium ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
  npm --prefix web run test:browser
fi
