"""Tempest's lock–stop–unlock flow (`tempest.api.compute.servers.test_server_actions.ServerActionsTestJSON.
test_lock_unlock_server`, read at tempest fa340b1) against `fleetplay serve`, written out here rather than run
through tempest itself (which needs a whole cloud configuration).

What tempest does, and so what this does:

- its servers client posts each action as ``json.dumps({action: kwargs})``: ``{"lock": {}}``, ``{"os-stop": {}}``,
  ``{"unlock": {}}``, ``{"os-start": {}}`` (an empty object, not null), with ``Content-Type`` and ``Accept``
  ``application/json`` and no microversion header (the test asks for none), and expects exactly 202;
- its rest client's error checker accepts an error answer only with a JSON (or plain-text) Content-Type,
  compared in lowercase, and maps 409 to ``Conflict``;
- ``show_server`` expects 200 and the members its v2.1 response schema requires;
- ``waiters.wait_for_server_status`` polls ``GET /servers/{id}`` every ``build_interval`` (1 s) until the
  status is the target **and** ``OS-EXT-STS:task_state`` is null, giving up after ``build_timeout`` (300 s).

The flow: wait ACTIVE, lock (cleanup: unlock), a reader sees ACTIVE, stop → Conflict, unlock, stop, wait
SHUTOFF, start, wait ACTIVE; then the cleanup unlock of an unlocked server must succeed.
"""

import json
import time

import pytest
from simclock import simulated_sleep

A = "a0000000-0000-4000-8000-00000000000a"
PRIMARY = "member-token-aaaa1111"
READER = "reader-token-aaaa1111"

BUILD_INTERVAL = 1
BUILD_TIMEOUT = 300

JSON_ENC = ["application/json", "application/json; charset=utf-8", "application/json;charset=utf-8"]
TXT_ENC = [
    "text/plain",
    "text/html",
    "text/html; charset=utf-8",
    "text/plain; charset=utf-8",
    "text/html;charset=utf-8",
    "text/plain;charset=utf-8",
]
# The members tempest's v2.1 `get_server` schema requires of a server.
SHOW_SERVER_REQUIRED = [
    "id", "name", "status", "image", "flavor", "user_id", "tenant_id", "created", "updated", "metadata",
    "links", "addresses", "hostId",
]  # fmt: skip


class UnexpectedContentType(Exception):
    pass


class Conflict(Exception):
    pass


class UnexpectedResponseCode(Exception):
    pass


class TimeoutException(Exception):
    pass


class ServersClient:
    """The parts of tempest's ServersClient (and its RestClient) this flow uses."""

    def __init__(self, url, token):
        import urllib3

        self.base = url + "/v2.1"
        self.token = token
        self.http = urllib3.PoolManager()

    def request(self, method, path, body=None):
        headers = {"Content-Type": "application/json", "Accept": "application/json", "X-Auth-Token": self.token}
        resp = self.http.request(method, f"{self.base}/{path}", body=body, headers=headers, retries=False)
        self.error_checker(resp)
        return resp

    def error_checker(self, resp):
        if resp.status < 400:
            return
        ctype = resp.headers.get("content-type", "application/json")
        if ctype.lower() not in JSON_ENC + TXT_ENC:
            raise UnexpectedContentType(f"{resp.status} {ctype!r}")
        if resp.status == 409:
            raise Conflict(json.loads(resp.data))
        raise UnexpectedResponseCode(f"{resp.status} {resp.data!r}")

    def action(self, server_id, action_name, **kwargs):
        resp = self.request("POST", f"servers/{server_id}/action", json.dumps({action_name: kwargs}))
        if resp.status != 202:
            raise UnexpectedResponseCode(f"{action_name}: {resp.status}, expected 202")
        assert resp.data == b"", resp.data

    def lock_server(self, server_id):
        self.action(server_id, "lock")

    def unlock_server(self, server_id):
        self.action(server_id, "unlock")

    def stop_server(self, server_id):
        self.action(server_id, "os-stop")

    def start_server(self, server_id):
        self.action(server_id, "os-start")

    def show_server(self, server_id):
        resp = self.request("GET", f"servers/{server_id}")
        if resp.status != 200:
            raise UnexpectedResponseCode(f"show_server: {resp.status}, expected 200")
        server = json.loads(resp.data)["server"]
        missing = [k for k in SHOW_SERVER_REQUIRED if k not in server]
        assert not missing, f"tempest's get_server schema requires {missing}"
        return server


