from datetime import date
from functools import lru_cache

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property

from clinic.text import BidiSafeFormMixin, strip_bidi_controls
from intake.body_map import shape_label
from intake.models import SCORE_MAX, SCORE_MIN, Client, Intake, PainLocation
from intake.rules import codes
from intake.rules.case import DEFAULT_INTENSITY

# The fields keep the model's 0-10 validators; only the wording is the clinic's.
SCORE_INPUT = {"min": SCORE_MIN, "max": SCORE_MAX, "inputmode": "numeric"}

OLDEST_PLAUSIBLE_AGE = 120
NO_YES = [("no", "No"), ("yes", "Yes")]


def squash_spaces(value: str) -> str:
    return " ".join(value.split())


def years_ago(years: int, today: date | None = None) -> date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class StepForm(BidiSafeFormMixin):
    """A questionnaire step's form: built from the intake it belongs to.

    What the client typed loses any bidirectional control characters (clinic/text.py).
    """

    @classmethod
    def for_intake(cls, intake: Intake, data=None):
        return cls(data, instance=intake)


class StepModelForm(StepForm, forms.ModelForm):
    """A step that writes only its own fields, never the whole row it was read with."""

    def save(self, commit: bool = True):
        if commit:
            self.instance.save(update_fields=[*self._meta.fields, "updated_at"])
        return self.instance

    def save_step(self) -> list[str]:
        """Store the step's answers. The intake's own fields are only set on it, and named:
        the caller saves them with the step's progress, in one write. Another row (the
        client's details) is written here, and only if something in it changed."""
        if isinstance(self.instance, Intake):
            return list(self._meta.fields)
        if self.has_changed():
            self.save()
        return []


# A draft keeps at most this many fields of this many characters (a crafted post stays small).
DRAFT_MAX_FIELDS = 200
DRAFT_MAX_CHARS = 4000


def step_draft(form) -> dict[str, list[str]]:
    """What was typed in a step's fields, to be shown again ("Save and finish later").

    Only the form's own fields, without NUL or bidirectional control characters (a
    database stores neither in JSON, and the draft is shown to the client again).
    """
    names = [name for name in form.data if name in form.fields][:DRAFT_MAX_FIELDS]
    return {
        name: [
            strip_bidi_controls(value.replace("\x00", ""))[:DRAFT_MAX_CHARS]
            for value in form.data.getlist(name)
        ]
        for name in names
    }


