import html
from functools import cache, lru_cache
from urllib.parse import quote as url_quote

from auditlog.admin import LogEntryAdmin as AuditlogEntryAdmin
from auditlog.models import LogEntry
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe

from accounts.reauth import recent_sign_in_required, require_recent_sign_in
from accounts.roles import Role, role_members
from clinic.admin import ReadOnlyAdmin
from intake import erasure
from intake.audit import record_access, record_listed
from intake.models import (
    AccessEvent,
    Addendum,
    Client,
    Finding,
    Intake,
    Invitation,
    PainLocation,
    PlanMuscle,
    Resuggestion,
    TreatmentPlan,
)
from intake.pagination import EstimatedCountPaginator
from intake.templatetags.clinic import local_date
from jobs.models import Job
from jobs.tasks import start_job

EMPTY_CELL = mark_safe("-")  # the admin's own default


class RecordsAccessMixin:
    """Opening a record's page in the admin (its change or history page) is recorded like any
    other view of it, and a list or a search records every row it shows that belongs to a
    client (the search term itself, a name or a date of birth, is never stored). Its list's
    rows are written by `intake.admin_rows`."""

    change_list_template = "admin/record_change_list.html"

    def get_empty_value_display(self):
        """What an empty cell shows: made once, where the admin marks its lazy text safe again
        for each of a list's cells."""
        return EMPTY_CELL

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._record_view(request, response, object_id)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._record_view(request, response, object_id)
        return response

    def get_changelist(self, request, **kwargs):
        return RecordChangeList

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method == "GET" and response.status_code == 200 and changelist is not None:
            rows = changelist.result_list
            record_listed(request.user, self.model, rows, AccessEvent.Action.LIST)
        return response

    def _record_view(self, request, response, object_id) -> None:
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                record_access(request.user, obj, AccessEvent.Action.VIEW)


class PlainCheckboxMixin:
    """A list's row checkbox written straight as Django's widget writes it, instead of a
    form widget rendered through its templates for each row (a large share of a list's
    time, 50 rows a page)."""

    def action_checkbox(self, obj):
        label = html.escape(f"Select this object for an action - {obj}")
        value = html.escape(str(obj.pk))
        return mark_safe(
            f'<input type="checkbox" name="{ACTION_CHECKBOX_NAME}" value="{value}"'
            f' class="action-select" aria-label="{label}">'
        )


def date_column(model, name: str):
    """A list column for a date or time field that shows what the admin shows (the date or
    time in the clinic's time zone, in DATE_FORMAT or DATETIME_FORMAT) through strftime:
    the admin's own formatter took some 50 calls a cell, and a list shows 50 rows."""
    field = model._meta.get_field(name)
    when = isinstance(field, models.DateTimeField)

    @admin.display(description=field.verbose_name, ordering=name)
    def column(obj):
        value = getattr(obj, name)
        if value is None:
            return None
        form = get_format("DATETIME_FORMAT" if when else "DATE_FORMAT")
        text = local_date(timezone.localtime(value) if when else value, form)
        return mark_safe(f'<span class="nowrap">{html.escape(text)}</span>')

    column.__name__ = name  # the cell's class, field-<name>, as for the field itself
    return column


def choice_column(model, name: str):
    """A list column for a field with choices that shows its label, as the admin does, from
    a lookup made once rather than the field's choices flattened again for every cell."""
    field = model._meta.get_field(name)
    labels = {value: str(label) for value, label in field.flatchoices}

    @admin.display(description=field.verbose_name, ordering=name)
    def column(obj):
        return labels.get(getattr(obj, name))

    column.__name__ = name
    return column


def boolean_column(model, name: str):
    """A list column for a true/false field with the admin's yes/no icon, made once a value
    rather than its static file's URL looked up again for every cell."""
    field = model._meta.get_field(name)

    @admin.display(description=field.verbose_name, ordering=name)
    def column(obj):
        return _boolean_icon(getattr(obj, name))

    column.__name__ = name
    return column


@cache
def _boolean_icon(value):
    return admin_list._boolean_icon(value)


