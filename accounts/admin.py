from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User
from accounts.roles import Role, role_of_groups, set_role


def _set_role_action(role: Role):
    @admin.action(description=f"Make the selected people {role.label.lower()}s")
    def action(modeladmin, request, queryset):
        for user in queryset:
            set_role(user, role)
        modeladmin.message_user(
            request, f"{queryset.count()} made {role.label.lower()}s.", messages.SUCCESS
        )

    action.__name__ = f"make_{role.value}"
    return action


@admin.action(description="Deactivate the selected people (signs them out)")
def deactivate(modeladmin, request, queryset):
    people = [user for user in queryset if user.is_active and user != request.user]
    for user in people:
        user.is_active = False
        user.save(update_fields=["is_active"])
    modeladmin.message_user(request, f"{len(people)} deactivated and signed out.")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        # Only admins reach the records, whatever the groups say.
        user.is_staff = user.groups.filter(name="Admins").exists()
        user.save(update_fields=["is_staff"])
