"""Real concurrent transactions on PostgreSQL: requests in threads, row locks held from a second
connection, and a way to wait until a request is queued behind a lock.

Every helper here opens its own database connection (Django gives each thread one) and closes it
when done, so the tests need `@pytest.mark.django_db(transaction=True)`.
"""

import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction
from django.test import Client

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and concurrent transactions are tested on PostgreSQL (DATABASE_URL)",
)


class Request(threading.Thread):
    """One HTTP request through the test client, in a thread with its own connection."""

    def __init__(self, client: Client, method: str, path: str, data=None, barrier=None):
        super().__init__(daemon=True)
        self.client, self.method, self.path, self.data = client, method, path, data
        self.barrier = barrier
        self.response = None
        self.error: BaseException | None = None

    def run(self):
        try:
            if self.barrier is not None:
                self.barrier.wait(timeout=10)
            send = getattr(self.client, self.method)
            self.response = send(self.path, self.data or {})
        except BaseException as error:  # reported by result(), on the test's thread
            self.error = error
        finally:
            connections.close_all()

    def result(self, timeout: float = 30):
        self.join(timeout)
        assert not self.is_alive(), f"{self.method.upper()} {self.path} did not finish"
        if self.error is not None:
            raise self.error
        return self.response


def start(client: Client, method: str, path: str, data=None, barrier=None) -> Request:
    request = Request(client, method, path, data, barrier)
    request.start()
    return request


def raise_server_errors(client: Client) -> Client:
    client.raise_request_exception = True
    return client


@contextmanager
def row_lock(model, pk: int):
    """Hold `SELECT ... FOR UPDATE` on one row from another connection until the block ends."""
    locked, release = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def hold():
        try:
            with transaction.atomic():
                model.objects.select_for_update().get(pk=pk)
                locked.set()
                release.wait(timeout=60)
        except BaseException as error:
            failure.append(error)
            locked.set()
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert locked.wait(timeout=10) and not failure, failure
    try:
        yield
    finally:
        release.set()
        holder.join(timeout=10)


def lock_waiters() -> int:
    """How many backends of this database are waiting for a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def wait_for_lock_waiters(count: int, timeout: float = 10) -> None:
    """Block until `count` backends are queued behind a lock (the requests reached it)."""
    deadline = time.monotonic() + timeout
    while lock_waiters() < count:
        assert time.monotonic() < deadline, f"fewer than {count} requests waited for the lock"
        time.sleep(0.02)
