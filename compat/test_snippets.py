"""The Python snippets the playground shows (boto3, python-novaclient, openstacksdk) run against `fleetplay serve`
and get the answer the simulator gives for the same raw request.

For every request below, the Rust side (`cargo run -p fleetplay-sim --example snippets`, or the command in
FLEETPLAY_SNIPPETS) prints the snippets pointed at FLEETPLAY_URL together with what a fresh simulation of the
built-in scenario answers at T+0. Each snippet is then executed as written, after `POST /_fleetplay/reset` with
simulated time frozen, and its outcome is compared with that answer: success for a 2xx answer; otherwise the
HTTP status and the error type (boto3's Error.Code is the __type) or the error message (the OpenStack clients
raise exceptions carrying Nova's message).

Self-contained on purpose: it needs only FLEETPLAY_URL, a server started from the built-in scenario, cargo,
and the SDKs (a snippet whose SDK is not installed is skipped).
"""

import contextlib
import io
import json
import os
import shlex
import subprocess
import urllib.request
from pathlib import Path

import pytest

URL = (os.environ.get("FLEETPLAY_URL") or "").rstrip("/")
ROOT = Path(__file__).resolve().parent.parent

A = "a0000000-0000-4000-8000-00000000000a"  # active
B = "b0000000-0000-4000-8000-00000000000b"  # stopped
D = "d0000000-0000-4000-8000-00000000000d"  # active, locked
J = "90000000-0000-4000-8000-000000000009"  # another project's
Z = "ffffffff-0000-4000-8000-0000000000ff"  # never existed
MEMBER = "member-token-aaaa1111"


def aws(target, body):
    return {
        "method": "POST",
        "target": "/",
        "headers": [["Content-Type", "application/x-amz-json-1.1"], ["X-Amz-Target", target]],
        "body": json.dumps(body),
    }


def nova(method, path, token=MEMBER, body=None, headers=()):
    h = [["X-Auth-Token", token]] + [list(x) for x in headers]
    if body is not None:
        h.append(["Content-Type", "application/json"])
    return {"method": method, "target": path, "headers": h, "body": "" if body is None else json.dumps(body)}


