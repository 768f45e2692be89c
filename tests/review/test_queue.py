from django.urls import reverse

from intake.models import Intake
from tests.factories import make_client, make_submitted


def queue(client, **filters):
    if filters:
        client.post(reverse("intake:review_queue"), filters)
    return client.get(reverse("intake:review_queue"))


def names(response) -> list[str]:
    return [intake.client.legal_name for intake in response.context["page"].object_list]


def test_visibility_rule_assigned_and_unassigned_for_therapists_everything_for_admins(
    client, tara, theo, adam
):
    make_submitted(make_client(legal_name="Mine", assigned_therapist=tara))
    make_submitted(make_client(legal_name="Nobody's"))
    make_submitted(make_client(legal_name="Theirs", assigned_therapist=theo))

    client.force_login(tara)
    assert sorted(names(queue(client))) == ["Mine", "Nobody's"]
    client.force_login(theo)
    assert sorted(names(queue(client))) == ["Nobody's", "Theirs"]
    client.force_login(adam)
    assert sorted(names(queue(client))) == ["Mine", "Nobody's", "Theirs"]


def test_visible_to_is_empty_for_clients(alice):
    make_submitted(make_client(legal_name="Someone"))
    assert not Intake.objects.visible_to(alice).exists()


def test_newest_first_and_only_awaiting_review_by_default(client, tara):
    older = make_submitted(make_client(legal_name="Older"))
    make_submitted(make_client(legal_name="Newer"))
    make_submitted(make_client(legal_name="Done"))
    Intake.objects.filter(client__legal_name="Done").update(status=Intake.Status.REVIEWED)
    Intake.objects.filter(pk=older.pk).update(submitted_at=older.submitted_at.replace(year=2020))
    client.force_login(tara)
    assert names(queue(client)) == ["Newer", "Older"]
    assert names(queue(client, status="reviewed")) == ["Done"]


def test_drafts_and_archived_clients_stay_out(client, tara):
    from tests.factories import make_complete_draft

    make_complete_draft(make_client(legal_name="Drafting"))
    make_submitted(make_client(legal_name="Archived", archived=True))
    client.force_login(tara)
    assert names(queue(client)) == []


def test_filters_mine_red_flags_and_name(client, tara):
    make_submitted(make_client(legal_name="Ann Mine", assigned_therapist=tara))
    make_submitted(make_client(legal_name="Ben Flagged"), red_flags=["saddle_numbness"])
    make_submitted(make_client(legal_name="Cat Other"))
    client.force_login(tara)
    assert names(queue(client, scope="mine")) == ["Ann Mine"]
    assert names(queue(client, red_flags="on")) == ["Ben Flagged"]
    assert names(queue(client, name="  cat ")) == ["Cat Other"]
    assert sorted(names(queue(client, name=""))) == ["Ann Mine", "Ben Flagged", "Cat Other"]


def test_filters_stay_out_of_the_url(client, tara):
    client.force_login(tara)
    response = client.post(reverse("intake:review_queue"), {"name": "Secret Name"})
    assert response.url == reverse("intake:review_queue")
    assert "Secret" not in response.url


def test_bad_filter_values_are_ignored(client, tara):
    make_submitted(make_client(legal_name="Ann"))
    client.force_login(tara)
    assert names(queue(client, status="bogus", scope="everyone")) == ["Ann"]


def test_rows_show_age_regions_badges_and_time(client, tara):
    from datetime import date

    born = date.today().replace(year=date.today().year - 40, day=1)
    intake = make_submitted(
        make_client(legal_name="Ann Archer", date_of_birth=born),
        red_flags=["saddle_numbness"],
        precautions=["pregnancy"],
        pain=[("buttock", "left", 7), ("low_back", "center", 5), ("calf", "right", 2)],
    )
    client.force_login(tara)
    page = queue(client).content.decode()
    assert "Ann Archer" in page
    assert "Emergency: go now" in page
    assert "Pregnancy" in page
    assert "Buttock, left · Low back, middle · Calf, right" in page
    assert f'href="{reverse("intake:intake_review", args=[intake.pk])}"' in page
    assert 'Ann Archer</span><span class="text-body-secondary">, 40</span>' in page


