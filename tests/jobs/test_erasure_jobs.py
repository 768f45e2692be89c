"""Anonymising or deleting many clients is a background job: each client in its own
transaction, the progress page counting them, a failure on one leaving the others done."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from intake import erasure
from intake.models import Client
from jobs.models import Job
from jobs.tasks import run_job
from tests.factories import make_client, make_submitted

CHANGELIST = reverse("admin:intake_client_changelist")


@pytest.fixture
def three(db):
    people = [make_client(legal_name=f"Quill {n}", email=f"q{n}@example.com") for n in range(3)]
    for person in people:
        make_submitted(person)
    return people


def confirm(client, action, people):
    selected = {"action": action, "_selected_action": [p.pk for p in people], "confirm": "1"}
    return client.post(CHANGELIST, selected)


def test_anonymising_many_clients_is_a_job_with_a_progress_page(client, adam, three):
    client.force_login(adam)
    response = confirm(client, "anonymise_clients", three)

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.kind, job.status, job.done, job.total) == ("anonymise", "done", 3, 3)
    names = Client.objects.values_list("legal_name", flat=True)
    assert all(name.startswith("Anonymised client") for name in names)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Done: 3 of 3" in page and "Quill" not in page


def test_one_client_that_fails_leaves_the_others_erased_and_is_named_by_id(
    client, adam, three, monkeypatch
):
    stuck = three[1]
    delete = erasure.delete

    def delete_unless_stuck(person, *, by):
        if person.pk == stuck.pk:
            raise RuntimeError("Quill 1 is locked")
        delete(person, by=by)

    monkeypatch.setattr(erasure, "delete", delete_unless_stuck)
    client.force_login(adam)
    confirm(client, "delete_clients", three)

    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.failed_ids == [stuck.pk]
    assert list(Client.objects.values_list("pk", flat=True)) == [stuck.pk]
    page = client.get(job.get_absolute_url()).content.decode()
    assert f"#{stuck.pk}" in page and "could not be deleted" in page
    assert "locked" not in page and "Quill" not in page


def test_the_audit_trail_names_the_admin_who_asked_even_on_a_worker(adam, three):
    # Run as a worker would: outside any request, so only the job can say who asked.
    job = Job.objects.create(
        kind=Job.Kind.ANONYMISE, requested_by=adam, object_ids=[three[0].pk], total=1
    )
    before = LogEntry.objects.order_by("pk").last().pk
    run_job.call(job.pk)

    entries = LogEntry.objects.filter(pk__gt=before, additional_data__client_id=three[0].pk)
    updates = entries.filter(action=LogEntry.Action.UPDATE, content_type__model="intake")
    assert updates.exists()
    assert set(updates.values_list("actor", flat=True)) == {adam.pk}


def test_the_confirmation_of_every_matching_client_carries_the_selection_across(
    client, adam, three
):
    client.force_login(adam)
    # The admin's "select all 3" sends the page's boxes (here one) and select_across.
    everyone = {
        "action": "delete_clients",
        "select_across": "1",
        "_selected_action": [three[0].pk],
    }
    page = client.post(CHANGELIST, everyone).content.decode()
    assert 'name="select_across" value="1"' in page

    client.post(CHANGELIST, {**everyone, "confirm": "1"})
    assert not Client.objects.exists()
    assert Job.objects.get().total == 3
