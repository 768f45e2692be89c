"""The access log is complete: every page that shows a client's data records who saw it,
refusals are recorded, and the trail still says who did what after an account is gone."""

import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from intake.audit import record_access
from intake.exports import client_record
from intake.models import (
    AccessEvent,
    Addendum,
    Finding,
    Intake,
    Invitation,
    Resuggestion,
    TreatmentPlan,
)
from tests.conftest import signed_in
from tests.factories import make_client, make_submitted


@pytest.fixture
def record(alice, tara, adam):
    """Alice's record, assigned to the therapist: an approved plan with a finding."""
    person = make_client(alice, legal_name="Alice Archer", assigned_therapist=tara)
    intake = make_submitted(person, precautions=[])
    plan = TreatmentPlan.start_for(intake, by=tara)
    plan.muscles.update(included=True, caution_reason="Agreed with the client's doctor.")
    plan.approve(by=tara)
    muscle = plan.muscles.first()
    finding = Finding.objects.create(
        plan_muscle=muscle,
        trigger_point="active",
        referral_reproduced=True,
        treated=True,
        recorded_by=tara,
    )
    invitation, _ = Invitation.issue(person, by=adam)
    resuggestion = Resuggestion.objects.create(
        intake=intake, ruleset="old", result={}, created_by=tara
    )
    return {
        "client": person,
        "intake": intake,
        "plan": plan,
        "treatmentplan": plan,
        "planmuscle": muscle,
        "finding": finding,
        "invitation": invitation,
        "painlocation": intake.pain_locations.first(),
        "resuggestion": resuggestion,
        "user": alice,
    }


RECORD_KINDS = [
    "client",
    "intake",
    "treatmentplan",
    "planmuscle",
    "finding",
    "invitation",
    "painlocation",
    "resuggestion",
    "user",
]


def new_events(before: int, actor) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(pk__gt=before, actor=actor).order_by("pk"))


def last_pk() -> int:
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def visit(browser, url, params=None) -> None:
    response = browser.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)


APP_PAGES = [
    # (persona, URL name, record key for the URL, what the event names)
    ("therapist", "intake:intake_review", "intake", "intake"),
    ("therapist", "intake:plan_detail", "plan", "treatmentplan"),
    ("therapist", "intake:client_history", "client", "client"),
    ("client", "intake:intake_detail", "intake", "intake"),
    ("client", "intake:client_plan", "plan", "treatmentplan"),
]


@pytest.mark.parametrize(("persona", "name", "key", "object_type"), APP_PAGES)
def test_every_app_page_with_client_data_records_a_view(
    record, alice, tara, persona, name, key, object_type
):
    user = tara if persona == "therapist" else alice
    before = last_pk()
    visit(signed_in(user), reverse(name, args=[record[key].pk]))
    [event] = new_events(before, user)
    assert (event.object_type, event.client_id, event.action) == (
        object_type,
        record["client"].pk,
        "view",
    )
    assert (event.actor_name, event.actor_email) == (user.full_name, user.email)


def test_the_review_queue_records_every_listed_intake(record, tara):
    other = make_submitted(make_client(legal_name="Ben Baker"))
    before = last_pk()
    visit(signed_in(tara), reverse("intake:review_queue"))
    events = new_events(before, tara)
    # The queue lists what awaits review: Alice's intake was reviewed when its plan was approved.
    assert {(e.object_type, e.object_id, e.client_id, e.action) for e in events} == {
        ("intake", other.pk, other.client_id, "list"),
    }


def test_the_plan_editor_records_a_view(tara):
    intake = make_submitted(make_client(legal_name="Ann Archer"), treatment_areas=["buttocks"])
    browser = signed_in(tara)
    before = last_pk()
    visit(browser, reverse("intake:plan_edit", args=[intake.pk]))  # "start a plan"
    TreatmentPlan.start_for(intake, by=tara)
    visit(browser, reverse("intake:plan_edit", args=[intake.pk]))  # the draft's editor
    events = new_events(before, tara)
    assert [(e.object_type, e.client_id) for e in events] == [
        ("intake", intake.client_id),
        ("treatmentplan", intake.client_id),
    ]


