import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.charts import DATE_LABEL_WIDTH, LEFT, RIGHT, Visit, pain_trend
from intake.models import Intake, TreatmentPlan
from tests.factories import make_client, make_draft, make_submitted


def history_url(client_record) -> str:
    return reverse("intake:client_history", args=[client_record.pk])


def submitted_on(client_record, when: datetime, **answers) -> Intake:
    intake = make_submitted(client_record, **answers)
    Intake.objects.filter(pk=intake.pk).update(submitted_at=when)
    intake.refresh_from_db()
    return intake


def approved(intake, by) -> TreatmentPlan:
    plan = TreatmentPlan.start_for(intake, by=by)
    plan.muscles.update(included=True, caution_reason="Agreed with the client's doctor.")
    plan.approve(by=by)
    return plan


@pytest.fixture
def record(tara):
    return make_client(legal_name="Ann Archer", assigned_therapist=tara)


def test_every_intake_and_plan_version_newest_first(client, tara, record):
    start = timezone.now() - timedelta(days=60)
    first = submitted_on(record, start, current_pain=8)
    second = submitted_on(record, start + timedelta(days=30), current_pain=4)
    make_draft(record, steps_done=["about"])
    version_1 = approved(first, tara)
    version_2 = version_1.new_version(by=tara)

    client.force_login(tara)
    response = client.get(history_url(record))

    assert response.status_code == 200
    assert [intake.pk for intake, *_ in response.context["rows"]] == [second.pk, first.pk]
    page = response.content.decode()
    for intake in (first, second):
        assert reverse("intake:intake_review", args=[intake.pk]) in page
    v2_link = reverse("intake:plan_detail", args=[version_2.pk])
    v1_link = reverse("intake:plan_detail", args=[version_1.pk])
    assert page.index(v2_link) < page.index(v1_link)
    assert "Tara Therapist" in page
    assert "No treatment plan yet." in page
    assert "Draft" in page and "Approved" in page


def test_each_plan_names_its_approver_as_now_or_a_former_colleague(client, tara, theo, record):
    from accounts.models import User

    first = submitted_on(record, timezone.now() - timedelta(days=9))
    theos_plan = approved(first, theo)
    approved(submitted_on(record, timezone.now() - timedelta(days=3)), tara)
    User.objects.filter(pk=theo.pk).update(full_name="Theo Renamed")

    client.force_login(tara)
    page = client.get(history_url(record)).content.decode()
    assert "by Theo Renamed," in page and "by Tara Therapist," in page

    User.objects.filter(pk=theo.pk).delete()
    page = client.get(history_url(record)).content.decode()
    assert "by a former colleague," in page and "Theo" not in page
    assert reverse("intake:plan_detail", args=[theos_plan.pk]) in page


def test_plan_links_by_intake_newest_version_first(tara, record):
    from intake.models import PlanLink

    first = submitted_on(record, timezone.now() - timedelta(days=9))
    second = submitted_on(record, timezone.now() - timedelta(days=3))
    other = submitted_on(make_client(), timezone.now() - timedelta(days=1))
    version_1 = approved(first, tara)
    version_2 = version_1.new_version(by=tara)
    approved(other, tara)

    links = TreatmentPlan.links_by_intake([first, second])
    assert links.keys() == {first.pk, second.pk} and links[second.pk] == []
    assert [link.pk for link in links[first.pk]] == [version_2.pk, version_1.pk]
    newest, oldest = links[first.pk]
    assert not newest.is_approved and newest.get_status_display() == "Draft"
    assert oldest == PlanLink(
        version_1.pk, 1, "approved", version_1.approved_at, approved_by="Tara Therapist"
    )


def test_the_chart_has_a_title_a_description_a_legend_and_a_data_table(client, tara, record):
    start = timezone.now() - timedelta(days=40)
    submitted_on(record, start, current_pain=7, peg_pain=6, peg_enjoyment=6, peg_activity=7)
    submitted_on(record, start + timedelta(days=20), current_pain=3)

    client.force_login(tara)
    page = client.get(history_url(record)).content.decode()

    assert 'role="img"' in page and 'aria-labelledby="trend-title trend-desc"' in page
    assert '<title id="trend-title">' in page and '<desc id="trend-desc">' in page
    for name in ("Current pain", "PEG score", "Painful regions"):
        assert name in page
    assert "Date the intake was sent" in page
    assert "<table" in page and ">6.3<" in page
    assert "current pain 7 of 10" in page


