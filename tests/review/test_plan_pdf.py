import io

import pytest
from django.urls import reverse

from clearances.models import Clearance
from intake.models import PlanMuscle, TreatmentPlan
from intake.views import plan_pdf
from tests.factories import make_client, make_submitted


def weasyprint_missing() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return f"WeasyPrint's system libraries (Pango) are missing here: {error}"
    return None


needs_weasyprint = pytest.mark.skipif(
    weasyprint_missing() is not None, reason=weasyprint_missing() or ""
)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_url(plan) -> str:
    return reverse("intake:plan_pdf", args=[plan.pk])


def make_plan(intake, by, muscles, **notes) -> TreatmentPlan:
    plan = TreatmentPlan.start_for(intake, by=by)
    plan.muscles.all().delete()
    PlanMuscle.objects.bulk_create(
        PlanMuscle(plan=plan, muscle=code, sides=sides, position=position)
        for position, (code, sides) in enumerate(muscles)
    )
    for name, value in notes.items():
        setattr(plan, name, value)
    plan.save()
    return plan


@pytest.fixture
def intake(tara):
    record = make_client(legal_name="Ann Archer", assigned_therapist=tara)
    return make_submitted(record, precautions=["anticoagulants"])


@pytest.fixture
def plan(intake, tara):
    plan = make_plan(
        intake,
        tara,
        [("piriformis", ["left"]), ("quadratus_lumborum", ["left", "right"])],
        techniques="Ischaemic compression, then stretch.",
        pressure="Light: on blood thinners.",
        home_care="Tennis ball on the buttock, twice a day.",
    )
    plan.approve(by=tara)
    return plan


@needs_weasyprint
def test_an_approved_plan_downloads_as_a_pdf(client, tara, plan):
    client.force_login(tara)
    response = client.get(pdf_url(plan))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="treatment-plan-ann-archer-v{plan.version}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert text.index("Piriformis") < text.index("Quadratus lumborum")
    for expected in (
        "Ann Archer",
        "17 May 1980",
        "Version 1",
        "Tara Therapist",
        "Left and right",
        "Blood thinners or bleeding disorder",
        "Ischaemic compression",
        "Tennis ball on the buttock",
        "Buttock, left: 6 of 10",
    ):
        assert expected in text, expected
    assert "Refer before treatment" not in text


@needs_weasyprint
def test_red_flags_are_on_the_pdf(client, tara):
    record = make_client(legal_name="Rae Red", assigned_therapist=tara)
    intake = make_submitted(record, red_flags=["saddle_numbness"])
    plan = make_plan(intake, tara, [("gluteus_medius", ["right"])])
    # On hold until cleared (clearances/): an admin saw the client after the emergency.
    Clearance.objects.create(intake=intake, kind="in_person", reason="Seen after A&E.")
    plan.approve(by=tara)
    client.force_login(tara)
    text = pdf_text(client.get(pdf_url(plan)).content)
    assert "Refer before treatment" in text
    assert "Emergency" in text


def test_a_draft_plan_has_no_pdf(client, tara, intake):
    draft = make_plan(intake, tara, [("piriformis", ["left"])])
    client.force_login(tara)
    assert client.get(pdf_url(draft)).status_code == 404


def test_another_therapists_client_is_not_found(client, theo, plan):
    client.force_login(theo)
    assert client.get(pdf_url(plan)).status_code == 404


@needs_weasyprint
def test_admins_may_download_any_plan(client, adam, plan):
    client.force_login(adam)
    assert client.get(pdf_url(plan)).status_code == 200


def test_who_may_not(client, alice, plan):
    assert client.get(pdf_url(plan)).url.startswith(reverse("login"))
    client.force_login(alice)
    assert client.get(pdf_url(plan)).status_code == 403


def test_wrong_method(client, tara, plan):
    client.force_login(tara)
    assert client.post(pdf_url(plan)).status_code == 405


def test_without_the_pdf_libraries_a_friendly_page_says_to_print(client, tara, plan, monkeypatch):
    monkeypatch.setattr(plan_pdf, "_weasyprint", lambda: None)
    client.force_login(tara)
    response = client.get(pdf_url(plan))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Print" in page
    assert reverse("intake:plan_detail", args=[plan.pk]) in page


@needs_weasyprint
@pytest.mark.parametrize(
    "url", ["http://example.com/style.css", "https://example.com/x.png", "ftp://example.com/f"]
)
def test_the_pdf_fetches_nothing_from_the_network(url):
    with pytest.raises(ValueError, match="disallowed protocol"):
        plan_pdf.offline_fetcher().fetch(url)


@needs_weasyprint
def test_data_urls_are_still_allowed():
    response = plan_pdf.offline_fetcher().fetch("data:text/css,p%7Bcolor:red%7D")
    assert response is not None


@needs_weasyprint
def test_the_print_is_on_the_access_log(client, tara, plan):
    from intake.models import AccessEvent

    client.force_login(tara)
    client.get(pdf_url(plan))
    event = AccessEvent.objects.get()
    assert (event.actor, event.object_type, event.object_id, event.action) == (
        tara,
        "treatmentplan",
        plan.pk,
        "print",
    )
    assert event.client_id == plan.intake.client_id
