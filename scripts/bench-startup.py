#!/usr/bin/env python3
"""Start -> /healthz 200 and idle RSS of `kollect run` (SPEC §10), driven by scripts/bench.sh.

    bench-startup.py BINARY KUBECONFIG --runs N --idle-runs N --idle-seconds S [--compare BIN]

With --compare the second binary runs interleaved with the first (A, B, A, B ...), so both see the
same load; its figures are printed with a `compare_` prefix.

Each run spawns the binary on free loopback ports, polls /healthz in a tight loop over a raw
socket (no client start-up cost inside the timing) and records the ms from spawn to the first
200; then SIGTERM. Idle runs wait for /readyz 200 (caches synced), sleep, and read VmRSS/VmHWM
from /proc/<pid>/status. Prints one `key value...` line per figure for bench.sh.
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import free_port, stop


def status(port, path):
    """HTTP status of GET path, or None when nothing answers yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            line = s.makefile("rb").readline().decode(errors="replace")
            parts = line.split()
            return int(parts[1]) if len(parts) >= 2 else None
    except OSError:
        return None


def spawn(binary, kubeconfig, log):
    health, metrics = free_port(), free_port()
    start = time.perf_counter()
    process = subprocess.Popen(
        [binary, "run", "--kubeconfig", kubeconfig,
         "--health-probe-bind-address", f"127.0.0.1:{health}",
         "--metrics-bind-address", f"127.0.0.1:{metrics}"],
        stdout=log, stderr=log)
    return process, health, start


def wait_for(process, port, path, deadline_s):
    end = time.perf_counter() + deadline_s
    while time.perf_counter() < end:
        if status(port, path) == 200:
            return time.perf_counter()
        if process.poll() is not None:
            raise SystemExit(f"bench-startup: kollect run exited with {process.returncode} before {path} answered 200")
    raise SystemExit(f"bench-startup: {path} did not answer 200 within {deadline_s} s")


def proc_status(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])  # kB
    return values


def percentile(values, p):
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # nearest rank
    return ordered[int(rank) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("kubeconfig")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--idle-runs", type=int, default=3)
    parser.add_argument("--idle-seconds", type=float, default=5)
    parser.add_argument("--compare", help="a second binary, run interleaved with the first")
    args = parser.parse_args()

    binaries = [args.binary] + ([args.compare] if args.compare else [])
    prefixes = ["", "compare_"]
    log = tempfile.NamedTemporaryFile(prefix="kollect-bench-run-", suffix=".log", delete=False)
    startups = [[] for _ in binaries]
    for _ in range(args.runs):
        for i, binary in enumerate(binaries):
            process, port, start = spawn(binary, args.kubeconfig, log)
            try:
                startups[i].append((wait_for(process, port, "/healthz", 30) - start) * 1000)
            finally:
                stop(process)
    rss, hwm, ready = ([[] for _ in binaries] for _ in range(3))
    for _ in range(args.idle_runs):
        for i, binary in enumerate(binaries):
            process, port, start = spawn(binary, args.kubeconfig, log)
            try:
                ready[i].append((wait_for(process, port, "/readyz", 60) - start) * 1000)
                time.sleep(args.idle_seconds)
                values = proc_status(process.pid)
                rss[i].append(values["VmRSS"] / 1024)
                hwm[i].append(values["VmHWM"] / 1024)
            finally:
                stop(process)
    for i, prefix in enumerate(prefixes[:len(binaries)]):
        s = startups[i]
        print(prefix + "startup_ms", f"{statistics.median(s):.1f}", f"{percentile(s, 95):.1f}",
              f"{min(s):.1f}", f"{max(s):.1f}", len(s))
        print(prefix + "ready_ms", f"{statistics.median(ready[i]):.1f}", len(ready[i]))
        print(prefix + "idle_rss_mib", f"{statistics.median(rss[i]):.1f}", f"{min(rss[i]):.1f}", f"{max(rss[i]):.1f}", len(rss[i]))
        print(prefix + "idle_hwm_mib", f"{statistics.median(hwm[i]):.1f}", f"{min(hwm[i]):.1f}", f"{max(hwm[i]):.1f}", len(hwm[i]))
    log.close()
    os.unlink(log.name)


if __name__ == "__main__":
    sys.exit(main())
