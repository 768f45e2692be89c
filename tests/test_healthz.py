import pytest
from django.db import OperationalError


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


class BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_healthz_says_unavailable_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr("clinic.views.connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert "refused" not in response.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_wrong_method(client, method):
    assert getattr(client, method)("/healthz").status_code == 405
