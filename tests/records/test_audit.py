"""The audit trail: views, changes, bulk writes, and that nobody can rewrite it."""

import ast
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from intake.audit import audited_update
from intake.models import AccessEvent, Client, TreatmentPlan
from tests.factories import make_client, make_submitted

ROOT = Path(__file__).resolve().parent.parent.parent


def entries_for(obj, action=None):
    entries = LogEntry.objects.get_for_object(obj)
    return entries.filter(action=action) if action is not None else entries


def test_a_therapist_viewing_an_intake_is_recorded(client, tara):
    intake = make_submitted(make_client(legal_name="Ann Archer"))
    client.force_login(tara)
    client.get(reverse("intake:intake_review", args=[intake.pk]))
    event = AccessEvent.objects.get()
    assert (event.actor, event.client_id, event.object_type, event.object_id, event.action) == (
        tara,
        intake.client_id,
        "intake",
        intake.pk,
        "view",
    )


def test_viewing_in_the_admin_is_recorded(client, adam):
    person = make_client(legal_name="Ann Archer")
    client.force_login(adam)
    client.get(reverse("admin:intake_client_change", args=[person.pk]))
    assert AccessEvent.objects.filter(actor=adam, client=person, action="view").exists()


def test_changes_in_the_app_are_recorded_with_who_and_which_fields(client, tara):
    intake = make_submitted(make_client(), treatment_areas=["buttocks"])
    client.force_login(tara)
    client.post(reverse("intake:plan_edit", args=[intake.pk]), {"start": "1"})
    plan = TreatmentPlan.objects.get()
    client.post(
        reverse("intake:plan_edit", args=[intake.pk]),
        {
            "revision": plan.revision,
            "techniques": "Compression",
            "pressure": "",
            "home_care": "",
            "approve": "1",
            "include-quadratus_lumborum": "on",
            "sides-quadratus_lumborum": ["left"],
            **{f"order-{m.muscle}": m.position for m in plan.muscles.all()},
        },
    )
    change = entries_for(plan, LogEntry.Action.UPDATE).filter(changes__has_key="techniques").get()
    assert change.actor == tara
    assert change.changes["techniques"] == ["", "Compression"]
    updates = entries_for(intake, LogEntry.Action.UPDATE)
    status = updates.filter(changes__has_key="status", actor=tara).get()
    assert status.changes["status"] == ["submitted", "reviewed"] and status.actor == tara
    assert status.additional_data == {"client_id": intake.client_id}


def test_changes_in_the_admin_are_recorded(client, adam):
    person = make_client(legal_name="Ann Archer")
    client.force_login(adam)
    url = reverse("admin:intake_client_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "legal_name": "Ann Baker",
            "date_of_birth": "1980-05-17",
            "intakes-TOTAL_FORMS": "0",
            "intakes-INITIAL_FORMS": "0",
        }
    )
    data.pop("user", None)
    data["assigned_therapist"] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = entries_for(person, LogEntry.Action.UPDATE).get(actor=adam)
    assert change.changes["legal_name"] == ["Ann Archer", "Ann Baker"]


def test_a_bulk_update_does_not_escape_the_trail(db, tara):
    people = [make_client(legal_name=f"Person {n}") for n in range(3)]
    assert audited_update(Client.objects.all(), assigned_therapist=tara) == 3
    for person in people:
        updates = entries_for(person, LogEntry.Action.UPDATE)
        entry = updates.get(changes__has_key="assigned_therapist")
        assert entry.changes["assigned_therapist"] == [None, str(tara.pk)]


def test_bulk_archiving_in_the_admin_is_recorded(client, adam):
    people = [make_client(legal_name=f"Person {n}") for n in range(2)]
    client.force_login(adam)
    client.post(
        reverse("admin:intake_client_changelist"),
        {"action": "archive", "_selected_action": [p.pk for p in people]},
    )
    for person in people:
        entry = entries_for(person, LogEntry.Action.UPDATE).get(changes__has_key="archived")
        assert entry.changes["archived"] == [False, True] and entry.actor == adam


def test_bulk_assignment_to_a_therapist(client, adam, tara):
    people = [make_client(legal_name=f"Person {n}") for n in range(2)]
    client.force_login(adam)
    selected = {"action": "assign_therapist", "_selected_action": [p.pk for p in people]}
    page = client.post(reverse("admin:intake_client_changelist"), selected)
    assert "Assign clients to a therapist" in page.content.decode()
    client.post(
        reverse("admin:intake_client_changelist"),
        {**selected, "apply": "1", "therapist": tara.pk},
    )
    assert set(Client.objects.values_list("assigned_therapist", flat=True)) == {tara.pk}
    assert LogEntry.objects.filter(changes__has_key="assigned_therapist").count() == 2


