"""An approved treatment plan as a PDF, made on the server with WeasyPrint: on the clinic's
letterhead, tagged for screen readers (PDF/UA-1), with no database ids."""

import base64
from functools import cache
from types import ModuleType

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import Role, role_required
from clinic_settings.models import ClinicSettings
from clinic_settings.views import CONTENT_TYPES
from intake.audit import record_access
from intake.labels import label_for
from intake.models import AccessEvent
from intake.plan_pdfs import stored_pdf
from intake.views import access


@cache
def _weasyprint() -> ModuleType | None:
    """WeasyPrint, or None where its system libraries (Pango) are missing."""
    try:
        import weasyprint
    except (ImportError, OSError):
        return None
    return weasyprint


def offline_fetcher():
    """A URL fetcher for WeasyPrint that never reaches the network.

    The plan's template inlines everything it needs; anything else it might
    name (a link in a note, say) must not leak a request to another host.
    """
    return _weasyprint().URLFetcher(allowed_protocols=("file", "data"))


@role_required(Role.THERAPIST)
@require_GET
@never_cache
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.plan_for_staff(request, pk)
    if not plan.is_approved:
        raise Http404("Only an approved plan is printed.")
    weasyprint = _weasyprint()
    if weasyprint is None:
        return render(request, "intake/plan_pdf_unavailable.html", {"plan": plan}, status=503)
    intake = plan.intake
    # An approved version never changes: it is rendered once and kept (intake.plan_pdfs).
    pdf = stored_pdf(plan, lambda: _render(request, plan, weasyprint))
    record_access(request.user, plan, AccessEvent.Action.PRINT)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"treatment-plan-{slugify(intake.client.legal_name) or 'client'}-v{plan.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _render(request: HttpRequest, plan, weasyprint: ModuleType) -> bytes:
    intake = plan.intake
    snapshot = intake.suggestion or {}
    clinic = ClinicSettings.load()
    html = render_to_string(
        "intake/plan_pdf.html",
        {
            "clinic": clinic,
            "logo_data_url": _logo_data_url(clinic),
            "plan": plan,
            "intake": intake,
            "client": intake.client,
            "muscles": plan.muscles.filter(included=True),
            "locations": intake.pain_locations.all(),
            "precautions": [
                (label_for("precaution", item["code"]), item["message"])
                for item in snapshot.get("precautions", [])
            ],
            "red_flags": [
                (label_for("red_flag", item["code"]), item["urgency"], item["message"])
                for item in snapshot.get("red_flags", [])
            ],
        },
        request=request,
    )
    return weasyprint.HTML(string=html, url_fetcher=offline_fetcher()).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )


def _logo_data_url(clinic: ClinicSettings) -> str:
    """The clinic's logo inlined: the PDF fetches nothing, not even from our own storage."""
    if not clinic.logo:
        return ""
    extension = clinic.logo.name.rsplit(".", 1)[-1].lower()
    try:
        with clinic.logo.open("rb") as file:
            data = file.read()
    except FileNotFoundError:
        return ""
    encoded = base64.b64encode(data).decode()
    return f"data:{CONTENT_TYPES.get(extension, 'image/png')};base64,{encoded}"
