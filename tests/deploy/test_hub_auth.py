"""The class hub's real-class authenticators (deploy/jupyterhub/auth/, one per
NNLIB_HUB_AUTHENTICATOR value): each refuses to start without every setting it needs (fail closed),
loads with them, and really keeps out who it should.

Each file is loaded as jupyterhub_config.py loads it, through traitlets' load_subconfig, under a
hub config that sets ``allow_all = True`` for everyone (the worst a hub config could leave
behind). Who may log in goes through the authenticator's own ``get_authenticated_user``; only the
HTTP side of GitHub, the identity provider and the LMS is faked (no network). Fast: `make test`.
"""

import asyncio
import importlib
import io
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[2]
AUTH = ROOT / "deploy" / "jupyterhub" / "auth"
PIP = "pip install -r deploy/jupyterhub/requirements.txt"


def need(module: str):
    """Import one of the hub's authenticator packages, or fail saying how to install them."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        pytest.fail(f"{module} is not installed ({err}): .venv/bin/{PIP}", pytrace=False)


ADMIN = "instructor"
SETTINGS = {
    "native": {"NNLIB_HUB_ADMINS": ADMIN},
    "github": {
        "NNLIB_HUB_OAUTH_CLIENT_ID": "gh-client-id",
        "NNLIB_HUB_OAUTH_CLIENT_SECRET": "gh-client-secret",
        "NNLIB_HUB_OAUTH_CALLBACK_URL": "https://hub.example.org/hub/oauth_callback",
        "NNLIB_HUB_GITHUB_ORGS": "nn-course-2026, my-uni:nn-tutors",
    },
    "generic-oauth": {
        "NNLIB_HUB_OAUTH_CLIENT_ID": "hub",
        "NNLIB_HUB_OAUTH_CLIENT_SECRET": "idp-client-secret",
        "NNLIB_HUB_OAUTH_CALLBACK_URL": "https://hub.example.org/hub/oauth_callback",
        "NNLIB_HUB_OAUTH_AUTHORIZE_URL": "https://idp.example.org/auth",
        "NNLIB_HUB_OAUTH_TOKEN_URL": "https://idp.example.org/token",
        "NNLIB_HUB_OAUTH_USERDATA_URL": "https://idp.example.org/userinfo",
        "NNLIB_HUB_OAUTH_ALLOWED_GROUPS": "nn-2026",
    },
    "lti13": {
        "NNLIB_HUB_LTI_ISSUER": "https://lms.example.edu",
        "NNLIB_HUB_LTI_CLIENT_ID": "10000000000042",
        "NNLIB_HUB_LTI_AUTHORIZE_URL": "https://lms.example.edu/api/lti/authorize_redirect",
        "NNLIB_HUB_LTI_JWKS_URL": "https://lms.example.edu/api/lti/security/jwks",
    },
}
PACKAGES = {
    "native": "nativeauthenticator",
    "github": "oauthenticator.github",
    "generic-oauth": "oauthenticator.generic",
    "lti13": "ltiauthenticator.lti13.auth",
}
# What oauthenticator itself would read from the environment: none of it may leak in.
FOREIGN = ("OAUTH_", "OAUTH2_", "GITHUB_", "LOGIN_SERVICE")


def load_auth(monkeypatch, tmp_path, name: str, env: dict, package=True) -> Config:
    """The hub's config after jupyterhub_config.py's ``load_subconfig(auth/<name>.py)``, in a
    clean environment plus ``env``."""
    if package:
        need(PACKAGES[name])
    path = AUTH / f"{name}.py"
    assert path.is_file(), path  # load_subconfig would silently skip a missing file
    for key in list(os.environ):
        if key.startswith("NNLIB_HUB_") or key.startswith(FOREIGN):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    admins = {a for a in env.get("NNLIB_HUB_ADMINS", "").split(",") if a}
    hub = tmp_path / "jupyterhub_config.py"
    hub.write_text(
        "c = get_config()\n"
        "c.Authenticator.allow_all = True  # the worst a hub config could leave behind\n"
        f"c.Authenticator.admin_users = {admins!r}\n"
        f"load_subconfig({str(path)!r})\n"
    )
    return PyFileConfigLoader(hub.name, path=str(tmp_path)).load_config()


def refusal(monkeypatch, tmp_path, name, env) -> str:
    with pytest.raises(SystemExit) as exc:
        load_auth(monkeypatch, tmp_path, name, env)
    message = str(exc.value.code)
    assert "refuses to start" in message and "deploy/jupyterhub/auth/README.md" in message
    return message


@pytest.mark.parametrize("blank", [False, True], ids=["unset", "blank"])
@pytest.mark.parametrize(
    "name,missing", [(name, key) for name, env in SETTINGS.items() for key in env]
)
def test_refuses_without_each_setting(monkeypatch, tmp_path, name, missing, blank):
    env = {k: v for k, v in SETTINGS[name].items() if k != missing}
    if blank:
        env[missing] = "  "
    message = refusal(monkeypatch, tmp_path, name, env)
    listed = [ln[4:].split(":")[0] for ln in message.splitlines() if ln.startswith("  - ")]
    assert listed == [missing], message
    assert len(message.split(f"- {missing}:")[1].split("\n")[0]) > 60  # what it is, where from


@pytest.mark.parametrize("name", SETTINGS)
def test_refuses_with_nothing_set_and_names_every_setting(monkeypatch, tmp_path, name):
    message = refusal(monkeypatch, tmp_path, name, {})
    for key in SETTINGS[name]:
        assert f"  - {key}:" in message


@pytest.mark.parametrize(
    "name,key,value",
    [
        ("native", "NNLIB_HUB_ADMINS", " , "),
        ("native", "NNLIB_HUB_NATIVE_MIN_PASSWORD", "6"),
        ("github", "NNLIB_HUB_OAUTH_CALLBACK_URL", "http://hub.example.org/hub/oauth_callback"),
        ("github", "NNLIB_HUB_OAUTH_CALLBACK_URL", "https://hub.example.org/hub/login"),
        ("github", "NNLIB_HUB_GITHUB_ORGS", " , "),
        ("github", "NNLIB_HUB_GITHUB_ORGS", "https://github.com/nn-course-2026"),
        ("generic-oauth", "NNLIB_HUB_OAUTH_ALLOWED_GROUPS", ","),
        ("generic-oauth", "NNLIB_HUB_OAUTH_TOKEN_URL", "http://idp.example.org/token"),
        ("lti13", "NNLIB_HUB_LTI_JWKS_URL", "http://lms.example.edu/jwks"),
        ("lti13", "NNLIB_HUB_LTI_CLIENT_ID", ",,"),
    ],
)
def test_refuses_a_setting_that_would_not_protect(monkeypatch, tmp_path, name, key, value):
    message = refusal(monkeypatch, tmp_path, name, {**SETTINGS[name], key: value})
    assert f"  - {key}:" in message


@pytest.mark.parametrize("name", SETTINGS)
def test_refuses_without_its_package(monkeypatch, tmp_path, name):
    need(PACKAGES[name])
    monkeypatch.setitem(sys.modules, PACKAGES[name], None)  # import fails as if not installed
    with pytest.raises(SystemExit, match=PIP):
        load_auth(monkeypatch, tmp_path, name, SETTINGS[name], package=False)


def authenticator(c: Config, **kwargs):
    return c.JupyterHub.authenticator_class(config=c, **kwargs)


def test_native_loads(monkeypatch, tmp_path):
    c = load_auth(monkeypatch, tmp_path, "native", SETTINGS["native"])
    NativeAuthenticator = need("nativeauthenticator").NativeAuthenticator
    assert c.JupyterHub.authenticator_class is NativeAuthenticator
    auth = authenticator(c, add_new_table=False)
    assert auth.enable_signup and not auth.open_signup and auth.allow_self_approval_for is None
    assert auth.minimum_password_length == 8 and auth.check_common_password
    assert auth.allowed_failed_logins == 5 and auth.seconds_before_next_try == 600
    assert auth.allow_all and auth.admin_users == {ADMIN}


def test_github_loads(monkeypatch, tmp_path):
    c = load_auth(monkeypatch, tmp_path, "github", SETTINGS["github"])
    GitHubOAuthenticator = need("oauthenticator.github").GitHubOAuthenticator
    assert c.JupyterHub.authenticator_class is GitHubOAuthenticator
    auth = authenticator(c)
    assert not auth.allow_all and not auth.allow_existing_users  # despite the hub's allow_all
    assert auth.allowed_organizations == {"nn-course-2026", "my-uni:nn-tutors"}
    assert auth.scope == ["read:org"]
    assert (auth.client_id, auth.client_secret) == ("gh-client-id", "gh-client-secret")
    assert auth.oauth_callback_url == "https://hub.example.org/hub/oauth_callback"


def test_generic_oauth_loads(monkeypatch, tmp_path):
    c = load_auth(monkeypatch, tmp_path, "generic-oauth", SETTINGS["generic-oauth"])
    GenericOAuthenticator = need("oauthenticator.generic").GenericOAuthenticator
    assert c.JupyterHub.authenticator_class is GenericOAuthenticator
    auth = authenticator(c)
    assert not auth.allow_all and not auth.allow_existing_users  # despite the hub's allow_all
    assert auth.manage_groups and auth.allowed_groups == {"nn-2026"}
    assert auth.auth_state_groups_key == "oauth_user.groups"
    assert auth.username_claim == "preferred_username"
    assert auth.scope == ["openid", "profile", "email"]
    assert auth.token_url == "https://idp.example.org/token"
    assert auth.userdata_url == "https://idp.example.org/userinfo"


def test_lti13_loads(monkeypatch, tmp_path):
    c = load_auth(monkeypatch, tmp_path, "lti13", SETTINGS["lti13"])
    LTI13Authenticator = need("ltiauthenticator.lti13.auth").LTI13Authenticator
    assert c.JupyterHub.authenticator_class is LTI13Authenticator
    auth = authenticator(c)
    assert auth.issuer == "https://lms.example.edu" and auth.client_id == {"10000000000042"}
    assert auth.jwks_endpoint == "https://lms.example.edu/api/lti/security/jwks"
    assert auth.authorize_url.endswith("/authorize_redirect")
    assert auth.username_key == "email" and auth.uri_scheme == "https" and auth.allow_all


# Native accounts: sign-up, then an admin's approval, then login.


def native_auth(monkeypatch, c: Config):
    """NativeAuthenticator as the hub runs it, on an in-memory copy of the hub's database
    (bcrypt's cost lowered from 12 to 4 rounds: the same checks, 0.2 s less per password)."""
    bcrypt = need("bcrypt")
    monkeypatch.setattr(bcrypt, "gensalt", lambda rounds=4, gensalt=bcrypt.gensalt: gensalt(4))
    db = need("jupyterhub.orm").new_session_factory("sqlite:///:memory:")()
    return authenticator(c, db=db)


@pytest.fixture
def native(monkeypatch, tmp_path):
    auth = native_auth(monkeypatch, load_auth(monkeypatch, tmp_path, "native", SETTINGS["native"]))
    yield auth
    auth.db.close()


def log_in(auth, name, password):
    data = {"username": name, "password": password}
    return asyncio.run(auth.get_authenticated_user(None, data))


def test_native_unapproved_student_cannot_log_in(native):
    UserInfo = need("nativeauthenticator.orm").UserInfo
    assert native.create_user("student", "correct horse") is not None  # signed up
    assert log_in(native, "student", "correct horse") is None  # not approved yet
    UserInfo.change_authorization(native.db, "student")  # an admin's click at /hub/authorize
    model = log_in(native, "student", "correct horse")
    assert model["name"] == "student" and not model["admin"]
    assert log_in(native, "student", "wrong horse") is None
    UserInfo.change_authorization(native.db, "student")  # approval withdrawn
    assert log_in(native, "student", "correct horse") is None


def test_native_admin_signs_up_approved(native):
    assert native.create_user(ADMIN, "instructor's passphrase").is_authorized
    assert log_in(native, ADMIN, "instructor's passphrase")["admin"] is True


def test_native_password_rules(native):
    assert native.create_user("short", "7chars!") is None
    assert native.create_user("common", "password1") is None  # in the common-passwords list
    assert native.create_user("fine", "8 chars!") is not None
    UserInfo = need("nativeauthenticator.orm").UserInfo
    UserInfo.change_authorization(native.db, "fine")
    for _ in range(5):
        assert log_in(native, "fine", "a guess") is None
    assert log_in(native, "fine", "8 chars!") is None  # blocked for 10 minutes


def test_native_needs_allow_all_on_jupyterhub_5(monkeypatch, tmp_path):
    """Why native.py sets allow_all: without it JupyterHub 5 refuses even approved students."""
    c = load_auth(monkeypatch, tmp_path, "native", SETTINGS["native"])
    c.NativeAuthenticator.allow_all = False
    auth = native_auth(monkeypatch, c)
    auth.create_user("student", "correct horse")
    need("nativeauthenticator.orm").UserInfo.change_authorization(auth.db, "student")
    assert log_in(auth, "student", "correct horse") is None


# OAuth: the provider's HTTP side is faked; the authorisation decision is oauthenticator's own.


class FakeProvider:
    """Stands in for oauthenticator's ``http_client``: answers each request with ``route``."""

    def __init__(self, route):
        self.route, self.requests = route, []

    async def fetch(self, request, raise_error=True, **kwargs):
        from tornado.httpclient import HTTPClientError, HTTPResponse

        self.requests.append(request)
        code, body = self.route(request)
        buffer = io.BytesIO(b"" if body is None else json.dumps(body).encode())
        response = HTTPResponse(request, code, buffer=buffer)
        if raise_error and code >= 400:
            raise HTTPClientError(code, response=response)
        return response


class CallbackRequest:
    """The browser's return to /hub/oauth_callback?code=...: the code names the user here."""

    def __init__(self, code):
        self.code = code

    def get_argument(self, name):
        return {"code": self.code}[name]

    def get_state_cookie(self):
        oauth2 = need("oauthenticator.oauth2")
        return oauth2._serialize_state({"code_verifier": "v" * 43})


def oauth_login(auth, provider, user):
    auth.http_client = provider
    return asyncio.run(auth.get_authenticated_user(CallbackRequest(user), None))


def token_of(request):
    return parse_qs(request.body.decode())["code"][0]


GITHUB_MEMBERS = {"nn-course-2026": {"alice"}, "my-uni:nn-tutors": {"tutor"}}


def github(request):
    """GitHub's OAuth and REST API as oauthenticator uses them: token, user, membership."""
    url = urlsplit(request.url)
    if request.method == "POST" and request.url == "https://github.com/login/oauth/access_token":
        return 200, {"access_token": f"tok-{token_of(request)}", "token_type": "bearer"}
    login = request.headers["Authorization"].split("tok-")[1]  # whose token asks
    if url.path == "/user":
        return 200, {"login": login, "id": 7, "email": f"{login}@example.org", "name": login}
    parts = url.path.strip("/").split("/")
    if parts[:1] == ["orgs"] and parts[-2] == "members" and parts[-1] == login:
        team = parts[1] if len(parts) == 4 else f"{parts[1]}:{parts[3]}"
        if login in GITHUB_MEMBERS.get(team, ()):
            return 204, None
        return 404, {"message": "Not Found"}
    raise AssertionError(f"unexpected request to GitHub: {request.method} {request.url}")


@pytest.mark.parametrize("user", ["alice", "tutor"])
def test_github_member_of_an_allowed_org_or_team_gets_in(monkeypatch, tmp_path, user):
    auth = authenticator(load_auth(monkeypatch, tmp_path, "github", SETTINGS["github"]))
    model = oauth_login(auth, FakeProvider(github), user)
    assert model["name"] == user and not model["admin"]


def test_github_outsider_is_refused(monkeypatch, tmp_path):
    auth = authenticator(load_auth(monkeypatch, tmp_path, "github", SETTINGS["github"]))
    provider = FakeProvider(github)
    assert oauth_login(auth, provider, "mallory") is None
    asked = {r.url for r in provider.requests if "/members/" in r.url}
    assert asked == {
        "https://api.github.com/orgs/nn-course-2026/members/mallory",
        "https://api.github.com/orgs/my-uni/teams/nn-tutors/members/mallory",
    }


def test_github_admin_outside_the_orgs_gets_in(monkeypatch, tmp_path):
    env = {**SETTINGS["github"], "NNLIB_HUB_ADMINS": ADMIN}
    auth = authenticator(load_auth(monkeypatch, tmp_path, "github", env))
    assert oauth_login(auth, FakeProvider(github), ADMIN)["admin"] is True


IDP_GROUPS = {"alice": ["nn-2026", "staff"], "bob": ["chemistry-2026"], "carol": None}


def idp(request):
    """An OpenID Connect provider's token and userinfo endpoints."""
    if request.method == "POST" and request.url == "https://idp.example.org/token":
        return 200, {"access_token": f"tok-{token_of(request)}", "token_type": "Bearer"}
    if request.url == "https://idp.example.org/userinfo":
        user = request.headers["Authorization"].split("tok-")[1]
        info = {"sub": f"id-{user}", "preferred_username": user}
        if IDP_GROUPS.get(user) is not None:
            info["groups"] = IDP_GROUPS[user]
        return 200, info
    raise AssertionError(f"unexpected request to the provider: {request.method} {request.url}")


def test_generic_oauth_member_of_an_allowed_group_gets_in(monkeypatch, tmp_path):
    c = load_auth(monkeypatch, tmp_path, "generic-oauth", SETTINGS["generic-oauth"])
    model = oauth_login(authenticator(c), FakeProvider(idp), "alice")
    assert model["name"] == "alice" and model["groups"] == ["nn-2026", "staff"]
    assert not model["admin"]


@pytest.mark.parametrize("user", ["bob", "carol"], ids=["other group", "no groups claim"])
def test_generic_oauth_outsider_is_refused(monkeypatch, tmp_path, user):
    c = load_auth(monkeypatch, tmp_path, "generic-oauth", SETTINGS["generic-oauth"])
    assert oauth_login(authenticator(c), FakeProvider(idp), user) is None


def test_generic_oauth_nested_groups_claim(monkeypatch, tmp_path):
    env = {**SETTINGS["generic-oauth"], "NNLIB_HUB_OAUTH_GROUPS_CLAIM": "realm_access.roles"}
    auth = authenticator(load_auth(monkeypatch, tmp_path, "generic-oauth", env))

    def keycloak(request):
        code, body = idp(request)
        if "groups" in (body or {}):
            body["realm_access"] = {"roles": body.pop("groups")}
        return code, body

    assert oauth_login(auth, FakeProvider(keycloak), "alice")["name"] == "alice"
    assert oauth_login(auth, FakeProvider(keycloak), "bob") is None


def test_generic_oauth_admin_outside_the_groups_gets_in(monkeypatch, tmp_path):
    env = {**SETTINGS["generic-oauth"], "NNLIB_HUB_ADMINS": ADMIN}
    auth = authenticator(load_auth(monkeypatch, tmp_path, "generic-oauth", env))
    assert oauth_login(auth, FakeProvider(idp), ADMIN)["admin"] is True


# LTI 1.3: the LMS is the gate. A launch counts only when the LMS's key signed it for this hub.


@pytest.fixture(scope="module")
def lms():
    """An LMS's signing key, with its public keyset served on 127.0.0.1 (JWKS_URL)."""
    jwt = need("jwt")
    rsa = need("cryptography.hazmat.primitives.asymmetric.rsa")
    key, forged = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in "12")
    jwk = {**jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": "lms-1"}
    body = json.dumps({"keys": [{**jwk, "alg": "RS256", "use": "sig"}]}).encode()

    class Keyset(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Keyset)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield {"key": key, "forged": forged, "url": f"http://127.0.0.1:{server.server_port}/jwks"}
    server.shutdown()


def launch(lms, key=None, **claims):
    """An LTI 1.3 resource link launch's id_token, as the LMS signs it."""
    jwt = need("jwt")
    lti = "https://purl.imsglobal.org/spec/lti/claim/"
    now = int(time.time())
    token = {
        "iss": "https://lms.example.edu",
        "aud": "10000000000042",
        "sub": "lms-user-17",
        "email": "Student@uni.example.edu",
        "iat": now,
        "exp": now + 300,
        "nonce": "n",
        lti + "version": "1.3.0",
        lti + "message_type": "LtiResourceLinkRequest",
        lti + "deployment_id": "1",
        lti + "target_link_uri": "https://hub.example.org/hub/home",
        lti + "resource_link": {"id": "lesson-01"},
        lti + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
        **claims,
    }
    return jwt.encode(token, key or lms["key"], algorithm="RS256", headers={"kid": "lms-1"})


def lti_login(monkeypatch, tmp_path, lms, encoded):
    """What LTI13CallbackHandler does with a launch (its own checks with the hub's settings),
    then the authenticator's login."""
    env = {**SETTINGS["lti13"], "NNLIB_HUB_LTI_JWKS_URL": lms["url"]}
    c = load_auth(monkeypatch, tmp_path, "lti13", env)
    auth = authenticator(c)
    validator = need("ltiauthenticator.lti13.validator").LTI13LaunchValidator(config=c)
    id_token = validator.verify_and_decode_jwt(
        encoded_jwt=encoded,
        issuer=auth.issuer,
        audience=auth.client_id,
        jwks_endpoint=auth.jwks_endpoint,
        jwks_algorithms=auth.jwks_algorithms,
    )
    validator.validate_id_token(id_token)
    validator.validate_azp_claim(id_token, auth.client_id)
    return asyncio.run(auth.get_authenticated_user(None, id_token))


def test_lti13_launch_signed_by_the_lms_logs_in(monkeypatch, tmp_path, lms):
    model = lti_login(monkeypatch, tmp_path, lms, launch(lms))
    assert model["name"] == "student@uni.example.edu" and not model["admin"]


@pytest.mark.parametrize(
    "change",
    [
        {"key": "forged"},
        {"aud": "another-tool"},
        {"iss": "https://other-lms.example.edu"},
        {"exp": int(time.time()) - 3600},
    ],
    ids=["forged signature", "another tool's launch", "another LMS", "expired"],
)
def test_lti13_launch_not_signed_for_this_hub_is_refused(monkeypatch, tmp_path, lms, change):
    error = need("ltiauthenticator.lti13.error")
    change = dict(change)
    key = lms[change.pop("key")] if "key" in change else None
    with pytest.raises((error.TokenError, error.InvalidAudienceError)):
        lti_login(monkeypatch, tmp_path, lms, launch(lms, key, **change))
