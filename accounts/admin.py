from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect

from accounts.models import SignInEvent, User
from accounts.reauth import recent_sign_in_required, require_recent_sign_in
from accounts.roles import Role, role_of_groups, set_role
from clinic.admin import ReadOnlyAdmin
from intake.admin import RecordsAccessMixin


def _set_role_action(role: Role):
    @admin.action(description=f"Make the selected people {role.label.lower()}s")
    @recent_sign_in_required
    def action(modeladmin, request, queryset):
        for user in queryset:
            set_role(user, role)
        modeladmin.message_user(
            request, f"{queryset.count()} made {role.label.lower()}s.", messages.SUCCESS
        )

    action.__name__ = f"make_{role.value}"
    return action


@admin.action(description="Deactivate the selected people (signs them out)")
@recent_sign_in_required
def deactivate(modeladmin, request, queryset):
    people = [user for user in queryset if user.is_active and user != request.user]
    for user in people:
        user.is_active = False
        user.save(update_fields=["is_active"])
    modeladmin.message_user(request, f"{len(people)} deactivated and signed out.")


def has_trail(user: User) -> bool:
    """Whether the audit trail names this person as having seen, changed, approved or
    recorded anything."""
    from auditlog.models import LogEntry

    from intake.models import AccessEvent, Addendum, Finding, Invitation, TreatmentPlan

    return any(
        query.exists()
        for query in [
            AccessEvent.objects.filter(actor=user),
            LogEntry.objects.filter(actor=user),
            TreatmentPlan.objects.filter(approved_by=user),
            TreatmentPlan.objects.filter(created_by=user),
            Finding.objects.filter(recorded_by=user),
            Addendum.objects.filter(author=user),
            Invitation.objects.filter(created_by=user),
        ]
    )


def is_staff_member(user: User) -> bool:
    """A therapist or an admin, active or not (a deactivated account keeps its groups)."""
    staff = {Role.THERAPIST, Role.ADMIN}
    return (
        user.is_staff
        or user.is_superuser
        or role_of_groups(g.name for g in user.groups.all()) in staff
    )


KEPT_FOR_THE_TRAIL = (
    "{name} is named in the audit trail, so their account is kept: it was not deleted. "
    'Deactivate it instead: untick "active" below and save (or use "Deactivate the selected '
    'people" on the list). That signs them out and stops them signing in, and the trail '
    "still says who did what."
)


@admin.register(User)
class UserAdmin(RecordsAccessMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role_name", "is_active", "last_login"]
    list_filter = ["groups", "is_active"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    actions = [
        _set_role_action(Role.CLIENT),
        _set_role_action(Role.THERAPIST),
        _set_role_action(Role.ADMIN),
        deactivate,
    ]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        (
            "Role",
            {
                "fields": ["is_active", "groups"],
                "description": "A role is one group: Clients, Therapists or Admins. "
                "Use the actions on the list to change roles.",
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    @admin.display(description="role")
    def role_name(self, user: User) -> str:
        role = role_of_groups(group.name for group in user.groups.all())
        return role.label if role else "-"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the check below
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        """Staff named in the audit trail are deactivated, never deleted."""
        user = self.get_object(request, object_id)
        if user is not None and is_staff_member(user) and has_trail(user):
            self.message_user(request, KEPT_FOR_THE_TRAIL.format(name=user), messages.ERROR)
            return redirect("admin:accounts_user_change", user.pk)
        return super().delete_view(request, object_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Saving a person (their role, active flag, email) is a role change: confirm first.
        if request.method == "POST":
            require_recent_sign_in(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def user_change_password(self, request, id, form_url=""):
        if request.method == "POST":
            require_recent_sign_in(request)
        return super().user_change_password(request, id, form_url)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        # Only admins reach the records, whatever the groups say.
        user.is_staff = user.groups.filter(name="Admins").exists()
        user.save(update_fields=["is_staff"])


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdmin):
    """Sign-ins, failures, throttled attempts and sign-outs: read only."""

    list_display = ["at", "kind", "email", "ip_address"]
    list_filter = ["kind", "at"]
    search_fields = ["email", "ip_address"]
    date_hierarchy = "at"
    readonly_fields = ["at", "kind", "user", "email", "ip_address"]


admin.site.unregister(Authenticator)  # allauth's shows and edits the secrets


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """A person's second factors, without their secrets. Deleting one (a lost phone) sends a
    member of staff to set up a new one at their next page."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST":
            require_recent_sign_in(request)
        return super().delete_view(request, object_id, extra_context)
