#!/usr/bin/env python3
"""Pipeline figures of SPEC §10 / issue #14 for scripts/bench.sh: RSS of `kollect run` with N
collected objects and the cold collection's time (operator vs test API server), object change ->
NATS and -> Kafka delivery latency with exportMinInterval 0 (total and the operator's share), and
sustained churn (changes/s over many namespaces: lag p99, CPU, RSS trend).

    bench-pipeline.py BINARY [--compare BIN] --sizes 10000,100000 --latency-runs 100
                      [--churn-seconds 60 --churn-rate 1000 --churn-namespaces 100] [--plot FILE.svg]

With --compare every scenario runs for both binaries one after the other (A then B, each on a fresh
API server), so both see the same load, and the table gets a ratio column (compare / first).

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
import urllib.request
import random
import benchplot

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# How the log names each binary: both are usually called `kollect`, so by role, not file name.
LABELS = {}


def label(binary):
    return LABELS.get(binary, binary)


def log_name(binary, stem):
    """The compare binary's operator log gets its own file instead of overwriting this build's."""
    return stem + ("" if LABELS.get(binary) == "this build" else "-compare") + ".log"


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


def rollup_kib(pid, key):
    """A field of /proc/<pid>/smaps_rollup in KiB (0 when the kernel has no rollup)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


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


def nats_sink(port, subject=SUBJECT, stream="KOLLECT_BENCH"):
    return {"type": "nats", "cluster": "bench", "connectionTest": False,
            "nats": {"url": f"nats://127.0.0.1:{port}", "subject": subject, "stream": stream},
            "provisioning": {"mode": "ensure"}}


def kafka_sink(bootstrap, topic):
    return {"type": "kafka", "cluster": "bench", "connectionTest": False,
            "kafka": {"brokers": bootstrap.split(","), "topic": topic}}


def kollect_resources(api, sink, interval, namespace=NAMESPACE, included_namespaces=None):
    """A profile, target, sink and inventory in `namespace`. The target collects from every namespace
    unless `included_namespaces` narrows it (a namespaced target is not bound to its own namespace)."""
    if isinstance(sink, int):
        sink = nats_sink(sink)
    base = f"/apis/kollect.dev/v1alpha1/namespaces/{namespace}"
    api.request("POST", base + "/kollectprofiles", {
        "apiVersion": "kollect.dev/v1alpha1", "kind": "KollectProfile",
        "metadata": {"name": "configmaps", "namespace": namespace},
        "spec": {"targetGVK": {"group": "", "version": "v1", "kind": "ConfigMap"},
                 "attributes": [
                     {"name": "owner", "path": "$.data.owner", "type": "string"},
                     {"name": "image", "path": "$.data.image", "type": "string"},
                     {"name": "labels", "path": "$.metadata.labels", "type": "map"},
                     {"name": "keys", "path": "cel:size(object.data)", "type": "int"}]}})
    api.request("POST", base + "/kollecttargets", {
        "apiVersion": "kollect.dev/v1alpha1", "kind": "KollectTarget",
        "metadata": {"name": "configmaps", "namespace": namespace},
        "spec": {"profileRef": "configmaps", "labelSelector": {"matchLabels": {"app": "bench"}},
                 **({"includedNamespaces": included_namespaces} if included_namespaces else {})}})
    api.request("POST", base + "/kollecteventsinks", {
        "apiVersion": "kollect.dev/v1alpha1", "kind": "KollectEventSink",
        "metadata": {"name": "sink", "namespace": namespace},
        "spec": sink})
    api.request("POST", base + "/kollectinventories", {
        "apiVersion": "kollect.dev/v1alpha1", "kind": "KollectInventory",
        "metadata": {"name": "inventory", "namespace": namespace},
        "spec": {"eventSinkRefs": [{"name": "sink", "exportMinInterval": interval}]}})


