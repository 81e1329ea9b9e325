#!/usr/bin/env python3
"""Pipeline figures of SPEC §10 for scripts/bench.sh: RSS of `kollect run` with N collected objects,
and object change -> NATS delivery latency with exportMinInterval 0.

    bench-pipeline.py BINARY --sizes 10000,100000 --latency-objects 100 --latency-runs 100

Each scenario starts a fresh test API server (scripts/local-apiserver.sh, state dir from
KOLLECT_LOCAL_APISERVER_DIR, so its objects are only the scenario's) and a private nats-server with
JetStream (default max_payload 1 MiB, so big snapshots split into parts), creates N ConfigMaps with
parallel HTTP POSTs, a profile with 4 attributes, a target, a NATS KollectEventSink and an inventory,
then runs the binary. Prints Markdown table rows on stdout; progress on stderr. Everything started
here is stopped on exit.
"""
import argparse
import http.client
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from benchlib import free_port, stop
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APISERVER = os.path.join(ROOT, "scripts", "local-apiserver.sh")
NAMESPACE = "bench"
SUBJECT = "kollect.bench"
started = []  # processes to stop on exit, newest last


def log(message):
    print(f"bench-pipeline: {message}", file=sys.stderr, flush=True)


def kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise SystemExit(f"bench-pipeline: {key} missing in /proc/{pid}/status")


def mib(kib_value):
    return kib_value / 1024


class Api:
    """Plain-HTTP client of the test API server (bearer token from its kubeconfig)."""

    def __init__(self, url, token):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.headers = {"Authorization": f"Bearer {token}"}

    def connection(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method, path, body=None, content_type="application/json", conn=None):
        own = conn is None
        conn = conn or self.connection()
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = content_type
            body = json.dumps(body).encode()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if own:
            conn.close()
        if response.status >= 300:
            raise SystemExit(f"bench-pipeline: {method} {path} -> {response.status}: {data[:300]!r}")
        return json.loads(data) if data else None


def config_map(i):
    return {
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": f"cm-{i:06d}", "namespace": NAMESPACE,
                     "labels": {"app": "bench", "tier": f"t{i % 7}"}},
        "data": {"owner": f"team-{i % 13}", "image": f"registry.example/app-{i % 97}:1.{i % 50}.0",
                 "replicas": str(1 + i % 5), "note": "kollect pipeline benchmark object"},
    }


def create_config_maps(api, count, threads=8):
    """Parallel POSTs over keep-alive connections, one per thread."""
    errors = []

    def worker(start):
        conn = api.connection()
        try:
            for i in range(start, count, threads):
                api.request("POST", f"/api/v1/namespaces/{NAMESPACE}/configmaps", config_map(i), conn=conn)
        except BaseException as e:  # reported by the caller
            errors.append(e)
        finally:
            conn.close()

    t0 = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise SystemExit(f"bench-pipeline: creating ConfigMaps failed: {errors[0]}")
    return time.perf_counter() - t0


def kollect_resources(api, nats_port, interval):
    base = f"/apis/kollect.dev/v1alpha1/namespaces/{NAMESPACE}"
    api.request("POST", base + "/kollectprofiles", {
        "apiVersion": "kollect.dev/v1alpha1", "kind": "KollectProfile",
        "metadata": {"name": "configmaps", "namespace": NAMESPACE},
        "spec": {"targetGVK": {"group": "", "version": "v1", "kind": "ConfigMap"},
                 "attributes": [
                     {"name": "owner", "path": "$.data.owner", "type": "string"},
                     {"name": "image", "path": "$.data.image", "type": "string"},
                     {"name": "labels", "path": "$.metadata.labels", "type": "map"},
                     {"name": "keys", "path": "cel:size(object.data)", "type": "int"}]}})
    api.request("POST", base + "/kollecttargets", {
        "apiVersion": "kollect.dev/v1alpha1", "kind": "KollectTarget",
        "metadata": {"name": "configmaps", "namespace": NAMESPACE},
        "spec": {"profileRef": "configmaps", "labelSelector": {"matchLabels": {"app": "bench"}}}})
    api.request("POST", base + "/kollecteventsinks", {
        "apiVersion": "kollect.dev/v1alpha1", "kind": "KollectEventSink",
        "metadata": {"name": "nats", "namespace": NAMESPACE},
        "spec": {"type": "nats", "cluster": "bench", "connectionTest": False,
                 "nats": {"url": f"nats://127.0.0.1:{nats_port}", "subject": SUBJECT, "stream": "KOLLECT_BENCH"},
                 "provisioning": {"mode": "ensure"}}})
    api.request("POST", base + "/kollectinventories", {
        "apiVersion": "kollect.dev/v1alpha1", "kind": "KollectInventory",
        "metadata": {"name": "inventory", "namespace": NAMESPACE},
        "spec": {"eventSinkRefs": [{"name": "nats", "exportMinInterval": interval}]}})


