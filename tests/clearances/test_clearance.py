"""Medical clearance: the hold on approval, the client's upload, the clinic's record, and
letters that only those who may see the client can download, each download logged."""

import json
import zipfile
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clearances.models import Clearance, ClearanceLetter, awaiting_clearance
from intake import erasure
from intake.exports import clients_csv_zip
from intake.exports.fhir import fhir_bundle
from intake.exports.record import client_record
from intake.models import AccessEvent, Intake, TreatmentPlan
from tests.clearances.helpers import a_jpeg, a_pdf, a_png, image_bytes, red_flag_intake, upload
from tests.conftest import signed_in
from tests.factories import make_client, make_submitted


@pytest.fixture
def intake(alice, tara):
    return red_flag_intake(alice, tara)


def planned(intake, tara) -> TreatmentPlan:
    plan = TreatmentPlan.start_for(intake, by=tara)
    first = plan.muscles.order_by("suggested_rank").first()
    first.included = True
    first.save()
    return plan


def doctor_clearance(intake, by, **fields) -> Clearance:
    return Clearance.objects.create(
        intake=intake,
        doctor_name=fields.get("doctor_name", "Dr Rivera"),
        practice="Riverside Practice",
        cleared_on=fields.get("cleared_on", timezone.localdate()),
        restrictions=fields.get("restrictions", ""),
        recorded_by=by,
    )


# The hold


def test_a_plan_of_massage_is_not_approved_while_the_intake_is_on_hold(intake, tara):
    plan = planned(intake, tara)
    with pytest.raises(ValidationError, match="On hold"):
        plan.approve(by=tara)
    doctor_clearance(intake, tara)
    plan.approve(by=tara)
    assert plan.is_approved


def test_a_referral_is_approved_without_a_clearance(intake, tara):
    plan = TreatmentPlan.start_for(intake, by=tara)
    plan.outcome = TreatmentPlan.Outcome.REFERRED
    plan.outcome_reason = "To the GP: fever with back pain."
    plan.save()
    plan.approve(by=tara)
    assert plan.is_approved


def test_an_intake_without_red_flags_is_never_on_hold(alice, tara):
    client = make_client(alice, assigned_therapist=tara)
    intake = make_submitted(client, precautions=[])
    planned(intake, tara).approve(by=tara)
    assert not awaiting_clearance(Intake.objects.all()).exists()


def test_the_plan_editor_says_why_approval_is_refused(intake, tara):
    plan = planned(intake, tara)
    data = {"revision": plan.revision, "outcome": "treat", "approve": "1"}
    for row in plan.muscles.all():
        data[f"order-{row.muscle}"] = row.position
    first = plan.muscles.get(included=True)
    data[f"include-{first.muscle}"] = "on"
    data[f"sides-{first.muscle}"] = ["left"]
    response = signed_in(tara).post(reverse("intake:plan_edit", args=[intake.pk]), data)
    assert response.status_code == 200
    assert "On hold" in response.content.decode()
    plan.refresh_from_db()
    assert not plan.is_approved


# The client


def test_the_client_home_says_waiting_for_the_doctors_clearance(intake, alice):
    page = signed_in(alice).get(reverse("intake:client_home")).content.decode()
    assert "Waiting for your doctor&#x27;s clearance" in page or "Waiting for your doctor" in page
    assert reverse("clearances:client_clearance", args=[intake.pk]) in page


def test_the_upload_page_offers_the_camera_and_files(intake, alice):
    page = signed_in(alice).get(reverse("clearances:client_clearance", args=[intake.pk]))
    html = page.content.decode()
    assert 'capture="environment"' in html
    assert 'accept="application/pdf,image/jpeg,image/png"' in html
    assert 'enctype="multipart/form-data"' in html


