"""JupyterHub for a class on one machine, safe by default (docs/instructor/hub.md).

Started by ``make hub`` (deploy/jupyterhub/start.sh, as root). Every student is a Unix user of
their own (``nn-<name>``, a home only they can read), their server and kernels run as that user
inside memory and CPU limits that only root can change, and they run the course environment that
install-course-env.sh put under NNLIB_HUB_PREFIX (root-owned, nnlib installed as a copy). The hub's
state (database, cookie secret) is in a folder only root can read. The class password never gives
admin: admins have their own password. Without what it needs, the hub refuses to start and says
why (fail closed). Settings come from environment variables, so that the start command, the tests
and the load test share this one file:

==========================  =================================================================
NNLIB_HUB_PASSWORD          the class password (8 characters or more) for every non-admin name
NNLIB_HUB_ADMINS            comma-separated admin names (the instructors)
NNLIB_HUB_ADMIN_PASSWORD    the admins' own password (32 characters or more, not the class one);
                            required when NNLIB_HUB_ADMINS is set
NNLIB_HUB_AUTHENTICATOR     "shared-password" (the default: the two passwords above), or "native",
                            "github", "generic-oauth", "lti13": a config in auth/ each, with the
                            settings it needs (deploy/jupyterhub/auth/README.md)
NNLIB_HUB_IP / _PORT        where the hub listens (127.0.0.1:8000; 0.0.0.0 behind HTTPS)
NNLIB_HUB_STATE             database and cookie secret (deploy/jupyterhub/state, mode 700)
NNLIB_HUB_PREFIX            the students' course environment (/opt/nnlib-course)
NNLIB_HUB_HOMES             the folder of the students' homes (/home)
NNLIB_HUB_USER_PREFIX       prefix of the students' Unix names (nn-)
NNLIB_HUB_MEM_LIMIT         memory per student, server + all kernels (2.5G: docs/instructor/hub.md)
NNLIB_HUB_CPU_LIMIT         cores per student (1)
NNLIB_HUB_LIMITS            "on" (default: cgroup v2 or v1; the hub refuses to start without)
                            or "off"
NNLIB_HUB_CULL_TIMEOUT      an idle student's server is stopped after this many s (3600)
NNLIB_HUB_COURSE_REPO       the course's git remote; default: PREFIX/course.git, this checkout's
                            HEAD published by install-course-env.sh
NNLIB_HUB_COURSE_BRANCH     its branch (main)
NNLIB_HUB_COURSE_DIR        the folder in each home (course)
NNLIB_HUB_API_TOKEN         when set, a service "course-admin" with this token may create users
                            and start/stop/use their servers (the load test uses it)
NNLIB_HUB_CLASS_VIEW        "on": the class view (deploy/classview/README.md): kernels send
                            check/hint/solution events (no code, no values) to a service, admins
                            and group "instructors" see /services/class-view/; "off" (default):
                            nothing is sent. _DAYS: kept 120 days; _PORT: hub port + 3
NNLIB_HUB_EXTRA_CONFIG      a Python file loaded last (TLS, your own settings)
==========================  =================================================================

NNLIB_OFFLINE, NNLIB_QUICK, NNLIB_STYLE, NNLIB_HIDE_SOLUTIONS and NNLIB_DATA_DIR of the hub are
passed on to the students' servers (NNLIB_DATA_DIR defaults to PREFIX/data when it exists).
"""

import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cgroup_spawner as cg  # noqa: E402

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file
env = os.environ.get


def refuse(why: str) -> None:
    sys.exit(f"The class hub does not start: {why}")


# Who may log in: checked first, so that a hub without its secrets never starts.
auth = env("NNLIB_HUB_AUTHENTICATOR", "shared-password")
admins = {a.strip() for a in env("NNLIB_HUB_ADMINS", "").split(",") if a.strip()}
c.Authenticator.admin_users = admins
if auth == "shared-password":
    password, admin_password = env("NNLIB_HUB_PASSWORD", ""), env("NNLIB_HUB_ADMIN_PASSWORD", "")
    if len(password) < 8:
        refuse(
            "NNLIB_HUB_PASSWORD (the class password) must have 8 characters or more, "
            f"got {len(password)}. Set it, e.g. export NNLIB_HUB_PASSWORD='...', or choose "
            "another NNLIB_HUB_AUTHENTICATOR (docs/instructor/hub.md)."
        )
    if admins and len(admin_password) < 32:
        refuse(
            f"NNLIB_HUB_ADMINS names {sorted(admins)}, so NNLIB_HUB_ADMIN_PASSWORD (the admins' "
            f"own password) must have 32 characters or more, got {len(admin_password)}. Make one "
            "with: export NNLIB_HUB_ADMIN_PASSWORD=$(openssl rand -hex 24)"
        )
    if admin_password and admin_password == password:
        refuse("NNLIB_HUB_ADMIN_PASSWORD must differ from the class password NNLIB_HUB_PASSWORD.")
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = password
    c.SharedPasswordAuthenticator.admin_password = admin_password or None
    c.Authenticator.allow_all = True  # anyone with the class password; never admin (above)