def show_draft(form, draft: dict[str, list[str]]) -> None:
    """Show a step's draft in its unbound form, as typed, without judging it."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, values in draft.items():
        data.setlist(name, values)
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput):
            continue
        value = field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        if isinstance(field, forms.BooleanField):
            value = bool(value) and value not in ("false", "False", "0")
        form.initial[name] = value
    form.draft = data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AboutYouForm(StepModelForm):
    @classmethod
    def for_intake(cls, intake: Intake, data=None):
        return cls(data, instance=intake.client)

    class Meta:
        model = Client
        fields = [
            "legal_name",
            "preferred_name",
            "date_of_birth",
            "email",
            "phone",
            "address",
            "emergency_contact_name",
            "emergency_contact_phone",
        ]
        labels = {
            "legal_name": "Full legal name",
            "preferred_name": "What should we call you? (optional)",
            "date_of_birth": "Date of birth",
            "email": "Email",
            "phone": "Phone",
            "address": "Postal address",
            "emergency_contact_name": "Emergency contact's name",
            "emergency_contact_phone": "Emergency contact's phone",
        }
        widgets = {
            "date_of_birth": DateInput(attrs={"autocomplete": "bday"}),
            "address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            "legal_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "emergency_contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    REQUIRED_MESSAGES = {
        "legal_name": "Please enter your full name.",
        "date_of_birth": "Please enter your date of birth.",
        "email": "Please enter your email address.",
        "phone": "Please enter a phone number we can reach you on.",
        "emergency_contact_name": "Please enter your emergency contact's name.",
        "emergency_contact_phone": "Please enter your emergency contact's phone number.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message

    def clean_legal_name(self) -> str:
        name = squash_spaces(self.cleaned_data["legal_name"])
        if not name:
            raise forms.ValidationError("Please enter your full name.")
        return name

    def clean_preferred_name(self) -> str:
        return squash_spaces(self.cleaned_data["preferred_name"])

    def clean_emergency_contact_name(self) -> str:
        name = squash_spaces(self.cleaned_data["emergency_contact_name"])
        if not name:
            raise forms.ValidationError("Please enter your emergency contact's name.")
        return name

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError("Your date of birth cannot be in the future.")
        if born < years_ago(OLDEST_PLAUSIBLE_AGE, today):
            raise forms.ValidationError("Please check the year of your date of birth.")
        return born

    def _clean_phone(self, name: str) -> str:
        phone = squash_spaces(self.cleaned_data[name])
        digits = [c for c in phone if c.isdigit()]
        allowed = set("0123456789 +-().")
        if not 6 <= len(digits) <= 15 or not set(phone) <= allowed:
            raise forms.ValidationError("Please enter a phone number, for example 020 7946 0000.")
        return phone

    def clean_phone(self) -> str:
        return self._clean_phone("phone")

    def clean_emergency_contact_phone(self) -> str:
        return self._clean_phone("emergency_contact_phone")


class CodesField(forms.MultipleChoiceField):
    """Checkboxes of contract codes, stored as a list in a JSON field."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, table, label_attr: str = "label", **kwargs):
        choices = [(code, getattr(row, label_attr)) for code, row in table.items()]
        super().__init__(choices=choices, required=False, **kwargs)

    def clean(self, value) -> list[str]:
        """The ticked codes once each, in the order of the table (a crafted post may repeat)."""
        ticked = set(super().clean(value))
        return [code for code, _ in self.choices if code in ticked]


class HealthForm(StepModelForm):
    precautions = CodesField(
        codes.PRECAUTIONS,
        label_attr="question",
        label="Tick any that apply to you",
        help_text="We still treat you; your therapist adapts the massage.",
    )

    class Meta:
        model = Intake
        fields = ["conditions", "medications", "allergies", "surgeries", "precautions"]
        labels = {
            "conditions": "Health conditions (past or present)",
            "medications": "Medicines you take, including the pill, supplements and creams",
            "allergies": "Allergies (for example to oils, nuts or latex)",
            "surgeries": "Operations or serious injuries, with the year",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in fields[:4]}
        help_texts = {"conditions": "Leave blank if none."}


