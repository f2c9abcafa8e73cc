"""The SDKs' own waiters against `fleetplay serve`: boto3's Transfer Family `server_offline` / `server_online`
and openstacksdk's `wait_for_server`, each left to poll and sleep as it does against the real service.

Their sleeps advance the simulated clock (simclock.py), so each waiter sees the states the simulation goes
through in the order and at the (simulated) times a real run would, and the test finishes in well under a
second of wall-clock time.
"""

import pytest
from conftest import exchanges
from simclock import simulated_sleep

ONLINE = "s-0123456789abcdef0"
FAILS_TO_STOP = "s-0000000000000000c"
A = "a0000000-0000-4000-8000-00000000000a"  # active
C = "c0000000-0000-4000-8000-00000000000c"  # error, with a host: os-stop is allowed


def test_boto3_server_offline_then_online(transfer, url):
    transfer.stop_server(ServerId=ONLINE)
    with simulated_sleep(url) as slept:
        transfer.get_waiter("server_offline").wait(ServerId=ONLINE)
    # The model's delay: 30 s between polls, as many polls as the stop took.
    assert slept and set(slept) == {30}, slept
    polls = exchanges("DescribeServer")
    assert len(polls) == len(slept) + 1
    assert transfer.describe_server(ServerId=ONLINE)["Server"]["State"] == "OFFLINE"

    transfer.start_server(ServerId=ONLINE)
    with simulated_sleep(url) as slept:
        transfer.get_waiter("server_online").wait(ServerId=ONLINE, WaiterConfig={"Delay": 5})
    assert slept and set(slept) == {5}, slept
    assert transfer.describe_server(ServerId=ONLINE)["Server"]["State"] == "ONLINE"


def test_boto3_server_offline_stops_at_stop_failed(transfer, url):
    from botocore.exceptions import WaiterError

    transfer.stop_server(ServerId=FAILS_TO_STOP)
    with simulated_sleep(url), pytest.raises(WaiterError) as info:
        transfer.get_waiter("server_offline").wait(ServerId=FAILS_TO_STOP)
    assert "terminal failure state" in str(info.value)
    assert info.value.last_response["Server"]["State"] == "STOP_FAILED"


def test_boto3_waiter_gives_up_after_its_attempts(transfer, url):
    # Nothing stops this server, so it stays ONLINE however long the waiter polls.
    from botocore.exceptions import WaiterError

    with simulated_sleep(url) as slept, pytest.raises(WaiterError) as info:
        transfer.get_waiter("server_offline").wait(ServerId=ONLINE, WaiterConfig={"MaxAttempts": 3})
    assert "Max attempts exceeded" in str(info.value)
    assert len(slept) == 2


@pytest.fixture
def sdk(url):
    openstack = pytest.importorskip("openstack")
    conn = openstack.connect(
        auth_type="admin_token",
        auth={"endpoint": url + "/v2.1", "token": "member-token-aaaa1111"},
        load_yaml_config=False,
        load_envvars=False,
    )
    yield conn
    conn.close()


def test_openstacksdk_wait_for_server_shutoff_then_active(sdk, url):
    sdk.compute.stop_server(A)
    server = sdk.compute.get_server(A)
    assert (server.status, server.task_state) == ("ACTIVE", "powering-off")
    with simulated_sleep(url) as slept:
        server = sdk.compute.wait_for_server(server, status="SHUTOFF", interval=2, wait=120)
    assert server.status == "SHUTOFF"
    assert server.task_state is None
    assert slept and set(slept) == {2.0}, slept

    sdk.compute.start_server(A)
    with simulated_sleep(url) as slept:
        server = sdk.compute.wait_for_server(sdk.compute.get_server(A), status="ACTIVE", interval=2, wait=120)
    # While powering on the server still shows SHUTOFF, so the waiter had to poll.
    assert slept, "the server was ACTIVE at once; the waiter never waited"
    assert (server.status, server.power_state) == ("ACTIVE", 1)


def test_openstacksdk_wait_for_server_sees_error_as_failure(sdk, url):
    from openstack import exceptions

    # Stopping an ERROR server is allowed, and it shows ERROR until it is off: openstacksdk's default
    # failures (["ERROR"]) give up at the first poll, an empty list waits for SHUTOFF.
    sdk.compute.stop_server(C)
    with simulated_sleep(url), pytest.raises(exceptions.ResourceFailure):
        sdk.compute.wait_for_server(sdk.compute.get_server(C), status="SHUTOFF", interval=2, wait=120)
    with simulated_sleep(url):
        server = sdk.compute.wait_for_server(
            sdk.compute.get_server(C), status="SHUTOFF", failures=[], interval=2, wait=120
        )
    assert server.status == "SHUTOFF"
