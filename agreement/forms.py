from django import forms

from intake.models import Intake, TreatmentPlan


class AgreementFilterForm(forms.Form):
    """Ruleset and dates: codes and dates only, so they may sit in the URL."""

    ruleset = forms.ChoiceField(
        required=False,
        label="Ruleset",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    since = forms.DateField(
        required=False,
        label="Approved from",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    until = forms.DateField(
        required=False,
        label="to",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rulesets = (
            Intake.objects.filter(plans__status=TreatmentPlan.Status.APPROVED)
            .order_by("ruleset")
            .values_list("ruleset", flat=True)
            .distinct()
        )
        self.fields["ruleset"].choices = [("", "All rulesets")] + [(r, r) for r in rulesets]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return cleaned

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: self.cleaned_data.get(key) for key in ("ruleset", "since", "until")}
