from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal import flows
from django import forms
from django.db import IntegrityError, transaction

from accounts.roles import Role, set_role
from clinic.text import BidiSafeFormMixin


class SignUpForm(BidiSafeFormMixin, AllauthSignupForm):
    """A new client: name, email and password; the email is verified by a code before use.

    Whether the email already has an account is never said: allauth answers as for a new
    account and emails the owner instead (ACCOUNT_PREVENT_ENUMERATION).
    """

    full_name = forms.CharField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    field_order = ["full_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The first field, not allauth's email, is where typing starts.
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields["full_name"].widget.attrs["autofocus"] = True

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Please enter your name.")
        return name

    def signup(self, request, user) -> None:
        from intake.models import Client

        set_role(user, Role.CLIENT)
        Client.for_user(user)

    def try_save(self, request):
        """Two sign-ups with one email at once: the database lets one through, and the other
        is answered exactly as a sign-up with a taken email is."""
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            from django.contrib.auth import get_user_model

            email = self.cleaned_data["email"]
            if not get_user_model().objects.filter(email__iexact=email).exists():
                raise
            return None, flows.signup.prevent_enumeration(request, email=email)
