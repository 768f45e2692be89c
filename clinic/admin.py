from django.contrib import admin

from accounts.roles import Role, has_role


class ClinicAdminSite(admin.AdminSite):
    """The records: the Django admin, for people with the admin role only."""

    site_header = "Clinic records"
    site_title = "Clinic records"
    index_title = "Records"

    def has_permission(self, request) -> bool:
        return has_role(request.user, Role.ADMIN)
