from django.contrib.admin.apps import AdminConfig


class ClinicAdminConfig(AdminConfig):
    default_site = "clinic.admin.ClinicAdminSite"

    def ready(self):
        super().ready()
        from clinic import checks  # noqa: F401 (registers the project's system checks)
