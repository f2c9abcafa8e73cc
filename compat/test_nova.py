"""OpenStack Nova through python-novaclient (keystoneauth1 token endpoint, no Keystone server): get, os-stop,
conflicts, locks, policy and authentication."""

import pytest

A = "a0000000-0000-4000-8000-00000000000a"  # active, unlocked
B = "b0000000-0000-4000-8000-00000000000b"  # stopped
D = "d0000000-0000-4000-8000-00000000000d"  # active, locked
Z = "ffffffff-0000-4000-8000-0000000000ff"  # never existed


@pytest.fixture
def exc():
    from novaclient import exceptions

    return exceptions


def test_get_server(nova):
    server = nova().servers.get(A)
    assert server.id == A
    assert server.status == "ACTIVE"


def test_stop_is_202_then_shutoff(nova, advance):
    client = nova()
    resp, body = client.servers.stop(A)
    assert resp.status_code == 202
    assert not body
    assert resp.headers.get("x-openstack-request-id", "").startswith("req-")
    server = client.servers.get(A)
    assert server.status == "ACTIVE"
    assert getattr(server, "OS-EXT-STS:task_state") == "powering-off"
    advance("10m")
    server = client.servers.get(A)
    assert server.status == "SHUTOFF"
    assert getattr(server, "OS-EXT-STS:vm_state") == "stopped"


def test_second_stop_conflicts(nova, exc, advance):
    client = nova()
    client.servers.stop(A)
    with pytest.raises(exc.Conflict) as info:
        client.servers.stop(A)
    assert "powering-off" in str(info.value)
    advance("10m")
    with pytest.raises(exc.Conflict) as info:
        client.servers.stop(A)
    assert "vm_state stopped" in str(info.value)


def test_stopping_a_shutoff_server_conflicts(nova, exc):
    with pytest.raises(exc.Conflict):
        nova().servers.stop(B)


def test_locked_server_needs_an_admin(nova, exc):
    with pytest.raises(exc.Conflict) as info:
        nova("member-token-aaaa1111").servers.stop(D)
    assert "is locked" in str(info.value)
    resp, _ = nova("admin-token-aaaa1111").servers.stop(D)
    assert resp.status_code == 202


def test_reader_is_forbidden(nova, exc):
    with pytest.raises(exc.Forbidden):
        nova("reader-token-aaaa1111").servers.stop(A)


def test_unknown_server_is_not_found(nova, exc):
    with pytest.raises(exc.NotFound):
        nova().servers.get(Z)


def test_bad_token_is_unauthorized(nova, exc):
    with pytest.raises(exc.Unauthorized):
        nova("not-a-token").servers.get(A)
