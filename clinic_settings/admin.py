from django.contrib import admin

from clinic.admin import ReadOnlyAdmin
from clinic_settings.models import ClinicSettings, ConsentVersion


class _PageStyle:
    class Media:
        css = {"all": ["css/admin_pages.css"]}


@admin.register(ClinicSettings)
class ClinicSettingsAdmin(_PageStyle, admin.ModelAdmin):
    fieldsets = [
        ("The clinic", {"fields": ["name", "address", "phone", "email", "emergency_number"]}),
        ("Look", {"fields": ["logo", "brand_colour"]}),
        (
            "What clients accept at the consent step",
            {
                "fields": ["consent_text", "cancellation_policy", "privacy_policy"],
                "description": "Editing any of these makes a new version; intakes keep the "
                "version their client accepted.",
            },
        ),
        ("Time and reminders", {"fields": ["time_zone", "reminder_after_days"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: the list goes straight to it.
        from django.shortcuts import redirect

        clinic = ClinicSettings.load()
        if clinic._state.adding:
            clinic.save()
        return redirect("admin:clinic_settings_clinicsettings_change", clinic.pk)


@admin.register(ConsentVersion)
class ConsentVersionAdmin(_PageStyle, ReadOnlyAdmin):
    list_display = ["number", "created_at"]
    readonly_fields = [
        "number",
        "consent_text",
        "cancellation_policy",
        "privacy_policy",
        "created_at",
    ]
