"""The client's pages: their intakes and the questionnaire."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role, role_required
from clearances.models import clients_intakes_on_hold
from intake.audit import record_access
from intake.forms import step_draft
from intake.handouts import made_from_plan
from intake.models import AccessEvent, Client, Intake
from intake.steps import STEPS, STEPS_BY_NAME, first_incomplete_step, step_position
from intake.views import access


@role_required(Role.CLIENT)
@require_GET
def client_home(request):
    client = Client.for_user(request.user)
    intakes = list(client.intakes.defer("suggestion"))  # drafts and sent ones in one query
    return render(
        request,
        "intake/client_home.html",
        {
            "client": client,
            "drafts": [intake for intake in intakes if intake.is_draft],
            "submitted": sorted(
                (intake for intake in intakes if not intake.is_draft),
                key=lambda intake: (intake.submitted_at, intake.pk),
                reverse=True,
            ),
            "approved_plans": client.latest_approved_plans(),
            # Counted as the steps count themselves: "Step 7 of 7" is the review.
            "step_count": len(STEPS),
            "on_hold": clients_intakes_on_hold(client, intakes),
        },
    )


@role_required(Role.CLIENT)
@require_POST
def intake_start(request):
    client = Client.for_user(request.user)
    had_draft = client.intakes.drafts().exists()
    draft = client.start_intake()
    if not had_draft and client.last_submitted_intake():
        messages.info(
            request,
            "We have filled in your details from your last visit. Please check they are "
            "still right.",
        )
    return redirect("intake:intake_resume", pk=draft.pk)


@role_required(Role.CLIENT)
@require_GET
def intake_resume(request, pk: int):
    intake = access.intake_for_client(request, pk)
    if not intake.is_draft:
        return redirect("intake:intake_detail", pk=intake.pk)
    return redirect("intake:intake_step", pk=intake.pk, step=first_incomplete_step(intake).name)


@role_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def intake_step(request, pk: int, step: str):
    # A page shows the pain locations up to three times (the map, its list, the safety
    # advice). A post of a step reads here only whether it may go on, and its answers
    # under the lock below; the last step's post checks the whole intake here.
    if request.method == "GET":
        intakes = Intake.objects.prefetch_related("pain_locations")
    elif step != "review":
        intakes = Intake.objects.only("status", "steps_done", "client__user")
    else:
        intakes = None
    intake = access.intake_for_client(request, pk, intakes)
    if step not in STEPS_BY_NAME:
        raise Http404
    if not intake.is_draft:
        return _already_sent(request, intake)
    current = STEPS_BY_NAME[step]
    first_open = first_incomplete_step(intake)
    if step_position(step) > step_position(first_open.name):
        return redirect("intake:intake_step", pk=intake.pk, step=first_open.name)

    if request.method == "POST" and current.name == "review":
        form = current.form(intake, request.POST)
        if form.is_valid():
            return _submit(request, intake, form)
    elif request.method == "POST":
        with transaction.atomic():
            intake = Intake.locked(intake.pk)
            if not intake.is_draft:  # sent from another tab while this one was open
                return _already_sent(request, intake)
            form = current.form(intake, request.POST)
            if not form.is_valid() and "finish_later" in request.POST:
                # Kept as typed, as a draft of this step; the step is not done.
                intake.step_drafts = {**intake.step_drafts, current.name: step_draft(form)}
                intake.save(update_fields=["step_drafts", "updated_at"])
                messages.success(
                    request,
                    "Saved what you typed. This step is not finished yet: you can come back "
                    "and complete it at any time.",
                )
                return redirect("intake:client_home")
            if form.is_valid():
                answered = form.save_step()  # the intake's fields among them: saved below
                intake.mark_step_done(current.name)
                intake.step_drafts.pop(current.name, None)
                intake.save(update_fields=[*answered, "steps_done", "step_drafts", "updated_at"])
                if "finish_later" in request.POST:
                    messages.success(request, "Saved. You can come back and carry on at any time.")
                    return redirect("intake:client_home")
                return redirect("intake:intake_step", pk=intake.pk, step=_next_step(current.name))
    else:
        form = current.form(intake)

    position = step_position(current.name)
    context = {
        "intake": intake,
        "client": intake.client,
        "form": form,
        "step": current,
        "steps": STEPS,
        "position": position + 1,
        "previous": STEPS[position - 1] if position else None,
        "done": set(intake.steps_done),
    }
    if current.name == "where":
        context["locations"] = form.selected_locations()
    return render(request, "intake/intake_step.html", context)


def _already_sent(request, intake: Intake):
    messages.info(
        request,
        "This intake has already been sent to the clinic, so it can no longer be changed.",
    )
    return redirect("intake:intake_detail", pk=intake.pk)


def _next_step(name: str) -> str:
    return STEPS[step_position(name) + 1].name


def _submit(request, intake: Intake, form):
    if first_incomplete_step(intake).name != "review":
        messages.error(request, "A few answers are still missing; please finish this step first.")
        return redirect("intake:intake_resume", pk=intake.pk)
    if intake.submit(consent_name=form.cleaned_data["signature"], consent_version=form.version):
        messages.success(request, "Thank you. Your intake has been sent to the clinic.")
    else:
        messages.info(request, "This intake had already been sent; nothing more to do.")
    return redirect("intake:intake_detail", pk=intake.pk)


@role_required(Role.CLIENT)
@require_GET
def intake_detail(request, pk: int):
    intake = access.intake_for_client(
        request, pk, Intake.objects.defer("suggestion").prefetch_related("pain_locations")
    )
    if intake.is_draft:
        return redirect("intake:intake_resume", pk=intake.pk)
    record_access(request.user, intake, AccessEvent.Action.VIEW)
    return render(request, "intake/intake_detail.html", {"intake": intake, "client": intake.client})


@role_required(Role.CLIENT)
@require_GET
def client_plan(request, pk: int):
    plan = access.plan_for_client(request, pk)
    record_access(request.user, plan, AccessEvent.Action.VIEW)
    latest = plan.intake.plans.approved().order_by("-version").values_list("pk", flat=True)
    return render(
        request,
        "intake/client_plan.html",
        {
            "plan": plan,
            "muscles": plan.muscles.all(),
            "latest_pk": latest.first(),
            "handout": made_from_plan(plan),
        },
    )
