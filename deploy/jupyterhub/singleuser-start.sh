#!/usr/bin/env bash
# A student's server starts here (c.Spawner.cmd, copied to NNLIB_HUB_PREFIX/bin by
# install-course-env.sh), as the student's own Unix user, in their home, inside their cgroup.
# 1. pull-course.sh: nbgitpuller brings the course into ~/$NNLIB_HUB_COURSE_DIR (a merge that
#    never overwrites the student's edits) and builds the learner workspace work/ when the
#    course has tools/workspace.py; JupyterLab then opens work/00_welcome.ipynb (without the
#    script: notebooks/00_welcome.ipynb).
# 2. The course's jupyter_server_config.py (idle kernels shut down) is used when it exists.
set -uo pipefail
if [ "$(id -u)" = 0 ]; then
    echo "singleuser-start.sh: a student's server never runs as root" >&2
    exit 1
fi
bin="${NNLIB_HUB_BIN:?set by jupyterhub_config.py}"
dir="${NNLIB_HUB_COURSE_DIR:-course}"
course="$HOME/$dir"
"$(dirname "$0")/pull-course.sh"
# nnlib.classroom: course links open a lesson published after this server started (the link's
# urlpath nnlib/open/course/NN_name.ipynb brings it into work/ first; tools/course_link.py).
args=("--ServerApp.jpserver_extensions=nnlib.classroom=True")
if [ -f "$course/work/00_welcome.ipynb" ]; then
    args+=("--ServerApp.default_url=/lab/tree/$dir/work/00_welcome.ipynb")
elif [ -f "$course/notebooks/00_welcome.ipynb" ]; then
    args+=("--ServerApp.default_url=/lab/tree/$dir/notebooks/00_welcome.ipynb")
fi
if [ -f "$course/jupyter_server_config.py" ]; then
    mkdir -p "$HOME/.jupyter"
    cp "$course/jupyter_server_config.py" "$HOME/.jupyter/jupyter_server_config.py"
fi
exec "$bin/jupyterhub-singleuser" "${args[@]}" "$@"
