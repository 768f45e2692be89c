"""The hot queries of issue 12 are driven by indexes, not by scans of whole tables.

The EXPLAIN checks run on PostgreSQL only (SQLite plans differ and are not what the clinic
runs): a small generated clinic is multiplied in SQL to a few thousand intakes and tens of
thousands of audit entries, ANALYZEd, and the planner is left to choose (enable_seqscan is
not touched), so the plans are those a clinic of that size gets.
"""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import ROLE_GROUP, Role
from intake.generate import Params, plan_clinic, write_clinic
from intake.models import Client, Intake
from intake.queue import LAST_RANK, Cursor, _keys, queue_rows
from intake.review_forms import QueueFilterForm

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN checks are for PostgreSQL's planner"
)


def _copy_rows(table: str, times: int, shift: dict[str, str]) -> None:
    """Insert `times` copies of every row of `table` (new ids), shifting some columns."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
            [table],
        )
        columns = [row[0] for row in cursor.fetchall()]
        values = [shift.get(column, f'"{column}"') for column in columns]
        names = ", ".join(f'"{column}"' for column in columns)
        cursor.execute(
            f'INSERT INTO "{table}" ({names}) SELECT {", ".join(values)} '
            f'FROM "{table}", generate_series(1, {times}) AS n'
        )
        cursor.execute(f'ANALYZE "{table}"')


@pytest.fixture
def clinic():
    write_clinic(plan_clinic(Params(clients=30, intakes_per_client=4, therapists=3, seed=5)))
    # ~120 intakes x 41 = ~5,000; their audit entries likewise.
    _copy_rows(
        "intake_intake",
        40,
        {"submitted_at": "submitted_at - n * interval '3 days'", "started_at": "started_at"},
    )
    _copy_rows(
        "auditlog_logentry",
        40,
        {
            "timestamp": "timestamp - n * interval '3 days'",
            # entries of other (made-up, not integer, so never listed as a client's)
            # clients: each real client keeps a clinic-sized share of the trail
            "additional_data": "jsonb_build_object('client_id', "
            "'copy ' || n || ' of ' || (additional_data ->> 'client_id'))",
        },
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def plan_of(run) -> str:
    with CaptureQueriesContext(connection) as captured:
        run()
    return explain(captured.captured_queries[-1]["sql"])


def counts_of_listing(client, list_name: str, table: str):
    """The admin list's response, and the queries of it that count rows of `table`."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(list_name))
    counts = [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(" in q["sql"].upper() and f'"{table}"' in q["sql"]
    ]
    return response, counts


def queue_of(therapist):
    return QueueFilterForm.apply(
        Intake.objects.visible_to(therapist).filter(client__archived=False),
        QueueFilterForm.DEFAULTS,
        therapist,
    )


@on_postgresql
def test_the_queue_pages_read_intakes_through_an_index(clinic):
    therapist = Client.objects.exclude(assigned_therapist=None).first().assigned_therapist
    intakes = queue_of(therapist)
    assert intakes.count() > 1000
    ranks = range(0, LAST_RANK + 1)
    first = plan_of(lambda: _keys(intakes, ranks, None, older=True, limit=21))
    page_two = Cursor(*_keys(intakes, ranks, None, older=True, limit=21)[-1])
    older = plan_of(
        lambda: _keys(intakes, range(page_two.rank, LAST_RANK + 1), page_two, older=True, limit=21)
    )
    oldest = Cursor.of(intakes.by_urgency().reverse().first())  # the last page's "Newer"
    newer = plan_of(
        lambda: _keys(intakes, range(oldest.rank, -1, -1), oldest, older=False, limit=21)
    )
    keys = _keys(intakes, ranks, None, older=True, limit=21)
    rows = plan_of(lambda: queue_rows([pk for *_, pk in keys], connection.alias))
    for plan in (first, older, newer, rows):
        assert "Seq Scan on intake_intake" not in plan, plan
        assert "Index" in plan and "intake_intake" in plan, plan


@on_postgresql
def test_who_changed_this_client_uses_the_client_id_index(clinic, client, adam):
    client_id = Client.objects.order_by("pk").values_list("pk", flat=True)[10]
    assert (
        "auditlog_logentry_client_id"
        in LogEntry.objects.filter(additional_data__client_id=client_id).explain()
    )
    client.force_login(adam)
    url = reverse("admin:auditlog_logentry_changelist")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, {"client": client_id}).status_code == 200
    listing = [q["sql"] for q in captured.captured_queries if "-> 'client_id'" in q["sql"]]
    assert listing
    for sql in listing:
        plan = explain(sql)
        assert "auditlog_logentry_client_id" in plan, plan
        assert "Seq Scan on auditlog_logentry" not in plan, plan