class NatsSubscriber:
    """Core-NATS subscription on the sink's subject over a raw socket (no client library here);
    records the arrival time of every message. JetStream stores what is published on the subject,
    and a core subscriber gets the same message at the time the stream does."""

    def __init__(self, port, subject=SUBJECT, on_message=None):
        self.on_message = on_message
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.file = self.sock.makefile("rb")
        self.file.readline()  # INFO
        self.sock.sendall(b'CONNECT {"verbose":false,"pedantic":false,"headers":true}\r\n'
                          + f"SUB {subject} 1\r\nPING\r\n".encode())
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
                    if self.on_message is not None:
                        self.on_message(arrived, data[:-2])
                        continue
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
        self.metrics_port = free_port()
        self.process = subprocess.Popen(
            [binary, "run", "--kubeconfig", kubeconfig, "--allow-loopback-sinks",
             "--health-probe-bind-address", f"127.0.0.1:{free_port()}",
             "--metrics-bind-address", f"127.0.0.1:{self.metrics_port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        started.append(self.process)
        self.log = open(log_path, "wb")
        self.exports = []  # (arrival, parsed line)
        self.cond = threading.Condition()
        threading.Thread(target=self.run, daemon=True).start()

    def gc_heap(self):
        """kollect_gc_heap_bytes by kind from /metrics, in KiB; empty when the binary has none."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=5) as r:
                text = r.read().decode()
        except OSError:
            return {}
        found = re.findall(r'^kollect_gc_heap_bytes\{kind="(\w+)"\} (\S+)$', text, re.M)
        return {kind: float(value) / 1024 for kind, value in found}

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


class KafkaSubscriber:
    """kcat consuming the sink's topic from its end, one message per line (canonical JSON has no
    newline); records each line's arrival time, as NatsSubscriber does."""

    def __init__(self, bootstrap, topic):
        self.process = subprocess.Popen(["kcat", "-C", "-b", bootstrap, "-t", topic, "-o", "end", "-u", "-q",
                                         "-X", "fetch.wait.max.ms=5", "-f", "%s\\n"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        started.append(self.process)
        self.messages = []
        self.cond = threading.Condition()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        for line in self.process.stdout:
            arrived = time.perf_counter()
            with self.cond:
                self.messages.append((arrived, line))
                self.cond.notify_all()

    def wait_for(self, marker, deadline_s):
        return wait_for_arrival(self.cond, self.messages, marker, deadline_s)

    def close(self):
        stop(self.process)


def start_kafka(work, topic):
    """librdkafka's mock cluster (tests/KafkaMockBroker via scripts/local-brokers.sh) with the topic."""
    env = dict(os.environ, KOLLECT_LOCAL_BROKERS_DIR=tempfile.mkdtemp(dir=work, prefix="brokers-"))
    out = subprocess.run([os.path.join(ROOT, "scripts", "local-brokers.sh"), "start", "--kafka-topic", topic],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True, text=True, env=env).stdout
    bootstrap = re.search(r"KOLLECT_KAFKA_BOOTSTRAP=(\S+)", out).group(1)

    def stop_brokers():
        subprocess.run([os.path.join(ROOT, "scripts", "local-brokers.sh"), "stop"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False, env=env)
    return bootstrap, stop_brokers


def cpu_seconds(pid):
    """utime + stime of a process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def paged_list_seconds(api, path, limit=500):
    """One paged LIST as the operator's informer reads it (limit 500): the API server's own time."""
    conn = api.connection()
    token, items = None, 0
    t0 = time.perf_counter()
    while True:
        page = api.request("GET", f"{path}{'&' if '?' in path else '?'}limit={limit}"
                           + (f"&continue={urllib.parse.quote(token)}" if token else ""), conn=conn)
        items += len(page["items"])
        token = page["metadata"].get("continue")
        if not token:
            break
    conn.close()
    return time.perf_counter() - t0, items


def rss_scenario(binary, count, work, env, samples, settle_s):
    log(f"RSS scenario, {count} objects, {label(binary)}: fresh API server and nats-server")
    kubeconfig, api, api_pid = start_apiserver()
    nats, nats_port = start_nats(work)
    seconds = create_config_maps(api, count)
    log(f"created {count} ConfigMaps in {seconds:.1f} s ({count / seconds:.0f}/s)")
    api_list_s, _ = paged_list_seconds(api, "/api/v1/configmaps?labelSelector=app%3Dbench")
    kollect_resources(api, nats_port, "30s")
    subscriber = NatsSubscriber(nats_port)
    t0 = time.perf_counter()
    operator = Operator(binary, kubeconfig, os.path.join(work, log_name(binary, f"operator-{count}")), env)
    poll(f"target status.collectedCount == {count}", lambda: collected_count(api) == count, 600, every=0.1)
    collected_s = time.perf_counter() - t0
    export = poll("an export in the inventory's status.sinkExports", lambda: sink_export(api), 600, every=0.1)
    exported_s = time.perf_counter() - t0
    _, entry = operator.wait_export_after(0, 60) or (None, {})
    cpu_s = cpu_seconds(operator.process.pid)
    log(f"collected in {collected_s:.1f} s, exported in {exported_s:.1f} s; settling {settle_s} s")
    time.sleep(settle_s)
    pid = operator.process.pid
    rss = []
    for _ in range(samples):
        rss.append(kib(pid, "VmRSS"))
        time.sleep(1)
    hwm = kib(pid, "VmHWM")
    heap = operator.gc_heap()
    anon = rollup_kib(pid, "Anonymous")
    api_rss = kib(api_pid, "VmRSS")
    operator.stop()
    subscriber_messages = len(subscriber.messages)
    subscriber.close()
    stop(nats)
    return {
        "count": count, "rss": rss, "hwm": hwm, "api_rss": api_rss, "heap": heap, "anon": anon,
        "parts": entry.get("parts"), "bytes": entry.get("bytes"),
        "messages": subscriber_messages, "collected_s": collected_s, "exported_s": exported_s,
        "checksum": export.get("lastChecksum"), "api_list_s": api_list_s, "cpu_s": cpu_s,
    }


def percentile(values, p):
    """Nearest-rank percentile: of 100 values, p99 is the 99th smallest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latency_scenario(binary, count, runs, work, env, broker):
    log(f"latency scenario ({broker}), {count} objects, {runs} patches, {label(binary)}")
    kubeconfig, api, _ = start_apiserver()
    create_config_maps(api, count)
    if broker == "nats":
        nats, nats_port = start_nats(work)
        kollect_resources(api, nats_sink(nats_port), "0s")
        subscriber = NatsSubscriber(nats_port)
        stop_broker = lambda: stop(nats)  # noqa: E731
    else:
        topic = "kollect.bench"
        bootstrap, stop_broker = start_kafka(work, topic)
        kollect_resources(api, kafka_sink(bootstrap, topic), "0s")
        subscriber = KafkaSubscriber(bootstrap, topic)
    operator = Operator(binary, kubeconfig, os.path.join(work, log_name(binary, f"operator-latency-{broker}")), env)
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
    stop_broker()
    return {"count": count, "runs": runs, "total": total, "watch": watch_ms, "operator": operator_ms,
            "missed": missed, "broker": broker}


def churn_scenario(binary, work, env, seconds, rate, namespaces, per_namespace):
    """`rate` merge patches/s spread over `namespaces` namespaces (one profile, target, NATS sink and
    inventory each, interval 0) for `seconds`. The lag of a change is the time from its PATCH to the
    first message carrying that change or a later one of the same object."""
    log(f"churn scenario, {rate}/s over {namespaces} namespaces for {seconds} s, {label(binary)}")
    kubeconfig, api, _ = start_apiserver()
    nats, nats_port = start_nats(work)
    names = [f"churn-{n:03d}" for n in range(namespaces)]
    for n, ns in enumerate(names):
        api.request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        for i in range(per_namespace):
            cm = config_map(i)
            cm["metadata"]["namespace"] = ns
            api.request("POST", f"/api/v1/namespaces/{ns}/configmaps", cm)
        # Each inventory collects its own namespace only, so one change is one export of
        # `per_namespace` rows (without it every change re-exports all 100 inventories).
        kollect_resources(api, nats_sink(nats_port, f"kollect.churn.{n:03d}", f"KOLLECT_CHURN_{n:03d}"), "0s", ns,
                          included_namespaces=[ns])
    pending = {}  # object index -> [(seq, sent)] in send order
    latest = {}  # object index -> seq in the newest message that carried it
    lags, lag_times, lock = [], [], threading.Lock()
    marker = re.compile(rb"churn-(\d+)-(\d+)")

    def on_message(arrived, data):
        seen = {}
        for obj, seq in marker.findall(data):
            seen[int(obj)] = max(seen.get(int(obj), -1), int(seq))
        with lock:
            for obj, seq in seen.items():
                latest[obj] = seq
                queue = pending.get(obj)
                while queue and queue[0][0] <= seq:
                    sent_at = queue.pop(0)[1]
                    lags.append((arrived - sent_at) * 1000)
                    lag_times.append(sent_at)

    subscriber = NatsSubscriber(nats_port, "kollect.churn.>", on_message)
    operator = Operator(binary, kubeconfig, os.path.join(work, log_name(binary, "operator-churn")), env)
    poll("an export of every namespace", lambda: operator.export_count() >= namespaces, 300)
    time.sleep(1)
    pid = operator.process.pid
    threads = 8
    sent = [0] * threads
    stop_at = [0.0]

    def sender(k):
        conn = api.connection()
        interval = threads / rate
        next_at = time.perf_counter()
        seq = k
        while time.perf_counter() < stop_at[0]:
            obj = random.randrange(namespaces * per_namespace)
            ns, i = names[obj // per_namespace], obj % per_namespace
            with lock:
                pending.setdefault(obj, []).append((seq, time.perf_counter()))
            api.request("PATCH", f"/api/v1/namespaces/{ns}/configmaps/cm-{i:06d}",
                        {"data": {"owner": f"churn-{obj}-{seq}"}}, content_type="application/merge-patch+json", conn=conn)
            sent[k] += 1
            seq += threads
            next_at += interval
            delay = next_at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        conn.close()

    cpu0, t0 = cpu_seconds(pid), time.perf_counter()
    stop_at[0] = t0 + seconds
    workers = [threading.Thread(target=sender, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    rss = []  # (seconds since start, KiB)
    while time.perf_counter() < stop_at[0]:
        rss.append((time.perf_counter() - t0, kib(pid, "VmRSS")))
        time.sleep(1)
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t0
    cpu = (cpu_seconds(pid) - cpu0) / elapsed
    time.sleep(5)  # the last changes' exports
    with lock:
        # Two senders can patch one object out of their send order, which leaves a change pending
        # although its object's final state was delivered; the final states are the real check.
        unacked = sum(len(q) for q in pending.values())
        delivered = dict(latest)
    stale = 0  # objects whose state in the API server is not the one in their newest message
    for ns in names:
        for item in api.request("GET", f"/api/v1/namespaces/{ns}/configmaps")["items"]:
            final = marker.fullmatch(item.get("data", {}).get("owner", "").encode())
            if final and delivered.get(int(final.group(1))) != int(final.group(2)):
                stale += 1
    operator.stop()
    subscriber.close()
    stop(nats)
    tail = [(t, k) for t, k in rss if t >= elapsed / 2]
    last30 = [(t, k) for t, k in rss if t >= elapsed - 30]
    # When the slow deliveries happened: seconds since the churn began, of changes over 1 s.
    slow = sorted(round(t - t0, 1) for t, lag in zip(lag_times, lags) if lag > 1000)
    return {"rate": sum(sent) / elapsed, "seconds": elapsed, "lags": lags, "unacked": unacked, "stale": stale, "cpu": cpu,
            "rss": rss, "slope": slope(tail), "slope30": slope(last30), "slow": slow, "namespaces": namespaces}


def slope(points):
    """Least-squares slope of (seconds, KiB) in MiB per minute."""
    if len(points) < 2:
        return 0.0
    mx = sum(t for t, _ in points) / len(points)
    my = sum(k for _, k in points) / len(points)
    den = sum((t - mx) ** 2 for t, _ in points)
    return sum((t - mx) * (k - my) for t, k in points) / den * 60 / 1024 if den else 0.0


def summary(values):
    if not values:
        return "—"
    return (f"{statistics.median(values):.1f} / {percentile(values, 95):.1f} / "
            f"{percentile(values, 99):.1f} / {max(values):.1f}")


def ratio(a, b):
    return f"{b / a:.2f}×" if a else "—"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--compare", help="a second binary measured in the same run, scenario by scenario")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--latency-objects", type=int, default=100)
    parser.add_argument("--latency-runs", type=int, default=100, help="0 skips the latency scenarios")
    parser.add_argument("--brokers", default="nats,kafka", help="latency scenarios to run")
    parser.add_argument("--rss-samples", type=int, default=5)
    parser.add_argument("--settle-seconds", type=int, default=5)
    parser.add_argument("--churn-seconds", type=int, default=60, help="0 skips the churn scenario")
    parser.add_argument("--churn-rate", type=int, default=1000)
    parser.add_argument("--churn-namespaces", type=int, default=100)
    parser.add_argument("--churn-objects", type=int, default=10, help="ConfigMaps per churn namespace")
    parser.add_argument("--plot", help="write an SVG of RSS against collected objects and the latency distribution")
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
    binaries = [args.binary] + ([args.compare] if args.compare else [])
    LABELS.update({args.binary: "this build", **({args.compare: f"compare binary {args.compare}"} if args.compare else {})})
    brokers = [b for b in args.brokers.split(",") if b]
    latency = {b: [] for b in brokers}
    results, churn = [], []
    try:
        if args.latency_runs > 0:
            for broker in brokers:
                for binary in binaries:
                    latency[broker].append(latency_scenario(binary, args.latency_objects, args.latency_runs, work, env, broker))
        for n in [int(n) for n in args.sizes.split(",") if n]:
            results.append([rss_scenario(b, n, work, env, args.rss_samples, args.settle_seconds) for b in binaries])
        if args.churn_seconds > 0:
            churn = [churn_scenario(b, work, env, args.churn_seconds, args.churn_rate, args.churn_namespaces,
                                    args.churn_objects) for b in binaries]
    finally:
        for process in reversed(started):
            stop(process)
        subprocess.run([APISERVER, "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        os.makedirs(args.log_dir, exist_ok=True)
        for name in os.listdir(work):
            if name.endswith(".log"):
                shutil.copy(os.path.join(work, name), os.path.join(args.log_dir, "bench-" + name))
        shutil.rmtree(work, ignore_errors=True)

    compare = len(binaries) > 1
    head = "| Figure | Measured | Runs | Goal (issue #14) |"
    if compare:
        head = "| Figure | Measured | Runs | Goal (issue #14) | Compare binary | Ratio (compare / measured) |"
    print(head)
    print("| --- | ---: | ---: | --- |" + (" ---: | ---: |" if compare else ""))

    def row(figure, cells, runs, goal, key=None):
        """cells: one formatted value per binary; key: one number per binary for the ratio."""
        line = f"| {figure} | {cells[0]} | {runs} | {goal} |"
        if compare:
            line += f" {cells[1]} | {ratio(key[0], key[1]) if key else '—'} |"
        print(line)

    goals = {10000: "≤ 40 MiB", 100000: "≤ 120 MiB"}
    for pair in results:
        n = pair[0]["count"]
        med = [mib(statistics.median(r["rss"])) for r in pair]
        row(f"`kollect run` RSS with {n} collected ConfigMaps (`VmRSS`, {args.settle_seconds} s after the export), median (min–max)",
            [f"{mib(statistics.median(r['rss'])):.1f} MiB ({mib(min(r['rss'])):.1f}–{mib(max(r['rss'])):.1f})" for r in pair],
            f"{len(pair[0]['rss'])} samples", goals.get(n, "—"), med)
        row(f"`kollect run` peak RSS (`VmHWM`) with {n}", [f"{mib(r['hwm']):.1f} MiB" for r in pair], 1, "—",
            [mib(r["hwm"]) for r in pair])
        row(f"Where the RSS with {n} is: anonymous memory; of it the GC heap live / fragmented / committed (`/metrics`)",
            [f"{mib(r['anon']):.1f} MiB; " + (" / ".join(f"{mib(r['heap'].get(k, 0)):.1f}" for k in ("live", "fragmented", "committed")) + " MiB"
                                             if r["heap"] else "no GC metrics") for r in pair], 1, "—")
        row(f"Export of {n} rows: parts (NATS max_payload 1 MiB), bytes, messages seen",
            [f"{r['parts']} parts, {r['bytes']} B, {r['messages']} messages" for r in pair], 1, "—")
        row(f"Start → collectedCount {n} / → export in status",
            [f"{r['collected_s']:.1f} s / {r['exported_s']:.1f} s" for r in pair], 1, "—", [r["exported_s"] for r in pair])
        row(f"Cold collection of {n}: operator time (start → export minus the API server's paged LIST) / API server's paged LIST alone",
            [f"{max(r['exported_s'] - r['api_list_s'], 0):.1f} s / {r['api_list_s']:.1f} s" for r in pair], 1,
            "≤ 20 s operator time at 100k" if n == 100000 else "—",
            [max(r["exported_s"] - r["api_list_s"], 0) for r in pair])
        row(f"CPU time of `kollect run` from start to the first export of {n}", [f"{r['cpu_s']:.1f} s" for r in pair], 1, "—",
            [r["cpu_s"] for r in pair])
        row(f"Test API server RSS holding {n} ConfigMaps (not ours; for reference)", [f"{mib(r['api_rss']):.1f} MiB" for r in pair], 1, "—")
    for broker, pair in latency.items():
        if not pair:
            continue
        name = {"nats": "NATS delivery", "kafka": "Kafka delivery (kcat)"}[broker]
        row(f"Object change → {name}, interval 0, {pair[0]['count']} objects: p50 / p95 / p99 / max",
            [f"{summary(r['total'])} ms" for r in pair], f"{len(pair[0]['total'])} (missed {pair[0]['missed']})",
            "reported", [percentile(r["total"], 99) if r["total"] else 0 for r in pair])
        row("of which PATCH → API server watch event (our own watch) p50 / p95 / p99 / max",
            [f"{summary(r['watch'])} ms" for r in pair], len(pair[0]["watch"]), "—")
        row(f"of which watch event → operator \"exported\" log (after the {'PubAck' if broker == 'nats' else 'delivery report'}), the operator's share, p50 / p95 / p99 / max",
            [f"{summary(r['operator'])} ms" for r in pair], len(pair[0]["operator"]), "p50 ≤ 3 ms, p99 ≤ 10 ms",
            [percentile(r["operator"], 99) if r["operator"] else 0 for r in pair])
    if churn:
        row(f"Churn: PATCHes/s reached over {churn[0]['namespaces']} namespaces (asked {args.churn_rate}/s), seconds",
            [f"{c['rate']:.0f}/s, {c['seconds']:.0f} s" for c in churn], 1, "1,000/s for 60 s", [c["rate"] for c in churn])
        row("Churn: change → NATS delivery lag p50 / p95 / p99 / max (changes not matched after 5 s)",
            [f"{summary(c['lags'])} ms ({c['unacked']})" for c in churn], len(churn[0]["lags"]), "p99 ≤ 1 s",
            [percentile(c["lags"], 99) if c["lags"] else 0 for c in churn])
        row("Churn: objects whose final state is not in their newest message, 5 s after the last change",
            [str(c["stale"]) for c in churn], 1, "0 (no stale snapshot)")
        row("Churn: CPU of `kollect run` (cores)", [f"{c['cpu']:.2f}" for c in churn], 1, "≤ 1 core", [c["cpu"] for c in churn])
        row("Churn: changes delivered after more than 1 s, and when they were sent (seconds into the churn, first–last)",
            [f"{len(c['slow'])}" + (f" ({c['slow'][0]:.1f}–{c['slow'][-1]:.1f} s)" if c["slow"] else "") for c in churn], 1, "—")
        row("Churn: RSS at end / trend over the last half / over the last 30 s (least squares); min–max of the last 30 s",
            [f"{mib(c['rss'][-1][1]):.1f} MiB / {c['slope']:+.2f} / {c['slope30']:+.2f} MiB/min; "
             f"{mib(min(k for t, k in c['rss'] if t >= c['seconds'] - 30)):.1f}–{mib(max(k for t, k in c['rss'] if t >= c['seconds'] - 30)):.1f} MiB"
             for c in churn], len(churn[0]["rss"]),
            "flat over the last 30 s", [mib(c["rss"][-1][1]) for c in churn])
    if args.plot:
        benchplot.write(args.plot, binaries,
                        [[(r[i]["count"], mib(statistics.median(r[i]["rss"]))) for r in results] for i in range(len(binaries))],
                        {broker: [r["total"] for r in pair] for broker, pair in latency.items() if pair})
        log(f"plot written to {args.plot}")


if __name__ == "__main__":
    main()