def test_the_client_uploads_a_photo_kept_privately_under_a_name_without_theirs(intake, alice):
    response = signed_in(alice).post(
        reverse("clearances:client_clearance", args=[intake.pk]),
        {"photo": a_jpeg("Alice Archer clearance.jpg")},
    )
    assert response.status_code == 302
    letter = ClearanceLetter.objects.get()
    assert letter.content_type == "image/jpeg" and letter.uploaded_by == alice
    assert "Alice" not in letter.file.name and "Archer" not in letter.file.name
    path = letter.file.storage.path(letter.file.name)
    assert path.startswith(str(settings.PRIVATE_FILES_DIR))
    assert not path.startswith(str(settings.STATIC_ROOT)) and "media" not in path
    with pytest.raises(ValueError):
        letter.file.url  # noqa: B018 - no URL at all
    # Still on hold: the clinic has not checked the letter yet.
    assert awaiting_clearance(Intake.objects.all()).get() == intake


@pytest.mark.parametrize(
    "bad",
    [
        lambda: upload("letter.pdf", image_bytes("PNG"), "application/pdf"),
        lambda: upload("letter.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(intake, alice, bad):
    response = signed_in(alice).post(
        reverse("clearances:client_clearance", args=[intake.pk]), {"document": bad()}
    )
    assert response.status_code == 200
    assert not ClearanceLetter.objects.exists()
    assert "PDF, or as a JPEG or PNG" in response.content.decode()


def test_an_oversized_upload_is_refused(intake, alice, settings):
    # The request limit is lifted here so the form's own 10 MB check answers.
    settings.REQUEST_BODY_MAX_BYTES = 32 * 1024 * 1024
    big = upload("letter.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    response = signed_in(alice).post(
        reverse("clearances:client_clearance", args=[intake.pk]), {"document": big}
    )
    assert "larger than 10 MB" in response.content.decode()
    assert not ClearanceLetter.objects.exists()


def test_no_other_client_reaches_the_upload_page(intake, bob):
    url = reverse("clearances:client_clearance", args=[intake.pk])
    assert signed_in(bob).get(url).status_code == 404
    assert signed_in(bob).post(url, {"photo": a_jpeg()}).status_code == 404
    assert not ClearanceLetter.objects.exists()


# The clinic


def test_a_therapist_records_a_doctors_clearance_from_the_clients_letter(intake, alice, tara):
    signed_in(alice).post(
        reverse("clearances:client_clearance", args=[intake.pk]), {"document": a_pdf()}
    )
    letter = ClearanceLetter.objects.get()
    response = signed_in(tara).post(
        reverse("clearances:intake_clearance", args=[intake.pk]),
        {
            "kind": "doctor",
            "doctor_name": "Dr Rivera",
            "practice": "Riverside Practice",
            "cleared_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "restrictions": "No deep work on the lower back for 4 weeks.",
            "letter": letter.pk,
        },
    )
    assert response.status_code == 302
    clearance = Clearance.objects.get()
    assert clearance.letter == letter and clearance.recorded_by == tara
    assert not awaiting_clearance(Intake.objects.all()).exists()
    review = signed_in(tara).get(reverse("intake:intake_review", args=[intake.pk]))
    assert "No deep work on the lower back for 4 weeks." in review.content.decode()


def test_a_doctors_clearance_needs_the_doctor_the_date_and_the_letter(intake, tara):
    response = signed_in(tara).post(
        reverse("clearances:intake_clearance", args=[intake.pk]),
        {"kind": "doctor", "cleared_on": (date.today() + timedelta(days=3)).isoformat()},
    )
    html = response.content.decode()
    assert "Who cleared the client?" in html
    assert "The date is in the future." in html
    assert "Choose the client&#x27;s letter, or upload it." in html
    assert not Clearance.objects.exists()


def test_staff_may_upload_the_letter_themselves(intake, tara):
    signed_in(tara).post(
        reverse("clearances:intake_clearance", args=[intake.pk]),
        {
            "kind": "doctor",
            "doctor_name": "Dr Rivera",
            "cleared_on": timezone.localdate().isoformat(),
            "document": a_png(),
        },
    )
    clearance = Clearance.objects.get()
    assert clearance.letter.uploaded_by == tara


def test_only_an_admin_records_cleared_in_person(intake, tara, adam):
    data = {"kind": "in_person", "reason": "Seen with the GP's discharge note; no fever now."}
    url = reverse("clearances:intake_clearance", args=[intake.pk])
    signed_in(tara).post(url, data)
    assert not Clearance.objects.exists()
    signed_in(adam).post(url, data)
    assert Clearance.objects.get().kind == Clearance.Kind.IN_PERSON


def test_the_other_therapist_never_reaches_the_clearance(intake, theo):
    url = reverse("clearances:intake_clearance", args=[intake.pk])
    assert signed_in(theo).get(url).status_code == 404


# The letters themselves


@pytest.fixture
def letter(intake, alice):
    signed_in(alice).post(
        reverse("clearances:client_clearance", args=[intake.pk]), {"document": a_pdf()}
    )
    return ClearanceLetter.objects.get()


def test_the_letter_downloads_as_an_attachment_without_the_clients_name(letter, alice, tara):
    for user, name in [(alice, "clearances:client_letter"), (tara, "clearances:staff_letter")]:
        response = signed_in(user).get(reverse(name, args=[letter.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        assert disposition == f'attachment; filename="clearance-letter-{letter.pk}.pdf"'
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert "no-store" in response["Cache-Control"]
    events = AccessEvent.objects.filter(object_type="clearanceletter", object_id=letter.pk)
    assert {event.actor for event in events} == {alice, tara}
    assert {event.client_id for event in events} == {letter.intake.client_id}


def test_nobody_else_downloads_the_letter(letter, bob, theo):
    assert (
        signed_in(bob).get(reverse("clearances:client_letter", args=[letter.pk])).status_code == 404
    )
    assert (
        signed_in(theo).get(reverse("clearances:staff_letter", args=[letter.pk])).status_code == 404
    )
    assert (
        signed_in(bob).get(reverse("clearances:staff_letter", args=[letter.pk])).status_code == 403
    )


def test_no_letter_is_under_a_public_url(letter, client):
    path = letter.file.name
    for prefix in [settings.STATIC_URL, settings.MEDIA_URL or "/media/", "/"]:
        response = client.get("/" + f"{prefix.strip('/')}/{path}".lstrip("/"))
        assert response.status_code in (302, 404), prefix
    assert not str(letter.file.storage.path(path)).startswith(str(settings.BASE_DIR / "static"))


# Records: exports and erasure


def test_the_json_and_zip_exports_hold_the_letters_and_clearances(letter, tara):
    clearance = doctor_clearance(letter.intake, tara, restrictions="Light pressure only.")
    clearance.letter = letter
    clearance.save()
    record = client_record(letter.intake.client)
    (exported,) = [i for i in record["intakes"] if i["id"] == letter.intake_id]
    assert exported["clearance_letters"][0]["sha256"] == letter.sha256
    assert exported["clearances"][0]["restrictions"] == "Light pressure only."
    archive = zipfile.ZipFile(__import__("io").BytesIO(clients_csv_zip([letter.intake.client])))
    content = archive.read(exported["clearance_letters"][0]["file"])
    assert content.startswith(b"%PDF-")
    assert json.loads(archive.read(f"client-{letter.intake.client_id}.json"))


def test_the_fhir_bundle_holds_each_letter_as_a_document_reference(letter):
    from fhir.resources.bundle import Bundle

    bundle = fhir_bundle(letter.intake)
    Bundle.parse_obj(bundle)
    (document,) = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DocumentReference"
    ]
    assert document["content"][0]["attachment"]["contentType"] == "application/pdf"
    assert document["content"][0]["attachment"]["data"]
    assert "Alice" not in json.dumps(document)


@pytest.mark.parametrize("how", ["delete", "anonymise"])
def test_erasure_deletes_the_letters_files(
    letter, adam, tara, how, django_capture_on_commit_callbacks
):
    doctor_clearance(letter.intake, tara, restrictions="Nothing on the left calf.")
    storage, name = letter.file.storage, letter.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        getattr(erasure, how)(letter.intake.client, by=adam)
    assert not storage.exists(name)
    assert not ClearanceLetter.objects.exists()
    if how == "anonymise":
        assert Clearance.objects.get().restrictions == ""
