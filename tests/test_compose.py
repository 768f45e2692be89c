"""Docker does not run on this machine: check docker-compose.yml and the Dockerfile as text."""

from pathlib import Path

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
    assert "gunicorn clinic.wsgi" in command
    assert command.index("migrate") < command.index("gunicorn")
    assert web["depends_on"]["db"]["condition"] == "service_healthy"


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
    assert "gunicorn" in dockerfile
