"""A page that stops reading `fleetplay serve`'s live stream (`GET /_fleetplay/live`) never holds up the SDKs.

The stalled page is a raw socket that reads the answer's head and the first event, then nothing more. While it
stays connected, a curl-like client sends a few large requests (each live message carries its request, so they
fill the socket buffers between the server and the page) and boto3 keeps calling DescribeServer: every call must
be answered, with botocore's usual read timeout and no retries, and the transcript must hold them all. Then the
page reads again: its stream was ended by the server (the chunked body's last chunk) before it had carried every
exchange, because a subscriber that falls behind is dropped rather than waited for (crates/cli/src/live.rs).
"""

import json
import socket
import urllib.parse
import urllib.request

from conftest import exchanges

ONLINE = "s-0123456789abcdef0"
# More exchanges than the live channel holds for a subscriber (256), on top of what the buffers take.
CALLS = 400
BIG = 8
PAD = "x" * 900_000


class StalledPage:
    """A live-stream subscriber over a raw socket with a small receive window."""

    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
        self.sock.settimeout(10)
        self.sock.connect((parts.hostname, parts.port))
        head = f"GET /_fleetplay/live HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\n\r\n"
        self.sock.sendall(head.encode())
        self.reader = self.sock.makefile("rb")
        status = self.reader.readline()
        assert status.startswith(b"HTTP/1.1 200"), status
        headers = {}
        while (line := self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        assert headers.get("content-type", "").startswith("text/event-stream"), headers
        assert headers.get("transfer-encoding") == "chunked", headers
        self.pending = b""
        self.ended = False

    def _chunk(self):
        """Reads one chunk into `pending`; False once the body ended (or the connection went quiet)."""
        try:
            size = self.reader.readline()
            if not size:
                return False
            size = int(size.strip(), 16)
            data = self.reader.read(size + 2)
        except (socket.timeout, ValueError):
            return False
        if size == 0:
            self.ended = True
            return False
        self.pending += data[:size]
        return True

    def next_data(self):
        """The next event's data, or None when the stream ended."""
        while True:
            if b"\n\n" in self.pending:
                event, self.pending = self.pending.split(b"\n\n", 1)
                data = [line[6:] for line in event.split(b"\n") if line.startswith(b"data: ")]
                if data:
                    return b"\n".join(data)
                continue
            if not self._chunk():
                return None

    def close(self):
        self.reader.close()
        self.sock.close()


def test_a_page_that_stops_reading_never_holds_up_boto3(url, transfer):
    page = StalledPage(url)
    try:
        assert json.loads(page.next_data())["type"] == "hello"
        # From here on the page reads nothing.
        big = json.dumps({"ServerId": ONLINE, "Pad": PAD}).encode()
        for _ in range(BIG):
            request = urllib.request.Request(
                url + "/",
                data=big,
                method="POST",
                headers={
                    "Content-Type": "application/x-amz-json-1.1",
                    "X-Amz-Target": "TransferService.DescribeServer",
                },
            )
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.status == 200
        # boto3 with a 10 s read timeout and a single attempt: a server waiting for the page would fail here.
        for _ in range(CALLS):
            assert transfer.describe_server(ServerId=ONLINE)["Server"]["State"] == "ONLINE"
        assert len(exchanges("DescribeServer")) == BIG + CALLS

        # The page reads again: what the buffers held, then the end of its stream, short of the whole run.
        page.sock.settimeout(3)
        carried = 0
        while (data := page.next_data()) is not None:
            if json.loads(data)["type"] == "exchange":
                carried += 1
        assert page.ended, f"the server ended the stalled page's stream (it carried {carried} exchanges, then went quiet)"
        assert carried < BIG + CALLS, carried
    finally:
        page.close()