ADMIN_MODELS = [
    ("intake", "client"),
    ("intake", "intake"),
    ("intake", "treatmentplan"),
    ("intake", "painlocation"),
    ("intake", "planmuscle"),
    ("intake", "finding"),
    ("intake", "invitation"),
    ("intake", "resuggestion"),
    ("accounts", "user"),
]


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_admin_lists_change_and_history_pages_record_the_client(record, adam, app, model):
    browser = signed_in(adam)
    obj = record[model]
    for page, args, action in [
        ("changelist", [], "list"),
        ("change", [obj.pk], "view"),
        ("history", [obj.pk], "view"),
    ]:
        before = last_pk()
        visit(browser, reverse(f"admin:{app}_{model}_{page}", args=args))
        events = [e for e in new_events(before, adam) if e.object_type == model]
        assert events, f"{model} {page} recorded nothing"
        assert {e.action for e in events} == {action}
        assert record["client"].pk in {e.client_id for e in events}


def test_admin_search_by_date_of_birth_records_what_it_found(record, adam):
    browser = signed_in(adam)
    before = last_pk()
    visit(browser, reverse("admin:intake_client_changelist"), {"q": "17/05/1980"})
    events = new_events(before, adam)
    assert [(e.object_type, e.client_id, e.action) for e in events] == [
        ("client", record["client"].pk, "list")
    ]


def test_reading_the_audit_trail_is_recorded_too(record, adam, tara):
    record_access(tara, record["intake"], AccessEvent.Action.VIEW)
    browser = signed_in(adam)
    for name in ["intake_accessevent", "auditlog_logentry"]:
        before = last_pk()
        visit(browser, reverse(f"admin:{name}_changelist"))
        listed = new_events(before, adam)
        assert listed and {e.action for e in listed} == {"list"}
        assert record["client"].pk in {e.client_id for e in listed}
        before = last_pk()
        visit(browser, reverse(f"admin:{name}_change", args=[listed[0].object_id]))
        [viewed] = new_events(before, adam)
        assert viewed.action == "view" and viewed.object_type == name.split("_")[1]


def test_a_refused_record_is_recorded_without_client_data(record, theo, bob):
    other_therapist = signed_in(theo)
    before = last_pk()
    response = other_therapist.get(reverse("intake:intake_review", args=[record["intake"].pk]))
    assert response.status_code == 404
    [event] = new_events(before, theo)
    assert (event.action, event.object_type, event.object_id) == (
        "refused",
        "intake",
        record["intake"].pk,
    )
    assert event.client_id is None
    assert (event.actor_name, event.actor_email) == ("Theo Therapist", "theo@example.com")

    before = last_pk()
    assert (
        signed_in(bob).get(reverse("intake:intake_detail", args=[record["intake"].pk])).status_code
        == 404
    )
    [event] = new_events(before, bob)
    assert (event.action, event.object_type, event.client_id) == ("refused", "intake", None)


def test_a_page_refused_to_a_role_is_recorded(record, alice):
    before = last_pk()
    response = signed_in(alice).get(reverse("intake:intake_review", args=[record["intake"].pk]))
    assert response.status_code == 403
    [event] = new_events(before, alice)
    assert (event.action, event.object_type, event.object_id, event.client_id) == (
        "refused",
        "page:intake_review",
        record["intake"].pk,
        None,
    )


# The trail outlives the accounts.


def test_deleting_a_therapist_keeps_who_did_what(record, tara, adam):
    from auditlog.context import set_actor

    record_access(tara, record["intake"], AccessEvent.Action.VIEW)
    with set_actor(tara):
        Resuggestion.objects.create(intake=record["intake"], ruleset="older", result={})
    tara_pk = tara.pk
    tara.delete()
    event = AccessEvent.objects.filter(actor_email="tara@example.com").latest("pk")
    assert event.actor is None
    assert event.actor_label == "Tara Therapist <tara@example.com>"
    plan = TreatmentPlan.objects.get(pk=record["plan"].pk)
    assert plan.approved_by is None and plan.approved_by_name == "Tara Therapist <tara@example.com>"
    finding = Finding.objects.get(pk=record["finding"].pk)
    assert finding.recorded_by is None and "tara@example.com" in finding.recorded_by_name
    assert LogEntry.objects.filter(actor_email="tara@example.com").exists()
    assert not LogEntry.objects.filter(actor_id=tara_pk).exists()
    # Readable where admins read it, and in the exports.
    page = signed_in(adam).get(reverse("admin:intake_accessevent_changelist")).content.decode()
    assert "Tara Therapist &lt;tara@example.com&gt;" in page
    exported = json.dumps(client_record(record["client"]))
    assert "Tara Therapist &lt;" not in exported and "Tara Therapist <tara@example.com>" in exported


