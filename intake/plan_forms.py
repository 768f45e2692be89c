"""Forms of the therapist's treatment plan and session findings."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clinic.text import BidiSafeFormMixin
from intake.models import Finding, PlanMuscle, TreatmentPlan
from intake.rules.knowledge import MUSCLES

SIDE_CHOICES = [("left", "Left"), ("right", "Right")]

STALE_PLAN = (
    "Someone else saved this plan after you opened it, so your changes were not saved. "
    "Reload the page to see theirs, then make your changes again."
)
OUT_OF_DATE = "This page is out of date. Reload the page, then make your changes again."


class PlanForm(BidiSafeFormMixin, forms.Form):
    """Accept or reject each muscle, set its sides and order, add others, write notes."""

    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE},
    )
    outcome = forms.TypedChoiceField(
        choices=TreatmentPlan.Outcome.choices,
        required=False,
        empty_value=TreatmentPlan.Outcome.TREAT,
        widget=forms.RadioSelect,
        label="Outcome",
    )
    outcome_reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="If referred: why, and to whom",
    )
    add_muscle = forms.ChoiceField(required=False, label="Add a muscle")
    add_sides = forms.MultipleChoiceField(
        choices=SIDE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Sides of the added muscle",
    )
    techniques = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    pressure = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    home_care = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, plan: TreatmentPlan, **kwargs):
        self.plan = plan
        self.rows = list(plan.muscles.all())
        initial = {
            "revision": plan.revision,
            "outcome": plan.outcome,
            "outcome_reason": plan.outcome_reason,
            "techniques": plan.techniques,
            "pressure": plan.pressure,
            "home_care": plan.home_care,
        }
        for row in self.rows:
            initial[f"include-{row.muscle}"] = row.included
            initial[f"sides-{row.muscle}"] = row.sides
            initial[f"order-{row.muscle}"] = row.position
            initial[f"reason-{row.muscle}"] = row.caution_reason
        super().__init__(*args, initial=initial, **kwargs)
        listed = {row.muscle for row in self.rows}
        self.fields["add_muscle"].choices = [("", "Choose a muscle")] + [
            (code, muscle.name) for code, muscle in MUSCLES.items() if code not in listed
        ]
        self.entries = []
        for row in self.rows:
            code = row.muscle
            self.fields[f"include-{code}"] = forms.BooleanField(
                required=False, label=f"Plan {row.name}"
            )
            self.fields[f"sides-{code}"] = forms.MultipleChoiceField(
                choices=SIDE_CHOICES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=f"Sides of {row.name}",
            )
            self.fields[f"order-{code}"] = forms.IntegerField(
                min_value=0, max_value=99, label=f"Order of {row.name}"
            )
            cautions = row.cautions()
            if any(caution.forbids for caution in cautions):
                self.fields[f"reason-{code}"] = forms.CharField(
                    required=False,
                    max_length=1000,
                    label=f"Why plan {row.name} despite the caution?",
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            self.entries.append(
                {
                    "row": row,
                    "include": self[f"include-{code}"],
                    "sides": self[f"sides-{code}"],
                    "order": self[f"order-{code}"],
                    "cautions": cautions,
                    "reason": self[f"reason-{code}"] if f"reason-{code}" in self.fields else None,
                }
            )

    def planned(self) -> list[tuple[str, list[str]]]:
        planned = [
            (row.muscle, self.cleaned_data[f"sides-{row.muscle}"])
            for row in self.rows
            if self.cleaned_data.get(f"include-{row.muscle}")
        ]
        if self.cleaned_data.get("add_muscle"):
            planned.append((self.cleaned_data["add_muscle"], self.cleaned_data["add_sides"]))
        return planned

    def clean(self):
        cleaned = super().clean()
        referred = cleaned.get("outcome") == TreatmentPlan.Outcome.REFERRED
        if referred and not cleaned.get("outcome_reason"):
            self.add_error("outcome_reason", "Write why the client was referred, and to whom.")
        if self.errors:
            return cleaned
        for code, sides in self.planned():
            for problem in self.plan.muscle_problems(code, sides):
                self.add_error(None, problem)
        return cleaned

    def save(self, *, approve: bool, by) -> bool:
        """Save the plan, and approve it if asked; False, with the form's errors saying why, if
        someone else saved it since this form was loaded or it may not be approved."""
        plan = self.plan
        try:
            with transaction.atomic():
                if not plan.claim_revision(self.cleaned_data["revision"]):
                    raise ValidationError(STALE_PLAN)
                self._write()
                if approve:
                    plan.approve(by=by)
        except ValidationError as error:
            plan.refresh_from_db()
            self.add_error(None, error)
            return False
        return True

    def _write(self) -> None:
        plan = self.plan
        for row in self.rows:
            row.included = self.cleaned_data[f"include-{row.muscle}"]
            row.sides = self.cleaned_data[f"sides-{row.muscle}"]
            row.position = self.cleaned_data[f"order-{row.muscle}"]
            row.caution_reason = self.cleaned_data.get(f"reason-{row.muscle}", "").strip()
        PlanMuscle.objects.bulk_update(
            self.rows, ["included", "sides", "position", "caution_reason"]
        )
        if self.cleaned_data.get("add_muscle"):
            PlanMuscle.objects.create(
                plan=plan,
                muscle=self.cleaned_data["add_muscle"],
                sides=self.cleaned_data["add_sides"],
                position=max([r.position for r in self.rows], default=0) + 1,
                origin=PlanMuscle.Origin.ADDED,
            )
        plan.techniques = self.cleaned_data["techniques"]
        plan.pressure = self.cleaned_data["pressure"]
        plan.home_care = self.cleaned_data["home_care"]
        plan.outcome = self.cleaned_data["outcome"]
        plan.outcome_reason = self.cleaned_data["outcome_reason"]
        plan.save(
            update_fields=[
                "techniques",
                "pressure",
                "home_care",
                "outcome",
                "outcome_reason",
                "updated_at",
            ]
        )


class FindingForm(forms.ModelForm):
    YES_NO = [(True, "Yes"), (False, "No")]

    # No blank "---------" choice, nothing pre-selected: the therapist picks one.
    trigger_point = forms.ChoiceField(
        choices=Finding.TriggerPoint.choices,
        widget=forms.RadioSelect,
        label="Trigger point",
        error_messages={"required": "Choose active, latent or none found."},
    )

    # A new key each time the form is shown: posting the same form twice records once.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    referral_reproduced = forms.TypedChoiceField(
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        label="Referral pattern reproduced",
        error_messages={"required": "Say whether the referral pattern was reproduced."},
    )
    treated = forms.TypedChoiceField(
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        label="Treated",
        error_messages={"required": "Say whether the muscle was treated."},
    )

    class Meta:
        model = Finding
        fields = ["trigger_point", "referral_reproduced", "treated"]

    def record(self, planned: PlanMuscle, *, by) -> bool:
        """Record the finding on `planned`, once; False if this form was recorded before."""
        finding = self.save(commit=False)
        finding.plan_muscle = planned
        finding.recorded_by = by
        finding.submission_key = self.cleaned_data["submission_key"]
        try:
            with transaction.atomic():
                finding.save()
        except IntegrityError:
            if not Finding.objects.filter(submission_key=finding.submission_key).exists():
                raise
            return False
        return True