WRITES = {"update", "bulk_create", "bulk_update"}


def queryset_writes(path: Path) -> list[str]:
    """Calls of update()/bulk_*() on a queryset chain, and delete() on one."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = ast.unparse(node.func.value)
        on_queryset = ".objects" in receiver or isinstance(node.func.value, ast.Call)
        if (
            node.func.attr in WRITES
            and on_queryset
            or node.func.attr == "delete"
            and (isinstance(node.func.value, ast.Call))
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
    return found


def test_no_queryset_write_bypasses_the_audit_functions():
    sources = [
        path
        for folder in ["accounts", "clinic", "intake"]
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and path.name != "audit.py"
    ]
    assert sources
    offenders = [line for path in sources for line in queryset_writes(path)]
    assert offenders == []


def test_the_scan_finds_a_raw_bulk_write(tmp_path):
    sample = ROOT / "tests" / "records" / "_sample_raw_write.py"
    sample.write_text("Intake.objects.filter(pk=1).update(status='x')\nx.all().delete()\n")
    try:
        assert len(queryset_writes(sample)) == 2
    finally:
        sample.unlink()


def test_the_access_log_cannot_be_changed_or_deleted(db, tara):
    intake = make_submitted(make_client())
    from intake.audit import record_access

    record_access(tara, intake, "view")
    event = AccessEvent.objects.get()
    event.action = "export"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AccessEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AccessEvent.objects.update(action="print")


def test_the_trail_cannot_be_edited_or_deleted_in_the_admin(client, adam):
    intake = make_submitted(make_client())
    from intake.audit import record_access

    record_access(adam, intake, "view")
    entry = LogEntry.objects.first()
    event = AccessEvent.objects.get()
    client.force_login(adam)
    for url in [
        reverse("admin:auditlog_logentry_delete", args=[entry.pk]),
        reverse("admin:intake_accessevent_delete", args=[event.pk]),
        reverse("admin:auditlog_logentry_add"),
        reverse("admin:intake_accessevent_add"),
    ]:
        assert client.post(url, {"post": "yes"}).status_code == 403
    change = client.post(reverse("admin:intake_accessevent_change", args=[event.pk]), {})
    assert change.status_code == 403
    for model in ["auditlog/logentry", "intake/accessevent"]:
        response = client.post(
            f"/admin/{model}/", {"action": "delete_selected", "_selected_action": [1]}
        )
        assert response.status_code in (200, 302)
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_admins_filter_the_trail_by_client_user_and_date(client, adam, tara):
    first, second = make_client(legal_name="First"), make_client(legal_name="Second")
    from intake.audit import record_access

    record_access(tara, first, "view")
    record_access(adam, second, "view")
    client.force_login(adam)
    views = client.get(
        reverse("admin:intake_accessevent_changelist"), {"client__id__exact": first.pk}
    )
    assert [e.client for e in views.context["cl"].result_list] == [first]
    by_user = client.get(
        reverse("admin:intake_accessevent_changelist"), {"actor__id__exact": tara.pk}
    )
    assert [e.actor for e in by_user.context["cl"].result_list] == [tara]
    changes = client.get(reverse("admin:auditlog_logentry_changelist"), {"client": first.pk})
    assert {e.additional_data["client_id"] for e in changes.context["cl"].result_list} == {first.pk}
    from django.utils import timezone

    # Reading the trail is itself recorded ("list"); the two views are the "view" events.
    this_year = client.get(
        reverse("admin:intake_accessevent_changelist"),
        {"at__year": timezone.now().year, "action__exact": "view"},
    )
    assert this_year.context["cl"].result_count == 2


def test_deactivating_a_user_ends_their_sessions(client, adam, alice):
    from django.test import Client as Browser

    alice_browser = Browser()
    alice_browser.force_login(alice)
    assert alice_browser.get(reverse("intake:client_home")).status_code == 200
    client.force_login(adam)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [alice.pk]},
    )
    alice.refresh_from_db()
    assert not alice.is_active
    assert alice_browser.get(reverse("intake:client_home")).status_code == 302


def test_role_actions_in_the_admin(client, adam, alice):
    client.force_login(adam)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "make_therapist", "_selected_action": [alice.pk]},
    )
    from accounts.models import User
    from accounts.roles import Role

    alice = User.objects.get(pk=alice.pk)
    assert alice.role == Role.THERAPIST and not alice.is_staff
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "make_admin", "_selected_action": [alice.pk]},
    )
    alice = User.objects.get(pk=alice.pk)
    assert alice.role == Role.ADMIN and alice.is_staff
    assert LogEntry.objects.filter(changes__has_key="groups").exists()
