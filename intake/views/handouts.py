"""Home-care handouts: the therapist edits a draft plan's handout; the client downloads it."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import Role, role_required
from intake.audit import record_access
from intake.handouts import handout_text, made_from_plan
from intake.models import AccessEvent, TreatmentPlan
from intake.rules.handouts import as_text
from intake.views import access
from intake.views.plan_pdf import _weasyprint, offline_fetcher


class HandoutForm(forms.Form):
    handout = forms.CharField(
        max_length=12000,
        required=False,
        label="The client's home-care handout",
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Made from the planned muscles and the client's precautions; change it as "
        "you see fit. Leave it empty to make it again from the plan.",
    )


@role_required(Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def handout_edit(request, pk: int):
    plan = access.plan_for_staff(request, pk)
    made = as_text(made_from_plan(plan))
    form = HandoutForm(request.POST or None, initial={"handout": handout_text(plan)})
    if request.method == "POST" and not plan.is_approved and form.is_valid():
        text = form.cleaned_data["handout"].strip()
        with transaction.atomic():
            locked = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
            if locked.is_approved:
                messages.error(request, "This plan was approved meanwhile: make a new version.")
                return redirect("intake:plan_detail", pk=plan.pk)
            # The text as made from the plan is not kept: it follows the muscles as they change.
            locked.handout = "" if text == made.strip() or "reset" in request.POST else text
            locked.save(update_fields=["handout", "updated_at"])
        messages.success(request, "Handout saved.")
        return redirect("intake:plan_edit", pk=plan.intake_id)
    record_access(request.user, plan, AccessEvent.Action.VIEW)
    return render(
        request,
        "intake/handout_edit.html",
        {
            "plan": plan,
            "client": plan.intake.client,
            "form": form,
            "edited": bool(plan.handout),
            "handout": made_from_plan(plan),
        },
    )


@role_required(Role.CLIENT)
@require_GET
@never_cache
def handout_pdf(request, pk: int):
    plan = access.plan_for_client(request, pk)
    if plan.is_referral:
        raise Http404("A referral has no home-care handout.")
    weasyprint = _weasyprint()
    if weasyprint is None:
        return render(request, "intake/handout_pdf_unavailable.html", {"plan": plan}, status=503)
    html = render_to_string(
        "intake/handout_pdf.html",
        {"plan": plan, "handout": made_from_plan(plan), "edited_text": plan.handout},
        request=request,
    )
    pdf = weasyprint.HTML(string=html, url_fetcher=offline_fetcher()).write_pdf()
    record_access(request.user, plan, AccessEvent.Action.PRINT)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="home-care-{plan.pk}.pdf"'
    return response
