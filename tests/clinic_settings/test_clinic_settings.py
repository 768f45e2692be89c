"""The clinic's settings: one row an admin edits, used by the header, emails, the safety
advice, the consent step, the reminders and the time zone."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from clinic_settings.middleware import ClinicSettingsMiddleware
from clinic_settings.models import ClinicSettings, ConsentVersion
from intake.models import Intake
from intake.rules.codes import RED_FLAGS
from tests.factories import make_client, make_complete_draft, make_draft

pytestmark = pytest.mark.django_db
EMERGENCY_FLAG = next(code for code, flag in RED_FLAGS.items() if flag.urgency == "emergency")


def png(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (47, 111, 98)).save(buffer, format="PNG")
    return buffer.getvalue()


def configure(**fields) -> ClinicSettings:
    clinic = ClinicSettings.load()
    for name, value in fields.items():
        setattr(clinic, name, value)
    clinic.save()
    return clinic


def test_one_row_whatever_is_saved():
    first = ClinicSettings.load()
    assert first._state.adding  # reading writes nothing
    first.save()
    ClinicSettings(name="Another").save()
    assert ClinicSettings.objects.count() == 1
    loaded = ClinicSettings.load()
    assert loaded.name == "Another" and not loaded._state.adding  # a save updates the row
    assert first.pk == 1
    with pytest.raises(PermissionError):
        first.delete()


@pytest.mark.parametrize("colour", ["red", "#12345", "#12345g", "2f6f62", "#2f6f62;x"])
def test_the_brand_colour_is_a_hex_colour(colour):
    clinic = ClinicSettings.load()
    clinic.brand_colour = colour
    with pytest.raises(ValidationError) as error:
        clinic.full_clean()
    assert "brand_colour" in error.value.message_dict


def test_the_logo_is_a_small_image():
    clinic = ClinicSettings.load()
    clinic.logo = SimpleUploadedFile("logo.gif", b"GIF89a....", content_type="image/gif")
    with pytest.raises(ValidationError) as error:
        clinic.full_clean()
    assert "logo" in error.value.message_dict

    big = SimpleUploadedFile("logo.png", png((2000, 2000)) + b"\0" * 600_000)
    clinic.logo = big
    with pytest.raises(ValidationError) as error:
        clinic.full_clean()
    assert "512 KB" in str(error.value)

    clinic.logo = SimpleUploadedFile("logo.png", png())
    clinic.full_clean()


def test_the_header_shows_the_name_and_the_logo_which_the_app_serves(client, alice):
    clinic = ClinicSettings.load()
    clinic.name = "Harbour Street Clinic"
    clinic.brand_colour = "#884400"
    clinic.logo.save("logo.png", SimpleUploadedFile("logo.png", png()), save=False)
    clinic.save()
    client.force_login(alice)
    page = client.get(reverse("intake:client_home")).content.decode()
    assert "Harbour Street Clinic" in page
    assert reverse("clinic_settings:logo") in page
    assert reverse("clinic_settings:brand_css") in page
    assert "style=" not in page

    logo = client.get(reverse("clinic_settings:logo"))
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == png()
    css = client.get(reverse("clinic_settings:brand_css"))
    assert css["Content-Type"].startswith("text/css")
    assert b"--clinic-brand: #884400;" in css.content


def test_no_logo_is_a_404(client):
    assert client.get(reverse("clinic_settings:logo")).status_code == 404


def test_editing_the_consent_text_makes_a_new_version_and_keeps_the_old(alice):
    clinic = configure(consent_text="Version one.", cancellation_policy="24 hours.")
    first = clinic.current_consent()
    configure(name="Renamed")  # not the text: the same version
    assert ClinicSettings.load().current_consent() == first
    configure(privacy_policy="We keep your data private.")
    second = ClinicSettings.load().current_consent()
    assert second.number == first.number + 1
    assert second.privacy_policy == "We keep your data private."
    assert ConsentVersion.objects.filter(pk=first.pk, consent_text="Version one.").exists()


def test_the_intake_stores_the_version_its_client_accepted(alice):
    configure(consent_text="Our consent, first wording.")
    version = ClinicSettings.load().current_consent()
    intake = make_complete_draft(make_client(alice))
    assert intake.submit(consent_name="Alice Archer")
    intake.refresh_from_db()
    assert intake.consent_version == version
    configure(consent_text="Our consent, second wording.")
    intake.refresh_from_db()
    assert intake.consent_version.consent_text == "Our consent, first wording."


def test_the_consent_step_shows_the_text_and_policies_and_records_the_version(client, alice):
    configure(
        consent_text="I agree to be treated gently.",
        cancellation_policy="Tell us a day before.",
        privacy_policy="Only your therapist reads this.",
    )
    intake = make_complete_draft(make_client(alice, legal_name="Alice Archer"))
    client.force_login(alice)
    url = reverse("intake:intake_step", args=[intake.pk, "review"])
    page = client.get(url).content.decode()
    for text in ["I agree to be treated gently.", "Tell us a day before.", "Only your therapist"]:
        assert text in page
    version = ClinicSettings.load().current_consent()
    response = client.post(
        url, {"agree": "on", "signature": "Alice Archer", "consent_version": version.number}
    )
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.consent_version == version


def test_a_consent_edited_while_the_client_read_it_is_read_again(client, alice):
    configure(consent_text="First wording.")
    old = ClinicSettings.load().current_consent()
    intake = make_complete_draft(make_client(alice, legal_name="Alice Archer"))
    configure(consent_text="Second wording.")
    client.force_login(alice)
    url = reverse("intake:intake_step", args=[intake.pk, "review"])
    response = client.post(
        url, {"agree": "on", "signature": "Alice Archer", "consent_version": old.number}
    )
    assert response.status_code == 200
    assert "updated its consent text" in response.content.decode()
    intake.refresh_from_db()
    assert intake.is_draft


def test_the_safety_advice_gives_the_clinics_emergency_number(settings, alice):
    from intake.templatetags.clinic import safety_net

    settings.CLINIC_EMERGENCY_NUMBER = "112"
    intake = make_draft(make_client(alice), red_flags=[EMERGENCY_FLAG])
    assert intake.safety_advice().text.endswith("call 112.")
    assert "112" in safety_net().text
    configure(emergency_number="999")
    intake = Intake.objects.get(pk=intake.pk)
    assert intake.safety_advice().text.endswith("call 999.")
    assert "999" in safety_net().text and "112" not in safety_net().text


def test_the_clinics_time_zone_is_active_during_a_request():
    configure(time_zone="Australia/Sydney")
    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    ClinicSettingsMiddleware(view)(RequestFactory().get("/my/intakes/"))
    assert seen == ["Australia/Sydney"]
    assert timezone.get_current_timezone_name() != "Australia/Sydney"


def test_a_time_zone_must_exist():
    clinic = ClinicSettings.load()
    clinic.time_zone = "Mars/Olympus"
    with pytest.raises(ValidationError):
        clinic.full_clean()


def test_reminders_wait_the_clinics_days_and_name_the_clinic(alice, bob):
    configure(name="Harbour Street Clinic", reminder_after_days=5)
    draft = make_draft(make_client(alice), steps_done=["about"])
    Intake.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=3))
    call_command("send_intake_reminders")
    assert mail.outbox == []
    Intake.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=6))
    call_command("send_intake_reminders")
    assert len(mail.outbox) == 1
    assert "Harbour Street Clinic" in mail.outbox[0].subject
    assert "Harbour Street Clinic" in mail.outbox[0].body


def test_the_invitation_email_names_the_clinic(tara):
    from tests.conftest import signed_in

    configure(name="Harbour Street Clinic")
    response = signed_in(tara).post(
        reverse("intake:invite_client"), {"legal_name": "New Person", "email": "new@example.com"}
    )
    assert response.status_code == 200
    assert "Harbour Street Clinic" in mail.outbox[0].subject
    assert "Harbour Street Clinic has invited you" in mail.outbox[0].body


def test_only_admins_edit_the_settings_in_the_admin(personas):
    url = reverse("admin:clinic_settings_clinicsettings_change", args=[1])
    ClinicSettings.load().save()
    assert personas["admin"].get(url).status_code == 200
    assert (
        personas["admin"]
        .get(reverse("admin:clinic_settings_clinicsettings_changelist"))
        .url.endswith("/1/change/")
    )
    for name in ["client_a", "therapist"]:
        assert personas[name].get(url).status_code in (302, 403), name


def test_an_admin_saves_the_settings_in_the_admin(personas):
    ClinicSettings.load().save()
    url = reverse("admin:clinic_settings_clinicsettings_change", args=[1])
    data = {
        "name": "Harbour Street Clinic",
        "address": "12 Harbour Street",
        "phone": "020 7946 0123",
        "email": "hello@example.com",
        "emergency_number": "999",
        "brand_colour": "#2f6f62",
        "time_zone": "Europe/London",
        "reminder_after_days": "3",
        "consent_text": "New consent.",
        "cancellation_policy": "",
        "privacy_policy": "",
        "logo": SimpleUploadedFile("logo.png", png(), content_type="image/png"),
    }
    response = personas["admin"].post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    clinic = ClinicSettings.objects.get()
    assert clinic.name == "Harbour Street Clinic"
    assert clinic.logo.name.startswith("clinic/")
    assert clinic.current_consent().consent_text == "New consent."


def test_seed_demo_fills_in_the_clinic(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    clinic = ClinicSettings.load()
    assert clinic.name and clinic.address and clinic.phone and clinic.emergency_number
    assert clinic.logo and clinic.cancellation_policy and clinic.privacy_policy
    assert clinic.time_zone == "Europe/London"
