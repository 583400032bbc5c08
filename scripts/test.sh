#!/usr/bin/env bash
# Runs every check and test against real services: set up, start what is not running, then each stage in turn.
# A failing stage does not stop the others: every stage runs, a summary table says which passed and how long each
# took, and the exit status is non-zero if any failed. Services this script started are stopped at the end.
#
#   ./scripts/test.sh                 every stage
#   ./scripts/test.sh <vitest args>   set-up, static checks, then vitest with these arguments only
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

names=()
results=()
seconds=()
logs=()
failed=0
# Each stage's output is kept here too: the end of a failed stage's is printed again just above the summary, where
# a CI log cut to its last lines still shows why it failed.
STAGE_LOGS="$ROOT/.data/logs/test-stages"
rm -rf "$STAGE_LOGS"
mkdir -p "$STAGE_LOGS"

# stage <name> <command...>: runs the command, records pass/fail and its wall time.
stage() {
  local name="$1"
  shift
  printf '\n==> %s\n' "$name"
  local started=$SECONDS
  local log
  log="$STAGE_LOGS/$(printf '%02d' "${#names[@]}").log"
  # Process substitution, not a pipe: the command runs in this shell (a stage may set a trap for the end).
  if "$@" > >(tee "$log") 2>&1; then
    results+=("pass")
  else
    results+=("FAIL")
    failed=1
  fi
  names+=("$name")
  logs+=("$log")
  seconds+=($((SECONDS - started)))
}

# The last lines of each failed stage's output (colour codes removed).
failures() {
  for i in "${!names[@]}"; do
    [[ "${results[$i]}" == "FAIL" ]] || continue
    printf '\n==> why "%s" failed: the last lines of its output (all of it: %s)\n' "${names[$i]}" "${logs[$i]}"
    sed -e 's/\x1b\[[0-9;]*m//g' "${logs[$i]}" | grep -v '^[[:space:]]*$' | tail -n 60
  done
}

summary() {
  printf '\n%-44s %-6s %8s\n' "stage" "result" "time"
  printf '%-44s %-6s %8s\n' "--------------------------------------------" "------" "--------"
  local total=0
  for i in "${!names[@]}"; do
    printf '%-44s %-6s %5d:%02d\n' "${names[$i]}" "${results[$i]}" $((seconds[i] / 60)) $((seconds[i] % 60))
    total=$((total + seconds[i]))
  done
  printf '%-44s %-6s %5d:%02d\n' "all" "$([[ $failed -eq 0 ]] && echo pass || echo FAIL)" $((total / 60)) $((total % 60))
}

services_up() {
  local before
  before="$("$ROOT/infra/services.sh" status || true)"
  "$ROOT/infra/services.sh" start || return 1
  if [[ "${KEEP_SERVICES:-}" != "1" ]] && ! grep -q "up on" <<<"$before"; then
    trap '"$ROOT/infra/services.sh" stop >/dev/null' EXIT
  fi
}

go_test() {
  (cd infra/ferretdb && PATH="/usr/local/go/bin:$PATH" go vet . && PATH="/usr/local/go/bin:$PATH" go test ./...)
}

# The OpenAPI document as the route specs generate it, for the linters (a stale copy must never be linted).
OPENAPI_DOCUMENT=.data/openapi/openapi.json
openapi_document() {
  rm -f "$OPENAPI_DOCUMENT"
  npx tsx scripts/openapi.ts document "$OPENAPI_DOCUMENT"
}

# The web app is its own package: type-checked, linted (typescript-eslint, rules of hooks) and formatted (prettier).
web_checks() {
  npm --prefix "$ROOT/web" run --silent typecheck &&
    npm --prefix "$ROOT/web" run --silent lint &&
    npm --prefix "$ROOT/web" run --silent format:check
}

# ESLint, then the layers: which top-level folder may import which, and no cycle between them (.dependency-cruiser.cjs).
lint() {
  local status=0
  npx eslint --max-warnings 0 . || status=1
  npx depcruise --config .dependency-cruiser.cjs . || status=1
  return $status
}

redocly_lint() {
  [[ -f "$OPENAPI_DOCUMENT" ]] || return 1
  REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx redocly lint --format=stylish "$OPENAPI_DOCUMENT"
}

spectral_lint() {
  [[ -f "$OPENAPI_DOCUMENT" ]] || return 1
  npx spectral lint --fail-severity=hint "$OPENAPI_DOCUMENT"
}

browser_tests() {
  if [[ ! -x /usr/bin/chromium ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium || return 1
  fi
  npm --prefix web run test:browser
}

stage "set-up (packages, Go binaries, web build)" "$ROOT/scripts/setup.sh"
stage "services (Temporal, FerretDB, Redis)" services_up
stage "type-check" npx tsc --noEmit -p .
stage "lint (ESLint, dependency-cruiser)" lint
stage "format (prettier)" npx prettier --check --log-level warn .
stage "web app: type-check, lint and format" web_checks
stage "OpenAPI document (from the route specs)" openapi_document
stage "OpenAPI lint: Redocly (recommended-strict)" redocly_lint
stage "OpenAPI lint: Spectral (spectral:oas)" spectral_lint
stage "web app's API client matches the document" npx tsx scripts/openapi.ts check
stage "embedded FerretDB (go vet, go test)" go_test
if [[ $# -gt 0 ]]; then
  stage "vitest $*" npx vitest run "$@"
else
  stage "unit, integration and reliability tests (vitest)" npx vitest run --exclude test/reliability/crashes.test.ts
  # The crash drive (pledges through every stage under kill -9 and restarts) runs alone, with the machine to itself.
  stage "crash drive (${RELIABILITY_PLEDGES:-200} pledges)" npx vitest run test/reliability/crashes.test.ts
  stage "browser tests (Chromium)" browser_tests
fi
# Lets the last tee finish writing before its log is read.
sleep 1
failures
summary
exit $failed
