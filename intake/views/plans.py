"""Treatment plans: start, edit, approve, new versions, and session findings."""

import uuid
from functools import cache

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Role, role_required
from intake.audit import record_access
from intake.models import AccessEvent, Finding, PlanMuscle, TreatmentPlan
from intake.plan_forms import FindingForm, PlanForm
from intake.views import access


@role_required(Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    intake = access.intake_for_staff(request, pk)
    if request.method == "POST" and "start" in request.POST:
        return _start_plan(request, intake)
    plan = intake.current_plan()
    if plan is None:
        record_access(request.user, intake, AccessEvent.Action.VIEW)
        return render(
            request, "intake/plan_start.html", {"intake": intake, "client": intake.client}
        )
    if plan.is_approved:
        return redirect("intake:plan_detail", pk=plan.pk)
    form = PlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        approve = "approve" in request.POST
        if form.save(approve=approve, by=request.user):
            if approve:
                messages.success(request, f"Plan version {plan.version} approved.")
                return redirect("intake:plan_detail", pk=plan.pk)
            messages.success(request, "Draft saved.")
            return redirect("intake:plan_edit", pk=intake.pk)
    record_access(request.user, plan, AccessEvent.Action.VIEW)
    return render(
        request,
        "intake/plan_edit.html",
        {"intake": intake, "client": intake.client, "plan": plan, "form": form},
    )


def _start_plan(request, intake):
    try:
        TreatmentPlan.start_for(intake, by=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    return redirect("intake:plan_edit", pk=intake.pk)


@role_required(Role.THERAPIST)
@require_http_methods(["GET"])
def plan_detail(request, pk: int):
    plan = access.plan_for_staff(request, pk, TreatmentPlan.objects.for_plan_page())
    record_access(request.user, plan, AccessEvent.Action.VIEW)
    muscles = list(plan.muscles.filter(included=True))
    versions = TreatmentPlan.links_by_intake([plan.intake])[plan.intake_id]  # newest first
    return render(
        request,
        "intake/plan_detail.html",
        {
            "plan": plan,
            "intake": plan.intake,
            "client": plan.intake.client,
            "muscles": _with_finding_forms(muscles, Finding.latest_by_muscle(muscles)),
            "versions": versions,
            "is_latest": versions[0].pk == plan.pk,
        },
    )


def _with_finding_forms(
    muscles: list[PlanMuscle], latest: dict[int, Finding]
) -> list[tuple[PlanMuscle, Finding | None, SafeString]]:
    """Each planned muscle with its latest finding and the fields of its findings form, as
    HTML.

    The forms differ only in their prefix and their submission key, so the fields are laid
    out once with placeholders (as Django lays out a formset's empty form), then copied for
    each muscle with its own prefix and a fresh key: crispy-forms takes about a millisecond
    to lay out a field of radio buttons.
    """
    fields = _finding_fields()
    return [
        (
            muscle,
            latest.get(muscle.pk),
            mark_safe(
                fields.replace("__prefix__", f"m{muscle.pk}").replace("__key__", str(uuid.uuid4()))
            ),
        )
        for muscle in muscles
    ]


@cache
def _finding_fields() -> str:
    """The findings form's fields with placeholders, laid out once a process: the form's
    choices and labels are fixed in code."""
    form = FindingForm(prefix="__prefix__", initial={"submission_key": "__key__"})
    return render_to_string("intake/_finding_fields.html", {"form": form})


@role_required(Role.THERAPIST)
@require_POST
def plan_revise(request, pk: int):
    plan = access.plan_for_staff(request, pk)
    draft, created = plan.revise(by=request.user)
    if draft.pk != plan.pk and not created:
        messages.info(
            request, f"Someone already started version {draft.version} of this plan; it is here."
        )
    return redirect("intake:plan_edit", pk=plan.intake_id)


@role_required(Role.THERAPIST)
@require_POST
def finding_add(request, pk: int):
    planned = access.plan_muscle_for_staff(request, pk)
    form = FindingForm(request.POST, prefix=f"m{planned.pk}")
    if problem := planned.finding_problem():
        messages.error(request, problem)
    elif not form.is_valid():
        messages.error(request, f"Please answer all three questions for {planned.name}.")
    elif form.record(planned, by=request.user):
        messages.success(request, f"Findings for {planned.name} recorded.")
    else:
        messages.info(request, f"These findings for {planned.name} were already recorded.")
    return redirect(reverse("intake:plan_detail", args=[planned.plan_id]) + f"#muscle-{planned.pk}")
