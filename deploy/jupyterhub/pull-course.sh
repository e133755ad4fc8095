#!/usr/bin/env bash
# Brings the course into a student's home; singleuser-start.sh runs it before every server start,
# tests/deploy/test_hub_nbgitpuller.py runs it on a fresh home. Environment: HOME, NNLIB_HUB_BIN,
# NNLIB_HUB_COURSE_REPO, NNLIB_HUB_COURSE_BRANCH, NNLIB_HUB_COURSE_DIR (jupyterhub_config.py).
# 1. nbgitpuller (its command line, gitpuller; the same code as the course links' /git-pull):
#    a fresh clone the first time, later a merge that never overwrites the student's edits.
# 2. The learner workspace: when the course has tools/workspace.py, ~/course/work/ (git-ignored,
#    so nbgitpuller never touches it) is created from the course's notebooks with empty answer
#    cells; later starts add new lessons and put a changed lesson beside the student's copy.
# Each step is bounded in time; a failure is reported on stderr and in a log in the home.
set -uo pipefail
bin="${NNLIB_HUB_BIN:?set by jupyterhub_config.py}"
dir="${NNLIB_HUB_COURSE_DIR:-course}"
course="$HOME/$dir"
if [ -n "${NNLIB_HUB_COURSE_REPO:-}" ]; then
    timeout 120 "$bin/gitpuller" "$NNLIB_HUB_COURSE_REPO" "${NNLIB_HUB_COURSE_BRANCH:-main}" \
        "$course" >"$HOME/.course-pull.log" 2>&1 \
        || echo "course pull failed (see ~/.course-pull.log); starting with what is there" >&2
fi
if [ -f "$course/tools/workspace.py" ] && [ -d "$course/notebooks" ]; then
    PYTHONDONTWRITEBYTECODE=1 timeout 60 "$bin/python" "$course/tools/workspace.py" --course "$course/notebooks" \
        --dest "$course/work" >"$HOME/.course-workspace.log" 2>&1 \
        || echo "workspace not updated (see ~/.course-workspace.log)" >&2
fi
