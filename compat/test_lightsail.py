"""Amazon Lightsail through boto3: StopInstance, GetOperation, GetInstanceState and errors."""

import datetime

import pytest
from botocore.exceptions import ClientError


def test_stop_instance_returns_a_started_operation(lightsail):
    resp = lightsail.stop_instance(instanceName="WordPress-1")
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    [op] = resp["operations"]
    assert op["operationType"] == "StopInstance"
    assert op["status"] == "Started"
    assert op["isTerminal"] is False
    assert op["resourceName"] == "WordPress-1"
    assert op["resourceType"] == "Instance"
    assert op["location"]["regionName"] == "us-west-2"
    # Epoch-second timestamps are parsed by botocore into datetimes.
    assert isinstance(op["createdAt"], datetime.datetime)


def test_get_operation_follows_the_stop(lightsail, advance):
    op_id = lightsail.stop_instance(instanceName="WordPress-1")["operations"][0]["id"]
    op = lightsail.get_operation(operationId=op_id)["operation"]
    assert op["id"] == op_id
    assert op["status"] == "Started"
    advance("10m")
    op = lightsail.get_operation(operationId=op_id)["operation"]
    assert op["status"] == "Succeeded"
    assert op["isTerminal"] is True


def test_instance_state_goes_stopping_then_stopped(lightsail, advance):
    assert lightsail.get_instance_state(instanceName="WordPress-1")["state"] == {"code": 16, "name": "running"}
    lightsail.stop_instance(instanceName="WordPress-1")
    assert lightsail.get_instance_state(instanceName="WordPress-1")["state"]["name"] == "stopping"
    advance("10m")
    assert lightsail.get_instance_state(instanceName="WordPress-1")["state"] == {"code": 80, "name": "stopped"}


def test_unknown_instance_is_not_found(lightsail):
    with pytest.raises(ClientError) as info:
        lightsail.stop_instance(instanceName="Nope-1")
    assert info.value.response["Error"]["Code"] == "NotFoundException"
    assert isinstance(info.value, lightsail.exceptions.NotFoundException)


def test_stopping_a_stopped_instance_is_invalid_input(lightsail):
    with pytest.raises(ClientError) as info:
        lightsail.stop_instance(instanceName="Stopped-1")
    assert info.value.response["Error"]["Code"] == "InvalidInputException"


def test_stopping_twice_after_completion_is_invalid_input(lightsail, advance):
    lightsail.stop_instance(instanceName="WordPress-1")
    advance("10m")
    with pytest.raises(ClientError) as info:
        lightsail.stop_instance(instanceName="WordPress-1")
    assert info.value.response["Error"]["Code"] == "InvalidInputException"
