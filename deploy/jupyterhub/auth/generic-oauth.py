"""NNLIB_HUB_AUTHENTICATOR=generic-oauth: log in with your institution's identity provider
(OpenID Connect / OAuth 2: Keycloak, Microsoft Entra ID, Authentik, Okta, ...); only members of
the course's groups get in.

Loaded by jupyterhub_config.py with load_subconfig (so ``c`` here starts empty and is merged into
the hub's config). deploy/jupyterhub/auth/README.md explains the setup.

Required:
NNLIB_HUB_OAUTH_CLIENT_ID       the hub's client id at the identity provider
NNLIB_HUB_OAUTH_CLIENT_SECRET   its client secret
NNLIB_HUB_OAUTH_CALLBACK_URL    https://HUB/hub/oauth_callback, registered as its redirect URI
NNLIB_HUB_OAUTH_AUTHORIZE_URL   the provider's authorization endpoint   (all three are in
NNLIB_HUB_OAUTH_TOKEN_URL       the provider's token endpoint            https://IDP/.well-known/
NNLIB_HUB_OAUTH_USERDATA_URL    the provider's userinfo endpoint         openid-configuration)
NNLIB_HUB_OAUTH_ALLOWED_GROUPS  who may log in: group names, comma-separated
Optional:
NNLIB_HUB_OAUTH_GROUPS_CLAIM    the userinfo claim that lists the user's groups ("groups"; a
                                nested one with dots: "realm_access.roles")
NNLIB_HUB_OAUTH_USERNAME_CLAIM  the userinfo claim that becomes the hub user name
                                ("preferred_username"); it must be unique and not editable by
                                the users themselves
NNLIB_HUB_OAUTH_SCOPE           the scopes asked for ("openid profile email")
NNLIB_HUB_OAUTH_LOGIN_SERVICE   the login button's "Sign in with ..." text ("your institution")

The instructors in NNLIB_HUB_ADMINS may log in even outside the groups.
Fail closed: a missing setting or package stops the hub with a message naming it.
"""

import os
import sys
from urllib.parse import urlsplit

c = get_config()  # noqa: F821 - provided by JupyterHub's load_subconfig
env = os.environ.get
NAME = "NNLIB_HUB_AUTHENTICATOR=generic-oauth"
README = "deploy/jupyterhub/auth/README.md"
DISCOVERY = "in the provider's discovery document https://IDP/.well-known/openid-configuration"

try:
    from oauthenticator.generic import GenericOAuthenticator
except ImportError as err:
    sys.exit(
        f"{NAME} needs the package oauthenticator ({err}). Install the hub's authenticators: "
        ".venv/bin/pip install -r deploy/jupyterhub/requirements.txt"
    )

NEEDED = {
    "NNLIB_HUB_OAUTH_CLIENT_ID": "the hub's client id at your identity provider (register the "
    "hub as a confidential OpenID Connect client with redirect URI NNLIB_HUB_OAUTH_CALLBACK_URL: "
    "Keycloak: Clients > Create client; Microsoft Entra ID: App registrations; or ask your "
    "institution's IT for an OIDC client).",
    "NNLIB_HUB_OAUTH_CLIENT_SECRET": "that client's secret (Keycloak: the client's Credentials "
    "tab; Entra ID: Certificates & secrets). Keep it out of git.",
    "NNLIB_HUB_OAUTH_CALLBACK_URL": "the hub's OAuth callback, https://HUB/hub/oauth_callback "
    "(HUB: the address students open), registered as the client's redirect URI.",
    "NNLIB_HUB_OAUTH_AUTHORIZE_URL": f"the provider's authorization_endpoint ({DISCOVERY}).",
    "NNLIB_HUB_OAUTH_TOKEN_URL": f"the provider's token_endpoint ({DISCOVERY}).",
    "NNLIB_HUB_OAUTH_USERDATA_URL": f"the provider's userinfo_endpoint ({DISCOVERY}).",
    "NNLIB_HUB_OAUTH_ALLOWED_GROUPS": "who may log in: the names of the course's groups as the "
    "provider lists them in the groups claim (NNLIB_HUB_OAUTH_GROUPS_CLAIM, default 'groups'), "
    "comma-separated. Create the group at the provider and put the students in it.",
}
problems = [f"{k}: {what}" for k, what in NEEDED.items() if not env(k, "").strip()]


def https_url(key, path_end=""):
    """The variable's URL; a problem is noted unless it is https (http only for localhost)."""
    url = env(key, "").strip()
    parts = urlsplit(url)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if url and (
        not (parts.scheme == "https" or (parts.scheme == "http" and local))
        or not parts.hostname
        or not parts.path.endswith(path_end)
    ):
        shape = f"https://HOST/...{path_end}" if path_end else "an https:// URL"
        problems.append(f"{key}: must be {shape} (plain http only for localhost), got {url!r}.")
    return url


callback = https_url("NNLIB_HUB_OAUTH_CALLBACK_URL", "/hub/oauth_callback")
authorize_url = https_url("NNLIB_HUB_OAUTH_AUTHORIZE_URL")
token_url = https_url("NNLIB_HUB_OAUTH_TOKEN_URL")
userdata_url = https_url("NNLIB_HUB_OAUTH_USERDATA_URL")
groups = {g.strip() for g in env("NNLIB_HUB_OAUTH_ALLOWED_GROUPS", "").split(",") if g.strip()}
if env("NNLIB_HUB_OAUTH_ALLOWED_GROUPS", "").strip() and not groups:
    problems.append("NNLIB_HUB_OAUTH_ALLOWED_GROUPS: no group in it (only commas and spaces).")
groups_claim = env("NNLIB_HUB_OAUTH_GROUPS_CLAIM", "").strip() or "groups"
username_claim = env("NNLIB_HUB_OAUTH_USERNAME_CLAIM", "").strip() or "preferred_username"
scope = (env("NNLIB_HUB_OAUTH_SCOPE", "").strip() or "openid profile email").split()
if problems:
    sys.exit(
        f"{NAME}: the hub refuses to start (fail closed) until these are set:\n  - "
        + "\n  - ".join(problems)
        + f"\nSee {README}."
    )

c.JupyterHub.authenticator_class = GenericOAuthenticator
c.GenericOAuthenticator.client_id = env("NNLIB_HUB_OAUTH_CLIENT_ID").strip()
c.GenericOAuthenticator.client_secret = env("NNLIB_HUB_OAUTH_CLIENT_SECRET").strip()
c.GenericOAuthenticator.oauth_callback_url = callback
c.GenericOAuthenticator.authorize_url = authorize_url
c.GenericOAuthenticator.token_url = token_url
c.GenericOAuthenticator.userdata_url = userdata_url
c.GenericOAuthenticator.scope = scope
c.GenericOAuthenticator.username_claim = username_claim
c.GenericOAuthenticator.login_service = (
    env("NNLIB_HUB_OAUTH_LOGIN_SERVICE", "").strip() or "your institution"
)
# Only members of these groups (read from the userinfo response at each login, no extra request)
# and the admins get in. manage_groups makes the hub's groups follow the provider's at each login.
c.GenericOAuthenticator.manage_groups = True
c.GenericOAuthenticator.auth_state_groups_key = f"oauth_user.{groups_claim}"
c.GenericOAuthenticator.allowed_groups = groups
# Never everyone the provider knows, whatever the hub's config says for other authenticators
# (oauthenticator's check_allowed lets everyone in before the group check when allow_all is set),
# and no one just because they logged in before: each login is checked again.
c.Authenticator.allow_all = False
c.GenericOAuthenticator.allow_all = False
c.GenericOAuthenticator.allow_existing_users = False
