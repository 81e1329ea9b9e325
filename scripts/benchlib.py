"""Helpers shared by the benchmark scripts (bench-startup.py, bench-pipeline.py)."""
import signal
import socket
import subprocess


def free_port():
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process):
    """SIGTERM, then SIGKILL after 30 s; a process that already ended is left alone."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