class NatsSubscriber:
    """Core-NATS subscription on the sink's subject over a raw socket (no client library here);
    records the arrival time of every message. JetStream stores what is published on the subject,
    and a core subscriber gets the same message at the time the stream does."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.file = self.sock.makefile("rb")
        self.file.readline()  # INFO
        self.sock.sendall(b'CONNECT {"verbose":false,"pedantic":false,"headers":true}\r\n'
                          + f"SUB {SUBJECT} 1\r\nPING\r\n".encode())
        self.messages = []  # (arrival perf_counter, payload bytes)
        self.cond = threading.Condition()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        try:
            while True:
                line = self.file.readline()
                if not line:
                    return
                if line.startswith(b"PING"):
                    self.sock.sendall(b"PONG\r\n")
                elif line.startswith(b"MSG") or line.startswith(b"HMSG"):
                    size = int(line.split()[-1])
                    data = self.file.read(size + 2)
                    arrived = time.perf_counter()
                    with self.cond:
                        self.messages.append((arrived, data[:-2]))
                        self.cond.notify_all()
        except OSError:
            return

    def wait_for(self, marker, deadline_s):
        return wait_for_arrival(self.cond, self.messages, marker, deadline_s)

    def close(self):
        self.sock.close()


def wait_for_arrival(cond, arrivals, marker, deadline_s):
    """The arrival time of the first (arrival, bytes) entry containing marker, waiting on cond
    until deadline_s has passed; None when it never came."""
    end = time.perf_counter() + deadline_s
    with cond:
        while True:
            for arrived, data in arrivals:
                if marker in data:
                    return arrived
            left = end - time.perf_counter()
            if left <= 0:
                return None
            cond.wait(left)


class ConfigMapWatch:
    """Our own watch on the namespace's ConfigMaps: when the API server delivers a MODIFIED event,
    so the operator's share of the latency can be told from the API server's."""

    def __init__(self, api, resource_version):
        self.conn = api.connection()
        self.conn.request("GET", f"/api/v1/namespaces/{NAMESPACE}/configmaps?watch=1&resourceVersion={resource_version}",
                          headers=api.headers)
        self.response = self.conn.getresponse()
        self.events = []  # (arrival, line bytes)
        self.cond = threading.Condition()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        try:
            while True:
                line = self.response.readline()
                if not line:
                    return
                arrived = time.perf_counter()
                with self.cond:
                    self.events.append((arrived, line))
                    self.cond.notify_all()
        except (OSError, ValueError, http.client.HTTPException):
            return

    def wait_for(self, marker, deadline_s):
        return wait_for_arrival(self.cond, self.events, marker, deadline_s)

    def close(self):
        self.conn.close()


class Operator:
    """`kollect run`; stderr JSON lines are read as they come, with their arrival time."""

    def __init__(self, binary, kubeconfig, log_path, env):
        self.process = subprocess.Popen(
            [binary, "run", "--kubeconfig", kubeconfig, "--allow-loopback-sinks",
             "--health-probe-bind-address", f"127.0.0.1:{free_port()}",
             "--metrics-bind-address", f"127.0.0.1:{free_port()}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        started.append(self.process)
        self.log = open(log_path, "wb")
        self.exports = []  # (arrival, parsed line)
        self.cond = threading.Condition()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        for line in self.process.stderr:
            arrived = time.perf_counter()
            self.log.write(line)
            self.log.flush()
            if b"exported" not in line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            # Microsoft.Extensions.Logging's JSON console formatter nests the fields under "State"
            # (#10); binaries from before #10 wrote them top-level next to "msg".
            if isinstance(entry.get("State"), dict):
                if not entry["State"].get("{OriginalFormat}", "").startswith("exported "):
                    continue
                entry = entry["State"]
            elif entry.get("msg") != "exported":
                continue
            with self.cond:
                self.exports.append((arrived, entry))
                self.cond.notify_all()

    def export_count(self):
        with self.cond:
            return len(self.exports)

    def wait_export_after(self, index, deadline_s):
        end = time.perf_counter() + deadline_s
        with self.cond:
            while len(self.exports) <= index:
                left = end - time.perf_counter()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.exports[index]

    def stop(self):
        stop(self.process)
        self.log.close()


def start_apiserver():
    subprocess.run([APISERVER, "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    out = subprocess.run([APISERVER, "start", "--with-crds"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         check=True, text=True).stdout.strip().splitlines()[-1]
    state = os.environ["KOLLECT_LOCAL_APISERVER_DIR"]
    with open(os.path.join(state, "url")) as f:
        url = f.read().strip()
    with open(out) as f:
        token = re.search(r"token:\s*(\S+)", f.read()).group(1)
    with open(os.path.join(state, "pid")) as f:
        pid = int(f.read().strip())
    api = Api(url, token)
    api.request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}})
    return out, api, pid


def start_nats(work):
    port = free_port()
    store = tempfile.mkdtemp(dir=work, prefix="nats-")
    process = subprocess.Popen(["nats-server", "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", store],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started.append(process)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    raise SystemExit("bench-pipeline: nats-server did not listen within 5 s")


def poll(what, check, deadline_s, every=0.5):
    end = time.perf_counter() + deadline_s
    while time.perf_counter() < end:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise SystemExit(f"bench-pipeline: timed out after {deadline_s} s waiting for {what}")


def collected_count(api):
    target = api.request("GET", f"/apis/kollect.dev/v1alpha1/namespaces/{NAMESPACE}/kollecttargets/configmaps")
    return (target.get("status") or {}).get("collectedCount")


def sink_export(api):
    inventory = api.request("GET", f"/apis/kollect.dev/v1alpha1/namespaces/{NAMESPACE}/kollectinventories/inventory")
    for entry in (inventory.get("status") or {}).get("sinkExports") or []:
        if entry.get("lastChecksum"):
            return entry
    return None


def rss_scenario(binary, count, work, env, samples, settle_s):
    log(f"RSS scenario, {count} objects: fresh API server and nats-server")
    kubeconfig, api, api_pid = start_apiserver()
    nats, nats_port = start_nats(work)
    seconds = create_config_maps(api, count)
    log(f"created {count} ConfigMaps in {seconds:.1f} s ({count / seconds:.0f}/s)")
    kollect_resources(api, nats_port, "30s")
    subscriber = NatsSubscriber(nats_port)
    t0 = time.perf_counter()
    operator = Operator(binary, kubeconfig, os.path.join(work, f"operator-{count}.log"), env)
    poll(f"target status.collectedCount == {count}", lambda: collected_count(api) == count, 600)
    collected_s = time.perf_counter() - t0
    export = poll("an export in the inventory's status.sinkExports", lambda: sink_export(api), 600)
    exported_s = time.perf_counter() - t0
    _, entry = operator.wait_export_after(0, 60) or (None, {})
    log(f"collected in {collected_s:.1f} s, exported in {exported_s:.1f} s; settling {settle_s} s")
    time.sleep(settle_s)
    pid = operator.process.pid
    rss = []
    for _ in range(samples):
        rss.append(kib(pid, "VmRSS"))
        time.sleep(1)
    hwm = kib(pid, "VmHWM")
    api_rss = kib(api_pid, "VmRSS")
    operator.stop()
    subscriber_messages = len(subscriber.messages)
    subscriber.close()
    stop(nats)
    return {
        "count": count, "rss": rss, "hwm": hwm, "api_rss": api_rss,
        "parts": entry.get("parts"), "bytes": entry.get("bytes"),
        "messages": subscriber_messages, "collected_s": collected_s, "exported_s": exported_s,
        "checksum": export.get("lastChecksum"),
    }


def percentile(values, p):
    """Nearest-rank percentile: of 100 values, p99 is the 99th smallest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latency_scenario(binary, count, runs, work, env):
    log(f"latency scenario, {count} objects, {runs} patches: fresh API server and nats-server")
    kubeconfig, api, _ = start_apiserver()
    nats, nats_port = start_nats(work)
    create_config_maps(api, count)
    kollect_resources(api, nats_port, "0s")
    subscriber = NatsSubscriber(nats_port)
    operator = Operator(binary, kubeconfig, os.path.join(work, "operator-latency.log"), env)
    poll("the first export", lambda: sink_export(api), 120)
    listing = api.request("GET", f"/api/v1/namespaces/{NAMESPACE}/configmaps?limit=1")
    watch = ConfigMapWatch(api, listing["metadata"]["resourceVersion"])
    time.sleep(1)
    conn = api.connection()
    path = f"/api/v1/namespaces/{NAMESPACE}/configmaps/cm-000000"
    total, watch_ms, operator_ms, missed = [], [], [], 0
    for i in range(runs):
        marker = f"lat-{i}-{time.time_ns()}"
        before = operator.export_count()
        t0 = time.perf_counter()
        api.request("PATCH", path, {"data": {"owner": marker}}, content_type="application/merge-patch+json", conn=conn)
        arrived = subscriber.wait_for(marker.encode(), 10)
        if arrived is None:
            missed += 1
            continue
        total.append((arrived - t0) * 1000)
        seen = watch.wait_for(marker.encode(), 1)
        exported = operator.wait_export_after(before, 1)
        if seen is not None:
            watch_ms.append((seen - t0) * 1000)
            if exported is not None:
                operator_ms.append((exported[0] - seen) * 1000)
        time.sleep(0.05)
    conn.close()
    watch.close()
    operator.stop()
    subscriber.close()
    stop(nats)
    return {"count": count, "runs": runs, "total": total, "watch": watch_ms, "operator": operator_ms, "missed": missed}


