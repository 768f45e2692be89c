"""Gunicorn, run with gunicorn.conf.py, spreads concurrent requests over all its workers.

A gthread worker accepts connections for as long as it has room for them, not for as long
as it has a free thread: with room for 1,000 (gunicorn's default), one worker could take
every request of a burst while the other processes sat idle, and the app ran on one core.
"""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"

PROBE_APP = """
import os
import time


def application(environ, start_response):
    time.sleep(1)  # long enough for the whole burst to arrive while it is served
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]
"""

WORKERS = 2
THREADS = 2
ROUNDS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn_serving(app_dir: Path, app: str, **environment: str):
    """gunicorn, with gunicorn.conf.py, serving `app` from `app_dir` on a free port (yielded);
    stopped on the way out."""
    port = free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py", "--pythonpath", str(app_dir), app],
        cwd=ROOT,
        env={**os.environ, **environment, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def probe_server(tmp_path):
    (tmp_path / "probe_app.py").write_text(PROBE_APP)
    workers = {"WEB_CONCURRENCY": str(WORKERS), "GUNICORN_THREADS": str(THREADS)}
    with gunicorn_serving(tmp_path, "probe_app:application", **workers) as port:
        wait_for_workers(port)
        yield port


def wait_for_workers(port: int) -> None:
    """Until both workers have answered (each boots on its own)."""
    deadline = time.monotonic() + 30
    seen = set()
    while len(seen) < WORKERS:
        if time.monotonic() > deadline:
            raise AssertionError("gunicorn's workers did not all answer within 30 s")
        answered = {pid for pid in burst(port) if pid}
        if not answered:
            time.sleep(0.2)
        seen |= answered


def get_pid(port: int) -> str:
    """The pid of the worker that served one request on a new connection; "" if refused."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/")
        return connection.getresponse().read().decode()
    except ConnectionRefusedError:
        return ""
    finally:
        connection.close()


def burst(port: int) -> list[str]:
    """As many requests at once as the workers have threads; the pid that served each."""
    size = WORKERS * THREADS
    barrier = threading.Barrier(size)
    pids = [""] * size

    def send(index):
        barrier.wait()
        pids[index] = get_pid(port)

    threads = [threading.Thread(target=send, args=[i]) for i in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return pids


def test_a_burst_of_requests_is_shared_by_every_worker(probe_server):
    for _ in range(ROUNDS):
        served = Counter(burst(probe_server))
        assert sorted(served.values()) == [THREADS] * WORKERS, served