CASES = {
    # AWS Transfer Family
    "transfer-stop-online": aws("TransferService.StopServer", {"ServerId": "s-0123456789abcdef0"}),
    "transfer-stop-offline-no-op": aws("TransferService.StopServer", {"ServerId": "s-00000000000000001"}),
    "transfer-stop-unknown": aws("TransferService.StopServer", {"ServerId": "s-fffffffffffffffff"}),
    "transfer-stop-bad-pattern": aws("TransferService.StopServer", {"ServerId": "s-0123456789ABCDEF0"}),
    "transfer-stop-starting": aws("TransferService.StopServer", {"ServerId": "s-0000000000000000b"}),
    "transfer-start-offline": aws("TransferService.StartServer", {"ServerId": "s-00000000000000001"}),
    "transfer-describe": aws("TransferService.DescribeServer", {"ServerId": "s-0123456789abcdef0"}),
    "transfer-list": aws("TransferService.ListServers", {}),
    "transfer-list-page": aws("TransferService.ListServers", {"MaxResults": 2}),
    # Amazon Lightsail
    "lightsail-stop-running": aws("Lightsail_20161128.StopInstance", {"instanceName": "WordPress-1", "force": False}),
    "lightsail-stop-stuck-force": aws("Lightsail_20161128.StopInstance", {"instanceName": "Stuck-1", "force": True}),
    "lightsail-stop-stopped": aws("Lightsail_20161128.StopInstance", {"instanceName": "Stopped-1"}),
    "lightsail-stop-bad-name": aws("Lightsail_20161128.StopInstance", {"instanceName": "my instance"}),
    "lightsail-stop-hostile-name": aws(
        "Lightsail_20161128.StopInstance", {"instanceName": "x\"); import os #'$(reboot)\n\\"}
    ),
    "lightsail-stop-unknown": aws("Lightsail_20161128.StopInstance", {"instanceName": "Nope-1"}),
    "lightsail-start-stopped": aws("Lightsail_20161128.StartInstance", {"instanceName": "Stopped-1"}),
    "lightsail-get-instance": aws("Lightsail_20161128.GetInstance", {"instanceName": "WordPress-1"}),
    "lightsail-get-instance-state": aws("Lightsail_20161128.GetInstanceState", {"instanceName": "WordPress-1"}),
    "lightsail-get-instances": aws("Lightsail_20161128.GetInstances", {}),
    "lightsail-get-operation-unknown": aws("Lightsail_20161128.GetOperation", {"operationId": "no-such-op"}),
    # OpenStack Nova
    "nova-stop-active": nova("POST", f"/v2.1/servers/{A}/action", body={"os-stop": None}),
    "nova-stop-shutoff": nova("POST", f"/v2.1/servers/{B}/action", body={"os-stop": None}),
    "nova-stop-locked": nova("POST", f"/v2.1/servers/{D}/action", body={"os-stop": None}),
    "nova-stop-locked-admin": nova("POST", f"/v2.1/servers/{D}/action", token="admin-token-aaaa1111", body={"os-stop": None}),
    "nova-stop-as-reader": nova("POST", f"/v2.1/servers/{A}/action", token="reader-token-aaaa1111", body={"os-stop": None}),
    "nova-stop-other-project": nova("POST", f"/v2.1/servers/{J}/action", body={"os-stop": None}),
    "nova-stop-unknown": nova("POST", f"/v2.1/servers/{Z}/action", body={"os-stop": None}),
    "nova-stop-with-project": nova("POST", f"/v2.1/aaaa1111/servers/{A}/action", body={"os-stop": None}),
    "nova-start-shutoff": nova("POST", f"/v2.1/servers/{B}/action", body={"os-start": None}),
    "nova-start-active": nova("POST", f"/v2.1/servers/{A}/action", body={"os-start": None}),
    "nova-show": nova("GET", f"/v2.1/servers/{A}"),
    "nova-show-microversion": nova("GET", f"/v2.1/servers/{A}", headers=[("OpenStack-API-Version", "compute 2.65")]),
    "nova-show-unknown": nova("GET", f"/v2.1/servers/{Z}"),
    "nova-lock": nova("POST", f"/v2.1/servers/{A}/action", body={"lock": None}),
    "nova-lock-reason": nova(
        "POST",
        f"/v2.1/servers/{A}/action",
        body={"lock": {"locked_reason": "I don't want to work"}},
        headers=[("OpenStack-API-Version", "compute 2.73")],
    ),
    "nova-lock-reason-too-long": nova(
        "POST",
        f"/v2.1/servers/{A}/action",
        body={"lock": {"locked_reason": "x" * 256}},
        headers=[("OpenStack-API-Version", "compute 2.73")],
    ),
    "nova-lock-as-reader": nova("POST", f"/v2.1/servers/{A}/action", token="reader-token-aaaa1111", body={"lock": None}),
    "nova-unlock": nova("POST", f"/v2.1/servers/{A}/action", body={"unlock": None}),
    "nova-unlock-admins-lock": nova("POST", f"/v2.1/servers/{D}/action", body={"unlock": None}),
    "nova-unlock-admins-lock-as-admin": nova(
        "POST", f"/v2.1/servers/{D}/action", token="admin-token-aaaa1111", body={"unlock": None}
    ),
    "nova-list": nova("GET", "/v2.1/servers"),
    "nova-list-detail": nova("GET", "/v2.1/servers/detail"),
}

PYTHON_SNIPPETS = {"boto3": "boto3", "novaclient": "novaclient", "openstacksdk": "openstack"}