def summary(values):
    if not values:
        return "—"
    return (f"{statistics.median(values):.1f} / {percentile(values, 95):.1f} / "
            f"{percentile(values, 99):.1f} / {max(values):.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--latency-objects", type=int, default=100)
    parser.add_argument("--latency-runs", type=int, default=100, help="0 skips the latency scenario")
    parser.add_argument("--rss-samples", type=int, default=5)
    parser.add_argument("--settle-seconds", type=int, default=5)
    parser.add_argument("--operator-env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment variable for `kollect run` only (e.g. a DOTNET_GC* setting); repeatable")
    parser.add_argument("--log-dir", default=os.path.join(ROOT, "artifacts", "logs"))
    args = parser.parse_args()
    if "KOLLECT_LOCAL_APISERVER_DIR" not in os.environ:
        raise SystemExit("bench-pipeline: set KOLLECT_LOCAL_APISERVER_DIR to a private state dir")
    if shutil.which("nats-server") is None:
        raise SystemExit("bench-pipeline: nats-server is required")
    # SIGTERM (e.g. from a CI timeout) must still run the clean-up below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = tempfile.mkdtemp(prefix="kollect-bench-pipeline.")
    env = dict(os.environ)
    for setting in args.operator_env:
        name, _, value = setting.partition("=")
        env[name] = value
    try:
        latency = (latency_scenario(args.binary, args.latency_objects, args.latency_runs, work, env)
                   if args.latency_runs > 0 else None)
        results = [rss_scenario(args.binary, int(n), work, env, args.rss_samples, args.settle_seconds)
                   for n in args.sizes.split(",") if n]
    finally:
        for process in reversed(started):
            stop(process)
        subprocess.run([APISERVER, "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        os.makedirs(args.log_dir, exist_ok=True)
        for name in os.listdir(work):
            if name.endswith(".log"):
                shutil.copy(os.path.join(work, name), os.path.join(args.log_dir, "bench-" + name))
        shutil.rmtree(work, ignore_errors=True)

    print("| Figure | Measured | Runs | SPEC §10 budget |")
    print("| --- | ---: | ---: | --- |")
    budgets = {10000: "≤ 80 MiB", 100000: "≤ 400 MiB"}
    for r in results:
        n = r["count"]
        print(f"| `kollect run` RSS with {n} collected ConfigMaps (`VmRSS`, {args.settle_seconds} s after the export), "
              f"median (min–max) | {mib(statistics.median(r['rss'])):.1f} MiB "
              f"({mib(min(r['rss'])):.1f}–{mib(max(r['rss'])):.1f}) | {len(r['rss'])} samples | {budgets.get(n, '—')} |")
        print(f"| `kollect run` peak RSS (`VmHWM`) with {n} | {mib(r['hwm']):.1f} MiB | 1 | — |")
        print(f"| Export of {n} rows: parts (NATS max_payload 1 MiB), bytes, messages seen | "
              f"{r['parts']} parts, {r['bytes']} B, {r['messages']} messages | 1 | — |")
        print(f"| Start → collectedCount {n} / → export in status | {r['collected_s']:.1f} s / {r['exported_s']:.1f} s | 1 | — |")
        print(f"| Test API server RSS holding {n} ConfigMaps (not ours; for reference) | {mib(r['api_rss']):.1f} MiB | 1 | — |")
    lat = latency
    if lat is None:
        return
    print(f"| Object change → NATS delivery, interval 0, {lat['count']} objects: p50 / p95 / p99 / max | "
          f"{summary(lat['total'])} ms | {len(lat['total'])} (missed {lat['missed']}) | p50 ≤ 20 ms, p99 ≤ 100 ms |")
    print(f"| of which PATCH → API server watch event (our own watch) p50 / p95 / p99 / max | "
          f"{summary(lat['watch'])} ms | {len(lat['watch'])} | — |")
    print(f"| of which watch event → operator \"exported\" log (after the PubAck) p50 / p95 / p99 / max | "
          f"{summary(lat['operator'])} ms | {len(lat['operator'])} | — |")


if __name__ == "__main__":
    main()
