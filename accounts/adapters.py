"""django-allauth hooks: our user model, the audit of sign-ins, and the staff's second factor."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib.sites.shortcuts import get_current_site

from accounts.roles import Role, role_of

STAFF_ROLES = {Role.THERAPIST, Role.ADMIN}
# The kinds of authenticator that count as a second factor (recovery codes only back them up).
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def is_staff_role(user) -> bool:
    return role_of(user) in STAFF_ROLES


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.email = type(user).objects.normalize_email(user.email)
        user.full_name = form.cleaned_data.get("full_name", user.full_name)
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        """Rendered here, sent by a worker: a slow mail server never holds the request."""
        from jobs.tasks import enqueue_email

        request = context.request
        data = {"request": request, "email": email, "current_site": get_current_site(request)}
        message = self.render_mail(template_prefix, email, {**data, **context_data})
        enqueue_email(message)

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            from accounts.audit import record_sign_in_throttled

            record_sign_in_throttled(request, credentials.get("email"))
            raise


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Therapists and admins keep at least one second factor (add a passkey first)."""
        user = authenticator.user
        if authenticator.type not in SECOND_FACTORS or not is_staff_role(user):
            return True
        others = Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exclude(
            pk=authenticator.pk
        )
        return others.exists()
