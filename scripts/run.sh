#!/usr/bin/env bash
# One entry point for a fresh machine: `bash scripts/run.sh demo` or `bash scripts/run.sh test`.
# Ensures Node 22, installs dependencies when package-lock.json changed, then runs the npm script.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
stamp=node_modules/.segmint-lock-hash
want="$(sha256sum package-lock.json | cut -d' ' -f1)-$(node --version)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
task="${1:-demo}"; shift || true
exec npm run "$task" -- "$@"
