from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject

from accounts.roles import Role, has_role


class ClinicAdminSite(admin.AdminSite):
    """The records: the Django admin, for people with the admin role only."""

    site_header = "Clinic records"
    site_title = "Clinic records"
    index_title = "Records"
    # No list of every section beside each page (the records' home page lists them, and each
    # page's breadcrumbs lead back to it): building and drawing it for the two dozen models
    # was an eighth of a list page's time.
    enable_nav_sidebar = False

    def has_permission(self, request) -> bool:
        return has_role(request.user, Role.ADMIN)

    def get_app_list(self, request, app_label=None):
        """The sections, worked out when a page shows them (the home page, a section's
        page) rather than on every page for the sidebar, which is off: checking each
        model's permissions and reversing its URLs was a twentieth of a list's time."""
        return SimpleLazyObject(
            lambda: super(ClinicAdminSite, self).get_app_list(request, app_label)
        )

    def admin_view(self, view, cacheable=False):
        """Someone signed in without the admin role gets our 403 page, not a sign-in form."""
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return wrapper


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are read, never written, through the admin: the access log, sign-in
    events, consent versions."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