def test_pagination(client, tara):
    for number in range(23):
        make_submitted(make_client(legal_name=f"Client {number:02d}"))
    client.force_login(tara)
    first = queue(client)
    assert len(first.context["page"].object_list) == 20
    assert first.context["page"].newer is None
    older = first.context["page"].older.encode()
    assert f'href="?after={older}"' in first.content.decode()
    second = client.get(reverse("intake:review_queue"), {"after": older})
    assert len(second.context["page"].object_list) == 3
    assert second.context["page"].older is None
    newer = second.context["page"].newer.encode()
    assert f'href="?before={newer}"' in second.content.decode()
    back = client.get(reverse("intake:review_queue"), {"before": newer})
    assert names(back) == names(first)


def test_keyset_pages_keep_the_urgency_order_through_ties(client, tara):
    """Walking "Older" then "Newer" pages in threes gives the queue's order (emergency,
    urgent, refer, the rest; newest first, ties by id), each row once."""
    from datetime import timedelta

    from django.utils import timezone

    from intake.queue import Cursor

    same_time = timezone.now() - timedelta(days=1)
    for number, urgency in enumerate(["", "refer", "emergency", "", "urgent", "refer", "", ""]):
        intake = make_submitted(make_client(legal_name=f"Client {number}"))
        Intake.objects.filter(pk=intake.pk).update(
            red_flag_urgency=urgency,
            submitted_at=same_time if number % 2 else same_time - timedelta(hours=number),
        )
    expected = [
        i.client.legal_name
        for i in Intake.objects.awaiting_review().by_urgency().select_related("client")
    ]
    client.force_login(tara)
    from intake.views import review

    size, review.QUEUE_PAGE_SIZE = review.QUEUE_PAGE_SIZE, 3
    try:
        seen, pages, params = [], [], {}
        while True:
            page = client.get(reverse("intake:review_queue"), params).context["page"]
            pages.append(page)
            seen += [intake.client.legal_name for intake in page.object_list]
            if page.older is None:
                break
            params = {"after": page.older.encode()}
        assert seen == expected
        back = client.get(reverse("intake:review_queue"), {"before": pages[-1].newer.encode()})
        assert back.context["page"].object_list == pages[-2].object_list
        assert client.get(reverse("intake:review_queue"), {"after": "1.x.2"}).status_code == 200
        assert Cursor.decode("9.1.2") is None and Cursor.decode("1.2.3\n") is None
    finally:
        review.QUEUE_PAGE_SIZE = size


def test_queue_runs_a_fixed_number_of_queries(
    client, tara, django_assert_num_queries, steady_session_clock
):
    def count_for(total: int) -> int:
        Intake.objects.all().delete()
        for number in range(total):
            make_submitted(make_client(legal_name=f"C{number}"))
        client.force_login(tara)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("intake:review_queue")).status_code == 200
        return len(captured)

    five, fifty = count_for(5), count_for(50)
    assert five == fifty <= 10
    with django_assert_num_queries(fifty):
        client.get(reverse("intake:review_queue"))


def test_a_row_shows_the_three_most_painful_places_ties_in_the_order_marked(client, tara):
    make_submitted(
        make_client(legal_name="Ann Archer"),
        pain=[
            ("calf", "right", 2),
            ("hip", "left", 6),
            ("buttock", "left", 6),
            ("low_back", "center", 8),
        ],
    )
    make_submitted(make_client(legal_name="Bea Bell"), pain=[])
    client.force_login(tara)
    page = queue(client).content.decode()
    assert "Low back, middle · Outside of the hip, left · Buttock, left</div>" in page
    assert "Calf, right" not in page
    assert "No places marked" in page


def test_a_queue_row_holds_what_the_row_shows(tara):
    from datetime import date

    from django.db import connection

    from intake.queue import queue_rows

    person = make_client(legal_name="Ann Archer", date_of_birth=date(1970, 1, 2))
    intake = make_submitted(person, precautions=["pregnancy"], red_flags=["night_pain"])
    other = make_submitted(make_client(legal_name="Ben Baker"))
    rows = queue_rows([intake.pk, other.pk], connection.alias)
    assert rows.keys() == {intake.pk, other.pk}
    row = rows[intake.pk]
    intake.refresh_from_db()
    assert (row.submitted_at, row.red_flag_urgency, row.precautions) == (
        intake.submitted_at,
        intake.red_flag_urgency,
        ["pregnancy"],
    )
    assert (row.client.legal_name, row.client.date_of_birth) == ("Ann Archer", date(1970, 1, 2))
    assert row.cleared is False and rows[other.pk].client.legal_name == "Ben Baker"
    assert "suggestion" in row.get_deferred_fields()
    assert queue_rows([], connection.alias) == {}
