"""The records (Django admin) for daily use: search, filters, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import Client
from tests.factories import make_client, make_submitted


@pytest.fixture
def admin_client_(client, adam):
    client.force_login(adam)
    return client


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def test_search_clients_by_name_email_and_date_of_birth(admin_client_, db):
    ann = make_client(legal_name="Ann Archer", email="ann@example.org")
    make_client(legal_name="Ben Baker", email="ben@example.org")
    url = reverse("admin:intake_client_changelist")
    assert listed(admin_client_.get(url, {"q": "archer"})) == [ann]
    assert listed(admin_client_.get(url, {"q": "ann@example"})) == [ann]
    Client.objects.filter(pk=ann.pk).update(date_of_birth="1971-02-03")
    assert listed(admin_client_.get(url, {"q": "1971-02-03"})) == [ann]
    assert listed(admin_client_.get(url, {"q": "03/02/1971"})) == [ann]


def test_intake_filters_status_therapist_red_flags_and_dates(admin_client_, tara):
    flagged = make_submitted(make_client(legal_name="Flagged"), red_flags=["saddle_numbness"])
    mine = make_submitted(make_client(legal_name="Mine", assigned_therapist=tara))
    url = reverse("admin:intake_intake_changelist")
    assert listed(admin_client_.get(url, {"red_flags": "emergency"})) == [flagged]
    assert listed(admin_client_.get(url, {"red_flags": "any"})) == [flagged]
    assert listed(admin_client_.get(url, {"client__assigned_therapist__id__exact": tara.pk})) == [
        mine
    ]
    assert len(listed(admin_client_.get(url, {"status": "submitted"}))) == 2
    year = flagged.submitted_at.year
    assert len(listed(admin_client_.get(url, {"started_at__year": year}))) == 2


def test_snapshots_are_read_only(admin_client_, db):
    intake = make_submitted(make_client())
    page = admin_client_.get(reverse("admin:intake_intake_change", args=[intake.pk]))
    form = page.context["adminform"].form
    assert "suggestion" not in form.fields and "ruleset" not in form.fields
    assert "quadratus_lumborum" in page.content.decode()


@pytest.mark.usefixtures("steady_session_clock")
@pytest.mark.parametrize(
    "name",
    [
        "admin:intake_client_changelist",
        "admin:intake_intake_changelist",
        "admin:intake_treatmentplan_changelist",
        "admin:intake_accessevent_changelist",
        "admin:auditlog_logentry_changelist",
        "admin:accounts_user_changelist",
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(admin_client_, tara, name):
    from intake.models import TreatmentPlan

    def count_after_adding(total: int) -> int:
        for number in range(total):
            intake = make_submitted(make_client(legal_name=f"P{number}", assigned_therapist=tara))
            plan = TreatmentPlan.start_for(intake, by=tara)
            plan.muscles.update(included=True, caution_reason="Agreed with the client's doctor.")
            plan.approve(by=tara)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client_.get(reverse(name)).status_code == 200
        return len(captured)

    assert count_after_adding(3) == count_after_adding(20)


def test_the_records_home_and_a_section_list_their_models_and_a_list_page_builds_none(
    admin_client_, monkeypatch
):
    """The sections are worked out where a page shows them: the sidebar that every page
    would list them in is off, and building them was a twentieth of a list's time."""
    from django.contrib.admin import AdminSite

    built = []
    build = AdminSite._build_app_dict
    monkeypatch.setattr(
        AdminSite,
        "_build_app_dict",
        lambda site, request, label=None: built.append(label) or build(site, request, label),
    )
    home = admin_client_.get(reverse("admin:index")).content.decode()
    assert "Clients" in home and "Intakes" in home and "Access events" in home
    section = admin_client_.get(reverse("admin:app_list", args=["intake"])).content.decode()
    assert "Clients" in section and "Treatment plans" in section
    assert admin_client_.get(reverse("admin:app_list", args=["account"])).status_code == 200
    built.clear()
    assert admin_client_.get(reverse("admin:intake_client_changelist")).status_code == 200
    assert built == []
