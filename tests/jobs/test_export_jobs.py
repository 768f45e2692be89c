"""An export runs as a background job: the admin action starts it and shows its progress page,
which offers the file when done; only the admin who asked (or a superuser) may download it."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from intake.exports import clients_csv_zip, intakes_fhir_zip
from intake.models import AccessEvent, Intake
from jobs.models import Job, job_storage
from tests.conftest import make_user, signed_in
from tests.factories import make_client, make_submitted

CHANGELIST = reverse("admin:intake_client_changelist")


@pytest.fixture
def ann(db):
    client = make_client(legal_name="Ann Archer", address="1 Quillfeather Lane")
    make_submitted(client)
    return client


def export(client, clients, action="export_records"):
    selected = {"action": action, "_selected_action": [person.pk for person in clients]}
    response = client.post(CHANGELIST, selected)
    assert response.status_code == 302
    return Job.objects.first(), response.url  # the newest


def test_the_action_starts_a_job_and_shows_its_progress_with_the_download(client, adam, ann):
    client.force_login(adam)
    job, url = export(client, [ann])

    assert url == reverse("jobs:job_progress", args=[job.pk])
    assert job.status == Job.Status.DONE and (job.done, job.total) == (1, 1)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert reverse("jobs:job_download", args=[job.pk]) in text
    assert "Archer" not in text  # the page says how far, never whose records
    assert 'data-following="false"' in text  # done: no more polling

    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "Archer" not in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == clients_csv_zip([ann])


def test_a_running_job_page_updates_itself(client, adam, ann):
    job = Job.objects.create(kind=Job.Kind.EXPORT_RECORDS, requested_by=adam, total=5, done=2)
    job.start()
    client.force_login(adam)
    text = client.get(job.get_absolute_url()).content.decode()
    assert 'data-following="true"' in text
    assert "2 of 5" in text
    assert reverse("jobs:job_download", args=[job.pk]) not in text


def test_the_fhir_export_of_clients_is_a_job_too(client, adam, ann):
    client.force_login(adam)
    job, _url = export(client, [ann], action="export_client_fhir")
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    intakes = Intake.objects.filter(client=ann).submitted()
    # The FHIR ZIP's entries carry the time they were written: compare what they hold.
    assert entries(b"".join(download.streaming_content)) == entries(intakes_fhir_zip(intakes))


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_download_is_recorded_in_the_access_log_and_the_export_is_not(client, adam, ann):
    client.force_login(adam)
    job, _url = export(client, [ann])
    assert not AccessEvent.objects.filter(action="export").exists()

    client.get(reverse("jobs:job_download", args=[job.pk]))
    events = AccessEvent.objects.filter(action="export")
    assert [(e.actor, e.client_id, e.object_type) for e in events] == [(adam, ann.pk, "client")]
    job.refresh_from_db()
    assert job.downloaded_at is not None


def test_the_file_lives_in_private_storage_without_a_url(client, adam, ann):
    client.force_login(adam)
    job, _url = export(client, [ann])
    assert job_storage().exists(job.file_name)
    with pytest.raises(ValueError):
        job_storage().url(job.file_name)


@pytest.mark.parametrize("persona", ["other_admin", "therapist", "client"])
def test_nobody_else_sees_the_job_or_downloads_its_file(persona, adam, tara, alice, ann):
    job = Job.objects.create(kind=Job.Kind.EXPORT_RECORDS, requested_by=adam)
    someone = {
        "other_admin": make_user("amy@example.com", Role.ADMIN),
        "therapist": tara,
        "client": alice,
    }[persona]
    browser = signed_in(someone)
    expected = 404 if persona == "other_admin" else 403
    for name in ["jobs:job_progress", "jobs:job_download"]:
        assert browser.get(reverse(name, args=[job.pk])).status_code == expected
    if persona == "other_admin":
        refused = AccessEvent.objects.filter(action="refused", actor=someone, object_type="job")
        assert refused.count() == 2
    assert not AccessEvent.objects.filter(action="export").exists()


def test_a_superuser_may_download_another_admins_export(client, adam, ann):
    client.force_login(adam)
    job, _url = export(client, [ann])
    boss = make_user("boss@example.com", Role.ADMIN, is_superuser=True)
    assert signed_in(boss).get(reverse("jobs:job_download", args=[job.pk])).status_code == 200


def test_the_pages_answer_get_only(client, adam, ann):
    client.force_login(adam)
    job, url = export(client, [ann])
    assert client.post(url).status_code == 405
    assert client.post(reverse("jobs:job_download", args=[job.pk])).status_code == 405


def test_a_failed_export_says_so_without_client_data(client, adam, ann, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("Ann Archer's record could not be read")

    monkeypatch.setattr("jobs.tasks.write_clients_csv_zip", broken)
    client.force_login(adam)
    job, url = export(client, [ann])
    assert job.status == Job.Status.FAILED and not job.file_name
    text = client.get(url).content.decode()
    assert "This job failed" in text and "Archer" not in text
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404


def test_expired_files_are_deleted_by_the_next_job(client, adam, ann):
    client.force_login(adam)
    old, _url = export(client, [ann])
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    fresh, _url = export(client, [ann])
    old.refresh_from_db()
    assert not old.file_name and not job_storage().exists(f"job-{old.pk}.zip")
    assert client.get(reverse("jobs:job_download", args=[old.pk])).status_code == 404
    assert "has expired" in client.get(old.get_absolute_url()).content.decode()
    assert job_storage().exists(Job.objects.get(pk=fresh.pk).file_name)


def test_a_downloaded_file_is_deleted_an_hour_later(client, adam, ann):
    client.force_login(adam)
    job, _url = export(client, [ann])
    client.get(reverse("jobs:job_download", args=[job.pk]))
    assert Job.objects.delete_expired_files() == 0  # a second try within the hour works
    Job.objects.filter(pk=job.pk).update(downloaded_at=timezone.now() - timedelta(hours=2))
    assert Job.objects.delete_expired_files() == 1
    assert not job_storage().exists(job.file_name)
