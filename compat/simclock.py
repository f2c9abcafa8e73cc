"""Simulated time for clients that wait: every `time.sleep(s)` a client makes moves the simulator's clock
forward by `s` instead of blocking.

Waiters poll, sleep, and poll again (botocore's ServerOffline waiter sleeps 30 s between DescribeServer
calls, openstacksdk's wait_for_server 2 s, tempest's waiter 1 s). Against `fleetplay serve` with time
frozen (`--speed 0`), letting such a sleep advance the simulation by the same amount gives the waiter
exactly the answers it would see against the real service, poll for poll, without the wall-clock wait.

Two ways to use it:

- in the test process: ``with simulated_sleep(url) as slept: waiter.wait(...)``; ``slept`` lists the
  seconds the client asked to sleep;
- around a command-line tool: ``python compat/simclock.py aws transfer wait server-offline ...`` runs the
  console script installed next to this Python (the venv's ``bin/aws``) unchanged, with its sleeps moving
  the clock of the server named by FLEETPLAY_URL.

Only `time.sleep` is replaced: the clients' own timeouts keep reading the real clock, so a waiter that
never sees its state still gives up after its real timeout (or, for botocore, its attempt count).
"""

import contextlib
import json
import os
import runpy
import sys
import time
import urllib.request
from pathlib import Path


def advance(url, seconds):
    """Moves the simulated clock of the server at `url` forward by `seconds` (rounded to milliseconds)."""
    ms = max(0, round(seconds * 1000))
    req = urllib.request.Request(
        url.rstrip("/") + "/_fleetplay/advance",
        data=json.dumps({"ms": ms}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()


def install(url):
    """Replaces `time.sleep` for the whole process; returns the list the sleeps are recorded in."""
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        advance(url, seconds)

    time.sleep = sleep
    return slept


@contextlib.contextmanager
def simulated_sleep(url):
    """`time.sleep` advances the simulation while the block runs; yields the list of requested sleeps."""
    real = time.sleep
    try:
        yield install(url)
    finally:
        time.sleep = real


def run_console_script(name, args):
    """Runs the console script `name` installed next to this Python as if it were started directly."""
    script = Path(sys.executable).parent / name
    if not script.is_file():
        raise SystemExit(f"simclock: no {name} next to {sys.executable}")
    sys.argv = [str(script), *args]
    runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit("usage: python simclock.py COMMAND [ARGS...]   (FLEETPLAY_URL names the server)")
    server = os.environ.get("FLEETPLAY_URL")
    if not server:
        raise SystemExit("simclock: FLEETPLAY_URL is not set")
    install(server)
    run_console_script(sys.argv[1], sys.argv[2:])
