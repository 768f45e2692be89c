"""The shared layout: our own static files, error pages that reveal nothing."""

import re

from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


def test_pages_load_no_third_party_files(client, alice):
    client.force_login(alice)
    page = client.get(reverse("intake:client_home")).content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in sources


def test_vendor_files_come_from_installed_packages():
    assert finders.find("vendor/bootstrap/css/bootstrap.min.css")
    assert finders.find("vendor/bootstrap/js/bootstrap.bundle.min.js")
    assert finders.find("css/clinic.css")


def test_phone_navigation_collapses_behind_a_labelled_button(client, tara):
    client.force_login(tara)
    page = client.get(reverse("intake:review_queue")).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert 'aria-label="Menu"' in page and "navbar-collapse" in page
    assert reverse("intake:review_queue") in page
    assert reverse("intake:client_home") not in page
    assert reverse("admin:index") not in page


def test_admin_navigation_shows_records(client, adam):
    client.force_login(adam)
    page = client.get(reverse("account")).content.decode()
    assert reverse("admin:index") in page and reverse("intake:review_queue") in page


def test_404_reveals_nothing(client, alice):
    client.force_login(alice)
    response = client.get("/no/such/page/with-secret-name/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "with-secret-name" not in page
    assert "urlpatterns" not in page and "Traceback" not in page


def test_500_page_is_plain_and_reveals_nothing():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "Traceback" not in page and "settings" not in page


def test_csrf_failure_page_is_friendly(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"login": "a@example.com", "password": "x"})
    assert response.status_code == 403
    assert "Please try again" in response.content.decode()