class PainForm(StepModelForm):
    symptoms = CodesField(
        codes.SYMPTOMS, label_attr="client_label", label="Tick what is true for you"
    )

    class Meta:
        model = Intake
        fields = [
            "main_complaint",
            "pain_started_on",
            "current_pain",
            "peg_pain",
            "peg_enjoyment",
            "peg_activity",
            "symptoms",
        ]
        labels = {
            "main_complaint": "In your own words, what brings you here?",
            "pain_started_on": "When did this pain start? (a rough date is fine)",
            "current_pain": "How bad is the pain right now? (0 = none, 10 = worst imaginable)",
            "peg_pain": "What number best describes your pain on average in the past week?",
            "peg_enjoyment": (
                "In the past week, how much has pain interfered with your enjoyment of life? "
                "(0 = not at all, 10 = completely)"
            ),
            "peg_activity": (
                "In the past week, how much has pain interfered with your general activity? "
                "(0 = not at all, 10 = completely)"
            ),
        }
        widgets = {
            "main_complaint": forms.Textarea(attrs={"rows": 3}),
            "pain_started_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["current_pain", "peg_pain", "peg_enjoyment", "peg_activity"]:
            field = self.fields[name]
            field.required = True
            field.widget.attrs.update(SCORE_INPUT)
            for code in ["required", "min_value", "max_value"]:
                field.error_messages[code] = "Please choose a number from 0 to 10."
        self.fields["main_complaint"].required = True
        self.fields["main_complaint"].error_messages["required"] = (
            "Please tell us briefly what brings you here."
        )
        self.fields["pain_started_on"].required = True
        self.fields["pain_started_on"].error_messages["required"] = (
            "Please give the date the pain started, even a rough one."
        )

    def clean_main_complaint(self) -> str:
        text = self.cleaned_data["main_complaint"].strip()
        if not text:
            raise forms.ValidationError("Please tell us briefly what brings you here.")
        return text

    def clean_pain_started_on(self) -> date:
        started = self.cleaned_data["pain_started_on"]
        if started > timezone.localdate():
            raise forms.ValidationError("The start of the pain cannot be in the future.")
        if started < years_ago(OLDEST_PLAUSIBLE_AGE):
            raise forms.ValidationError("Please check the year.")
        return started


class SafetyForm(StepForm, forms.Form):
    """The red flags as plain yes/no questions; every one needs an answer."""

    def __init__(self, *args, instance: Intake, **kwargs):
        self.instance = instance
        answered = "safety" in instance.steps_done
        initial = {
            code: ("yes" if code in instance.red_flags else "no")
            for code in codes.RED_FLAGS
            if answered
        }
        super().__init__(*args, initial=initial, **kwargs)
        for code, flag in codes.RED_FLAGS.items():
            self.fields[code] = forms.ChoiceField(
                label=flag.question,
                choices=NO_YES,
                widget=forms.RadioSelect,
                error_messages={"required": "Please answer yes or no."},
            )

    def save(self) -> Intake:
        self.instance.save(update_fields=[*self.save_step(), "updated_at"])
        return self.instance

    def save_step(self) -> list[str]:
        """Set the answers on the intake and name the field: the caller saves it."""
        self.instance.red_flags = [
            code for code in codes.RED_FLAGS if self.cleaned_data[code] == "yes"
        ]
        return ["red_flags"]


class GoalsForm(StepModelForm):
    treatment_areas = CodesField(
        {area.value: area for area in Intake.TreatmentArea},
        label="Areas you agree to have treated",
        help_text=(
            "Some muscles that cause back and buttock pain are reached through these areas. "
            "Leave any unticked that you do not want touched; you can change your mind at "
            "any time."
        ),
    )

    class Meta:
        model = Intake
        fields = ["goals", "treatment_areas"]
        labels = {"goals": "What would you like from treatment?"}
        widgets = {"goals": forms.Textarea(attrs={"rows": 3})}


class ConsentForm(BidiSafeFormMixin, forms.Form):
    """The clinic's consent text and policies (its settings, in their current version), a
    tick and a typed signature."""

    @classmethod
    def for_intake(cls, intake: Intake, data=None):
        from clinic_settings.models import ClinicSettings

        version = ClinicSettings.load().current_consent()
        return cls(data, legal_name=intake.client.legal_name, version=version)

    agree = forms.BooleanField(
        label=(
            "I have read the consent and the clinic's policies above, I confirm my answers "
            "are true to the best of my knowledge, and I consent to assessment and treatment."
        ),
        error_messages={"required": "Please tick the box to give your consent."},
    )
    # The version the client read: if the clinic edits the text meanwhile, they read it again.
    consent_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    signature = forms.CharField(
        label="Type your full name as your signature",
        max_length=150,
        error_messages={"required": "Please type your full name."},
    )

    def __init__(self, *args, legal_name: str, version=None, **kwargs):
        self.legal_name = legal_name
        self.version = version
        super().__init__(*args, **kwargs)
        if version is not None:
            self.fields["consent_version"].initial = version.number

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("consent_version")
        if self.version is not None and number is not None and number != self.version.number:
            raise forms.ValidationError(
                "The clinic has just updated its consent text or policies. Please read them "
                "again above, then sign."
            )
        return cleaned

    def clean_signature(self) -> str:
        signature = squash_spaces(self.cleaned_data["signature"])
        if signature.casefold() != squash_spaces(self.legal_name).casefold():
            raise forms.ValidationError(
                f"Please type your full name as you gave it: {self.legal_name}."
            )
        return signature


@lru_cache(maxsize=1)
def _body_map_fields() -> dict[str, forms.Field]:
    """A checkbox and an intensity box for each place on the map: made once a process and
    shared by every BodyMapForm, which never changes them (making the 120-odd fields for
    each request, as a form's own fields are, was a fifth of the step's time)."""
    fields: dict[str, forms.Field] = {}
    for region in codes.REGIONS:
        for side in map_sides(region):
            key = f"{region}-{side}"
            label = shape_label(region, side)
            fields[f"pain-{key}"] = forms.BooleanField(required=False, label=label)
            fields[f"intensity-{key}"] = forms.IntegerField(
                required=False,
                validators=PainLocation._meta.get_field("intensity").validators,
                label=f"How bad, 0 to 10: {label}",
                widget=forms.NumberInput(attrs=SCORE_INPUT),
                error_messages={
                    "min_value": "Choose a number from 0 to 10.",
                    "max_value": "Choose a number from 0 to 10.",
                    "invalid": "Choose a number from 0 to 10.",
                },
            )
    return fields


class BodyMapForm(StepForm, forms.Form):
    """One checkbox and one 0-10 intensity per region and side the body map draws."""

    def __init__(self, *args, instance: Intake, **kwargs):
        self.instance = instance
        # Read once: a post saves against these (read under the intake's lock, as every
        # write to the places is).
        self.saved_places = list(instance.pain_locations.all())
        saved = {(p.region, p.side): p.intensity for p in self.saved_places}
        initial = {}
        for (region, side), intensity in saved.items():
            for key in self._keys_for(region, side):
                initial[f"pain-{key}"] = True
                initial[f"intensity-{key}"] = intensity
        super().__init__(*args, initial=initial, **kwargs)
        self.fields.update(_body_map_fields())

    @cached_property
    def rows(self) -> list[dict]:
        """The list beside the map: a row per region, an entry per side, each with what its
        checkbox and intensity box show. Read once here, after any validation, so the page's
        120-odd inputs cost no template lookups through bound fields."""
        rows = []
        for region, row in codes.REGIONS.items():
            entries = []
            for side in map_sides(region):
                key = f"{region}-{side}"
                checkbox, intensity = self[f"pain-{key}"], self[f"intensity-{key}"]
                entries.append(
                    {
                        "key": key,
                        "side": side,
                        "side_label": SIDES_ON_MAP[side],
                        "checkbox_id": checkbox.id_for_label,
                        "checkbox_name": checkbox.html_name,
                        "checked": bool(checkbox.value()),
                        "intensity_id": intensity.id_for_label,
                        "intensity_name": intensity.html_name,
                        "intensity_value": intensity.value(),
                        "intensity_errors": intensity.errors,
                    }
                )
            rows.append({"region": region, "label": row.label, "entries": entries})
        return rows

    @staticmethod
    def _keys_for(region: str, side: str) -> list[str]:
        return [f"{region}-{each}" for each in codes.expand_sides(side)]

    def clean(self):
        cleaned = super().clean()
        chosen = []
        for region in codes.REGIONS:
            sides = [s for s in map_sides(region) if cleaned.get(f"pain-{region}-{s}")]
            if "center" in sides and len(sides) > 1:
                label = codes.REGIONS[region].label
                raise forms.ValidationError(
                    f"{label}: choose either the middle or the left and right sides, not both."
                )
            for side in sides:
                intensity = cleaned.get(f"intensity-{region}-{side}")
                if intensity is None and not self.errors.get(f"intensity-{region}-{side}"):
                    intensity = DEFAULT_INTENSITY
                chosen.append((region, side, intensity))
        if not chosen:
            raise forms.ValidationError(
                "Please mark at least one place where it hurts, on the map or in the list."
            )
        self.chosen = chosen
        return cleaned

    def save(self) -> Intake:
        """Store the marked places, touching only those that changed. The caller holds the
        intake's lock and saves the intake itself (the step done, its time) right after."""
        intake = self.instance
        wanted = {
            (region, side): intensity
            for region, side, intensity in self.chosen
            if intensity is not None
        }
        saved = {(p.region, p.side): p for p in self.saved_places}
        gone = [p.pk for k, p in saved.items() if k not in wanted]
        if gone:
            intake.pain_locations.filter(pk__in=gone).delete()
        changed = [p for k, p in saved.items() if k in wanted and p.intensity != wanted[k]]
        for place in changed:
            place.intensity = wanted[(place.region, place.side)]
        PainLocation.objects.bulk_update(changed, ["intensity"])
        PainLocation.objects.bulk_create(
            PainLocation(intake=intake, region=region, side=side, intensity=intensity)
            for (region, side), intensity in wanted.items()
            if (region, side) not in saved
        )
        return intake

    def save_step(self) -> list[str]:
        """Store the places; no field of the intake itself changes."""
        self.save()
        return []

    def selected_locations(self) -> list[PainLocation]:
        """What the map should show: the posted choices, a draft's, or the saved ones."""
        data = self.data if self.is_bound else getattr(self, "draft", None)
        if data is None:
            return list(self.instance.pain_locations.all())
        selected = []
        for name, value in data.items():
            if name.startswith("pain-") and name in self.fields and value:
                region, _, side = name.removeprefix("pain-").rpartition("-")
                intensity = data.get(f"intensity-{region}-{side}")
                selected.append(
                    PainLocation(
                        region=region,
                        side=side,
                        intensity=int(intensity) if str(intensity).isdigit() else DEFAULT_INTENSITY,
                    )
                )
        return selected


SIDES_ON_MAP = {"left": "Left", "center": "Middle", "right": "Right"}


def map_sides(region: str) -> list[str]:
    """The sides a client can mark on the map, left to right: no 'both' (left and right)."""
    return [side for side in SIDES_ON_MAP if side in codes.REGIONS[region].sides]


class InviteClientForm(BidiSafeFormMixin, forms.Form):
    legal_name = forms.CharField(label="Client's full name", max_length=150)
    email = forms.EmailField(label="Client's email", max_length=254)

    def clean_legal_name(self) -> str:
        name = squash_spaces(self.cleaned_data["legal_name"])
        if not name:
            raise forms.ValidationError("Please enter the client's name.")
        return name

    def clean_email(self) -> str:
        from django.contrib.auth import get_user_model

        email = get_user_model().objects.normalize_email(self.cleaned_data["email"])
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Someone already has an account with this email; they can sign in."
            )
        return email

    def save(self, *, invited_by) -> Client:
        """The invited client: the one already on record with this email and no account (who
        keeps their record and assignment), else a new one. The database holds one client
        without an account per email, so two invitations at once still make one."""
        from django.db import IntegrityError, transaction

        from accounts.roles import Role, role_of

        therapist = invited_by if role_of(invited_by) == Role.THERAPIST else None
        email = self.cleaned_data["email"]
        waiting = Client.objects.filter(user__isnull=True, email__iexact=email)
        for _attempt in range(2):
            with transaction.atomic():
                existing = waiting.select_for_update().order_by("pk").first()
                if existing is not None:
                    if existing.archived:
                        existing.archived = False
                        existing.save(update_fields=["archived", "updated_at"])
                    return existing
                try:
                    with transaction.atomic():
                        return Client.objects.create(
                            legal_name=self.cleaned_data["legal_name"],
                            email=email,
                            assigned_therapist=therapist,
                        )
                except IntegrityError:
                    continue  # created meanwhile by another invitation: reuse that one
        raise RuntimeError("could not create or find the invited client")
