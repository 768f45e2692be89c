"""The plan PDF: the clinic's letterhead, no database ids, tagged (PDF/UA) with a title and
a language."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clinic_settings.models import ClinicSettings
from tests.clinic_settings.test_clinic_settings import png
from tests.factories import make_client, make_submitted
from tests.review.test_plan_pdf import make_plan, needs_weasyprint, pdf_text, pdf_url

pytestmark = needs_weasyprint


@pytest.fixture
def approved(tara):
    intake = make_submitted(make_client(legal_name="Ann Archer", assigned_therapist=tara))
    plan = make_plan(intake, tara, [("piriformis", ["left"])])
    plan.approve(by=tara)
    return plan


@pytest.fixture
def clinic(db):
    clinic = ClinicSettings.load()
    clinic.name = "Harbour Street Clinic"
    clinic.address = "12 Harbour Street\nLondon SE1 7AA"
    clinic.phone = "020 7946 0123"
    clinic.logo.save("logo.png", SimpleUploadedFile("logo.png", png()), save=False)
    clinic.save()
    return clinic


def download(client, tara, plan):
    client.force_login(tara)
    response = client.get(pdf_url(plan))
    assert response.status_code == 200
    return response


def test_the_pdf_carries_the_clinics_letterhead(client, tara, approved, clinic):
    from pypdf import PdfReader

    content = download(client, tara, approved).content
    text = pdf_text(content)
    for expected in [
        "Harbour Street Clinic",
        "12 Harbour Street",
        "London SE1 7AA",
        "020 7946 0123",
    ]:
        assert expected in text, expected
    first_page = PdfReader(io.BytesIO(content)).pages[0]
    images = first_page.images
    assert len(images) >= 1  # the logo


def test_the_pdf_shows_no_database_ids(client, tara, approved, clinic):
    response = download(client, tara, approved)
    text = pdf_text(response.content)
    plan = approved
    ids = {plan.pk, plan.intake.pk, plan.intake.client.pk}
    assert not re.search(r"#\s?\d", text)
    for number in ids:
        assert not re.search(rf"(?i)(plan|intake|client)\s+#?{number}\b", text)
    assert str(plan.pk) not in response["Content-Disposition"].replace("-v1", "")


def test_the_pdf_is_tagged_with_a_title_and_a_language(client, tara, approved, clinic):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(download(client, tara, approved).content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).lower().startswith("en")
    assert "Treatment plan" in reader.metadata.title
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    metadata = reader.xmp_metadata
    assert metadata is not None
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
