#!/usr/bin/env bash
# One command for a class on one machine: `make hub` (or `bash deploy/jupyterhub/start.sh`).
# Installs what is missing (the course environment with `make install`, the proxy from npm into
# deploy/jupyterhub/node_modules with `npm ci`, pinned by package-lock.json), then runs the hub
# in the foreground (Ctrl-C stops it and every student's server). docs/instructor/hub.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
make --no-print-directory install
if [ ! -x "$here/node_modules/.bin/configurable-http-proxy" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec "$root/.venv/bin/jupyterhub" -f "$here/jupyterhub_config.py" "$@"
