"""Gunicorn's workers, run with gunicorn.conf.py, set what the loaded app holds aside from
the garbage collector: a full collection then walks only what requests made."""

import http.client
import time

from tests.test_gunicorn_workers import gunicorn_serving

FREEZE_PROBE = """
import gc

# Loaded with the app, as Django's modules and settings are.
LOADED = [{"row": n} for n in range(20_000)]


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(gc.get_freeze_count()).encode()]
"""


def test_a_worker_freezes_what_the_app_loaded(tmp_path):
    (tmp_path / "freeze_probe.py").write_text(FREEZE_PROBE)
    with gunicorn_serving(tmp_path, "freeze_probe:application", WEB_CONCURRENCY="1") as port:
        deadline = time.monotonic() + 30
        while True:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request("GET", "/")
                frozen = int(connection.getresponse().read())
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.2)
            finally:
                connection.close()
    assert frozen > 20_000  # the app's objects, and the worker's own
