#!/usr/bin/env bash
# One entry point for a fresh machine: `bash scripts/run.sh demo` or `bash scripts/run.sh test`.
# Ensures Node 22, installs dependencies when package-lock.json changed, then runs the npm script.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
stamp=node_modules/.segmint-lock-hash
want="$(sha256sum package-lock.json | cut -d' ' -f1)-$(node --version)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  # npm 11 can refuse a lockfile that lacks other platforms' optional packages (rollup's native
  # builds), which this npm does not write (npm/cli#4828). Then install the same locked versions
  # with `npm install`.
  if ! npm ci --no-audit --no-fund; then
    echo "segmint: npm ci refused the lockfile (npm/cli#4828, optional platform packages); installing the locked versions with npm install" >&2
    npm install --no-audit --no-fund
  fi
  echo "$want" > "$stamp"
fi
task="${1:-demo}"; shift || true
exec npm run "$task" -- "$@"
