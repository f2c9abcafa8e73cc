"""python-openstackclient (the `openstack` command) driving `fleetplay serve`: `server stop` by id and by
name, `server show` following the stop to SHUTOFF, Nova's refusals as the CLI prints them, and
`server lock` / `server unlock` (with `--reason`, and the `unlock_override` rule; spec §3.7).

The CLI authenticates with keystoneauth's `admin_token` plugin (the token and endpoint as given, no Keystone),
reads the compute version document, picks its microversion, looks the server up and only then acts, as
against a real cloud. Each command is its own process, as a user would run it.
"""

A = "a0000000-0000-4000-8000-00000000000a"  # active, unlocked
B = "b0000000-0000-4000-8000-00000000000b"  # stopped
D = "d0000000-0000-4000-8000-00000000000d"  # active, locked


def show(openstack, server, **kw):
    ran = openstack("server", "show", server, "-f", "json", **kw)
    assert ran.returncode == 0, ran
    return ran.json()


def test_server_stop_then_show_until_shutoff(openstack, advance):
    ran = openstack("server", "stop", A)
    assert ran.returncode == 0, ran
    assert ran.stdout == "", ran
    server = show(openstack, A)
    assert (server["status"], server["OS-EXT-STS:task_state"]) == ("ACTIVE", "powering-off")
    advance("10m")
    server = show(openstack, A)
    assert (server["status"], server["OS-EXT-STS:task_state"]) == ("SHUTOFF", None)
    assert server["OS-EXT-STS:vm_state"] == "stopped"


def test_server_stop_by_name(openstack, advance):
    assert openstack("server", "stop", "A-active").returncode == 0
    advance("10m")
    assert show(openstack, A)["status"] == "SHUTOFF"


def test_refusals_carry_novas_message(openstack):
    ran = openstack("server", "stop", B)
    assert ran.returncode == 1, ran
    assert "ConflictException: 409" in ran.stderr, ran
    assert f"Cannot 'stop' instance {B} while it is in vm_state stopped" in ran.stderr, ran
    ran = openstack("server", "stop", D)
    assert ran.returncode == 1, ran
    assert f"Instance {D} is locked" in ran.stderr, ran


OVERRIDE = "Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed."


def test_lock_refuses_stop_until_unlocked(openstack, advance):
    """Tempest's flow with the CLI: lock, stop refused (409), unlock, stop, SHUTOFF."""
    assert openstack("server", "lock", A).returncode == 0
    server = show(openstack, A)
    assert (server["locked"], server["locked_reason"], server["status"]) == (True, None, "ACTIVE")
    ran = openstack("server", "stop", A)
    assert ran.returncode == 1, ran
    assert "ConflictException: 409" in ran.stderr and f"Instance {A} is locked" in ran.stderr, ran
    assert show(openstack, A)["status"] == "ACTIVE"
    assert openstack("server", "unlock", A).returncode == 0
    assert show(openstack, A)["locked"] is False
    assert openstack("server", "stop", A).returncode == 0
    advance("10m")
    server = show(openstack, A)
    assert (server["status"], server["OS-EXT-STS:task_state"]) == ("SHUTOFF", None)


def test_lock_with_a_reason(openstack):
    ran = openstack("--os-compute-api-version", "2.73", "server", "lock", "--reason", "disk check", A)
    assert ran.returncode == 0, ran
    assert show(openstack, A)["locked_reason"] == "disk check"


def test_a_lock_from_outside_the_project_needs_an_admin_to_lift(openstack):
    assert openstack("server", "lock", A, token="admin-token-bbbb2222").returncode == 0
    ran = openstack("server", "unlock", A)
    assert ran.returncode == 1, ran
    assert OVERRIDE in ran.stderr, ran
    assert openstack("server", "unlock", A, token="admin-token-bbbb2222").returncode == 0
