"""Treatment plans: edit, approve, new versions, and session findings."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Role, role_required
from intake.audit import record_access
from intake.models import AccessEvent, TreatmentPlan
from intake.plan_forms import FindingForm, PlanForm
from intake.views import access

STALE_PLAN = (
    "Someone else saved this plan after you opened it, so your changes were not saved. "
    "Reload the page to see theirs, then make your changes again."
)


def _current_or_new_plan(intake, user) -> TreatmentPlan:
    plan = intake.current_plan()
    if plan is not None:
        return plan
    try:
        with transaction.atomic():
            return TreatmentPlan.start_for(intake, by=user)
    except IntegrityError:  # a colleague started it at the same moment
        return intake.current_plan()


@role_required(Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    intake = access.intake_for_staff(request, pk)
    plan = _current_or_new_plan(intake, request.user)
    if plan.is_approved:
        return redirect("intake:plan_detail", pk=plan.pk)
    form = PlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        approve = "approve" in request.POST
        if not form.save(approve=approve, by=request.user):
            form.add_error(None, STALE_PLAN)
        elif approve:
            messages.success(request, f"Plan version {plan.version} approved.")
            return redirect("intake:plan_detail", pk=plan.pk)
        else:
            messages.success(request, "Draft saved.")
            return redirect("intake:plan_edit", pk=intake.pk)
    return render(
        request,
        "intake/plan_edit.html",
        {"intake": intake, "client": intake.client, "plan": plan, "form": form},
    )


@role_required(Role.THERAPIST)
@require_http_methods(["GET"])
def plan_detail(request, pk: int):
    plan = access.plan_for_staff(request, pk)
    record_access(request.user, plan, AccessEvent.Action.VIEW)
    muscles = plan.muscles.filter(included=True).prefetch_related("findings")
    versions = plan.intake.plans.order_by("-version")
    return render(
        request,
        "intake/plan_detail.html",
        {
            "plan": plan,
            "intake": plan.intake,
            "client": plan.intake.client,
            "muscles": [(m, FindingForm(prefix=f"m{m.pk}")) for m in muscles],
            "versions": versions,
            "is_latest": versions[0].pk == plan.pk,
        },
    )


@role_required(Role.THERAPIST)
@require_POST
def plan_revise(request, pk: int):
    plan = access.plan_for_staff(request, pk)
    latest = plan.intake.current_plan()
    if latest.pk != plan.pk or not plan.is_approved:
        messages.info(request, "A newer version of this plan exists; it is shown here.")
        return redirect("intake:plan_edit", pk=plan.intake_id)
    plan.new_version(by=request.user)
    return redirect("intake:plan_edit", pk=plan.intake_id)


@role_required(Role.THERAPIST)
@require_POST
def finding_add(request, pk: int):
    planned = access.plan_muscle_for_staff(request, pk)
    form = FindingForm(request.POST, prefix=f"m{planned.pk}")
    if form.is_valid():
        finding = form.save(commit=False)
        finding.plan_muscle = planned
        finding.recorded_by = request.user
        finding.save()
        messages.success(request, f"Findings for {planned.name} recorded.")
    else:
        messages.error(request, f"Please answer all three questions for {planned.name}.")
    return redirect(reverse("intake:plan_detail", args=[planned.plan_id]) + f"#muscle-{planned.pk}")
