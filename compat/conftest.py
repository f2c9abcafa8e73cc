"""Shared fixtures for the compatibility tests: real SDKs (boto3, python-novaclient) against `fleetplay serve`.

FLEETPLAY_URL points at a running server (`cargo xtask test compat` starts one; by hand:
`fleetplay serve --port 8080 --speed 0` and `FLEETPLAY_URL=http://127.0.0.1:8080 pytest compat/`).
Every test starts from a reset simulation with simulated time frozen, and moves time only through
`POST /_fleetplay/advance`, so nothing here sleeps.
"""

import json
import os
import urllib.request

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

    def make(token="member-token-aaaa1111"):
        auth = Token(endpoint=url + "/v2.1", token=token)
        return client.Client("2.1", session=session.Session(auth=auth))

    return make
