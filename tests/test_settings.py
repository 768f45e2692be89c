import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="clinic.example.com",
        HTTPS="1",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_https_the_deploy_check_complains():
    result = manage("check", "--deploy", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64))
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


def fresh_setting(name: str, **env: str):
    """A setting as clinic/settings.py reads it from the environment, in a fresh process
    (pytest-django turns DEBUG off in this one whatever the settings say). The variables of
    this run that the test sets or that name a bucket are left out, `env` added."""
    environment = {
        k: v for k, v in os.environ.items() if k != "DEBUG" and not k.startswith("CLEARANCES_S3")
    }
    environment.update(SECRET_KEY="settings-test", **env)
    code = f"import json, clinic.settings as s; print(json.dumps(s.{name}, default=str))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def settings_debug(**env: str) -> str:
    return str(fresh_setting("DEBUG", **env))


def test_debug_is_off_unless_asked_for():
    assert settings_debug() == "False"
    assert settings_debug(DEBUG="") == "False"
    assert settings_debug(DEBUG="0") == "False"


def test_debug_is_on_when_asked_for():
    assert settings_debug(DEBUG="1") == "True"


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("on", True), ("0", False), ("no", False)]
)
def test_env_bool(monkeypatch, value, expected):
    from clinic.settings import env_bool

    monkeypatch.setenv("SOME_FLAG", value)
    assert env_bool("SOME_FLAG") is expected


def test_database_url_selects_the_engine(settings):
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    )
    assert settings.DATABASES["default"]["ENGINE"].endswith(expected)
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def storages_with(**env: str) -> dict:
    return fresh_setting("STORAGES", **env)


def test_with_a_bucket_every_kept_file_goes_into_it():
    """Several web nodes and workers share files only through the bucket: the letters, the
    exports and the clinic's logo each under their own prefix, none on a node's disk."""
    storages = storages_with(CLEARANCES_S3_BUCKET="clinic-files", CLEARANCES_S3_PREFIX="letters")
    kept = {name: storages[name] for name in ["default", "clearances", "jobs"]}
    for name, storage in kept.items():
        assert storage["BACKEND"] == "storages.backends.s3.S3Storage", name
        assert storage["OPTIONS"]["bucket_name"] == "clinic-files", name
        assert storage["OPTIONS"]["default_acl"] == "private", name
    prefixes = [storage["OPTIONS"]["location"] for storage in kept.values()]
    assert len(set(prefixes)) == 3
    assert storages["clearances"]["OPTIONS"]["location"] == "letters"


def test_without_a_bucket_kept_files_stay_on_the_local_disk():
    storages = storages_with()
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    for name in ["clearances", "jobs"]:
        assert storages[name]["BACKEND"] == "clearances.storage.PrivateFileStorage"
