from django.contrib import admin

from intake.models import Client, Intake, Invitation, PainLocation


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = [
        "legal_name",
        "preferred_name",
        "date_of_birth",
        "email",
        "assigned_therapist",
        "archived",
    ]
    list_filter = ["archived", "assigned_therapist"]
    search_fields = ["legal_name", "preferred_name", "email", "phone"]
    list_select_related = ["assigned_therapist"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]


class PainLocationInline(admin.TabularInline):
    model = PainLocation
    extra = 0


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "client", "status", "started_at", "submitted_at"]
    list_filter = ["status", "submitted_at"]
    search_fields = ["client__legal_name", "client__email"]
    list_select_related = ["client"]
    date_hierarchy = "started_at"
    inlines = [PainLocationInline]
    readonly_fields = [
        "started_at",
        "updated_at",
        "submitted_at",
        "consent_at",
        "suggestion",
        "ruleset",
        "steps_done",
        "reminder_sent_at",
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "client",
        "email",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
    ]
    list_select_related = ["client", "created_by"]
    readonly_fields = ["token_digest", "created_at", "used_at"]
    search_fields = ["client__legal_name", "email"]
