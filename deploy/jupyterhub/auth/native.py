"""NNLIB_HUB_AUTHENTICATOR=native: students sign up on the hub, an instructor approves each one.

Loaded by jupyterhub_config.py with load_subconfig (so ``c`` here starts empty and is merged into
the hub's config). deploy/jupyterhub/auth/README.md explains the setup; in short:

NNLIB_HUB_ADMINS                  required: the instructors' user names, comma-separated. Only
                                  they can approve students (/hub/authorize), so without one
                                  nobody could ever be let in. Each instructor creates their own
                                  account by signing up under that name (approved at once) BEFORE
                                  the hub's address is given out.
NNLIB_HUB_NATIVE_MIN_PASSWORD     optional: the shortest password accepted at sign-up (8; less
                                  than 8 is refused)

Fail closed: a missing setting or package stops the hub with a message naming it.
"""

import os
import sys

c = get_config()  # noqa: F821 - provided by JupyterHub's load_subconfig
env = os.environ.get
NAME = "NNLIB_HUB_AUTHENTICATOR=native"
README = "deploy/jupyterhub/auth/README.md"

try:
    from nativeauthenticator import NativeAuthenticator
except ImportError as err:
    sys.exit(
        f"{NAME} needs the package jupyterhub-nativeauthenticator ({err}). Install the hub's "
        "authenticators: .venv/bin/pip install -r deploy/jupyterhub/requirements.txt"
    )

problems = []
admins = {a.strip() for a in env("NNLIB_HUB_ADMINS", "").split(",") if a.strip()}
if "admin_users" in c.Authenticator:  # exec'd with the hub's own config, not load_subconfig
    admins |= set(c.Authenticator.admin_users)
if not admins:
    problems.append(
        "NNLIB_HUB_ADMINS: the instructors' user names, comma-separated (e.g. "
        "NNLIB_HUB_ADMINS=instructor). Every student's account waits for an admin's approval "
        "at /hub/authorize; with no admin nobody could ever be approved. Choose the names "
        "yourself; each instructor then signs up under theirs before the hub's address is "
        f"given out ({README}, 'Native accounts')."
    )
min_password = env("NNLIB_HUB_NATIVE_MIN_PASSWORD", "8").strip()
if not min_password.isdigit() or int(min_password) < 8:
    problems.append(
        f"NNLIB_HUB_NATIVE_MIN_PASSWORD: the shortest password accepted at sign-up, a whole "
        f"number of at least 8 (default 8), got {min_password!r}."
    )
if problems:
    sys.exit(
        f"{NAME}: the hub refuses to start (fail closed) until these are set:\n  - "
        + "\n  - ".join(problems)
        + f"\nSee {README}."
    )

c.JupyterHub.authenticator_class = NativeAuthenticator
# Sign-up is open, logging in is not: a new account cannot log in until an admin approves it
# (open_signup False; the e-mail self-approval stays off). NativeAuthenticator.authenticate itself
# refuses an unapproved account (UserInfo.is_authorized), before JupyterHub's allow checks.
c.NativeAuthenticator.enable_signup = True
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.allow_self_approval_for = None
c.NativeAuthenticator.ask_email_on_signup = False
c.NativeAuthenticator.minimum_password_length = int(min_password)
c.NativeAuthenticator.check_common_password = True  # refuse the 10,000 most common passwords
# Five wrong passwords in a row block the name for 10 minutes (guessing a student's password).
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 600
# JupyterHub 5's allow checks would refuse every approved student who is not also listed in
# allowed_users (allow_all defaults to False). Approval is this authenticator's allow list, so
# every account it authenticates (an approved one, or an admin) is allowed.
c.NativeAuthenticator.allow_all = True