def control(path):
    req = urllib.request.Request(URL + path, data=b"", method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()


def generate(cases):
    """Asks the Rust side for the snippets and the simulator's answers."""
    command = os.environ.get("FLEETPLAY_SNIPPETS")
    argv = shlex.split(command) if command else ["cargo", "run", "--quiet", "-p", "fleetplay-sim", "--example", "snippets"]
    stdin = json.dumps([{"request": req, "endpoint": URL} for req in cases.values()])
    done = subprocess.run(argv, input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert done.returncode == 0, f"{' '.join(argv)} failed:\n{done.stderr}"
    return dict(zip(cases, json.loads(done.stdout)))


@pytest.fixture(scope="module")
def generated():
    if not URL:
        pytest.skip("FLEETPLAY_URL is not set (start `fleetplay serve --speed 0` and point it there)")
    return generate(CASES)


def outcome(code):
    """Runs a snippet as written; returns ("ok",) or ("error", status, error type or None, message or None)."""
    env = {"AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard", "AWS_CONFIG_FILE": os.devnull}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "<snippet>", "exec"), {"__name__": "__snippet__"})
        return ("ok",)
    except Exception as e:  # the SDKs' own error types, recognised by their attributes
        response = getattr(e, "response", None)
        if isinstance(response, dict) and "Error" in response:  # botocore ClientError
            return ("error", response["ResponseMetadata"]["HTTPStatusCode"], response["Error"].get("Code"), None)
        status = getattr(e, "status_code", None) or getattr(e, "code", None)  # openstacksdk, novaclient
        if isinstance(status, int):
            message = getattr(e, "details", None) or getattr(e, "message", None) or str(e)
            return ("error", status, None, str(message))
        raise
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def snippet_for(generated, case, language):
    for s in generated[case]["snippets"]:
        if s["language"] == language:
            return s
    return None


PAIRS = [
    (case, language)
    for case, req in CASES.items()
    for language in (["boto3"] if req["target"] == "/" else ["novaclient", "openstacksdk"])
]


@pytest.mark.parametrize("case,language", PAIRS, ids=[f"{c}-{l}" for c, l in PAIRS])
def test_python_snippet_gets_the_simulators_answer(generated, case, language):
    pytest.importorskip(PYTHON_SNIPPETS[language])
    snippet = snippet_for(generated, case, language)
    assert snippet is not None, f"no {language} snippet for {case}: {generated[case]['snippets'][0]['notes']}"
    assert URL in snippet["code"], snippet["code"]
    answer = generated[case]["answer"]
    control("/_fleetplay/speed?value=0")
    control("/_fleetplay/reset")
    got = outcome(snippet["code"])
    if 200 <= answer["status"] < 300:
        assert got == ("ok",), f"{case}: the simulator answers {answer}, the snippet got {got}\n{snippet['code']}"
        return
    assert got[0] == "error", f"{case}: the simulator answers {answer}, the snippet succeeded\n{snippet['code']}"
    assert got[1] == answer["status"], f"{case}: {got} vs {answer}"
    if language == "boto3":
        assert got[2] == answer["error"], f"{case}: {got} vs {answer}"
    elif answer["message"]:
        assert answer["message"] in got[3], f"{case}: {got} vs {answer}"


def test_every_case_has_its_python_snippets(generated):
    for case, language in PAIRS:
        assert snippet_for(generated, case, language) is not None, (case, language)


def test_requests_no_client_can_send_get_curl_only(generated):
    extra = generate(
        {
            "missing-member": aws("TransferService.StopServer", {}),
            "wrong-type": aws("TransferService.StopServer", {"ServerId": 123}),
            "unknown-action": nova("POST", f"/v2.1/servers/{A}/action", body={"os-stopp": None}),
        }
    )
    for case, entry in extra.items():
        languages = [s["language"] for s in entry["snippets"]]
        assert languages == ["curl"], (case, languages)
        assert any("Only curl" in n for n in entry["snippets"][0]["notes"]), entry["snippets"][0]["notes"]
