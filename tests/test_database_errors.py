"""Database trouble: an outage or a timeout answers a 503 page that says to try again."""

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError, connection, transaction
from django.urls import reverse

from intake.models import Client
from tests.conftest import signed_in

ROOT = Path(__file__).resolve().parent.parent


def failing_database(error: Exception, table: str = ""):
    """An execute wrapper failing every query (or those on one table) like a broken database."""

    def execute(execute, sql, params, many, context):
        if table in sql:
            raise error
        return execute(sql, params, many, context)

    return connection.execute_wrapper(execute)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server failed: Alice Archer's back pain"),
        InterfaceError("connection already closed"),
        OperationalError("canceling statement due to lock timeout"),
    ],
)
def test_a_database_error_in_a_view_answers_the_503_page(tara, error, caplog):
    browser = signed_in(tara)
    with caplog.at_level(logging.WARNING), failing_database(error):
        response = browser.get(reverse("intake:review_queue"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "try again" in text
    assert "Alice" not in text and "back pain" not in text and "connection" not in text
    (record,) = [r for r in caplog.records if r.name == "clinic.middleware"]
    assert "\n" not in record.getMessage()
    assert "Alice" not in record.getMessage() and "back pain" not in record.getMessage()
    assert "/review/" in record.getMessage()


def test_a_timeout_in_the_view_itself_answers_the_503_page(tara, caplog):
    browser = signed_in(tara)
    timeout = OperationalError("canceling statement due to statement timeout")
    with caplog.at_level(logging.WARNING), failing_database(timeout, table="intake_intake"):
        response = browser.get(reverse("intake:review_queue"))
    assert response.status_code == 503
    assert "try again" in response.content.decode()
    assert [r.name for r in caplog.records].count("clinic.middleware") == 1


def test_other_errors_are_not_turned_into_a_503(tara, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug, not the database")

    monkeypatch.setattr("intake.views.review.queue_page", broken)
    with pytest.raises(ValueError):
        signed_in(tara).get(reverse("intake:review_queue"))


def test_healthz_keeps_its_own_503_answer(client, db):
    with failing_database(OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}


def test_healthz_is_503_for_a_signed_in_browser_too(tara):
    browser = signed_in(tara)
    with failing_database(OperationalError("connection refused")):
        assert browser.get("/healthz").status_code == 503


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="lock and statement timeouts are PostgreSQL settings"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_new_connections_have_lock_and_statement_timeouts():
    connection.close()  # a fresh connection, made from the settings
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "5s"
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


def test_the_timeouts_can_be_set_from_the_environment():
    environment = {
        **os.environ,
        "DATABASE_URL": "postgres://clinic@127.0.0.1:5432/clinic",
        "DB_LOCK_TIMEOUT_MS": "1500",
        "DB_STATEMENT_TIMEOUT_MS": "60000",
    }
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "-c lock_timeout=1500 -c statement_timeout=60000" in result.stdout


def test_sqlite_gets_no_postgresql_options():
    environment = {**os.environ, "DATABASE_URL": "sqlite:///:memory:"}
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "lock_timeout" not in result.stdout


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_held_row_lock_answers_503_within_the_lock_timeout(adam, monkeypatch):
    person = Client.objects.create(legal_name="Locked Record")
    browser = signed_in(adam)
    # The lock timeout comes from the settings' connection options, shortened for the test.
    monkeypatch.setitem(
        connection.settings_dict["OPTIONS"], "options", "-c lock_timeout=300 -c statement_timeout=0"
    )
    connection.close()
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                Client.objects.select_for_update().get(pk=person.pk)
                locked.set()
                release.wait(timeout=20)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row, daemon=True)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        started = time.monotonic()
        response = browser.post(
            reverse("admin:intake_client_changelist"),
            {"action": "archive", "_selected_action": [person.pk]},
        )
        elapsed = time.monotonic() - started
    finally:
        release.set()
        holder.join(timeout=10)
        connection.close()

    assert response.status_code == 503
    assert elapsed < 5
    assert not Client.objects.get(pk=person.pk).archived