else:
    config = HERE / "auth" / f"{auth}.py"
    if not re.fullmatch(r"[a-z0-9-]+", auth) or not config.is_file():
        known = sorted(p.stem for p in (HERE / "auth").glob("*.py"))
        refuse(
            f"NNLIB_HUB_AUTHENTICATOR={auth!r}: expected 'shared-password' or one of {known} "
            "(deploy/jupyterhub/auth/)."
        )
    # traitlets runs the file with a Config of its own and merges it into c afterwards (so its
    # settings win); it reads NNLIB_HUB_ADMINS itself, and exits without its secrets.
    load_subconfig(str(config))  # noqa: F821 - provided by JupyterHub

# Where the hub listens, its state (readable by root alone), and the proxy from npm.
state = Path(env("NNLIB_HUB_STATE", str(HERE / "state"))).resolve()
state.mkdir(parents=True, exist_ok=True)
state.chmod(0o700)
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

# Students: a Unix user each, in the root-owned course environment, limited by cgroups.
if os.geteuid() != 0:
    refuse(
        "it must run as root, to make a Unix user per student and set their limits "
        "(sudo -E make hub). On a server with systemd, The Littlest JupyterHub is the "
        "standard one-machine route (docs/instructor/hub.md)."
    )
prefix = Path(env("NNLIB_HUB_PREFIX", "/opt/nnlib-course"))
course_env = prefix / "env"
if not (course_env / "bin" / "jupyterhub-singleuser").exists():
    refuse(
        f"no course environment in {prefix}: run deploy/jupyterhub/install-course-env.sh "
        f"{prefix} (make hub does)."
    )
c.JupyterHub.spawner_class = cg.StudentSpawner
c.StudentSpawner.user_prefix = env("NNLIB_HUB_USER_PREFIX", "nn-")
c.StudentSpawner.homes_root = env("NNLIB_HUB_HOMES", "/home")
c.StudentSpawner.group_parent = f"nnlib-hub-{c.JupyterHub.port}"
c.StudentSpawner.limits = env("NNLIB_HUB_LIMITS", "on") != "off"
c.Spawner.cmd = [str(prefix / "bin" / "singleuser-start.sh")]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
c.Spawner.mem_limit = env("NNLIB_HUB_MEM_LIMIT", "2.5G")
c.Spawner.cpu_limit = float(env("NNLIB_HUB_CPU_LIMIT", "1"))
c.LocalProcessSpawner.env_keep = ["LANG", "LC_ALL"]  # nothing else of the hub's environment
if c.StudentSpawner.limits:
    try:
        version = cg.check_limits(c.StudentSpawner.group_parent)
    except cg.LimitsUnavailable as err:
        refuse(str(err))
    print(f"per-student limits: cgroup v{version}", file=sys.stderr)

course_repo = env("NNLIB_HUB_COURSE_REPO") or str(prefix / "course.git")
threads = str(max(1, int(c.Spawner.cpu_limit)))
passed_on = {
    k: v
    for k, v in os.environ.items()
    if k
    in ("NNLIB_OFFLINE", "NNLIB_QUICK", "NNLIB_STYLE", "NNLIB_HIDE_SOLUTIONS", "NNLIB_DATA_DIR")
}
if "NNLIB_DATA_DIR" not in passed_on and (prefix / "data" / "mnist.npz").exists():
    passed_on["NNLIB_DATA_DIR"] = str(prefix / "data")  # one shared, read-only copy of MNIST
