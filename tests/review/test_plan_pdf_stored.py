"""An approved plan's PDF is rendered once per version and kept in private storage."""

import hashlib

import pytest
from django.urls import reverse

from intake import erasure
from intake.models import AccessEvent, StoredPlanPdf
from intake.plan_pdfs import plan_pdf_storage
from intake.views import plan_pdf
from tests.review import test_plan_pdf

intake = test_plan_pdf.intake  # the approved plan of the PDF tests, on its intake
plan = test_plan_pdf.plan


@pytest.fixture
def renders(monkeypatch) -> list:
    """Each render of a PDF, without needing WeasyPrint's libraries here."""
    calls = []

    def render(request, rendered, weasyprint):
        calls.append(rendered.pk)
        return b"%PDF-1.7 plan " + str(rendered.pk).encode()

    monkeypatch.setattr(plan_pdf, "_weasyprint", lambda: object())
    monkeypatch.setattr(plan_pdf, "_render", render)
    return calls


def test_rendered_once_then_served_from_storage_and_every_print_logged(client, tara, plan, renders):
    client.force_login(tara)
    first = client.get(reverse("intake:plan_pdf", args=[plan.pk]))
    second = client.get(reverse("intake:plan_pdf", args=[plan.pk]))
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert renders == [plan.pk]
    stored = StoredPlanPdf.objects.get(plan=plan)
    assert stored.path == f"plans/{plan.pk}-v{plan.version}.pdf"
    assert stored.sha256 == hashlib.sha256(first.content).hexdigest()
    with pytest.raises(ValueError):
        plan_pdf_storage().url(stored.path)  # private: no URL
    assert AccessEvent.objects.filter(action="print", object_id=plan.pk).count() == 2


def test_a_missing_or_altered_file_is_rendered_again(client, tara, plan, renders):
    client.force_login(tara)
    client.get(reverse("intake:plan_pdf", args=[plan.pk]))
    storage = plan_pdf_storage()
    path = StoredPlanPdf.objects.get(plan=plan).path
    storage.delete(path)
    assert client.get(reverse("intake:plan_pdf", args=[plan.pk])).status_code == 200
    with storage.open(path, "wb") as file:
        file.write(b"tampered")
    response = client.get(reverse("intake:plan_pdf", args=[plan.pk]))
    assert response.content.startswith(b"%PDF")
    assert renders == [plan.pk] * 3


@pytest.mark.parametrize("erase", [erasure.anonymise, erasure.delete])
def test_erasure_deletes_the_stored_pdfs(client, tara, adam, plan, renders, erase):
    client.force_login(tara)
    client.get(reverse("intake:plan_pdf", args=[plan.pk]))
    path = StoredPlanPdf.objects.get(plan=plan).path
    assert plan_pdf_storage().exists(path)
    erase(plan.intake.client, by=adam)
    assert not plan_pdf_storage().exists(path)
    assert not StoredPlanPdf.objects.exists()
