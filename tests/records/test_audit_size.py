"""What the audit trail does not copy: the suggestion, stored (immutable) with the intake."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from intake.models import Intake
from tests.factories import make_client, make_submitted


def test_submitting_does_not_copy_the_suggestion_into_the_trail(alice):
    intake = make_submitted(make_client(alice))
    assert intake.suggestion
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Intake), object_pk=str(intake.pk)
    )
    assert entries.exists()
    assert all("suggestion" not in (entry.changes or {}) for entry in entries)
    assert any("status" in (entry.changes or {}) for entry in entries)
