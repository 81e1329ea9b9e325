#!/usr/bin/env python3
"""An independent reader for the demo: fetches Kollect event envelopes from a JetStream stream over
the plain NATS protocol, or takes them from standard input (for example from kcat), and checks
each one against SPEC §4-§6 without any Kollect code.

  read-envelopes.py nats nats://127.0.0.1:PORT STREAM   every message of the stream: headers, body, checks
  read-envelopes.py stdin                             one event envelope per line: checks

Checks: payload.checksum is the SHA-256 of the payload's raw "items" bytes (SPEC §4), itemCount
matches, no value is a fake credential of the demo's objects (they must arrive redacted, SPEC §3),
and for NATS the Nats-Msg-Id header is the SHA-256 of "<cluster>/<namespace>/" followed by the raw
bytes of the event envelope's "payload" (the export envelope), as the original computes it (SPEC §6.2;
src/Operator/Export/ExportMessageMetadata.cs). Exit 1 when any check fails.
"""
import base64
import hashlib
import json
import socket
import sys
from urllib.parse import urlparse

FAKE_CREDENTIALS = ("demo-not-a-real-password", "demo-not-a-real-token")


def raw_member(text, name):
    """The raw JSON of member `name`, the last member of the object `text` (SPEC §5 puts payload last
    in the event envelope, §4 items last in the export envelope). Members before it hold only
    strings and numbers, whose quotes are escaped, so the first match is the member itself."""
    marker = '"%s":' % name
    return text[text.index(marker) + len(marker):-1]


def check(body, headers=None):
    problems = []
    envelope = json.loads(body)
    payload = envelope["payload"]
    raw_payload = raw_member(body, "payload")
    items = raw_member(raw_payload, "items")
    if hashlib.sha256(items.encode()).hexdigest() != payload["checksum"]:
        problems.append("payload.checksum is not the SHA-256 of the items")
    if len(json.loads(items)) != payload["itemCount"]:
        problems.append("itemCount does not match the items")
    if any(secret in body for secret in FAKE_CREDENTIALS):
        problems.append("a credential of the demo objects was exported unredacted")
    if headers is not None:
        expected = hashlib.sha256(("%s/%s/%s" % (envelope["cluster"], envelope["namespace"], raw_payload)).encode()).hexdigest()
        if headers.get("Nats-Msg-Id") != expected:
            problems.append("Nats-Msg-Id is not SHA-256(cluster/namespace/ + payload bytes)")
    checked = "checksum, itemCount, no credential" + (", Nats-Msg-Id" if headers is not None else "")
    summary = "namespace=%s itemCount=%d checksum=%s" % (envelope["namespace"], payload["itemCount"], payload["checksum"][:16] + "...")
    return summary, checked, problems


class NatsConnection:
    """Just enough of the NATS client protocol for request/reply: CONNECT, SUB, PUB, MSG/HMSG, PING."""

    def __init__(self, url):
        parsed = urlparse(url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port or 4222), timeout=5)
        self.buffer = b""
        self.line()  # INFO
        self.sock.sendall(b'CONNECT {"verbose":false,"pedantic":false,"headers":true,"no_responders":true,"name":"demo-reader"}\r\n')
        self.sock.sendall(b"SUB _INBOX.demo-reader 1\r\n")

    def line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("nats-server closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line.decode()

    def exactly(self, size):
        while len(self.buffer) < size + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("nats-server closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:size], self.buffer[size + 2:]
        return data

    def request(self, subject, body):
        data = json.dumps(body).encode()
        self.sock.sendall(b"PUB %s _INBOX.demo-reader %d\r\n%s\r\n" % (subject.encode(), len(data), data))
        while True:
            parts = self.line().split(" ")
            if parts[0] == "PING":
                self.sock.sendall(b"PONG\r\n")
            elif parts[0] == "-ERR":
                raise ConnectionError(" ".join(parts))
            elif parts[0] == "MSG":
                return json.loads(self.exactly(int(parts[-1])))
            elif parts[0] == "HMSG":
                message = self.exactly(int(parts[-1]))
                return json.loads(message[int(parts[-2]):] or b"{}")


def parse_headers(raw):
    headers = {}
    for line in raw.decode().split("\r\n")[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip()] = value.strip()
    return headers


def read_nats(url, stream):
    connection = NatsConnection(url)
    info = connection.request("$JS.API.STREAM.INFO." + stream, {})
    if "error" in info:
        raise SystemExit("stream %s: %s" % (stream, info["error"].get("description")))
    state = info["state"]
    print("stream %s: %d messages (subjects %s)" % (stream, state["messages"], ",".join(info["config"]["subjects"])))
    failed = False
    for seq in range(state["first_seq"], state["last_seq"] + 1):
        reply = connection.request("$JS.API.STREAM.MSG.GET." + stream, {"seq": seq})
        if "error" in reply:
            continue
        message = reply["message"]
        headers = parse_headers(base64.b64decode(message.get("hdrs", "")))
        body = base64.b64decode(message["data"]).decode()
        print("#%d subject=%s headers: %s" % (seq, message["subject"], " ".join("%s=%s" % kv for kv in sorted(headers.items()))))
        print(body)
        failed |= report(*check(body, headers))
    return failed


def report(summary, checked, problems):
    print("  check %s: %s" % (summary, "FAILED: " + "; ".join(problems) if problems else "OK (" + checked + ")"))
    return bool(problems)


def main(argv):
    if len(argv) == 4 and argv[1] == "nats":
        return 1 if read_nats(argv[2], argv[3]) else 0
    if len(argv) == 2 and argv[1] == "stdin":
        failed = False
        for line in sys.stdin:
            if line.strip():
                failed |= report(*check(line.rstrip("\n")))
        return 1 if failed else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
