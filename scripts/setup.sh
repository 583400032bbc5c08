#!/usr/bin/env bash
# Installs everything the engine needs on a fresh machine of this kind (Debian 12, Node 20, Go):
# npm packages, Redis and sqlite3 (Debian packages) and the Temporal CLI and FerretDB binaries (Go modules,
# built once per machine into ~/.cache/nsatu-engine/bin). Safe to run again: it skips what is there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="${NSATU_BIN_DIR:-$HOME/.cache/nsatu-engine/bin}"
TEMPORAL_CLI_VERSION="v1.5.1" # Temporal Server 1.29.1; later tags carry a replace directive and cannot be go-installed.
export PATH="/usr/local/go/bin:$PATH"
cd "$ROOT"
mkdir -p "$BIN_DIR"

step() { printf '\n==> %s\n' "$*"; }

hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }

step "npm packages"
lock_hash="$(hash_of package-lock.json)"
if [[ ! -f node_modules/.nsatu-lock-hash || "$(cat node_modules/.nsatu-lock-hash)" != "$lock_hash" ]]; then
  npm ci --no-audit --no-fund
  echo "$lock_hash" >node_modules/.nsatu-lock-hash
else
  echo "up to date"
fi

step "redis-server"
if ! command -v redis-server >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server
  # The engine runs its own Redis on a project port; the package's service is not needed.
else
  echo "present: $(redis-server --version | cut -d' ' -f3)"
fi

step "sqlite3 (backups copy the Temporal and FerretDB databases with SQLite's online backup)"
if ! command -v sqlite3 >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3
else
  echo "present: $(sqlite3 --version | cut -d' ' -f1)"
fi

step "pdftotext (the decision-brief test reads the PDF back as text)"
if ! command -v pdftotext >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils
else
  echo "present: $(pdftotext -v 2>&1 | head -1)"
fi

step "Temporal CLI $TEMPORAL_CLI_VERSION (dev server)"
if [[ ! -x "$BIN_DIR/temporal" ]]; then
  echo "building from the Go module (first time only; takes a few minutes)…"
  GOBIN="$BIN_DIR" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
else
  echo "present: $("$BIN_DIR/temporal" --version)"
fi

step "FerretDB (embedded, infra/ferretdb)"
ferret_hash="$(hash_of infra/ferretdb/go.mod infra/ferretdb/go.sum infra/ferretdb/main.go)"
if [[ ! -x "$BIN_DIR/nsatu-ferretdb" || "$(cat "$BIN_DIR/nsatu-ferretdb.hash" 2>/dev/null)" != "$ferret_hash" ]]; then
  echo "building (first time only; takes a minute or two)…"
  (cd infra/ferretdb && go build -o "$BIN_DIR/nsatu-ferretdb" .)
  echo "$ferret_hash" >"$BIN_DIR/nsatu-ferretdb.hash"
else
  echo "present"
fi

if [[ -f web/package.json ]]; then
  step "web app"
  web_hash="$(hash_of web/package-lock.json)"
  if [[ ! -f web/node_modules/.nsatu-lock-hash || "$(cat web/node_modules/.nsatu-lock-hash)" != "$web_hash" ]]; then
    npm ci --prefix web --no-audit --no-fund
    echo "$web_hash" >web/node_modules/.nsatu-lock-hash
  fi
  npm run --silent build:web
fi
