from django import forms

from clinic.text import BidiSafeFormMixin


class QueueFilterForm(BidiSafeFormMixin, forms.Form):
    """The review queue's filters, kept in the session so names never go into a URL."""

    STATUS_CHOICES = [("awaiting", "Awaiting review"), ("reviewed", "Reviewed")]
    SCOPE_CHOICES = [("all", "All I may see"), ("mine", "My clients")]
    DEFAULTS = {
        "status": "awaiting",
        "scope": "all",
        "red_flags": False,
        "awaiting_clearance": False,
        "name": "",
    }

    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, label="Show")
    scope = forms.ChoiceField(choices=SCOPE_CHOICES, required=False, label="Clients")
    red_flags = forms.BooleanField(required=False, label="With red flags only")
    awaiting_clearance = forms.BooleanField(required=False, label="Awaiting clearance only")
    name = forms.CharField(required=False, max_length=100, label="Client's name")

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def filters(self) -> dict:
        return {
            key: self.cleaned_data.get(key) or default for key, default in self.DEFAULTS.items()
        }

    @staticmethod
    def apply(intakes, filters: dict, user):
        from clearances.models import awaiting_clearance

        if filters["status"] == "reviewed":
            intakes = intakes.reviewed()
        else:
            intakes = intakes.awaiting_review()
        if filters["scope"] == "mine":
            intakes = intakes.filter(client__assigned_therapist=user)
        if filters["red_flags"]:
            intakes = intakes.with_red_flags()
        if filters.get("awaiting_clearance"):
            intakes = awaiting_clearance(intakes)
        if filters["name"]:
            intakes = intakes.matching_client_name(filters["name"])
        return intakes
