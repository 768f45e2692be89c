"""Forms of the therapist's treatment plan and session findings."""

from django import forms
from django.db import transaction

from intake.audit import audited_bulk_update
from intake.models import Finding, Intake, PlanMuscle, TreatmentPlan
from intake.rules.knowledge import MUSCLES

SIDE_CHOICES = [("left", "Left"), ("right", "Right")]

# The body areas a muscle is worked through, where the client must have agreed
# to treatment there (the questionnaire's last step). Muscles not listed are
# reached through the back, hip or legs.
CONSENT_AREAS = {
    "gluteus_maximus": ["buttocks"],
    "gluteus_medius": ["buttocks"],
    "gluteus_minimus": ["buttocks"],
    "piriformis": ["buttocks"],
    "adductor_longus": ["inner_thigh_groin"],
    "adductor_magnus": ["inner_thigh_groin"],
    "rectus_abdominis": ["abdomen"],
    # The psoas is reached through the abdomen, the iliacus at the groin.
    "iliopsoas": ["abdomen", "inner_thigh_groin"],
}


class PlanForm(forms.Form):
    """Accept or reject each muscle, set its sides and order, add others, write notes."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
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
            "techniques": plan.techniques,
            "pressure": plan.pressure,
            "home_care": plan.home_care,
        }
        for row in self.rows:
            initial[f"include-{row.muscle}"] = row.included
            initial[f"sides-{row.muscle}"] = row.sides
            initial[f"order-{row.muscle}"] = row.position
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
            self.entries.append(
                {
                    "row": row,
                    "include": self[f"include-{code}"],
                    "sides": self[f"sides-{code}"],
                    "order": self[f"order-{code}"],
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
        if self.errors:
            return cleaned
        intake: Intake = self.plan.intake
        for code, sides in self.planned():
            muscle = MUSCLES[code]
            if not sides:
                raise forms.ValidationError(f"Choose the side or sides of {muscle.name}.")
            if muscle.internal_only:
                raise forms.ValidationError(
                    f"{muscle.name} can only be reached internally: refer the client to a "
                    "pelvic-health physiotherapist instead of planning it."
                )
            missing = [a for a in CONSENT_AREAS.get(code, []) if a not in intake.treatment_areas]
            if missing:
                areas = " and ".join(Intake.TreatmentArea(a).label.lower() for a in missing)
                raise forms.ValidationError(
                    f"{muscle.name} is worked through the {areas}, which the client has not "
                    "agreed to have treated. Leave it out, or ask the client first."
                )
        return cleaned

    @transaction.atomic
    def save(self, *, approve: bool, by) -> bool:
        """Save the plan; False if someone else saved it since this form was loaded."""
        plan = self.plan
        if not plan.claim_revision(self.cleaned_data["revision"]):
            return False
        for row in self.rows:
            row.included = self.cleaned_data[f"include-{row.muscle}"]
            row.sides = self.cleaned_data[f"sides-{row.muscle}"]
            row.position = self.cleaned_data[f"order-{row.muscle}"]
        audited_bulk_update(self.rows, ["included", "sides", "position"])
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
        plan.save(update_fields=["techniques", "pressure", "home_care", "updated_at"])
        if approve:
            plan.approve(by=by)
        return True


class FindingForm(forms.ModelForm):
    YES_NO = [(True, "Yes"), (False, "No")]

    referral_reproduced = forms.TypedChoiceField(
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        label="Referral pattern reproduced",
    )
    treated = forms.TypedChoiceField(
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        label="Treated",
    )

    class Meta:
        model = Finding
        fields = ["trigger_point", "referral_reproduced", "treated"]
        widgets = {"trigger_point": forms.RadioSelect}
        labels = {"trigger_point": "Trigger point"}
