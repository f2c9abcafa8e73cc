"""OpenStack Nova through python-novaclient (keystoneauth1 token endpoint, no Keystone server): get, os-stop,
conflicts, locks (lock, unlock, the reason from microversion 2.73, unlock_override), policy and
authentication."""

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


def nova_version(client, version):
    """The same client's session at another microversion."""
    from novaclient import client as novaclient

    return novaclient.Client(version, session=client.client.session)


def test_lock_and_unlock(nova, exc):
    client = nova()
    # novaclient returns the (empty) body with the request ids; a non-2xx answer would have raised.
    locked = client.servers.lock(A)
    assert locked.request_ids and locked.request_ids[0].startswith("req-")
    assert nova_version(client, "2.9").servers.get(A).locked is True
    with pytest.raises(exc.Conflict):
        client.servers.stop(A)
    client.servers.unlock(A)
    client.servers.unlock(A)  # unlocking an unlocked server is fine too
    assert client.servers.stop(A)[0].status_code == 202


def test_the_reason_shows_from_2_73(nova_at):
    client = nova_at("2.73")
    client.servers.lock(A, reason="I don't want to work")
    server = client.servers.get(A)
    assert (server.locked, server.locked_reason) == (True, "I don't want to work")
    # Before 2.73 the field is not there at all; before 2.9 neither is `locked`.
    assert not hasattr(nova_at("2.72").servers.get(A), "locked_reason")
    assert not hasattr(nova_at("2.8").servers.get(A), "locked")


def test_an_admins_lock_needs_unlock_override(nova, exc):
    # D was locked by an admin (locked_by admin): its project's member may not lift it.
    with pytest.raises(exc.Forbidden) as info:
        nova().servers.unlock(D)
    assert "os_compute_api:os-lock-server:unlock:unlock_override" in str(info.value)
    nova("admin-token-aaaa1111").servers.unlock(D)
    assert nova().servers.stop(D)[0].status_code == 202
