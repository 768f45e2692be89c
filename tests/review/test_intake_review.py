from django.urls import reverse

from intake.models import Intake, Resuggestion
from intake.rules import RULESET
from tests.factories import make_client, make_complete_draft, make_submitted


def review(client, intake):
    return client.get(reverse("intake:intake_review", args=[intake.pk]))


def test_red_flags_come_first_then_precautions_map_answers_and_muscles(client, tara):
    intake = make_submitted(
        make_client(legal_name="Ann Archer"),
        red_flags=["saddle_numbness", "night_pain"],
        precautions=["anticoagulants"],
    )
    client.force_login(tara)
    page = review(client, intake).content.decode()
    order = [
        page.index("Refer before treatment"),
        page.index("Precautions"),
        page.index("Body map:"),
        page.index("Health history"),
        page.index("Muscles to assess"),
    ]
    assert order == sorted(order)
    assert page.index("Saddle numbness") < page.index("Constant night pain")  # emergency first
    assert "Light pressure only" in page
    assert "not a diagnosis" in page
    assert "Quadratus lumborum" in page
    assert intake.ruleset in page


def test_no_red_flag_banner_without_red_flags(client, tara):
    intake = make_submitted(make_client(), red_flags=[])
    client.force_login(tara)
    assert "Refer before treatment" not in review(client, intake).content.decode()


def test_drafts_are_not_reviewable(client, tara):
    from tests.factories import make_complete_draft

    draft = make_complete_draft(make_client())
    client.force_login(tara)
    assert review(client, draft).status_code == 404


def test_what_changed_since_the_last_intake(client, tara):
    person = make_client(legal_name="Ann Archer")
    make_submitted(
        person,
        pain=[("buttock", "left", 6), ("calf", "right", 3)],
        precautions=[],
        current_pain=6,
    )
    latest = make_submitted(
        person,
        pain=[("buttock", "left", 4), ("hip", "left", 5)],
        precautions=["pregnancy"],
        red_flags=["night_pain"],
        current_pain=4,
    )
    client.force_login(tara)
    response = review(client, latest)
    changes = response.context["changes"]
    assert changes.new_regions == ["Outside of the hip, left side"]
    assert changes.gone_regions == ["Calf, right side"]
    assert [(c.label, c.before, c.after) for c in changes.intensity_changes] == [
        ("Buttock, left side", 6, 4)
    ]
    assert changes.new_precautions == ["Pregnancy"]
    assert changes.new_red_flags == ["Constant night pain"]
    page = response.content.decode()
    assert "What changed since" in page and "6 &rarr; 4 of 10" in page


def test_first_intake_has_no_what_changed(client, tara):
    intake = make_submitted(make_client())
    client.force_login(tara)
    assert review(client, intake).context["changes"] is None


def test_fresh_suggestion_under_a_changed_ruleset_stays_beside_the_original(client, tara):
    intake = make_submitted(make_client())
    original = dict(intake.suggestion)
    Intake.objects.filter(pk=intake.pk).update(ruleset="2025.9-oldoldol")
    client.force_login(tara)
    assert review(client, intake).context["can_resuggest"]

    url = reverse("intake:resuggest", args=[intake.pk])
    client.post(url)
    client.post(url)  # a double click makes no second copy
    fresh = Resuggestion.objects.get(intake=intake)
    assert fresh.ruleset == RULESET and fresh.created_by == tara
    intake.refresh_from_db()
    assert intake.suggestion == original and intake.ruleset == "2025.9-oldoldol"
    response = review(client, intake)
    assert not response.context["can_resuggest"]
    page = response.content.decode()
    assert "At submission" in page and f"ruleset {RULESET}" in page


def test_no_fresh_suggestion_when_the_ruleset_is_current(client, tara):
    intake = make_submitted(make_client())
    client.force_login(tara)
    assert not review(client, intake).context["can_resuggest"]
    client.post(reverse("intake:resuggest", args=[intake.pk]))
    assert not Resuggestion.objects.exists()


