"""NNLIB_HUB_AUTHENTICATOR=lti13: students arrive from the course's page in the LMS (Canvas,
Moodle, Blackboard, Brightspace, ...) through LTI 1.3, already logged in.

The LMS is the gate: the hub lets in whoever arrives with a launch the LMS signed (checked against
the LMS's public keys, issuer and client id), that is whoever the LMS shows the tool's link to.
Loaded by jupyterhub_config.py with load_subconfig (so ``c`` here starts empty and is merged into
the hub's config). deploy/jupyterhub/auth/README.md lists what to enter in the LMS.

Required (the LMS shows them when the tool is registered):
NNLIB_HUB_LTI_ISSUER          the LMS's issuer / platform ID
NNLIB_HUB_LTI_CLIENT_ID       the client id the LMS gave the hub (several: comma-separated)
NNLIB_HUB_LTI_AUTHORIZE_URL   the LMS's authentication request (OIDC auth) URL
NNLIB_HUB_LTI_JWKS_URL        the LMS's public keyset URL
Optional:
NNLIB_HUB_LTI_USERNAME_KEY    the launch claim that becomes the hub user name ("email"; "sub",
                              the LMS's opaque user id, where the LMS lets users edit their
                              e-mail address; "custom_NAME" for a custom parameter)

Fail closed: a missing setting or package stops the hub with a message naming it.
"""

import os
import sys
from urllib.parse import urlsplit

c = get_config()  # noqa: F821 - provided by JupyterHub's load_subconfig
env = os.environ.get
NAME = "NNLIB_HUB_AUTHENTICATOR=lti13"
README = "deploy/jupyterhub/auth/README.md"
SHOWN = "shown by the LMS when the hub is registered as an LTI 1.3 tool"

try:
    from ltiauthenticator.lti13.auth import LTI13Authenticator
except ImportError as err:
    sys.exit(
        f"{NAME} needs the package jupyterhub-ltiauthenticator ({err}). Install the hub's "
        "authenticators: .venv/bin/pip install -r deploy/jupyterhub/requirements.txt"
    )

NEEDED = {
    "NNLIB_HUB_LTI_ISSUER": f"the LMS's issuer ({SHOWN}; Canvas cloud: "
    "https://canvas.instructure.com; Moodle: the site's address, 'Platform ID' in the tool's "
    "'View configuration details').",
    "NNLIB_HUB_LTI_CLIENT_ID": f"the client id the LMS gave the hub ({SHOWN}; Canvas: Admin > "
    "Developer Keys, the Details column; Moodle: 'Client ID'); several comma-separated.",
    "NNLIB_HUB_LTI_AUTHORIZE_URL": f"the LMS's authentication request URL ({SHOWN}; Canvas "
    "cloud: https://sso.canvaslms.com/api/lti/authorize_redirect; Moodle: "
    "https://MOODLE/mod/lti/auth.php).",
    "NNLIB_HUB_LTI_JWKS_URL": f"the LMS's public keyset URL ({SHOWN}; Canvas cloud: "
    "https://sso.canvaslms.com/api/lti/security/jwks; Moodle: https://MOODLE/mod/lti/certs.php).",
}
problems = [f"{k}: {what}" for k, what in NEEDED.items() if not env(k, "").strip()]
for key in ("NNLIB_HUB_LTI_ISSUER", "NNLIB_HUB_LTI_AUTHORIZE_URL", "NNLIB_HUB_LTI_JWKS_URL"):
    url = env(key, "").strip()
    parts = urlsplit(url)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if url and (not parts.hostname or not (parts.scheme == "https" or local)):
        problems.append(f"{key}: must be an https:// URL (http only for localhost), got {url!r}.")
client_ids = {i.strip() for i in env("NNLIB_HUB_LTI_CLIENT_ID", "").split(",") if i.strip()}
if env("NNLIB_HUB_LTI_CLIENT_ID", "").strip() and not client_ids:
    problems.append("NNLIB_HUB_LTI_CLIENT_ID: no client id in it (only commas and spaces).")
if problems:
    sys.exit(
        f"{NAME}: the hub refuses to start (fail closed) until these are set:\n  - "
        + "\n  - ".join(problems)
        + f"\nSee {README}."
    )

c.JupyterHub.authenticator_class = LTI13Authenticator
c.LTI13Authenticator.issuer = env("NNLIB_HUB_LTI_ISSUER").strip()
c.LTI13Authenticator.client_id = client_ids
c.LTI13Authenticator.authorize_url = env("NNLIB_HUB_LTI_AUTHORIZE_URL").strip()
c.LTI13Authenticator.jwks_endpoint = env("NNLIB_HUB_LTI_JWKS_URL").strip()
c.LTI13Authenticator.username_key = env("NNLIB_HUB_LTI_USERNAME_KEY", "").strip() or "email"
# LTI 1.3 needs https; behind a TLS proxy the hub itself sees http, so do not guess.
c.LTI13Authenticator.uri_scheme = "https"
c.LTI13Authenticator.tool_name = "Neural Networks, hands-on"
c.LTI13Authenticator.tool_description = "The course's notebooks on the class JupyterHub"
# The LMS decided who may launch the tool; a launch it signed is the permission. JupyterHub 5's
# allow checks would otherwise refuse every student not listed in allowed_users.
c.LTI13Authenticator.allow_all = True
