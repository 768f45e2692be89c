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