def test_review_page_runs_a_fixed_number_of_queries(client, tara, steady_session_clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_for(total: int) -> int:
        person = make_client(legal_name=f"Person {total}")
        for _ in range(total - 1):
            make_submitted(person)
        latest = make_submitted(person)
        client.force_login(tara)
        with CaptureQueriesContext(connection) as captured:
            assert review(client, latest).status_code == 200
        return len(captured)

    five, fifty = count_for(5), count_for(50)
    assert five == fifty <= 9


def test_both_intakes_places_are_read_in_one_query(client, tara):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = make_client()
    make_submitted(person, pain=[("calf", "right", 3)])
    latest = make_submitted(person, pain=[("hip", "left", 5)])
    client.force_login(tara)
    with CaptureQueriesContext(connection) as captured:
        response = review(client, latest)
    assert response.context["changes"].new_regions == ["Outside of the hip, left side"]
    assert response.context["changes"].gone_regions == ["Calf, right side"]
    places = [q for q in captured if 'FROM "intake_painlocation"' in q["sql"]]
    assert len(places) == 1  # the body map's and "what changed"'s, together


def test_plans_fresh_suggestions_and_addenda_are_read_only_when_there_are_some(client, tara):
    """The page's link to the newest plan, and whether there are fresh suggestions or
    addenda, are read by one statement; those rows are read only when there are some."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from intake.models import Addendum, TreatmentPlan

    def tables_read(intake) -> tuple[str, set[str]]:
        with CaptureQueriesContext(connection) as captured:
            page = review(client, intake).content.decode()
        own = {"intake_resuggestion", "intake_treatmentplan", "intake_addendum"}
        return page, {t for q in captured for t in own if q["sql"].startswith(f'SELECT "{t}"')}

    intake = make_submitted(make_client())
    client.force_login(tara)
    page, read = tables_read(intake)
    assert read == set()
    assert "Start a treatment plan" in page and "Addenda" not in page

    TreatmentPlan.objects.create(intake=intake, version=1, status="approved")
    newest = TreatmentPlan.objects.create(intake=intake, version=2)
    Addendum.objects.create(intake=intake, text="Also a sore left knee.", author=tara)
    Resuggestion.objects.create(intake=intake, ruleset="earlier", result={}, created_by=tara)
    page, read = tables_read(intake)
    assert read == {"intake_resuggestion", "intake_addendum"}
    plan_url = reverse("intake:plan_detail", args=[newest.pk])
    assert f'href="{plan_url}">Open the plan (version 2, draft)' in page
    assert "Also a sore left knee." in page and "(ruleset earlier)" in page


def test_review_links_name_the_newest_plan_and_what_else_there_is(tara):
    from intake.models import Addendum, ReviewLinks, TreatmentPlan

    intake = make_submitted(make_client())
    other = make_submitted(make_client())
    assert intake.review_links() == ReviewLinks(False, False, None)

    TreatmentPlan.objects.create(intake=intake, version=2, status="approved")
    newest = TreatmentPlan.objects.create(intake=intake, version=3)
    TreatmentPlan.objects.create(intake=intake, version=1, status="approved")
    TreatmentPlan.objects.create(intake=other, version=9)
    links = intake.review_links()
    assert links.newest_plan.pk == newest.pk
    assert (links.newest_plan.version, links.newest_plan.status) == (3, "draft")
    assert links.newest_plan.intake is intake
    assert not links.has_resuggestions and not links.has_addenda

    Addendum.objects.create(intake=intake, text="Also a sore left knee.", author=tara)
    assert intake.review_links()[:2] == (False, True)
    Resuggestion.objects.create(intake=intake, ruleset="earlier", result={}, created_by=tara)
    assert intake.review_links()[:2] == (True, True)
    assert other.review_links()[:2] == (False, False)


def test_the_previous_intake_is_the_clients_last_one_sent_before(db):
    person, other = make_client(legal_name="Ann Archer"), make_client(legal_name="Ben Baker")
    first = make_submitted(person, current_pain=7, precautions=["pregnancy"])
    second = make_submitted(person, current_pain=5, red_flags=["night_pain"])
    make_submitted(other)  # another client's, sent in between
    third = make_submitted(person, current_pain=3)
    make_complete_draft(person)  # a draft is never "sent before"
    for intake, sent_before in [(third, second), (second, first), (first, None)]:
        intake.refresh_from_db()
        found = intake.previous_submitted()
        if sent_before is None:
            assert found is None
            continue
        assert found.pk == sent_before.pk
        assert found.submitted_at == sent_before.submitted_at
        assert (found.current_pain, found.precautions, found.red_flags) == (
            sent_before.current_pain,
            sent_before.precautions,
            sent_before.red_flags,
        )
        # Only what "what changed" compares was read; the rest loads if asked for.
        assert "main_complaint" in found.get_deferred_fields()
        assert found.main_complaint == sent_before.main_complaint
