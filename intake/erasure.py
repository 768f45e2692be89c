"""Erasure: anonymise a client (keep clinical codes) or delete them with everything they own.

Both also scrub what the audit trail kept of the client's words and details,
so that no text anywhere still holds them, and leave one entry saying who
erased the record and when.
"""

from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from clearances.records import erase_for_client as erase_clearances
from intake.audit import audited_update, erase_actor_details
from intake.models import Addendum, Client, Intake, Invitation, TreatmentPlan
from intake.plan_pdfs import delete_stored_pdfs

ERASED = "[erased]"
WIPED_CLIENT_FIELDS = {
    "preferred_name": "",
    "date_of_birth": None,
    "email": "",
    "phone": "",
    "address": "",
    "emergency_contact_name": "",
    "emergency_contact_phone": "",
}
WIPED_INTAKE_FIELDS = {
    "main_complaint": "",
    "conditions": "",
    "medications": "",
    "allergies": "",
    "surgeries": "",
    "goals": "",
    "consent_name": "",
}
WIPED_PLAN_FIELDS = {"techniques": "", "pressure": "", "home_care": ""}

# What the confirmation pages say, in the clinic's words.
ANONYMISE_WIPES = [
    "names, date of birth, email, phone, address and emergency contact",
    "the client's own words: main complaint, health history, medicines, allergies, "
    "operations and goals",
    "the typed signature on every intake",
    "the therapists' notes on every plan (techniques, pressure, home care)",
    "the corrections added to sent intakes (addenda)",
    "the doctors' clearance letters (the files are deleted) and what the clearances say",
    "the sign-in account (deleted) and the invitation emails",
    "the details the audit trail kept of these records",
]
ANONYMISE_KEEPS = [
    "pain locations, intensities, symptoms, red flags, precautions and treatment areas, as codes",
    "suggestions, plans' muscles and sides, and session findings",
    "the audit trail's entries of who saw or changed the records, and when",
]


def _scrub_trail(client: Client, user_id: int | None) -> None:
    """Blank the values the audit trail recorded for this client's records."""
    entries = LogEntry.objects.filter(additional_data__client_id=client.pk)
    if user_id is not None:
        user_type = ContentType.objects.get(app_label="accounts", model="user")
        entries = entries | LogEntry.objects.filter(content_type=user_type, object_pk=str(user_id))
    for entry in entries:
        entry.changes = {name: [ERASED, ERASED] for name in (entry.changes or {})}
        entry.changes_text = ""
        entry.object_repr = f"{entry.content_type.model} #{entry.object_pk} ({ERASED})"
        entry.serialized_data = None
        entry.save(update_fields=["changes", "changes_text", "object_repr", "serialized_data"])
    for model, ids in [(Client, [client.pk]), (get_user_model(), [user_id])]:
        content_type = ContentType.objects.get_for_model(model)
        for entry in AdminLogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(i) for i in ids if i is not None]
        ):
            entry.object_repr = ERASED
            entry.save(update_fields=["object_repr"])


def _final_entry(client: Client, action: int, by, note: str) -> None:
    LogEntry.objects.log_create(
        client,
        action=action,
        changes={"erasure": ["", note]},
        force_log=True,
        actor=by,
        object_repr=f"client #{client.pk} ({note})",
        additional_data={"client_id": client.pk},
    )


@transaction.atomic
def anonymise(client: Client, *, by) -> None:
    user = client.user
    user_id = user.pk if user else None
    audited_update(
        Client.objects.filter(pk=client.pk),
        legal_name=f"Anonymised client {client.pk}",
        user=None,
        **WIPED_CLIENT_FIELDS,
    )
    audited_update(Intake.objects.filter(client=client), **WIPED_INTAKE_FIELDS)
    audited_update(TreatmentPlan.objects.filter(intake__client=client), **WIPED_PLAN_FIELDS)
    audited_update(Invitation.objects.filter(client=client), email="")
    erase_clearances(client, anonymise=True)
    delete_stored_pdfs(TreatmentPlan.objects.filter(intake__client=client))
    audited_update(Addendum.objects.filter(intake__client=client), text="")
    if user is not None:
        erase_actor_details(user.pk)
        user.is_active = False
        user.save(update_fields=["is_active"])  # ends their sessions
        user.delete()
    _scrub_trail(client, user_id)
    client.refresh_from_db()
    _final_entry(client, LogEntry.Action.UPDATE, by, "anonymised")


@transaction.atomic
def delete(client: Client, *, by) -> None:
    user = client.user
    user_id = user.pk if user else None
    if user is not None:
        erase_actor_details(user.pk)
        user.is_active = False
        user.save(update_fields=["is_active"])
        user.delete()
    client_id = client.pk
    erase_clearances(client, anonymise=False)
    delete_stored_pdfs(TreatmentPlan.objects.filter(intake__client=client))
    client.delete()
    client.pk = client_id  # the trail still names the record that was deleted
    _scrub_trail(client, user_id)
    _final_entry(client, LogEntry.Action.DELETE, by, "deleted with everything it held")