def test_deactivating_a_therapist_keeps_the_trail_readable(record, tara, adam):
    record_access(tara, record["intake"], AccessEvent.Action.VIEW)
    browser = signed_in(adam)
    response = browser.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [tara.pk]},
    )
    assert response.status_code == 302
    tara.refresh_from_db()
    assert not tara.is_active
    events = AccessEvent.objects.filter(actor=tara)
    assert events.exists() and all(e.actor_label.startswith("Tara Therapist") for e in events)


def test_the_user_admin_refuses_to_delete_staff_named_in_the_trail(record, tara, adam):
    browser = signed_in(adam)
    url = reverse("admin:accounts_user_delete", args=[tara.pk])
    for response in [browser.get(url), browser.post(url, {"post": "yes"})]:
        assert response.status_code == 302
        assert response.url == reverse("admin:accounts_user_change", args=[tara.pk])
    assert type(tara).objects.filter(pk=tara.pk).exists()
    page = browser.get(reverse("admin:accounts_user_change", args=[tara.pk])).content.decode()
    assert "named in the audit trail" in page and "Deactivate" in page
    actions = browser.get(reverse("admin:accounts_user_changelist")).context["action_form"]
    assert "delete_selected" not in dict(actions.fields["action"].choices)


def test_staff_without_a_trail_can_still_be_deleted(theo, adam):
    browser = signed_in(adam)
    response = browser.post(reverse("admin:accounts_user_delete", args=[theo.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not type(theo).objects.filter(pk=theo.pk).exists()


def test_anonymising_a_client_blanks_their_own_name_in_the_access_log(record, alice, adam):
    from intake import erasure

    visit(signed_in(alice), reverse("intake:intake_detail", args=[record["intake"].pk]))
    assert AccessEvent.objects.filter(actor_email="alice@example.com").exists()
    erasure.anonymise(record["client"], by=adam)
    assert not AccessEvent.objects.filter(actor_email="alice@example.com").exists()
    assert not AccessEvent.objects.filter(actor_name__icontains="Alice").exists()


# Corrections to a signed intake: addenda.


def admin_post_data(response) -> dict:
    data = {"opened_version": response.context["adminform"].form.initial.get("opened_version", "")}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name, field in management.fields.items():
            data[f"{management.prefix}-{name}"] = management.initial.get(name, field.initial)
    return data


def test_staff_add_an_addendum_to_a_sent_intake_in_the_admin(record, adam, tara):
    browser = signed_in(adam)
    intake = Intake.objects.get(pk=record["intake"].pk)
    url = reverse("admin:intake_intake_change", args=[intake.pk])
    data = admin_post_data(browser.get(url))
    data.update(
        {"addenda-TOTAL_FORMS": "1", "addenda-0-text": "Date of the operation was 2019, not 2016."}
    )
    response = browser.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    addendum = Addendum.objects.get(intake=intake)
    assert addendum.author == adam and addendum.author_name == "Adam Admin <adam@example.com>"
    intake_after = Intake.objects.get(pk=intake.pk)
    assert intake_after.updated_at == intake.updated_at  # the signed intake did not change
    # On the therapist's review page and in the export.
    page = signed_in(tara).get(reverse("intake:intake_review", args=[intake.pk])).content.decode()
    assert "Date of the operation was 2019, not 2016." in page and "Adam Admin" in page
    [exported] = client_record(record["client"])["intakes"]
    assert exported["addenda"][0]["text"] == "Date of the operation was 2019, not 2016."
    assert exported["addenda"][0]["author"] == "Adam Admin <adam@example.com>"


def test_an_addendum_is_never_changed_or_deleted(record, adam):
    addendum = Addendum.objects.create(intake=record["intake"], text="Note", author=adam)
    addendum.text = "Other"
    with pytest.raises(PermissionError):
        addendum.save()
    browser = signed_in(adam)
    page = browser.get(reverse("admin:intake_intake_change", args=[record["intake"].pk]))
    [inline] = [i for i in page.context["inline_admin_formsets"] if i.formset.model is Addendum]
    assert not inline.has_change_permission and not inline.has_delete_permission
    assert inline.has_add_permission


def test_a_draft_takes_no_addendum(alice, adam):
    from tests.factories import make_draft

    draft = make_draft(make_client(alice))
    page = signed_in(adam).get(reverse("admin:intake_intake_change", args=[draft.pk]))
    [inline] = [i for i in page.context["inline_admin_formsets"] if i.formset.model is Addendum]
    assert not inline.has_add_permission


def test_an_addendum_refuses_a_right_to_left_override(record, adam):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Addendum(intake=record["intake"], text="a\u202eb", author=adam).full_clean()


@pytest.mark.parametrize("name", sorted(RECORD_KINDS))
def test_every_kind_of_record_reaches_its_client_in_one_lookup(record, name):
    """A list of any kind of record is logged against the right client (`client_lookup`)."""
    obj = record[name]
    model = type(obj)
    found = model.objects.filter(pk=obj.pk).values_list(model.client_lookup(), flat=True).get()
    assert found == record["client"].pk


def test_every_audited_model_can_be_logged_when_listed():
    """A new model holding client data must say how to reach its client."""
    from auditlog.registry import auditlog

    for model in auditlog.get_models():
        assert callable(getattr(model, "client_lookup", None)), model


def test_a_refused_clearance_page_or_letter_is_recorded(db, bob, theo):
    before = last_pk()
    assert signed_in(bob).get(reverse("clearances:client_letter", args=[987654])).status_code == 404
    [event] = new_events(before, bob)
    assert (event.action, event.object_type, event.object_id) == (
        "refused",
        "clearanceletter",
        987654,
    )
    before = last_pk()
    response = signed_in(theo).get(reverse("clearances:intake_clearance", args=[987655]))
    assert response.status_code == 404
    [event] = new_events(before, theo)
    assert (event.action, event.object_type) == ("refused", "intake")


@pytest.mark.parametrize("name", ["client", "intake", "invitation"])
def test_a_listed_page_of_loaded_rows_costs_one_insert(
    record, tara, name, django_assert_num_queries
):
    """A list has its rows in hand: their clients are read off them, not asked for again."""
    from intake.audit import record_listed

    obj = record[name]
    rows = list(type(obj).objects.filter(pk=obj.pk))
    before = last_pk()
    with django_assert_num_queries(1):
        assert record_listed(tara, type(obj), rows) == 1
    [event] = new_events(before, tara)
    assert (event.client_id, event.object_id) == (record["client"].pk, obj.pk)


def test_rows_that_lack_their_client_id_are_looked_up(record, tara):
    from intake.audit import record_listed

    muscle = record["planmuscle"]
    before = last_pk()
    assert record_listed(tara, type(muscle), [muscle]) == 1
    [event] = new_events(before, tara)
    assert event.client_id == record["client"].pk


@pytest.mark.parametrize("signed_in_as", ["tara", None])
def test_a_long_list_writes_an_event_for_every_row(record, tara, signed_in_as):
    from django.contrib.auth.models import AnonymousUser

    from intake.audit import record_listed

    user = tara if signed_in_as else AnonymousUser()
    clients = record["client"].pk
    rows = [(pk, clients) for pk in range(1, 251)]  # more than one statement's worth elsewhere
    before = last_pk()
    AccessEvent.objects.add_for_rows(
        rows=rows,
        actor=user if signed_in_as else None,
        actor_name="Tara" if signed_in_as else "",
        actor_email="",
        object_type="intake",
        action="list",
    )
    written = AccessEvent.objects.filter(pk__gt=before).order_by("pk")
    assert [(e.object_id, e.client_id) for e in written] == rows
    assert {(e.actor_id, e.actor_name, e.object_type, e.action) for e in written} == {
        (tara.pk if signed_in_as else None, "Tara" if signed_in_as else "", "intake", "list")
    }
    assert len({e.at for e in written}) == 1
    assert record_listed(user, Intake, [record["intake"]]) == 1


def test_a_long_list_is_one_statement_with_a_few_parameters(record, tara):
    """psycopg parses a statement of more than 50 parameters again on every call: with a
    parameter for each value, an admin list's 50 rows cost 2 ms more."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the statement's shape is PostgreSQL's")
    statements = []

    def note(execute, sql, params, many, context):
        statements.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        AccessEvent.objects.add_for_rows(
            rows=[(pk, record["client"].pk) for pk in range(1, 251)],
            actor=tara,
            actor_name="Tara",
            actor_email="",
            object_type="intake",
            action="list",
        )
    assert len(statements) == 1 and statements[0] <= 50
