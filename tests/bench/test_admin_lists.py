"""The admin's lists at clinic scale: what each page reads beyond its 50 rows."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.admin import ClientAdmin, IntakeAdmin
from intake.models import Client, Intake
from tests.factories import make_client, make_submitted

pytestmark = pytest.mark.django_db


def list_queries(client, name: str, params=None) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), params or {})
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize(("model_admin", "model"), [(ClientAdmin, Client), (IntakeAdmin, Intake)])
def test_the_row_checkbox_is_the_one_djangos_widget_writes(model_admin, model, alice):
    intake = make_submitted(make_client(alice))
    row = intake if model is Intake else intake.client
    ours = model_admin(model, admin.site)
    assert ours.action_checkbox(row) == admin.ModelAdmin.action_checkbox(ours, row)


def test_the_intake_list_reads_no_years_of_every_intake(client, adam, alice):
    make_submitted(make_client(alice))
    client.force_login(adam)
    response, queries = list_queries(client, "admin:intake_intake_changelist")
    assert response.context["cl"].date_hierarchy is None
    assert not [sql for sql in queries if "DATE_TRUNC" in sql.upper() or "MIN(" in sql.upper()]
    assert response.context["cl"].result_count == 1


def test_the_client_list_offers_the_therapists_without_reading_every_client(
    client, adam, tara, theo, alice
):
    make_client(alice, assigned_therapist=tara)
    client.force_login(adam)
    response, queries = list_queries(client, "admin:intake_client_changelist")
    therapists = [
        f
        for f in response.context["cl"].filter_specs
        if getattr(f, "parameter_name", "") == "assigned_therapist__id__exact"
    ][0]
    # Every therapist, the one nobody is assigned to yet included.
    assert [label for _pk, label in therapists.lookup_choices] == [str(tara), str(theo)]
    assert not [sql for sql in queries if "DISTINCT" in sql.upper() and "intake_client" in sql]

    response, _ = list_queries(
        client, "admin:intake_client_changelist", {"assigned_therapist__id__exact": theo.pk}
    )
    assert list(response.context["cl"].result_list) == []
    response, _ = list_queries(
        client, "admin:intake_client_changelist", {"assigned_therapist__id__exact": tara.pk}
    )
    assert [c.legal_name for c in response.context["cl"].result_list] == ["Alice Archer"]


def test_the_intake_and_trail_lists_read_no_document_they_do_not_show(client, adam, alice):
    make_submitted(make_client(alice))
    client.force_login(adam)
    response, queries = list_queries(client, "admin:intake_intake_changelist")
    rows = [sql for sql in queries if sql.startswith('SELECT "intake_intake"."id", ')]
    assert rows and not [sql for sql in rows if '"suggestion"' in sql or '"step_drafts"' in sql]
    assert "Intake #" in response.content.decode()

    response, queries = list_queries(client, "admin:auditlog_logentry_changelist")
    rows = [sql for sql in queries if sql.startswith('SELECT "auditlog_logentry"."id", ')]
    assert rows and not [sql for sql in rows if '"serialized_data"' in sql]
    assert response.context["cl"].result_list  # and their changes are shown without a query


# The lists' date and choice columns are written straight, not through the admin's
# formatters (some 50 calls a cell): each must show exactly what the admin would.
def zones():
    return ["UTC", "Pacific/Auckland"]


@pytest.mark.parametrize("zone", zones())
@pytest.mark.parametrize(
    ("model", "name"),
    [
        ("intake.Intake", "started_at"),
        ("intake.Intake", "submitted_at"),
        ("intake.AccessEvent", "at"),
        ("intake.Client", "date_of_birth"),
    ],
)
def test_a_date_column_shows_what_the_admin_would(model, name, zone, alice, tara):
    from django.apps import apps
    from django.contrib.admin.utils import display_for_field
    from django.utils import timezone
    from django.utils.html import strip_tags

    from intake.admin import EMPTY_CELL, date_column
    from intake.audit import record_access

    intake = make_submitted(make_client(alice, date_of_birth="1980-02-29"))
    record_access(tara, intake, "view")
    model = apps.get_model(model)
    row = {Intake: intake, Client: intake.client}.get(model) or model.objects.last()
    field = model._meta.get_field(name)
    column = date_column(model, name)
    assert column.admin_order_field == name and column.__name__ == name
    assert column.short_description == field.verbose_name
    with timezone.override(zone):
        assert strip_tags(column(row)) == display_for_field(getattr(row, name), field, EMPTY_CELL)
        setattr(row, name, None)
        assert column(row) is None  # the admin shows its empty cell


def test_a_choice_column_shows_the_label_or_the_empty_cell():
    from django.contrib.admin.utils import display_for_field

    from intake.admin import EMPTY_CELL, choice_column

    field = Intake._meta.get_field("status")
    column = choice_column(Intake, "status")
    assert column.admin_order_field == "status" and column.__name__ == "status"
    for value in [*(value for value, _ in field.flatchoices), "", "unknown"]:
        row = Intake(status=value)
        shown = column(row)
        assert (EMPTY_CELL if shown is None else shown) == display_for_field(
            value, field, EMPTY_CELL
        )


def test_the_lists_show_and_sort_by_their_date_columns_as_before(client, adam, alice):
    make_submitted(make_client(alice))
    client.force_login(adam)
    for name, column, sortable in [
        ("admin:intake_intake_changelist", "submitted_at", True),
        ("admin:intake_accessevent_changelist", "at", True),
        ("admin:auditlog_logentry_changelist", "created", False),  # as auditlog has it
    ]:
        page = client.get(reverse(name)).content.decode()
        assert (f'class="sortable column-{column}' in page) is sortable, name
        assert f"column-{column}" in page, name
        cell = page[page.index(f'class="field-{column}') :][:300]
        assert "nowrap" in cell[: cell.index("</t")], name  # the date stays on one line


@pytest.mark.parametrize("zone", zones())
def test_the_trails_columns_are_auditlogs_own(zone, adam, alice):
    from auditlog.admin import LogEntryAdmin as AuditlogEntryAdmin
    from auditlog.models import LogEntry
    from django.contrib.admin.utils import display_for_value
    from django.utils import timezone
    from django.utils.html import strip_tags

    from intake.admin import EMPTY_CELL, LogEntryAdmin

    person = make_client(alice)
    person.legal_name = "Alice Changed"
    person.save()
    ours, theirs = LogEntryAdmin(LogEntry, admin.site), AuditlogEntryAdmin(LogEntry, admin.site)
    entries = list(LogEntry.objects.all())
    entries[0].actor = adam
    entries[-1].actor = None
    assert len(entries) >= 2
    with timezone.override(zone):
        for entry in entries:
            assert strip_tags(ours.created(entry)) == display_for_value(
                theirs.created(entry), EMPTY_CELL
            )
            assert ours.resource_url(entry) == theirs.resource_url(entry)
            assert ours.user_url(entry) == theirs.user_url(entry)


def test_a_true_false_column_shows_the_admins_icon():
    from django.contrib.admin.utils import display_for_field

    from intake.admin import EMPTY_CELL, boolean_column

    field = Client._meta.get_field("archived")
    column = boolean_column(Client, "archived")
    assert column.admin_order_field == "archived" and column.__name__ == "archived"
    for value in (True, False):
        assert column(Client(archived=value)) == display_for_field(value, field, EMPTY_CELL)


def test_a_rows_link_is_the_one_the_admin_reverses(rf, adam, alice):
    from django.contrib.admin.views.main import ChangeList

    from intake.admin import RecordChangeList

    intake = make_submitted(make_client(alice))
    request = rf.get("/")
    request.user = adam
    for model, row in [(Client, intake.client), (Intake, intake)]:
        changelist = admin.site._registry[model].get_changelist_instance(request)
        assert isinstance(changelist, RecordChangeList)
        assert changelist.url_for_result(row) == ChangeList.url_for_result(changelist, row)
