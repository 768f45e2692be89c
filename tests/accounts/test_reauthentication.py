"""Exports, erasure, role changes and second-factor changes ask for the password again unless
it was confirmed in the last five minutes; the request then goes through as it was sent."""

from django.urls import resolve, reverse

from accounts.roles import Role
from intake.models import AccessEvent, Client
from tests.conftest import PASSWORD, forget_recent_sign_in
from tests.factories import make_client, make_submitted

CHANGELIST = "admin:intake_client_changelist"


def confirm_password(client, response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate")), response.url
    return client.post(response.url, {"password": PASSWORD})


def test_an_export_asks_for_the_password_then_downloads(client, adam, alice):
    person = make_client(alice, legal_name="Alice Archer")
    make_submitted(person)
    client.force_login(adam)
    forget_recent_sign_in(client)
    selected = {"_selected_action": [person.pk], "action": "export_records"}

    response = client.post(reverse(CHANGELIST), selected)
    assert not AccessEvent.objects.filter(action="export").exists()
    assert client.post(response.url, {"password": "not-the-password"}).status_code == 200
    assert not AccessEvent.objects.filter(action="export").exists()

    download = job_file(client, confirm_password(client, response))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert AccessEvent.objects.filter(client=person, action="export").count() == 1
    # Confirmed: the next export within five minutes goes straight through.
    again = client.post(reverse(CHANGELIST), {**selected, "action": "export_client_fhir"})
    assert job_file(client, again)["Content-Type"] == "application/zip"


def job_file(client, started):
    """The export started a job and showed its progress page: the job's file."""
    job = resolve(started.url).kwargs["pk"]
    return client.get(reverse("jobs:job_download", args=[job]))


def test_erasure_asks_for_the_password_before_anything_goes(client, adam):
    person = make_client(email="zed@example.com", legal_name="Zebedee Zed")
    client.force_login(adam)
    forget_recent_sign_in(client)
    selected = {"action": "delete_clients", "_selected_action": [person.pk], "confirm": "1"}
    response = client.post(reverse(CHANGELIST), selected)
    assert Client.objects.filter(pk=person.pk).exists()
    confirm_password(client, response)
    assert not Client.objects.filter(pk=person.pk).exists()


def test_deleting_a_client_from_its_page_asks_too(client, adam):
    person = make_client(email="zed@example.com", legal_name="Zebedee Zed")
    client.force_login(adam)
    forget_recent_sign_in(client)
    url = reverse("admin:intake_client_delete", args=[person.pk])
    response = client.post(url, {"post": "yes"})
    assert Client.objects.filter(pk=person.pk).exists()
    confirm_password(client, response)
    assert not Client.objects.filter(pk=person.pk).exists()


def test_a_role_change_asks_for_the_password(client, adam, alice):
    client.force_login(adam)
    forget_recent_sign_in(client)
    selected = {"action": "make_admin", "_selected_action": [alice.pk]}
    response = client.post(reverse("admin:accounts_user_changelist"), selected)
    alice.refresh_from_db()
    assert alice.role == Role.CLIENT
    confirm_password(client, response)
    alice.refresh_from_db()
    del alice._role_groups
    assert alice.role == Role.ADMIN


def test_saving_a_person_in_the_admin_asks_for_the_password(client, adam, alice):
    client.force_login(adam)
    forget_recent_sign_in(client)
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    response = client.post(url, {"email": alice.email, "full_name": "Changed"})
    assert response.url.startswith(reverse("account_reauthenticate"))
    alice.refresh_from_db()
    assert alice.full_name == "Alice Archer"


def test_changing_a_second_factor_asks_for_the_password(client, tara):
    client.force_login(tara)
    forget_recent_sign_in(client)
    response = client.get(reverse("mfa_generate_recovery_codes"))
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_a_recent_sign_in_is_enough(client, adam, alice):
    person = make_client(alice, legal_name="Alice Archer")
    client.force_login(adam)  # signed in just now, with password and code
    selected = {"_selected_action": [person.pk], "action": "export_records"}
    started = client.post(reverse(CHANGELIST), selected)
    assert job_file(client, started)["Content-Type"] == "application/zip"
