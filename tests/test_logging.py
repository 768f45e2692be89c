"""No token or client data in any log line: gunicorn's access log and Django's logging."""

import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from clinic.logging import RedactQueryStrings, without_query_strings

ROOT = Path(__file__).resolve().parent.parent
SECRET_QUERY = "token=s3cr3t-t0ken&q=Alice+Archer&dob=1980-05-17"


def gunicorn_settings() -> dict:
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def gunicorn_access_line(environ: dict) -> str:
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", gunicorn_settings()["access_log_format"])
    logger = Logger(config)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.access_log.addHandler(handler)
    response = SimpleNamespace(status="200 OK", headers=[("Content-Type", "text/html")], sent=512)
    request = SimpleNamespace(
        headers=[("COOKIE", "sessionid=abc"), ("REFERER", environ["HTTP_REFERER"])]
    )
    logger.access(response, request, environ, timedelta(milliseconds=42))
    return lines[-1]


def test_gunicorns_access_log_has_the_path_but_no_query_string_referrer_or_cookie():
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/accounts/invitation/?{SECRET_QUERY}",
        "PATH_INFO": "/accounts/invitation/",
        "QUERY_STRING": SECRET_QUERY,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.5",
        "HTTP_REFERER": f"https://clinic.example.com/review/?{SECRET_QUERY}",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    line = gunicorn_access_line(environ)
    assert '"GET /accounts/invitation/ HTTP/1.1" 200 512' in line
    for secret in ["s3cr3t", "Alice", "1980", "sessionid", "token"]:
        assert secret not in line


def test_gunicorn_runs_gthread_workers_with_timeouts():
    config = gunicorn_settings()
    assert config["worker_class"] == "gthread"
    assert config["threads"] >= 2
    assert 10 <= config["timeout"] <= 60
    assert config["graceful_timeout"] <= 60
    assert config["keepalive"] <= 10
    assert config["limit_request_line"] <= 8190
    assert config["wsgi_app"] == "clinic.wsgi:application"
    fmt = config["access_log_format"]
    for atom in ["%(r)s", "%(q)s", "%(f)s", "{", "%(a)s"]:
        assert atom not in fmt


def test_gunicorn_accepts_its_configuration_file():
    from gunicorn.config import Config

    config = Config()
    for name, value in gunicorn_settings().items():
        if name in config.settings:
            config.set(name, value)
    assert config.worker_class_str == "gthread"
    assert config.timeout == gunicorn_settings()["timeout"]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            '"GET /accounts/invitation/?token=abc HTTP/1.1" 200',
            '"GET /accounts/invitation/?[query removed] HTTP/1.1" 200',
        ),
        ("Not Found: /review/?q=Alice", "Not Found: /review/?[query removed]"),
        ("https://x.example/a?b=c#d", "https://x.example/a?[query removed]#d"),
        ("Are you sure? Yes.", "Are you sure? Yes."),
        ("No query: /review/12/", "No query: /review/12/"),
    ],
)
def test_query_strings_are_cut_from_log_messages(message, expected):
    assert without_query_strings(message) == expected


def test_the_filter_rewrites_a_record_with_arguments():
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "Slow: %s %s", ("GET", "/a/?q=Ann"), None
    )
    assert RedactQueryStrings().filter(record) is True
    assert record.getMessage() == "Slow: GET /a/?[query removed]"


def test_djangos_console_handler_carries_the_filter(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert "no_query_strings" in handler["filters"]
    assert (
        settings.LOGGING["filters"]["no_query_strings"]["()"] == "clinic.logging.RedactQueryStrings"
    )