def change_url(viewname: str, pk) -> str | None:
    """reverse(viewname, args=[pk]) of an admin change page, or None where there is none,
    from one reverse() a page kind rather than one a row (a tenth of a 50-row list's time)."""
    pattern = _change_url_pattern(viewname, get_script_prefix())
    if pattern is None:
        return None
    return pattern.replace(PK_MARK, url_quote(str(pk), safe=URL_SAFE))


PK_MARK = "OBJECTPK"  # letters that neither reverse() nor the admin's quote() change
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


@lru_cache(maxsize=256)
def _change_url_pattern(viewname: str, script_prefix: str) -> str | None:
    # The script prefix only keys the cache: reverse() reads it itself.
    try:
        return reverse(viewname, args=[PK_MARK])
    except NoReverseMatch:
        return None


class RecordChangeList(ChangeList):
    """A list whose rows link to their pages through one reversed URL (`change_url`)."""

    def url_for_result(self, result) -> str:
        viewname = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        url = change_url(viewname, quote(getattr(result, self.pk_attname)))
        if url is None:
            raise NoReverseMatch(viewname)  # the admin then shows the row without a link
        return url


class DeferringChangeList(RecordChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer(*self.model_admin.list_defer)


class ListDeferMixin:
    """A list reads its rows without the fields in `list_defer`: JSON documents and texts
    no column shows (decoding an intake's suggestion, 50 a page, was the intake list's
    largest cost). The record's own page still reads everything."""

    list_defer: list[str] = []

    def get_changelist(self, request, **kwargs):
        return DeferringChangeList


class UnchangedSinceOpenedForm(forms.ModelForm):
    """A change form that refuses to save over changes made after the page was opened.

    The form is a copy read when the page opened; saving it as it is would put back whatever
    the client or the app changed since.
    """

    STALE = (
        "Someone changed this record after you opened it, so your changes were not saved. "
        "Reload the page to see the record as it is now, then make your changes again."
    )
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["opened_version"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and not self.is_current(self.instance):
            raise forms.ValidationError(self.STALE)
        return cleaned

    def is_current(self, row) -> bool:
        return self.data.get(self.add_prefix("opened_version")) == row.updated_at.isoformat()


class UnchangedSinceOpenedMixin:
    """Saves through `UnchangedSinceOpenedForm`, checked again under the row's lock."""

    form = UnchangedSinceOpenedForm

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change:
                row = type(obj).objects.select_for_update().get(pk=obj.pk)
                if not form.is_current(row):
                    self.message_user(request, form.STALE, messages.ERROR)
                    return
            super().save_model(request, obj, form, change)


def id_param(value: str | None) -> int | None:
    """A record id from a list filter's query string, or None for anything that is not one."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def therapists():
    return role_members(Role.THERAPIST).filter(is_active=True)


class AssignTherapistForm(forms.Form):
    therapist = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Nobody (any therapist may see them)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["therapist"].queryset = therapists()


@admin.action(description="Assign the selected clients to a therapist")
def assign_therapist(modeladmin, request, queryset):
    form = AssignTherapistForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        therapist = form.cleaned_data["therapist"]
        count = queryset.update(assigned_therapist=therapist)
        who = therapist or "nobody"
        modeladmin.message_user(request, f"{count} client(s) assigned to {who}.", messages.SUCCESS)
        return None
    return render(
        request,
        "admin/intake/client/assign_therapist.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Assign clients to a therapist",
            "clients": queryset,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


@admin.action(description="Archive the selected clients (they leave the queues)")
def archive(modeladmin, request, queryset):
    count = queryset.update(archived=True)
    modeladmin.message_user(request, f"{count} client(s) archived.")


@admin.action(description="Bring the selected clients back from the archive")
def unarchive(modeladmin, request, queryset):
    count = queryset.update(archived=False)
    modeladmin.message_user(request, f"{count} client(s) back from the archive.")


def _erasure_action(name: str, description: str, kind: str):
    """An admin action that asks for confirmation, saying exactly what will happen, then
    leaves the erasure to a background job and shows its progress."""

    @admin.action(description=description)
    @recent_sign_in_required
    def action(modeladmin, request, queryset):
        if "confirm" in request.POST:
            job = start_job(kind, queryset.values_list("pk", flat=True), by=request.user)
            return redirect(job)
        clients = queryset.annotate(intake_total=Count("intakes", distinct=True))
        return render(
            request,
            "admin/intake/client/erase_confirmation.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": description,
                "mode": name,
                "clients": clients[:ERASURE_LISTED],
                "total": queryset.count(),
                "select_across": request.POST.get("select_across", "0"),
                "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
                "wipes": erasure.ANONYMISE_WIPES,
                "keeps": erasure.ANONYMISE_KEEPS,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": modeladmin.model._meta,
            },
        )

    action.__name__ = name
    return action


# The confirmation names this many of the selected clients, then says how many more.
ERASURE_LISTED = 100

anonymise_clients = _erasure_action(
    "anonymise_clients", "Anonymise the selected clients", Job.Kind.ANONYMISE
)
delete_clients = _erasure_action(
    "delete_clients", "Delete the selected clients with everything they hold", Job.Kind.DELETE
)


@admin.action(description="Export the selected clients' records (CSV tables and JSON, zipped)")
@recent_sign_in_required
def export_records(modeladmin, request, queryset):
    job = start_job(Job.Kind.EXPORT_RECORDS, queryset.values_list("pk", flat=True), by=request.user)
    return redirect(job)


def _export_fhir(request, intakes):
    ids = intakes.submitted().values_list("pk", flat=True)
    return redirect(start_job(Job.Kind.EXPORT_FHIR, ids, by=request.user))


@admin.action(description="Export the selected clients' submitted intakes as FHIR R4")
@recent_sign_in_required
def export_client_fhir(modeladmin, request, queryset):
    return _export_fhir(request, Intake.objects.filter(client__in=queryset))


@admin.action(description="Export the selected intakes as FHIR R4 (drafts are left out)")
@recent_sign_in_required
def export_intake_fhir(modeladmin, request, queryset):
    return _export_fhir(request, queryset)


class TherapistFilter(admin.SimpleListFilter):
    """The client's therapist, among the therapists (not a DISTINCT over every intake)."""

    title = "therapist"
    parameter_name = "client__assigned_therapist__id__exact"
    field = "client__assigned_therapist_id"

    def lookups(self, request, model_admin):
        return [(str(user.pk), str(user)) for user in therapists().order_by("full_name", "email")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        therapist_id = id_param(self.value())
        if therapist_id is None:
            return queryset.none()
        return queryset.filter(**{self.field: therapist_id})


class AssignedTherapistFilter(TherapistFilter):
    """The client list's: among the therapists (not a DISTINCT over every client)."""

    parameter_name = "assigned_therapist__id__exact"
    field = "assigned_therapist_id"


class IntakeInline(admin.TabularInline):
    model = Intake
    fields = ["link", "status", "started_at", "submitted_at", "red_flag_urgency"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description="intake")
    def link(self, intake: Intake) -> str:
        url = reverse("admin:intake_intake_change", args=[intake.pk])
        return format_html('<a href="{}">{}</a>', url, intake)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Client)
class ClientAdmin(
    PlainCheckboxMixin, RecordsAccessMixin, UnchangedSinceOpenedMixin, admin.ModelAdmin
):
    list_display = [
        "legal_name",
        "preferred_name",
        date_column(Client, "date_of_birth"),
        "email",
        "phone",
        "assigned_therapist",
        boolean_column(Client, "archived"),
    ]
    list_filter = ["archived", AssignedTherapistFilter, "created_at"]
    search_fields = ["legal_name", "preferred_name", "email", "phone"]
    search_help_text = "Name, email, phone, or date of birth (YYYY-MM-DD or DD/MM/YYYY)."
    list_select_related = ["assigned_therapist"]
    # Rendering the rows is most of a list's time: 50 a page, and no second full count.
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    ordering = ["legal_name", "pk"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at", "trail"]
    inlines = [IntakeInline]
    actions = [
        export_records,
        export_client_fhir,
        assign_therapist,
        archive,
        unarchive,
        anonymise_clients,
        delete_clients,
    ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # clients are erased with delete_clients
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST":
            require_recent_sign_in(request)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj: Client) -> None:
        erasure.delete(obj, by=request.user)

    @admin.display(description="audit trail")
    def trail(self, client: Client) -> str:
        if client.pk is None:
            return "-"
        views = reverse("admin:intake_accessevent_changelist") + f"?client__id__exact={client.pk}"
        changes = reverse("admin:auditlog_logentry_changelist") + f"?client={client.pk}"
        return format_html(
            '<a href="{}">Who saw this record</a> · <a href="{}">Who changed it</a>', views, changes
        )

    def get_search_results(self, request, queryset, search_term):
        results, distinct = super().get_search_results(request, queryset, search_term)
        born = _parse_birth_date(search_term.strip())
        if born is not None:
            results |= queryset.filter(date_of_birth=born)
        return results, distinct


def _parse_birth_date(text: str):
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            text = f"{year:04d}-{month:02d}-{day:02d}"
        return parse_date(text)
    except ValueError:
        return None


class PainLocationInline(admin.TabularInline):
    model = PainLocation
    extra = 0

    # A sent intake is signed as it stands.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and not obj.is_draft)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and not obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and not obj.is_draft)


class AddendumInline(admin.StackedInline):
    """Corrections to a sent intake: added beside the signed record, never edited or deleted."""

    model = Addendum
    fields = ["text", "author_name", "created_at"]
    readonly_fields = ["author_name", "created_at"]
    extra = 0
    can_delete = False
    verbose_name = "addendum (a correction or note; the signed intake does not change)"

    def has_add_permission(self, request, obj=None) -> bool:
        # Only to a sent intake: a draft is still the client's to change.
        return super().has_add_permission(request, obj) and obj is not None and not obj.is_draft

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RedFlagFilter(admin.SimpleListFilter):
    title = "red flags"
    parameter_name = "red_flags"

    def lookups(self, request, model_admin):
        return [
            ("any", "Any red flag"),
            ("emergency", "Emergency"),
            ("urgent", "Urgent"),
            ("refer", "Refer"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "any":
            return queryset.with_red_flags()
        if self.value() in ("emergency", "refer"):
            return queryset.filter(red_flag_urgency=self.value())
        return queryset


@admin.register(Intake)
class IntakeAdmin(
    ListDeferMixin,
    PlainCheckboxMixin,
    RecordsAccessMixin,
    UnchangedSinceOpenedMixin,
    admin.ModelAdmin,
):
    list_display = [
        "__str__",
        "client",
        choice_column(Intake, "status"),
        "red_flag_urgency",
        date_column(Intake, "started_at"),
        date_column(Intake, "submitted_at"),
    ]
    list_filter = [
        "status",
        RedFlagFilter,
        TherapistFilter,
        "submitted_at",
    ]
    search_fields = ["client__legal_name", "client__preferred_name", "client__email"]
    list_select_related = ["client"]
    list_defer = [
        "steps_done",
        "step_drafts",
        "main_complaint",
        "symptoms",
        "red_flags",
        "precautions",
        "conditions",
        "medications",
        "allergies",
        "surgeries",
        "goals",
        "treatment_areas",
        "suggestion",
    ]
    list_per_page = 50
    show_full_result_count = False
    # No date hierarchy: its years are a DISTINCT over every intake, on every page.
    paginator = EstimatedCountPaginator
    ordering = ["-started_at", "-pk"]
    raw_id_fields = ["client"]
    inlines = [PainLocationInline, AddendumInline]
    actions = [export_intake_fhir]
    readonly_fields = [
        "started_at",
        "updated_at",
        "submitted_at",
        "consent_at",
        "suggestion",
        "ruleset",
        "red_flag_urgency",
        "steps_done",
        "reminder_sent_at",
        # Submitting, signing and the status change only through the client's own pages.
        "status",
        "consent_agreed",
        "consent_name",
    ]

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        # TherapistFilter keeps the parameter of the related-field filter it replaced.
        return lookup == TherapistFilter.parameter_name or super().lookup_allowed(
            lookup, value, request
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:  # signed by the client: read-only
            return [field.name for field in Intake._meta.concrete_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change and not Intake.locked(obj.pk).is_draft:
            # Sent by the client between the check and now: the lock's re-read says so. (A
            # page opened on a sent intake had nothing to change; its addenda are saved.)
            if obj.is_draft:
                self.message_user(request, UnchangedSinceOpenedForm.STALE, messages.ERROR)
            return
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Addendum:
            for addendum in formset.save(commit=False):
                addendum.author = request.user
                addendum.save()
            return
        super().save_formset(request, form, formset, change)


class PlanMuscleInline(admin.TabularInline):
    model = PlanMuscle
    extra = 0
    fields = ["muscle", "sides", "position", "included", "origin", "suggested_rank"]

    # An approved plan does not change: editing it makes a new version, in the app.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_approved)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_approved)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_approved)


@admin.register(TreatmentPlan)
class TreatmentPlanAdmin(RecordsAccessMixin, admin.ModelAdmin):
    list_display = ["__str__", "client", "version", "status", "approved_by", "approved_at"]
    list_filter = ["status", ("approved_by", admin.RelatedOnlyFieldListFilter), "approved_at"]
    search_fields = ["intake__client__legal_name", "intake__client__email"]
    list_select_related = ["intake__client", "approved_by"]
    ordering = ["-created_at", "-pk"]
    # Status, approval and versions change only through the app's plan pages.
    readonly_fields = [
        "intake",
        "version",
        "status",
        "revision",
        "created_by",
        "created_at",
        "updated_at",
        "approved_by",
        "approved_at",
    ]
    inlines = [PlanMuscleInline]

    def has_add_permission(self, request):
        return False  # a plan starts from its intake, in the app

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_approved)

    @admin.display(description="client", ordering="intake__client__legal_name")
    def client(self, plan: TreatmentPlan) -> Client:
        return plan.intake.client


@admin.register(PainLocation)
class PainLocationAdmin(RecordsAccessMixin, admin.ModelAdmin):
    list_display = ["__str__", "intensity", "intake"]
    list_filter = ["region", "side"]
    list_select_related = ["intake"]
    raw_id_fields = ["intake"]


@admin.register(PlanMuscle)
class PlanMuscleAdmin(RecordsAccessMixin, admin.ModelAdmin):
    list_display = ["name", "sides", "included", "origin", "plan"]
    list_filter = ["included", "origin", "muscle"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan"]


@admin.register(Finding)
class FindingAdmin(RecordsAccessMixin, admin.ModelAdmin):
    list_display = [
        "plan_muscle",
        "trigger_point",
        "referral_reproduced",
        "treated",
        "recorded_by",
        "recorded_at",
    ]
    list_filter = ["trigger_point", "referral_reproduced", "treated", "recorded_at"]
    list_select_related = ["plan_muscle", "recorded_by"]
    raw_id_fields = ["plan_muscle"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Resuggestion)
class ResuggestionAdmin(RecordsAccessMixin, admin.ModelAdmin):
    list_display = ["__str__", "ruleset", "created_by", "created_at"]
    list_select_related = ["created_by"]
    readonly_fields = ["intake", "ruleset", "result", "created_by", "created_at"]


@admin.register(Invitation)
class InvitationAdmin(RecordsAccessMixin, admin.ModelAdmin):
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
    raw_id_fields = ["client"]


class StaffActorFilter(admin.SimpleListFilter):
    """Who acted, among the clinic's staff (therapists and admins, deactivated ones too).

    Not every account that ever acted: clients act on their own records, and a list of
    thousands of them is no filter.
    """

    title = "member of staff"
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        staff = role_members(Role.THERAPIST, Role.ADMIN).distinct().order_by("full_name", "email")
        return [(str(user.pk), str(user)) for user in staff]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        actor_id = id_param(self.value())
        return queryset.none() if actor_id is None else queryset.filter(actor_id=actor_id)


class ObjectTypeFilter(admin.SimpleListFilter):
    """The kind of record seen, from the project's models (not a DISTINCT over every event)."""

    title = "object type"
    parameter_name = "object_type"
    APPS = ["intake", "clearances", "accounts", "auditlog"]

    def lookups(self, request, model_admin):
        from django.apps import apps

        kinds = {
            model._meta.model_name: str(model._meta.verbose_name)
            for label in self.APPS
            for model in apps.get_app_config(label).get_models()
        }
        return sorted(kinds.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


class TrailListMixin:
    """The audit trail's lists: no date hierarchy (a DISTINCT over every row), no full
    count, and a paginator that estimates rather than counts a large table."""

    date_hierarchy = None
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50


@admin.register(AccessEvent)
class AccessEventAdmin(TrailListMixin, RecordsAccessMixin, ReadOnlyAdmin):
    list_display = [
        date_column(AccessEvent, "at"),
        "who",
        choice_column(AccessEvent, "action"),
        "object_type",
        "object_id",
        "client",
    ]
    list_filter = ["action", ObjectTypeFilter, StaffActorFilter, "at"]
    search_fields = ["client__legal_name", "actor__email", "actor_name", "actor_email"]

    @admin.display(description="who", ordering="actor_email")
    def who(self, event: AccessEvent) -> str:
        """The name and email copied onto the event: still there when the account is not."""
        return event.actor_label

    list_select_related = ["actor", "client"]


class ClientFilter(admin.SimpleListFilter):
    """Changes of one client's records (the audit entries carry the client's id)."""

    title = "client"
    parameter_name = "client"

    def client_id(self) -> int | None:
        """The client's id asked for, or None for anything that is not one."""
        return id_param(self.value())

    def lookups(self, request, model_admin):
        client_id = self.client_id()
        client = Client.objects.filter(pk=client_id).first() if client_id else None
        return [(str(client.pk), str(client))] if client else []

    def has_output(self) -> bool:
        return True

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        client_id = self.client_id()
        if client_id is None:
            return queryset.none()
        return queryset.filter(additional_data__client_id=client_id)


admin.site.unregister(LogEntry)
TRAIL_TIME = date_column(LogEntry, "timestamp")


@admin.register(LogEntry)
class LogEntryAdmin(ListDeferMixin, TrailListMixin, RecordsAccessMixin, AuditlogEntryAdmin):
    list_filter = ["action", ClientFilter, StaffActorFilter, "timestamp"]
    # auditlog's own list names first_name and last_name, which our User does not have.
    # actor_email is the address copied onto the entry, kept when the account is deleted.
    search_fields = ["object_repr", "changes", "actor__full_name", "actor__email", "actor_email"]
    search_help_text = "The record's name, a changed value, or who made the change."
    list_defer = ["serialized_data", "additional_data", "changes_text"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # auditlog's columns as it writes them, with the time written as the other lists write
    # theirs, and the links made from one reversed URL a kind of record rather than a
    # reverse() a cell (these were a sixth of the trail's time).
    @admin.display(description="Created")
    def created(self, entry):
        return TRAIL_TIME(entry)

    @admin.display(description="Resource")
    def resource_url(self, entry):
        kind = entry.content_type
        pk = entry.object_pk if entry.object_id is None else entry.object_id
        url = change_url(f"admin:{kind.app_label}_{kind.model}_change", pk)
        if url is None:
            return entry.object_repr
        return format_html('<a href="{}">{} - {}</a>', url, kind, entry.object_repr)

    @admin.display(description="User")
    def user_url(self, entry):
        if not entry.actor:
            return "system"
        meta = entry.actor._meta
        url = change_url(f"admin:{meta.app_label}_{meta.model_name}_change", entry.actor.pk)
        return format_html('<a href="{}">{}</a>', url, entry.actor) if url else str(entry.actor)