def test_one_intake_is_a_single_point(client, tara, record):
    make_submitted(record, current_pain=5)
    client.force_login(tara)
    response = client.get(history_url(record))
    chart = response.context["chart"]
    assert [len(series.points) for series in chart.series] == [1, 1, 1]
    assert all(series.lines == () for series in chart.series)
    assert "<path d=" in response.content.decode()


def test_missing_ratings_are_shown_as_not_answered_and_gaps(client, tara, record):
    start = timezone.now() - timedelta(days=90)
    submitted_on(record, start, current_pain=6)
    submitted_on(record, start + timedelta(days=30), current_pain=None, peg_activity=None)
    submitted_on(record, start + timedelta(days=60), current_pain=4)

    client.force_login(tara)
    response = client.get(history_url(record))
    pain = response.context["chart"].series[0]
    assert len(pain.points) == 2 and pain.lines == ()
    assert response.content.decode().count('"visually-hidden">not answered<') == 2


def test_a_client_with_no_submitted_intake(client, tara, record):
    make_draft(record)
    client.force_login(tara)
    response = client.get(history_url(record))
    assert response.status_code == 200
    assert response.context["chart"] is None
    assert "has not sent an intake yet" in response.content.decode()


def test_admins_see_every_client_and_therapists_their_own_and_unassigned(
    client, tara, theo, adam, record
):
    make_submitted(record)
    nobodys = make_client(legal_name="Nobody's")
    client.force_login(theo)
    assert client.get(history_url(record)).status_code == 404
    assert client.get(history_url(nobodys)).status_code == 200
    client.force_login(adam)
    assert client.get(history_url(record)).status_code == 200


def test_who_may_not(client, alice, record):
    assert client.get(history_url(record)).url.startswith(reverse("login"))
    client.force_login(alice)
    assert client.get(history_url(record)).status_code == 403
    assert client.get(reverse("intake:client_history", args=[99999])).status_code == 403


def test_wrong_method(client, tara, record):
    client.force_login(tara)
    assert client.post(history_url(record)).status_code == 405


@pytest.mark.usefixtures("steady_session_clock")
def test_a_fixed_number_of_queries_whatever_the_number_of_intakes(
    client, tara, record, django_assert_num_queries
):
    def count_for(total: int) -> int:
        Intake.objects.filter(client=record).delete()
        start = timezone.now() - timedelta(days=total)
        for day in range(total):
            intake = submitted_on(record, start + timedelta(days=day))
            if day % 2:
                approved(intake, tara).new_version(by=tara)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(history_url(record))
        assert len(response.context["rows"]) == total
        return len(captured)

    client.force_login(tara)
    five, fifty = count_for(5), count_for(50)
    assert five == fifty <= 10
    with django_assert_num_queries(fifty):
        client.get(history_url(record))


# The chart's coordinates, without the database.

DAY = datetime(2026, 3, 2, 10, 0)


def visit(days: float = 0, pain: int | None = 5, peg: float | None = 4.0, regions: int = 2):
    return Visit(DAY + timedelta(days=days), current_pain=pain, peg=peg, regions=regions)


def test_one_visit_sits_in_the_middle():
    chart = pain_trend([visit()])
    assert {point.x for series in chart.series for point in series.points} == {(LEFT + RIGHT) / 2}
    assert [tick.label for tick in chart.x_ticks] == ["2 Mar 2026"]


def test_x_is_proportional_to_time_oldest_on_the_left():
    chart = pain_trend([visit(30), visit(0), visit(10)])
    xs = [point.x for point in chart.series[0].points]
    assert xs == sorted(xs)
    assert xs[1] - xs[0] == pytest.approx((xs[2] - xs[0]) / 3, abs=0.2)


def test_visits_at_the_same_moment_are_spread_evenly():
    xs = [point.x for point in pain_trend([visit(), visit(), visit()]).series[0].points]
    assert len(set(xs)) == 3
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.2)


def test_ratings_are_drawn_on_a_0_to_10_scale():
    chart = pain_trend([visit(0, pain=0), visit(1, pain=10)])
    panel = chart.panels[0]
    low, high = chart.series[0].points
    assert (low.y, high.y) == (panel.bottom, panel.top)
    assert [tick.label for tick in panel.y_ticks] == ["0", "2", "4", "6", "8", "10"]


