"""The queue's "awaiting clearance" filter and badge; letters in backups."""

import tarfile

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clearances.models import Clearance
from intake import backups
from tests.clearances.helpers import a_pdf, red_flag_intake
from tests.conftest import make_user, signed_in
from tests.factories import make_client, make_submitted


def test_the_queue_filters_and_marks_intakes_awaiting_clearance(alice, bob, tara):
    waiting = red_flag_intake(alice, tara)
    cleared = red_flag_intake(bob, tara)
    Clearance.objects.create(
        intake=cleared, doctor_name="Dr Rivera", cleared_on=timezone.localdate(), recorded_by=tara
    )
    carol = make_user("carol@example.com", full_name="Carol Calm")
    make_submitted(make_client(carol, legal_name="Carol Calm", assigned_therapist=tara))
    therapist = signed_in(tara)

    page = therapist.get(reverse("intake:review_queue")).content.decode()
    assert page.count("Awaiting clearance</span>") == 1
    assert "Alice Archer" in page and "Carol Calm" in page

    therapist.post(reverse("intake:review_queue"), {"awaiting_clearance": "on"})
    page = therapist.get(reverse("intake:review_queue")).content.decode()
    assert "Alice Archer" in page
    assert "Bob Baker" not in page and "Carol Calm" not in page
    assert waiting.pk


def test_a_backup_carries_the_letters_and_a_restore_puts_them_back(
    transactional_db, alice, tmp_path, settings
):
    intake = red_flag_intake(alice)
    signed_in(alice).post(
        reverse("clearances:client_clearance", args=[intake.pk]), {"document": a_pdf()}
    )
    letter = intake.clearance_letters.get()
    stored = letter.file.storage.path(letter.file.name)

    call_command("backup", output_dir=tmp_path / "backups")
    backups_dir = tmp_path / "backups"
    (database,) = [*backups_dir.glob("*.sqlite3"), *backups_dir.glob("*.dump")]
    archive = backups.private_files_archive(database)
    with tarfile.open(archive) as tar:
        assert f"clearances/{letter.file.name}" in tar.getnames()
    assert oct(archive.stat().st_mode & 0o777) == oct(0o600)

    # The disk is lost; the restore brings the letter back with the records.
    letter.file.storage.delete(letter.file.name)
    backups.restore_private_files(database)
    with open(stored, "rb") as restored:
        assert restored.read(5) == b"%PDF-"