@on_postgresql
def test_the_unfiltered_trail_list_estimates_its_count(clinic, client, adam):
    client.force_login(adam)
    response, counts = counts_of_listing(
        client, "admin:auditlog_logentry_changelist", "auditlog_logentry"
    )
    assert counts == []
    total = LogEntry.objects.count()
    assert abs(response.context["cl"].result_count - total) < total * 0.2


def test_the_admin_client_list_counts_no_intakes(client, adam):
    from tests.factories import make_client, make_submitted

    make_submitted(make_client(legal_name="Ann Archer"))
    client.force_login(adam)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:intake_client_changelist"))
    assert response.status_code == 200
    assert not [q["sql"] for q in captured.captured_queries if "intake_intake" in q["sql"]]


def test_the_trail_lists_have_no_date_hierarchy_full_count_or_client_actor_filter(
    client, adam, tara, alice
):
    client.force_login(adam)
    for name in ["admin:auditlog_logentry_changelist", "admin:intake_accessevent_changelist"]:
        response = client.get(reverse(name))
        changelist = response.context["cl"]
        assert changelist.date_hierarchy is None
        assert changelist.show_full_result_count is False
        actors = [
            f for f in changelist.filter_specs if getattr(f, "parameter_name", "") == "actor"
        ][0]
        names = [label for _value, label in actors.lookup_choices]
        assert any("Tara" in label for label in names) and any("Adam" in label for label in names)
        assert not any(alice.email in label or alice.full_name in label for label in names)


@pytest.fixture
def many_client_accounts(clinic):
    """Some 3,000 client accounts beside the clinic's few staff: a clinic's proportions."""
    _copy_rows("accounts_user", 100, {"email": "'copy' || n || '.' || email"})
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_user_groups (user_id, group_id) "
            "SELECT u.id, g.id FROM accounts_user u, auth_group g "
            "WHERE u.email LIKE 'copy%%' AND g.name = %s",
            [ROLE_GROUP[Role.CLIENT]],
        )
        cursor.execute("ANALYZE")


@on_postgresql
@pytest.mark.parametrize(
    "list_name",
    [
        "admin:intake_client_changelist",
        "admin:intake_intake_changelist",
        "admin:intake_accessevent_changelist",
        "admin:auditlog_logentry_changelist",
    ],
)
def test_the_staff_filters_read_staff_accounts_through_an_index(
    many_client_accounts, client, adam, list_name
):
    assert get_user_model().objects.count() > 3000
    client.force_login(adam)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(list_name)).status_code == 200
    staff_lists = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "accounts_user" INNER JOIN "accounts_user_groups"' in q["sql"]
    ]
    assert staff_lists
    for sql in staff_lists:
        plan = explain(sql)
        assert "Seq Scan on accounts_user " not in plan, plan


@on_postgresql
def test_the_client_list_estimates_its_count_beyond_the_exact_limit(
    clinic, client, adam, monkeypatch
):
    monkeypatch.setattr("intake.pagination.EXACT_UP_TO", 10)
    client.force_login(adam)
    response, counts = counts_of_listing(client, "admin:intake_client_changelist", "intake_client")
    assert counts == []
    assert response.context["cl"].result_count == Client.objects.count()