def test_a_missing_value_breaks_the_line():
    chart = pain_trend([visit(0), visit(1, pain=None), visit(2), visit(3)])
    pain = chart.series[0]
    assert len(pain.points) == 3
    assert len(pain.lines) == 1 and len(pain.lines[0].split()) == 2
    assert len(chart.series[1].lines) == 1


def test_the_regions_axis_grows_with_the_count():
    small = pain_trend([visit(regions=1)]).panels[1]
    large = pain_trend([visit(regions=13)]).panels[1]
    assert small.y_ticks[-1].label == "4"
    assert int(large.y_ticks[-1].label) >= 13


def test_date_labels_never_overlap_and_the_latest_is_shown():
    chart = pain_trend([visit(days) for days in range(0, 100, 2)])
    positions = [tick.position for tick in chart.x_ticks]
    assert all(b - a >= DATE_LABEL_WIDTH for a, b in zip(positions, positions[1:], strict=False))
    assert chart.x_ticks[-1].label == "8 Jun 2026"


def test_point_labels_say_the_value_in_words():
    chart = pain_trend([visit(pain=7, peg=6.3, regions=1)])
    assert [series.points[0].label for series in chart.series] == [
        "2 Mar 2026: current pain 7 of 10",
        "2 Mar 2026: PEG score 6.3 of 10",
        "2 Mar 2026: 1 painful region",
    ]
    assert re.fullmatch(r"M[\d.,]+a.*Z", chart.series[0].points[0].marker)


def test_no_visit_is_an_error():
    with pytest.raises(ValueError):
        pain_trend([])


def test_a_phone_keeps_fewer_dates_the_latest_among_them():
    chart = pain_trend([visit(days) for days in range(0, 100, 10)])
    narrow = [tick for tick in chart.x_ticks if tick.narrow]
    assert 1 < len(narrow) < len(chart.x_ticks)
    assert narrow[-1] == chart.x_ticks[-1]
    positions = [tick.position for tick in narrow]
    assert all(b - a >= 126 for a, b in zip(positions, positions[1:], strict=False))


def test_the_view_is_on_the_access_log(client, tara, record):
    from intake.models import AccessEvent

    client.force_login(tara)
    client.get(history_url(record))
    event = AccessEvent.objects.get()
    assert (event.actor, event.client_id, event.action) == (tara, record.pk, "view")


def test_each_intake_names_its_three_most_painful_places_and_counts_the_rest(client, tara, record):
    start = timezone.now() - timedelta(days=30)
    places = [
        ("calf", "right", 2),
        ("hip", "left", 6),
        ("buttock", "left", 6),
        ("low_back", "center", 8),
    ]
    submitted_on(record, start, pain=places)
    submitted_on(record, start + timedelta(days=10), pain=[("calf", "right", 4)])
    submitted_on(record, start + timedelta(days=20), pain=[])
    client.force_login(tara)
    page = client.get(history_url(record)).content.decode()
    assert "Low back, middle; Outside of the hip, left; Buttock, left and 1 more" in page
    assert re.search(r"Calf, right\s+· pain now", page)
    assert "No places marked" in page
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    assert re.findall(r'<td class="text-end">(\d+)</td>\s*</tr>', table) == ["0", "1", "4"]


def test_sent_intakes_newest_first_with_the_fields_asked_for(db):
    person, other = make_client(legal_name="Ann Archer"), make_client(legal_name="Ben Baker")
    when = timezone.now() - timedelta(days=30)
    first = submitted_on(person, when, current_pain=7)
    same_time = submitted_on(person, when, current_pain=6)  # a tie: the later id first
    latest = submitted_on(person, when + timedelta(days=2), current_pain=3)
    submitted_on(other, when + timedelta(days=1))
    make_draft(person)
    found = person.sent_intakes(("submitted_at", "current_pain"))
    assert [intake.pk for intake in found] == [latest.pk, same_time.pk, first.pk]
    assert [intake.current_pain for intake in found] == [3, 6, 7]
    assert found[0].submitted_at == when + timedelta(days=2)
    assert "main_complaint" in found[0].get_deferred_fields()
    assert found[0].main_complaint == latest.main_complaint  # read when asked for
