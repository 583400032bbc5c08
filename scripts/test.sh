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
printf '\n==> embedded FerretDB (go test)\n'
(cd infra/ferretdb && PATH="/usr/local/go/bin:$PATH" go vet . && PATH="/usr/local/go/bin:$PATH" go test ./...)
if [[ $# -gt 0 ]]; then
  printf '\n==> tests\n'
  npx vitest run "$@"
else
  printf '\n==> tests (unit, integration, reliability)\n'
  npx vitest run --exclude test/reliability/crashes.test.ts
  # The crash drive (200 pledges through every stage under kill -9 and restarts) runs alone, with the machine
  # to itself: RELIABILITY_PLEDGES sizes it.
  printf '\n==> crash drive (%s pledges)\n' "${RELIABILITY_PLEDGES:-200}"
  npx vitest run test/reliability/crashes.test.ts
fi
if [[ $# -eq 0 && -f web/package.json ]]; then
  printf '\n==> browser tests (Chromium)\n'
  if [[ ! -x /usr/bin/chromium ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
  npm --prefix web run test:browser
fi
