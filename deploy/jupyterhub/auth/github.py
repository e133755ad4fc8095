"""NNLIB_HUB_AUTHENTICATOR=github: log in with GitHub; only members of the course's organisations
(or teams) get in.

Loaded by jupyterhub_config.py with load_subconfig (so ``c`` here starts empty and is merged into
the hub's config). deploy/jupyterhub/auth/README.md explains the setup. All required:

NNLIB_HUB_OAUTH_CLIENT_ID       the Client ID of the hub's GitHub OAuth app
NNLIB_HUB_OAUTH_CLIENT_SECRET   a client secret of that app
NNLIB_HUB_OAUTH_CALLBACK_URL    https://HUB/hub/oauth_callback, as in the app's callback URL
NNLIB_HUB_GITHUB_ORGS           who may log in: organisations ("my-course-2026") and/or teams
                                ("my-uni:nn-students"), comma-separated

The instructors in NNLIB_HUB_ADMINS (GitHub user names) may log in even outside the organisations.
Fail closed: a missing setting or package stops the hub with a message naming it.
"""

import os
import re
import sys
from urllib.parse import urlsplit

c = get_config()  # noqa: F821 - provided by JupyterHub's load_subconfig
env = os.environ.get
NAME = "NNLIB_HUB_AUTHENTICATOR=github"
README = "deploy/jupyterhub/auth/README.md"
APPS = (
    "GitHub: Settings > Developer settings > OAuth Apps, https://github.com/settings/developers "
    "(an organisation's own: https://github.com/organizations/ORG/settings/applications)"
)

try:
    from oauthenticator.github import GitHubOAuthenticator
except ImportError as err:
    sys.exit(
        f"{NAME} needs the package oauthenticator ({err}). Install the hub's authenticators: "
        ".venv/bin/pip install -r deploy/jupyterhub/requirements.txt"
    )

NEEDED = {
    "NNLIB_HUB_OAUTH_CLIENT_ID": f"the Client ID of the hub's GitHub OAuth app ({APPS}; "
    "'New OAuth App', Authorization callback URL = NNLIB_HUB_OAUTH_CALLBACK_URL).",
    "NNLIB_HUB_OAUTH_CLIENT_SECRET": "a client secret of that OAuth app ('Generate a new client "
    "secret' on the app's page; GitHub shows it once). Keep it out of git.",
    "NNLIB_HUB_OAUTH_CALLBACK_URL": "the hub's OAuth callback, https://HUB/hub/oauth_callback "
    "(HUB: the address students open), exactly as entered as the app's Authorization callback URL.",
    "NNLIB_HUB_GITHUB_ORGS": "who may log in: GitHub organisations (the name in "
    "https://github.com/ORG) and/or teams (ORG:TEAM-SLUG), comma-separated. Create one for the "
    "course at https://github.com/account/organizations/new and invite the students.",
}
problems = [f"{k}: {what}" for k, what in NEEDED.items() if not env(k, "").strip()]

callback = env("NNLIB_HUB_OAUTH_CALLBACK_URL", "").strip()
parts = urlsplit(callback)
local = parts.hostname in ("localhost", "127.0.0.1", "::1")
if callback and (
    not parts.path.endswith("/hub/oauth_callback")
    or not (parts.scheme == "https" or (parts.scheme == "http" and local))
):
    problems.append(
        "NNLIB_HUB_OAUTH_CALLBACK_URL: must be https://HUB/hub/oauth_callback (plain http only "
        f"for localhost), got {callback!r}."
    )

orgs = {o.strip() for o in env("NNLIB_HUB_GITHUB_ORGS", "").split(",") if o.strip()}
bad = sorted(o for o in orgs if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*(:[A-Za-z0-9_.-]+)?", o))
if bad:
    problems.append(
        "NNLIB_HUB_GITHUB_ORGS: expected ORG or ORG:TEAM-SLUG names (letters, digits, '-'), "
        f"got {', '.join(map(repr, bad))}."
    )
if env("NNLIB_HUB_GITHUB_ORGS", "").strip() and not orgs:
    problems.append("NNLIB_HUB_GITHUB_ORGS: no organisation in it (only commas and spaces).")
if problems:
    sys.exit(
        f"{NAME}: the hub refuses to start (fail closed) until these are set:\n  - "
        + "\n  - ".join(problems)
        + f"\nSee {README}."
    )

c.JupyterHub.authenticator_class = GitHubOAuthenticator
c.GitHubOAuthenticator.client_id = env("NNLIB_HUB_OAUTH_CLIENT_ID").strip()
c.GitHubOAuthenticator.client_secret = env("NNLIB_HUB_OAUTH_CLIENT_SECRET").strip()
c.GitHubOAuthenticator.oauth_callback_url = callback
# Only members of these organisations/teams (checked with GitHub's API at each login) and the
# admins get in. read:org lets the hub see private memberships too, not only public ones.
c.GitHubOAuthenticator.allowed_organizations = orgs
c.GitHubOAuthenticator.scope = ["read:org"]
# Never everyone with a GitHub account, whatever the hub's config says for other authenticators
# (oauthenticator's check_allowed lets everyone in before any organisation check when allow_all is
# set), and no one just because they logged in before: each login is checked again.
c.Authenticator.allow_all = False
c.GitHubOAuthenticator.allow_all = False
c.GitHubOAuthenticator.allow_existing_users = False