c.Spawner.environment = {
    **passed_on,
    "PATH": f"{course_env / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "NNLIB_HUB_BIN": str(course_env / "bin"),
    "NNLIB_HUB_COURSE_REPO": course_repo,
    "NNLIB_HUB_COURSE_BRANCH": env("NNLIB_HUB_COURSE_BRANCH", "main"),
    "NNLIB_HUB_COURSE_DIR": env("NNLIB_HUB_COURSE_DIR", "course"),
    # the course remote belongs to root: this file (install-course-env.sh) lets git read it
    "GIT_CONFIG_SYSTEM": str(prefix / "gitconfig"),
    # TensorFlow and BLAS size their thread pools from the machine's cores, not the CPU limit
    "OMP_NUM_THREADS": threads,
    "TF_NUM_INTRAOP_THREADS": threads,
    "TF_NUM_INTEROP_THREADS": threads,
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

# The class view (deploy/classview/README.md): with NNLIB_HUB_CLASS_VIEW=on, the students' kernels
# send their check/hint/solution events (ids and outcomes: never code or values) straight to the
# service "class-view", which the hub runs; its page /services/class-view/ shows the admins and
# the group "instructors" how each exercise goes. Students have no access to the service (their
# "user" role has no access:services): they can only post their own events, with their token.
class_view = env("NNLIB_HUB_CLASS_VIEW", "off")
if class_view not in ("on", "off"):
    refuse(f"NNLIB_HUB_CLASS_VIEW must be 'on' or 'off', got {class_view!r}.")
if class_view == "on":
    view_days = env("NNLIB_HUB_CLASS_VIEW_DAYS", "120")
    view_port = env("NNLIB_HUB_CLASS_VIEW_PORT", str(c.JupyterHub.port + 3))
    if not re.fullmatch(r"[1-9][0-9]{0,4}", view_days):
        refuse(f"NNLIB_HUB_CLASS_VIEW_DAYS must be a number of days, 1 or more: {view_days!r}.")
    if not re.fullmatch(r"[1-9][0-9]{0,4}", view_port) or int(view_port) > 65535:
        refuse(f"NNLIB_HUB_CLASS_VIEW_PORT must be a port number, got {view_port!r}.")
    view_url = f"http://127.0.0.1:{view_port}"
    view_state = state / "class-view"  # inside the hub's state: root alone reads it
    view_state.mkdir(mode=0o700, exist_ok=True)
    view_state.chmod(0o700)
    # the mistakes' messages come from the nnlib the students run (its line numbers)
    students_nnlib = next((course_env / "lib").glob("python3*/site-packages/nnlib"), None)
    c.JupyterHub.services.append(
        {
            "name": "class-view",
            "url": view_url,
            "command": [sys.executable, str(HERE.parent / "classview" / "class_view.py"), "serve"],
            "oauth_no_confirm": True,
            "environment": {
                "NNLIB_CLASS_VIEW_DB": str(view_state / "events.sqlite"),
                "NNLIB_CLASS_VIEW_DAYS": view_days,
                "NNLIB_CLASS_VIEW_GROUP": "instructors",
                **({"NNLIB_CLASS_VIEW_NNLIB": str(students_nnlib)} if students_nnlib else {}),
            },
        }
    )
    c.JupyterHub.load_roles.extend(
        [
            {
                "name": "class-view",
                "description": "the class view's roster: who is in the class",
                "scopes": ["list:users", "read:users:name", "read:users:groups"],
                "services": ["class-view"],
            },
            {
                "name": "class-view-instructors",
                "description": "open the class view (admins may already)",
                "scopes": ["access:services!service=class-view"],
                "groups": ["instructors"],
            },
        ]
    )
    # the admins start the group; an admin adds a teaching assistant on the hub's admin page.
    # An authenticator that manages groups (generic-oauth) brings its own "instructors".
    if admins and not any(isinstance(v, dict) and v.get("manage_groups") for v in c.values()):
        c.JupyterHub.load_groups = {"instructors": {"users": sorted(admins)}}
    c.Spawner.environment["NNLIB_CLASS_EVENTS_URL"] = f"{view_url}/services/class-view/api/events"
if env("NNLIB_HUB_API_TOKEN"):
    c.JupyterHub.services.append({"name": "course-admin", "api_token": env("NNLIB_HUB_API_TOKEN")})
    c.JupyterHub.load_roles.append(
        {
            "name": "course-admin",
            "scopes": ["admin:users", "admin:servers", "access:servers", "tokens"],
            "services": ["course-admin"],
        }
    )

extra = env("NNLIB_HUB_EXTRA_CONFIG")
if extra:
    load_subconfig(extra)  # noqa: F821 - provided by JupyterHub
