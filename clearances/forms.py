"""The client's upload of a doctor's letter, and the clinic's record of a clearance."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clearances.files import check_letter
from clearances.models import Clearance, ClearanceLetter
from intake.models import Intake

ACCEPT = "application/pdf,image/jpeg,image/png"


def store_letter(intake: Intake, upload, checked, *, by) -> ClearanceLetter:
    """Save a checked upload to private storage and record it; the file goes if the row
    cannot be written."""
    letter = ClearanceLetter(
        intake=intake,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    letter.file.save("letter", upload, save=False)
    try:
        with transaction.atomic():
            letter.save()
    except BaseException:
        letter.delete_file()
        raise
    return letter


class LetterUploadForm(forms.Form):
    """A photo taken now with the phone's camera, or a PDF or photo already on the device."""

    photo = forms.FileField(
        required=False,
        label="Take a photo of the letter",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )
    document = forms.FileField(
        required=False,
        label="Or choose a PDF or a photo",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text="PDF, JPEG or PNG, at most 10 MB.",
    )

    def __init__(self, *args, intake: Intake, **kwargs):
        self.intake = intake
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        uploads = [cleaned.get(name) for name in ("photo", "document") if cleaned.get(name)]
        if len(uploads) != 1:
            raise ValidationError("Take a photo of the letter, or choose one file.")
        if self.intake.clearance_letters.count() >= ClearanceLetter.MAX_PER_INTAKE:
            raise ValidationError(
                "We already have several letters for this intake. Please call the clinic."
            )
        cleaned["upload"] = uploads[0]
        cleaned["checked"] = check_letter(uploads[0])
        return cleaned

    def save(self, *, by) -> ClearanceLetter:
        return store_letter(
            self.intake, self.cleaned_data["upload"], self.cleaned_data["checked"], by=by
        )


class ClearanceForm(forms.Form):
    """A therapist records a doctor's clearance; an admin may instead record that they
    cleared the client in person, with the reason."""

    kind = forms.ChoiceField(
        choices=Clearance.Kind.choices,
        initial=Clearance.Kind.DOCTOR,
        widget=forms.RadioSelect,
        label="Clearance",
    )
    doctor_name = forms.CharField(required=False, max_length=150, label="Doctor's name")
    practice = forms.CharField(required=False, max_length=200, label="Practice")
    cleared_on = forms.DateField(
        required=False,
        label="Date of the clearance",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    restrictions = forms.CharField(
        required=False,
        max_length=2000,
        label="Restrictions the doctor gave",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    letter = forms.ModelChoiceField(
        queryset=ClearanceLetter.objects.none(),
        required=False,
        label="The doctor's letter",
        empty_label="Upload it below",
    )
    document = forms.FileField(
        required=False,
        label="Upload the letter",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text="PDF, JPEG or PNG, at most 10 MB.",
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        label="If cleared in person: why the client may be treated",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, intake: Intake, may_clear_in_person: bool, **kwargs):
        self.intake = intake
        super().__init__(*args, **kwargs)
        self.fields["letter"].queryset = intake.clearance_letters.all()
        self.fields["letter"].label_from_instance = lambda letter: (
            f"{letter.kind_label} uploaded {timezone.localtime(letter.uploaded_at):%d %b %Y}"
        )
        if not may_clear_in_person:
            self.fields["kind"].choices = [(Clearance.Kind.DOCTOR, Clearance.Kind.DOCTOR.label)]
            del self.fields["reason"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Clearance.Kind.IN_PERSON:
            if not cleaned.get("reason", "").strip():
                self.add_error("reason", "Write why the client may be treated.")
            return cleaned
        if not cleaned.get("doctor_name", "").strip():
            self.add_error("doctor_name", "Who cleared the client?")
        cleared_on = cleaned.get("cleared_on")
        if cleared_on is None:
            self.add_error("cleared_on", "When did the doctor clear the client?")
        elif cleared_on > timezone.localdate():
            self.add_error("cleared_on", "The date is in the future.")
        document = cleaned.get("document")
        if cleaned.get("letter") is None and document is None:
            self.add_error("document", "Choose the client's letter, or upload it.")
        elif document is not None:
            try:
                cleaned["checked"] = check_letter(document)
            except ValidationError as error:
                self.add_error("document", error)
        return cleaned

    def save(self, *, by) -> Clearance:
        data = self.cleaned_data
        with transaction.atomic():
            if data["kind"] == Clearance.Kind.IN_PERSON:
                return Clearance.objects.create(
                    intake=self.intake,
                    kind=Clearance.Kind.IN_PERSON,
                    reason=data["reason"].strip(),
                    recorded_by=by,
                )
            letter = data.get("letter")
            if data.get("document") is not None:
                letter = store_letter(self.intake, data["document"], data["checked"], by=by)
            return Clearance.objects.create(
                intake=self.intake,
                kind=Clearance.Kind.DOCTOR,
                doctor_name=data["doctor_name"].strip(),
                practice=data["practice"].strip(),
                cleared_on=data["cleared_on"],
                restrictions=data["restrictions"].strip(),
                letter=letter,
                recorded_by=by,
            )
