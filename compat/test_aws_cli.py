"""The AWS CLI (v1, the `aws` command from PyPI) driving `fleetplay serve`: Transfer Family's stop-server and
its `wait server-offline` waiter, Lightsail's stop-instance followed through get-operation, and the errors
the CLI prints.

Each command runs as its own process, exactly as a user would type it (plus `--endpoint-url`). The waiter's
30-second sleeps between DescribeServer polls move the simulated clock instead of the wall clock
(simclock.py), so the transcript shows when each poll happened in simulated time.
"""

from conftest import exchanges

ONLINE = "s-0123456789abcdef0"
FAILS_TO_STOP = "s-0000000000000000c"  # the scenario's stop_fails server: STOPPING → STOP_FAILED


def states_seen(operation):
    """(simulated ms, Server.State answered) for every call of `operation` since the reset."""
    import json

    return [(e["at"], json.loads(e["body"])["Server"]["State"]) for e in exchanges(operation) if e["status"] == 200]


def test_stop_server_prints_nothing_and_the_server_is_stopping(aws):
    ran = aws("transfer", "stop-server", "--server-id", ONLINE)
    assert ran.returncode == 0, ran
    # StopServer has no modeled output: the CLI prints nothing at all.
    assert ran.stdout == "", ran
    ran = aws("transfer", "describe-server", "--server-id", ONLINE, "--query", "Server.State", "--output", "text")
    assert ran.stdout.strip() == "STOPPING", ran


def test_wait_server_offline_polls_every_30_simulated_seconds(aws):
    assert aws("transfer", "stop-server", "--server-id", ONLINE).returncode == 0
    ran = aws("transfer", "wait", "server-offline", "--server-id", ONLINE, wait=True)
    assert ran.returncode == 0, ran
    polls = states_seen("DescribeServer")
    # The waiter polled while the server was STOPPING, 30 s apart, and stopped at the first OFFLINE.
    assert len(polls) >= 2, polls
    assert [state for _, state in polls[:-1]] == ["STOPPING"] * (len(polls) - 1), polls
    assert polls[-1][1] == "OFFLINE", polls
    times = [at for at, _ in polls]
    assert all(b - a == 30_000 for a, b in zip(times, times[1:])), times
    ran = aws("transfer", "describe-server", "--server-id", ONLINE, "--query", "Server.State", "--output", "text")
    assert ran.stdout.strip() == "OFFLINE", ran


def test_wait_server_offline_fails_on_stop_failed(aws):
    assert aws("transfer", "stop-server", "--server-id", FAILS_TO_STOP).returncode == 0
    ran = aws("transfer", "wait", "server-offline", "--server-id", FAILS_TO_STOP, wait=True)
    assert ran.returncode != 0, ran
    assert "Waiter ServerOffline failed" in ran.stderr, ran
    assert "terminal failure state" in ran.stderr, ran
    assert states_seen("DescribeServer")[-1][1] == "STOP_FAILED"


def test_stop_server_errors_are_printed_with_their_code(aws):
    ran = aws("transfer", "stop-server", "--server-id", "s-fffffffffffffffff")
    assert ran.returncode != 0, ran
    assert "(ResourceNotFoundException) when calling the StopServer operation" in ran.stderr, ran
    # The CLI checks only the length; the pattern is the server's to enforce.
    ran = aws("transfer", "stop-server", "--server-id", "s-0123456789ABCDEF0")
    assert "(ValidationException) when calling the StopServer operation" in ran.stderr, ran


def test_lightsail_stop_instance_then_the_operation_succeeds(aws, advance):
    ran = aws("lightsail", "stop-instance", "--instance-name", "WordPress-1")
    assert ran.returncode == 0, ran
    [op] = ran.json()["operations"]
    assert (op["operationType"], op["status"], op["resourceName"]) == ("StopInstance", "Started", "WordPress-1")
    state = aws("lightsail", "get-instance-state", "--instance-name", "WordPress-1").json()["state"]
    assert state == {"code": 64, "name": "stopping"}
    advance("10m")
    done = aws("lightsail", "get-operation", "--operation-id", op["id"]).json()["operation"]
    assert (done["status"], done["isTerminal"]) == ("Succeeded", True)
    state = aws("lightsail", "get-instance-state", "--instance-name", "WordPress-1").json()["state"]
    assert state == {"code": 80, "name": "stopped"}


def test_lightsail_stop_of_a_stopped_instance_is_an_error(aws):
    ran = aws("lightsail", "stop-instance", "--instance-name", "Stopped-1")
    assert ran.returncode != 0, ran
    assert "(InvalidInputException) when calling the StopInstance operation" in ran.stderr, ran
