"""Shared fixtures for the compatibility tests: real SDKs (boto3, python-novaclient, openstacksdk) and command-line
tools (the AWS CLI, python-openstackclient) against `fleetplay serve`.

FLEETPLAY_URL points at a running server (`cargo xtask test compat` starts one; by hand:
`fleetplay serve --port 8080 --speed 0` and `FLEETPLAY_URL=http://127.0.0.1:8080 pytest compat/`).
Every test starts from a reset simulation with simulated time frozen, and moves time only through
`POST /_fleetplay/advance`, so nothing here sleeps. Clients that wait (waiters) have their sleeps turned into
simulated time by `simclock.py`.
"""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

URL = (os.environ.get("FLEETPLAY_URL") or "").rstrip("/")

# Dummy credentials: the simulator never checks signatures.
AWS = dict(region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG")


def control(method, path, body=None):
    """Calls the control API and returns the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(URL + path, data=data, method=method)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read() or b"null")


@pytest.fixture(scope="session")
def url():
    if not URL:
        pytest.skip("FLEETPLAY_URL is not set (start `fleetplay serve --speed 0` and point it there)")
    # Time moves only when a test says so, whatever --speed the server was started with.
    control("POST", "/_fleetplay/speed?value=0")
    return URL


@pytest.fixture(autouse=True)
def fresh(url):
    """Same scenario, same seed, T+0, before every test."""
    control("POST", "/_fleetplay/reset")
    yield


@pytest.fixture
def advance(url):
    def go(by):
        return control("POST", "/_fleetplay/advance?by=" + by)

    return go


def _boto(service, url):
    boto3 = pytest.importorskip("boto3")
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5, read_timeout=10)
    return boto3.client(service, endpoint_url=url, config=config, **AWS)


@pytest.fixture
def transfer(url):
    return _boto("transfer", url)


@pytest.fixture
def lightsail(url):
    return _boto("lightsail", url)


@pytest.fixture
def nova(url):
    """A factory: nova(token) is a python-novaclient Client on FLEETPLAY_URL/v2.1, no Keystone involved."""
    pytest.importorskip("novaclient")
    from keystoneauth1 import session
    from keystoneauth1.token_endpoint import Token
    from novaclient import client

    def make(token="member-token-aaaa1111", version="2.1"):
        auth = Token(endpoint=url + "/v2.1", token=token)
        return client.Client(version, session=session.Session(auth=auth))

    return make


@pytest.fixture
def nova_at(nova):
    """nova_at("2.73"): a python-novaclient Client for the member token at that microversion."""
    return lambda version, token="member-token-aaaa1111": nova(token, version)


def transcript():
    """The server's history since the last reset: one dict per exchange or event (`GET /_fleetplay/transcript`)."""
    with urllib.request.urlopen(URL + "/_fleetplay/transcript", timeout=10) as resp:
        return [json.loads(line) for line in resp.read().decode().splitlines() if line.strip()]


def exchanges(operation=None):
    """The exchanges of the transcript, optionally only those of one operation (`StopServer`, `os-stop` …)."""
    return [
        e for e in transcript() if e.get("type") != "event" and (operation is None or e.get("operation") == operation)
    ]


HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


class Ran:
    """What a command-line tool did: exit status, standard output and error."""

    def __init__(self, done):
        self.returncode = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr

    def json(self):
        return json.loads(self.stdout)

    def __repr__(self):
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def _tool_env(extra):
    """The environment without the caller's own cloud settings (AWS_*, OS_*), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "OS_"))}
    env.update(FLEETPLAY_URL=URL, PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def _run_tool(name, args, extra_env, simulated_sleep):
    """Runs the console script `name` of this venv; with `simulated_sleep`, its sleeps advance the simulation."""
    if not (BIN / name).is_file():
        pytest.skip(f"{name} is not installed in {BIN} (compat/requirements.txt installs it)")
    argv = [sys.executable, str(HERE / "simclock.py"), name] if simulated_sleep else [str(BIN / name)]
    done = subprocess.run(
        argv + list(args), capture_output=True, text=True, timeout=120, env=_tool_env(extra_env), cwd=HERE
    )
    return Ran(done)


@pytest.fixture
def aws(url, tmp_path):
    """aws(*args, wait=False): the AWS CLI (v1) against the simulator, with dummy credentials and no config files."""
    env = {
        "AWS_ACCESS_KEY_ID": AWS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": AWS["aws_secret_access_key"],
        "AWS_DEFAULT_REGION": AWS["region_name"],
        "AWS_CONFIG_FILE": str(tmp_path / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "aws-credentials"),
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
        "AWS_EC2_METADATA_DISABLED": "true",
    }

    def run(*args, wait=False):
        return _run_tool("aws", ["--endpoint-url", url, *args], env, wait)

    return run


@pytest.fixture
def openstack(url, tmp_path):
    """openstack(*args, token=...): python-openstackclient with `admin_token` auth on FLEETPLAY_URL/v2.1."""
    env = {"HOME": str(tmp_path), "OS_CLIENT_CONFIG_FILE": str(tmp_path / "clouds.yaml")}

    def run(*args, token="member-token-aaaa1111", wait=False):
        auth = ["--os-auth-type", "admin_token", "--os-endpoint", url + "/v2.1", "--os-token", token]
        return _run_tool("openstack", [*auth, *args], env, wait)

    return run