def wait_for_server_status(client, server_id, status):
    """tempest.common.waiters.wait_for_server_status with ready_wait: status reached and no task running."""
    body = client.show_server(server_id)
    waited = 0
    while True:
        if body["status"] == status and body.get("OS-EXT-STS:task_state") is None:
            return body
        time.sleep(BUILD_INTERVAL)
        waited += BUILD_INTERVAL
        body = client.show_server(server_id)
        if body["status"] == "ERROR":
            raise AssertionError(f"server {server_id} went to ERROR")
        if waited >= BUILD_TIMEOUT:
            raise TimeoutException(
                f"Server {server_id} failed to reach {status} status and task state \"None\" within the required "
                f"time ({BUILD_TIMEOUT} s). Current status: {body['status']}. Current task state: "
                f"{body.get('OS-EXT-STS:task_state')}."
            )


def test_lock_unlock_server(url):
    servers = ServersClient(url, PRIMARY)
    reader = ServersClient(url, READER)
    with simulated_sleep(url) as slept:
        wait_for_server_status(servers, A, "ACTIVE")

        servers.lock_server(A)
        try:
            assert reader.show_server(A)["status"] == "ACTIVE"
            # A locked server is not allowed to be stopped by a non-admin user.
            with pytest.raises(Conflict) as info:
                servers.stop_server(A)
            assert info.value.args[0] == {
                "conflictingRequest": {"code": 409, "message": f"Instance {A} is locked"}
            }
            servers.unlock_server(A)
            servers.stop_server(A)
            shutoff = wait_for_server_status(servers, A, "SHUTOFF")
            stopped_after = sum(slept)
            servers.start_server(A)
            active = wait_for_server_status(servers, A, "ACTIVE")
        finally:
            # tempest's addCleanup: unlocking a server that is no longer locked must succeed too.
            servers.unlock_server(A)
    assert (shutoff["status"], shutoff["OS-EXT-STS:vm_state"]) == ("SHUTOFF", "stopped")
    assert (active["status"], active["OS-EXT-STS:vm_state"]) == ("ACTIVE", "active")
    # Each wait had to poll (the stop and the start take simulated time), one second at a time.
    assert stopped_after > 0 and sum(slept) > stopped_after, slept
    assert set(slept) == {BUILD_INTERVAL}


def test_the_waiter_waits_for_the_task_to_clear(url, advance):
    # SHUTOFF with a task still running is not "reached" for tempest: os-start leaves the status SHUTOFF
    # while powering on, so a waiter for SHUTOFF must not return then, and one for ACTIVE must keep polling.
    servers = ServersClient(url, PRIMARY)
    servers.stop_server(A)
    advance("10m")
    servers.start_server(A)
    body = servers.show_server(A)
    assert (body["status"], body["OS-EXT-STS:task_state"]) == ("SHUTOFF", "powering-on")
    with simulated_sleep(url) as slept:
        active = wait_for_server_status(servers, A, "ACTIVE")
    assert slept, "the start finished at once"
    assert active["OS-EXT-STS:task_state"] is None


def test_errors_carry_a_json_content_type(url):
    # Every Nova fault the flow can meet is JSON, so tempest's error checker parses it rather than raising
    # UnexpectedContentType.
    servers = ServersClient(url, PRIMARY)
    servers.lock_server(A)
    with pytest.raises(Conflict):
        servers.stop_server(A)
    with pytest.raises(UnexpectedResponseCode) as info:
        ServersClient(url, READER).lock_server(A)
    assert info.value.args[0].startswith("403")
    servers.unlock_server(A)
