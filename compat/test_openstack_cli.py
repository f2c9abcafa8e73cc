"""python-openstackclient (the `openstack` command) driving `fleetplay serve`: `server stop` by id and by
name, `server show` following the stop to SHUTOFF, and Nova's refusals as the CLI prints them.

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
