#!/usr/bin/env bash
# A student's server starts here (c.Spawner.cmd), in the student's home, inside their cgroup.
# 1. nbgitpuller brings the course into ~/$NNLIB_HUB_COURSE_DIR: a fresh clone the first time,
#    later a merge that never overwrites the student's edits (nbgitpuller's rules).
# 2. The learner workspace: when the course has tools/workspace.py, ~/course/work/ (git-ignored,
#    so nbgitpuller never touches it) is created from the course's notebooks with empty answer
#    cells; later starts add new lessons and put a changed lesson beside the student's copy.
#    JupyterLab then opens work/00_welcome.ipynb. Without the script: notebooks/00_welcome.ipynb.
# 3. The course's jupyter_server_config.py (idle kernels shut down) is used when it exists.
# Every step is bounded in time; a failed pull still gives the student their server.
set -uo pipefail
bin="${NNLIB_HUB_BIN:?set by jupyterhub_config.py}"
dir="${NNLIB_HUB_COURSE_DIR:-course}"
course="$HOME/$dir"
if [ -n "${NNLIB_HUB_COURSE_REPO:-}" ]; then
    timeout 120 "$bin/gitpuller" "$NNLIB_HUB_COURSE_REPO" "${NNLIB_HUB_COURSE_BRANCH:-main}" \
        "$course" >"$HOME/.course-pull.log" 2>&1 \
        || echo "course pull failed (see ~/.course-pull.log); starting with what is there" >&2
fi
args=()
if [ -f "$course/tools/workspace.py" ] && [ -d "$course/notebooks" ]; then
    timeout 60 "$bin/python" "$course/tools/workspace.py" --course "$course/notebooks" \
        --dest "$course/work" >"$HOME/.course-workspace.log" 2>&1 \
        || echo "workspace not updated (see ~/.course-workspace.log)" >&2
fi
if [ -f "$course/work/00_welcome.ipynb" ]; then
    args+=("--ServerApp.default_url=/lab/tree/$dir/work/00_welcome.ipynb")
elif [ -f "$course/notebooks/00_welcome.ipynb" ]; then
    args+=("--ServerApp.default_url=/lab/tree/$dir/notebooks/00_welcome.ipynb")
fi
if [ -f "$course/jupyter_server_config.py" ]; then
    mkdir -p "$HOME/.jupyter"
    cp "$course/jupyter_server_config.py" "$HOME/.jupyter/jupyter_server_config.py"
fi
# Jupyter refuses to run as root unless told (a container, as in the tests); students' servers
# run as root only when the hub does (CgroupSpawner: one Unix account for everyone).
[ "$(id -u)" = 0 ] && args+=("--allow-root")
exec "$bin/jupyterhub-singleuser" "${args[@]}" "$@"
