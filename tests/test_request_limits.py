"""Request bodies larger than the app ever reads are refused before anything reads them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

MB = 1024 * 1024


def upload(size: int) -> dict:
    return {"letter": SimpleUploadedFile("letter.pdf", b"%" * size, "application/pdf")}


@pytest.mark.parametrize("name", ["login", "signup", "csp_report", "home"])
def test_a_30_mb_anonymous_upload_is_refused(client, db, name):
    response = client.post(reverse(name), upload(30 * MB))
    assert response.status_code == 413


def test_a_30_mb_upload_is_refused_when_signed_in_too(personas):
    response = personas["client_a"].post(reverse("intake:client_home"), upload(30 * MB))
    assert response.status_code == 413


def test_an_anonymous_form_of_ordinary_size_goes_through(client, db):
    response = client.post(reverse("login"), {"login": "x@example.com", "password": "wrong"})
    assert response.status_code != 413


def test_a_signed_in_upload_under_the_limit_reaches_the_view(personas):
    response = personas["client_a"].post(reverse("intake:client_home"), upload(1 * MB))
    assert response.status_code != 413


def test_the_limits_are_set(settings):
    assert settings.REQUEST_BODY_MAX_BYTES <= 10 * MB
    assert settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES <= 1 * MB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
