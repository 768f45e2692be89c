"""clinic.rows: a row read by a plain statement is the instance the ORM would make."""

from datetime import datetime

from django.utils import timezone

from accounts.models import User
from clinic.rows import row_by_pk
from clinic_settings.models import ClinicSettings


def values(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_an_account_reads_as_the_orm_reads_it(alice):
    alice.last_login = timezone.now()
    alice.save()
    read = row_by_pk(User, alice.pk)
    assert values(read) == values(User.objects.get(pk=alice.pk))
    # Converted as Django converts them (SQLite hands back text and integers).
    assert isinstance(read.last_login, datetime) and timezone.is_aware(read.last_login)
    assert read.is_active is True and read.is_superuser is False
    assert read._state.adding is False and read._state.db == "default"


def test_the_key_may_come_as_text(alice):
    assert row_by_pk(User, str(alice.pk)) == alice


def test_no_such_row(db):
    assert row_by_pk(User, 987654) is None


def test_the_clinic_settings_once_saved(db):
    assert ClinicSettings.load().name == ClinicSettings().name  # the defaults, not a row
    ClinicSettings(name="Back in Balance", reminder_after_days=5).save()
    loaded = ClinicSettings.load()
    assert (loaded.name, loaded.reminder_after_days) == ("Back in Balance", 5)
    assert values(loaded) == values(ClinicSettings.objects.get(pk=1))
