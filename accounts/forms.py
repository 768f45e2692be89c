from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.db import IntegrityError, transaction

from accounts.roles import Role, set_role
from intake.models import Client

User = get_user_model()


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["username"])


class SignUpForm(UserCreationForm):
    EMAIL_TAKEN = "An account with this email already exists. Sign in, or reset your password."

    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    class Meta:
        model = User
        fields = ["full_name", "email"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Please enter your name.")
        return name

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(self.EMAIL_TAKEN)
        return email

    def create_client(self):
        """The new client's account, or None with the form's error when the email was taken.

        Two sign-ups with one email can both pass `clean_email`; the database's unique email
        lets one through and the other comes back here as an IntegrityError.
        """
        try:
            with transaction.atomic():
                user = self.save()
                set_role(user, Role.CLIENT)
                Client.for_user(user)
        except IntegrityError:
            if not User.objects.filter(email__iexact=self.cleaned_data["email"]).exists():
                raise
            self.add_error("email", self.EMAIL_TAKEN)
            return None
        return user
