#!/usr/bin/env bash
# The students' side of the one-machine hub, installed outside every home and owned by root, so
# that no student can change what another student's kernel runs (docs/instructor/hub.md):
#
#   PREFIX/env/        a virtual environment of a Python every user may run (Debian's
#                      /usr/bin/python3.11; pyenv's under /root is mode 700), with the pinned
#                      requirements.txt and nnlib installed as a copy (not editable), and
#                      JupyterLab's course defaults (binder/overrides.json)
#   PREFIX/bin/        the scripts a student's server starts with (singleuser-start.sh,
#                      pull-course.sh), copied from deploy/jupyterhub/
#   PREFIX/course.git  the course the students pull: a bare copy of this checkout's HEAD (branch
#                      main); skipped when NNLIB_HUB_COURSE_REPO names another remote
#   PREFIX/data/       the real MNIST data folder, copied from build/data when it exists
#   PREFIX/gitconfig   the students' system git configuration: trusts the course remote
#
# PREFIX: $1, else NNLIB_HUB_PREFIX, else /opt/nnlib-course. `make hub` and `make test-hub` run
# this; it is quick when nothing changed (the requirements and nnlib are re-installed only when
# requirements.txt or nnlib's files change). Needs root.
set -euo pipefail
umask 022
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
prefix="${1:-${NNLIB_HUB_PREFIX:-/opt/nnlib-course}}"
python="${NNLIB_HUB_PYTHON:-/usr/bin/python3.11}"

if [ "$(id -u)" != 0 ]; then
    echo "install-course-env.sh: run as root (it installs into $prefix, owned by root)" >&2
    exit 1
fi
if ! "$python" -c "import ensurepip, venv" 2>/dev/null; then
    echo "install-course-env.sh: $python cannot make a virtual environment; on Debian or Ubuntu:" \
        "apt-get install python3-venv (or set NNLIB_HUB_PYTHON to a Python 3.11-3.13 that every" \
        "user may run, e.g. one under /opt)" >&2
    exit 1
fi
mkdir -p "$prefix/bin"
chmod 755 "$prefix"

# 1. The environment: requirements when they changed, nnlib when its files changed.
env="$prefix/env"
[ -x "$env/bin/python" ] || "$python" -m venv "$env"
req_sum=$(sha256sum "$root/requirements.txt" | cut -d' ' -f1)
if [ "$(cat "$env/.requirements.sha256" 2>/dev/null)" != "$req_sum" ]; then
    echo "== course environment $env: installing requirements.txt (a few minutes the first time)"
    "$env/bin/python" -m pip install --quiet --upgrade pip
    "$env/bin/python" -m pip install --quiet -r "$root/requirements.txt"
    echo "$req_sum" >"$env/.requirements.sha256"
    rm -f "$env/.nnlib.sha256"
fi
nnlib_sum=$(cd "$root" && find nnlib pyproject.toml -type f ! -name '*.pyc' -print0 | sort -z |
    xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ "$(cat "$env/.nnlib.sha256" 2>/dev/null)" != "$nnlib_sum" ]; then
    echo "== course environment $env: installing nnlib from $root (a copy, not editable)"
    build="$(mktemp -d)"
    cp -r "$root/nnlib" "$root/pyproject.toml" "$root/README.md" "$build/"
    find "$build" -name __pycache__ -prune -exec rm -rf {} +
    "$env/bin/python" -m pip install --quiet --no-deps --force-reinstall "$build"
    rm -rf "$build"
    echo "$nnlib_sum" >"$env/.nnlib.sha256"
fi

# JupyterLab's defaults for every student (binder/overrides.json, the same file `make lab` and
# Binder install): no "Would you like to get notified about official Jupyter news?" pop-up and no
# update check.
mkdir -p "$env/share/jupyter/lab/settings"
cp "$root/binder/overrides.json" "$env/share/jupyter/lab/settings/overrides.json"

# 2. The scripts a student's server runs.
install -m 755 "$here/singleuser-start.sh" "$here/pull-course.sh" "$prefix/bin/"

# 3. The course to pull: this checkout's committed HEAD as branch main.
if [ -z "${NNLIB_HUB_COURSE_REPO:-}" ]; then
    mirror="$prefix/course.git"
    [ -d "$mirror" ] || git init -q --bare -b main "$mirror"
    git -C "$root" push -q --force "$mirror" HEAD:refs/heads/main
    if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
        echo "== note: the checkout has uncommitted changes; students get its last commit" >&2
    fi
fi

# The course remote belongs to root; git refuses another owner's repository unless the system
# configuration trusts it. The students' servers get this file as GIT_CONFIG_SYSTEM: it trusts the
# course remote only (their own ~/.gitconfig still works).
remote="${NNLIB_HUB_COURSE_REPO:-$prefix/course.git}"
if [ -d "$remote" ]; then
    printf '[safe]\n\tdirectory = %s\n' "$(cd "$remote" && pwd)" >"$prefix/gitconfig"
else
    : >"$prefix/gitconfig"
fi

# 4. The real MNIST, read-only for students.
if [ -f "$root/build/data/mnist.npz" ]; then
    mkdir -p "$prefix/data"
    cp -a "$root/build/data/." "$prefix/data/"
fi

chmod -R go-w "$prefix"
chmod -R a+rX "$prefix"
echo "== course environment ready: $prefix"
