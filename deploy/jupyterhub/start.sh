#!/usr/bin/env bash
# One command for a class on one machine: `sudo -E make hub` (or `sudo -E bash
# deploy/jupyterhub/start.sh`). Installs what is missing - the hub's environment (`make install`:
# .venv), the students' course environment under NNLIB_HUB_PREFIX (install-course-env.sh:
# root-owned, nnlib as a copy, the course published for the students to pull), the proxy from
# npm (pinned by package-lock.json) - then runs the hub in the foreground (Ctrl-C stops it and
# every student's server). docs/instructor/hub.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
if [ "$(id -u)" != 0 ]; then
    echo "make hub: run as root (sudo -E make hub): the hub makes a Unix user per student and" \
        "sets their limits. docs/instructor/hub.md" >&2
    exit 1
fi
make --no-print-directory install
.venv/bin/python -m pip install --quiet -r "$here/requirements.txt"
bash "$here/install-course-env.sh"
if [ ! -x "$here/node_modules/.bin/configurable-http-proxy" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec "$root/.venv/bin/jupyterhub" -f "$here/jupyterhub_config.py" "$@"
