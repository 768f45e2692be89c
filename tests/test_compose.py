"""Docker does not run on this machine: check docker-compose.yml and the Dockerfile as text."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_db_is_postgres_16_with_a_volume_and_a_health_check():
    db = load_compose()["services"]["db"]
    assert db["image"].startswith("postgres:16")
    volume = db["volumes"][0].split(":")[0]
    assert volume in load_compose()["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_web_runs_gunicorn_after_migrations_once_the_db_is_healthy():
    web = load_compose()["services"]["web"]
    assert web["build"] == "."
    command = web["command"]
    assert "migrate" in command
    assert "gunicorn --config gunicorn.conf.py clinic.wsgi:application" in command
    assert command.index("migrate") < command.index("gunicorn")
    assert web["depends_on"]["db"]["condition"] == "service_healthy"


def test_only_the_proxy_is_reachable_from_outside():
    services = load_compose()["services"]
    assert "ports" not in services["web"]
    assert "ports" not in services["db"]
    assert services["web"]["expose"] == ["8000"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:2")
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert proxy["environment"]["SITE_DOMAIN"].startswith("${SITE_DOMAIN")
    assert any(volume.startswith("caddy_data:") for volume in proxy["volumes"])


def test_web_trusts_https_from_the_proxy():
    environment = load_compose()["services"]["web"]["environment"]
    assert environment["HTTPS"] == "1"
    assert environment["BEHIND_PROXY"] == "1"
    assert "SITE_DOMAIN" in environment["ALLOWED_HOSTS"]
    assert environment["CSRF_TRUSTED_ORIGINS"].startswith("${CSRF_TRUSTED_ORIGINS:-https://")
    assert environment["HSTS_PRELOAD"] == "${HSTS_PRELOAD:-0}"


def test_email_is_never_the_console_by_default():
    environment = load_compose()["services"]["web"]["environment"]
    assert "console" not in environment["EMAIL_BACKEND"]
    assert environment["EMAIL_BACKEND"].endswith("filebased.EmailBackend}")
    assert environment["EMAIL_FILE_PATH"] == "/app/outbox"
    web = load_compose()["services"]["web"]
    assert "outbox:/app/outbox" in web["volumes"]
    assert "outbox" in load_compose()["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "mkdir -m 700 /app/outbox" in dockerfile


def caddyfile() -> str:
    return (ROOT / "Caddyfile").read_text()


def test_caddy_serves_the_clinics_domain_over_https_and_limits_bodies():
    text = caddyfile()
    assert "{$SITE_DOMAIN:localhost} {" in text
    assert "reverse_proxy web:8000" in text
    assert re.search(r"request_body \{\s*max_size 10MB\s*\}", text)
    for timeout in ["read_header 10s", "read_body 60s", "idle 2m"]:
        assert timeout in text
    assert "\tlog" not in text  # no access log of full URLs


@pytest.mark.skipif(not shutil.which("caddy"), reason="caddy is not installed (Debian: caddy)")
def test_caddy_accepts_the_caddyfile():
    result = subprocess.run(
        ["caddy", "adapt", "--config", str(ROOT / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "SITE_DOMAIN": "intake.example.com", "HOME": "/tmp"},
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    server = config["apps"]["http"]["servers"]["srv0"]
    assert server["read_header_timeout"] == 10 * 10**9
    handlers = json.dumps(server["routes"])
    assert '"max_size": 10000000' in handlers
    assert "intake.example.com" in handlers


def test_web_takes_its_settings_from_the_environment():
    environment = load_compose()["services"]["web"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY")
    assert environment["DEBUG"] == "0"
    for name in ["ALLOWED_HOSTS", "HTTPS", "TIME_ZONE", "EMAIL_BACKEND"]:
        assert name in environment


def test_dockerfile_installs_pinned_packages_and_collects_static():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    assert "npm ci" in dockerfile
    assert "collectstatic" in dockerfile
    assert "gunicorn --config gunicorn.conf.py clinic.wsgi:application" in dockerfile


@pytest.mark.parametrize(
    "folder, volume",
    [("/app/private", "private"), ("/app/media", "media")],
    ids=["clearance letters and job files", "the clinic's logo"],
)
def test_files_the_app_keeps_outlive_its_container(folder, volume):
    """Uploads live in named volumes: re-creating the web container (an upgrade) keeps them."""
    compose = load_compose()
    assert f"{volume}:{folder}" in compose["services"]["web"]["volumes"]
    assert volume in compose["volumes"]
    # A named volume copies the image folder's owner when first mounted; a folder the image
    # lacks would be created for root, and the app (user clinic) could not write into it.
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(rf"mkdir -m 700 [^\n]*{folder}\b", dockerfile)


def test_a_worker_runs_the_background_jobs_with_the_web_apps_settings_and_files():
    services = load_compose()["services"]
    worker = services["worker"]
    assert worker["build"] == "."
    assert worker["command"] == "python manage.py db_worker"
    assert worker["environment"] == services["web"]["environment"]
    assert "private:/app/private" in worker["volumes"]
    assert "ports" not in worker
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"
