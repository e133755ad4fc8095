"""JupyterHub for a class on one machine (the way The Littlest JupyterHub does it, in one file).

Started by ``make hub`` (deploy/jupyterhub/start.sh); docs/instructor/hub.md explains every
choice. Settings come from environment variables so that the start command, the tests and the load
test share this one file:

=========================  ==================================================================
NNLIB_HUB_IP / _PORT       where the hub listens (127.0.0.1:8000; 0.0.0.0 behind HTTPS for a class)
NNLIB_HUB_STATE            database, cookie secret, students' homes (deploy/jupyterhub/state)
NNLIB_HUB_MEM_LIMIT        memory per student, server + all kernels (2.5G: docs/instructor/hub.md)
NNLIB_HUB_CPU_LIMIT        cores per student (1)
NNLIB_HUB_LIMITS           "on" (default: cgroup v1, refuse to start without) or "off"
NNLIB_HUB_CULL_TIMEOUT     an idle student's server is stopped after this many s (3600)
NNLIB_HUB_COURSE_REPO      the course's git remote (default: this checkout); each server pulls it
NNLIB_HUB_COURSE_BRANCH    its branch (default: the checkout's current branch)
NNLIB_HUB_COURSE_DIR       the folder in each home (course)
NNLIB_HUB_AUTHENTICATOR    "dummy" (shared password NNLIB_HUB_PASSWORD, for tests and a trial
                           class) or an authenticator class, e.g. "native", "ltiauthenticator.
                           lti13.authenticator.LTI13Authenticator", "github" (configure it in
                           NNLIB_HUB_EXTRA_CONFIG)
NNLIB_HUB_ADMINS           comma-separated admin user names (the instructors)
NNLIB_HUB_API_TOKEN        when set, a service "course-admin" with this token may create users
                           and start/stop/use their servers (the load test uses it)
NNLIB_HUB_EXTRA_CONFIG     a Python file loaded last (OAuth client ids, TLS, ...)
=========================  ==================================================================

Every other ``NNLIB_*`` variable of the hub (NNLIB_OFFLINE, NNLIB_DATA_DIR, NNLIB_QUICK, ...)
is passed on to the students' servers.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from cgroup_spawner import CgroupSpawner  # noqa: E402

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file
env = os.environ.get

# Where the hub listens, its state, and the proxy from npm (start.sh installs it with npm ci).
state = Path(env("NNLIB_HUB_STATE", str(HERE / "state"))).resolve()
state.mkdir(parents=True, exist_ok=True)
c.JupyterHub.ip = env("NNLIB_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env("NNLIB_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("NNLIB_HUB_API_PORT", str(c.JupyterHub.port + 1)))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{c.JupyterHub.port + 2}"
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server
c.JupyterHub.default_url = "/hub/home"

# Students: the course environment (this checkout's .venv) is the single-user environment. Each
# student has a home folder under the state folder; their server starts in it.
venv_bin = Path(sys.executable).parent
c.JupyterHub.spawner_class = CgroupSpawner
c.CgroupSpawner.home_dir_template = str(state / "homes" / "{username}")
c.CgroupSpawner.group_parent = f"nnlib-hub-{c.JupyterHub.port}"
c.Spawner.cmd = [str(HERE / "singleuser-start.sh")]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
c.Spawner.mem_limit = env("NNLIB_HUB_MEM_LIMIT", "2.5G")
c.Spawner.cpu_limit = float(env("NNLIB_HUB_CPU_LIMIT", "1"))
c.CgroupSpawner.limits = env("NNLIB_HUB_LIMITS", "on") != "off"


def _git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout


course_repo = env("NNLIB_HUB_COURSE_REPO") or str(ROOT)
course_branch = env("NNLIB_HUB_COURSE_BRANCH")
if not course_branch and not env("NNLIB_HUB_COURSE_REPO"):
    course_branch = _git("rev-parse", "--abbrev-ref", "HEAD").strip()
    if course_branch in ("", "HEAD"):
        sys.exit(
            f"the course checkout {ROOT} is not on a branch (detached HEAD), and the students' "
            "servers pull a branch: check out a branch, or set NNLIB_HUB_COURSE_BRANCH."
        )
course_branch = course_branch or "main"
passed_on = {k: v for k, v in os.environ.items() if k.startswith("NNLIB_") and "HUB" not in k}
if "NNLIB_DATA_DIR" not in passed_on and (ROOT / "build" / "data" / "mnist.npz").exists():
    passed_on["NNLIB_DATA_DIR"] = str(ROOT / "build" / "data")  # one shared copy of real MNIST
c.Spawner.environment = {
    **passed_on,
    "NNLIB_HUB_BIN": str(venv_bin),
    "NNLIB_HUB_COURSE_REPO": course_repo,
    "NNLIB_HUB_COURSE_BRANCH": course_branch,
    "NNLIB_HUB_COURSE_DIR": env("NNLIB_HUB_COURSE_DIR", "course"),
}

# Idle servers are stopped (their memory freed; files stay) by jupyterhub-idle-culler.
cull_timeout = int(env("NNLIB_HUB_CULL_TIMEOUT", "3600"))
cull_every = max(1, min(300, cull_timeout // 4))
c.JupyterHub.last_activity_interval = max(1, min(300, cull_timeout // 4))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={cull_timeout}",
            f"--cull-every={cull_every}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
if env("NNLIB_HUB_API_TOKEN"):
    c.JupyterHub.services.append({"name": "course-admin", "api_token": env("NNLIB_HUB_API_TOKEN")})
    c.JupyterHub.load_roles.append(
        {
            "name": "course-admin",
            "scopes": ["admin:users", "admin:servers", "access:servers", "tokens"],
            "services": ["course-admin"],
        }
    )

# Who may log in. The test and a trial class: every name with one shared password. A real class:
# native accounts (nativeauthenticator), the LMS (ltiauthenticator) or OAuth (oauthenticator).
auth = env("NNLIB_HUB_AUTHENTICATOR", "dummy")
if auth == "dummy":
    password = env("NNLIB_HUB_PASSWORD")
    if not password:
        sys.exit(
            "NNLIB_HUB_PASSWORD is not set: the 'dummy' authenticator lets anyone with the shared "
            "password in, and no password at all would let in anyone. Set NNLIB_HUB_PASSWORD, or "
            "NNLIB_HUB_AUTHENTICATOR to a real authenticator (docs/instructor/hub.md)."
        )
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = password
else:
    c.JupyterHub.authenticator_class = auth
c.Authenticator.allow_all = True
c.Authenticator.admin_users = {a for a in env("NNLIB_HUB_ADMINS", "").split(",") if a}

extra = env("NNLIB_HUB_EXTRA_CONFIG")
if extra:
    load_subconfig(extra)  # noqa: F821 - provided by JupyterHub
