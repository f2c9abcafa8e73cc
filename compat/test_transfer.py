"""AWS Transfer Family through boto3: StopServer, StartServer, DescribeServer, ListServers and errors."""

import pytest
from botocore.exceptions import ClientError

ONLINE = "s-0123456789abcdef0"
DOC_SAMPLE = "s-01234567890abcdef"
STARTING = "s-0000000000000000b"


def state(transfer, server_id):
    return transfer.describe_server(ServerId=server_id)["Server"]["State"]


def test_stop_server_succeeds_with_no_output(transfer):
    resp = transfer.stop_server(ServerId=ONLINE)
    meta = resp["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 200
    assert meta["RequestId"]
    # No modeled output: boto3 returns only the metadata.
    assert set(resp) == {"ResponseMetadata"}


def test_the_doc_sample_id_works(transfer):
    transfer.stop_server(ServerId=DOC_SAMPLE)
    assert state(transfer, DOC_SAMPLE) == "STOPPING"


def test_stopping_then_offline_after_time_passes(transfer, advance):
    assert state(transfer, ONLINE) == "ONLINE"
    transfer.stop_server(ServerId=ONLINE)
    assert state(transfer, ONLINE) == "STOPPING"
    advance("10m")
    assert state(transfer, ONLINE) == "OFFLINE"
    # The SDK's own waiter agrees (its first poll already sees OFFLINE, so it does not sleep).
    transfer.get_waiter("server_offline").wait(ServerId=ONLINE, WaiterConfig={"Delay": 1, "MaxAttempts": 1})


def test_start_server_goes_back_online(transfer, advance):
    transfer.stop_server(ServerId=ONLINE)
    advance("10m")
    transfer.start_server(ServerId=ONLINE)
    assert state(transfer, ONLINE) == "STARTING"
    advance("10m")
    assert state(transfer, ONLINE) == "ONLINE"


def test_list_servers_shows_the_fleet(transfer):
    servers = {s["ServerId"]: s["State"] for s in transfer.list_servers()["Servers"]}
    assert servers[ONLINE] == "ONLINE"
    assert servers[STARTING] == "STARTING"


def test_unknown_server_is_resource_not_found(transfer):
    with pytest.raises(ClientError) as info:
        transfer.stop_server(ServerId="s-fffffffffffffffff")
    err = info.value.response
    assert err["Error"]["Code"] == "ResourceNotFoundException"
    assert err["ResponseMetadata"]["RequestId"]
    # botocore also maps it to the modeled exception class.
    assert isinstance(info.value, transfer.exceptions.ResourceNotFoundException)


def test_pattern_violation_reaches_the_server(transfer):
    # botocore checks only the minimum length, so the server must reject the uppercase hex itself.
    with pytest.raises(ClientError) as info:
        transfer.stop_server(ServerId="s-0123456789ABCDEF0")
    assert info.value.response["Error"]["Code"] == "ValidationException"


def test_stop_while_starting_is_invalid_request(transfer):
    with pytest.raises(ClientError) as info:
        transfer.stop_server(ServerId=STARTING)
    assert info.value.response["Error"]["Code"] == "InvalidRequestException"
