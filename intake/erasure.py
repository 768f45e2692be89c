"""Erasure: anonymise a client (keep clinical codes) or delete them with everything they own.

Both also scrub what the audit trail kept of the client's words and details,
so that no text anywhere still holds them, and leave one entry saying who
erased the record and when.
"""

import json

from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Func, JSONField, OuterRef, Subquery, Value
from django.db.models.functions import Concat

from clearances.records import erase_for_client as erase_clearances
from intake.audit import erase_actor_details
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


class ErasedChanges(Func):
    """An audit entry's `changes` with the values of every field it names erased."""

    output_field = JSONField()
    PAIR = json.dumps([ERASED, ERASED])

    def as_postgresql(self, compiler, connection, **extra):
        template = (
            f"COALESCE((SELECT jsonb_object_agg(key, '{self.PAIR}'::jsonb) "
            "FROM jsonb_object_keys(%(expressions)s) AS key), '{}'::jsonb)"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = (
            f"COALESCE((SELECT json_group_object(key, json('{self.PAIR}')) "
            "FROM json_each(%(expressions)s)), '{}')"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def _scrub_trail(client: Client, user_id: int | None) -> None:
    """Blank the values the audit trail recorded for this client's records (and account):
    one update for each, whatever the length of the trail."""
    model = ContentType.objects.filter(pk=OuterRef("content_type_id")).values("model")
    scrubbed = {
        "changes": ErasedChanges("changes"),
        "changes_text": "",
        "object_repr": Concat(Subquery(model), Value(" #"), "object_pk", Value(f" ({ERASED})")),
        "serialized_data": None,
    }
    LogEntry.objects.filter(additional_data__client_id=client.pk).update(**scrubbed)
    if user_id is not None:
        user_type = ContentType.objects.get_for_model(get_user_model())
        LogEntry.objects.filter(content_type=user_type, object_pk=str(user_id)).update(**scrubbed)
    for model, ids in [(Client, [client.pk]), (get_user_model(), [user_id])]:
        AdminLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(i) for i in ids if i is not None],
        ).update(object_repr=ERASED)


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


def _delete_account(user) -> None:
    """The client's sign-in account goes; the access events they made stay, unnamed."""
    erase_actor_details(user.pk)
    get_user_model().objects.filter(pk=user.pk).delete()


def anonymised_name(client: Client) -> str:
    return f"Anonymised client {client.pk}"


def is_anonymised(client: Client) -> bool:
    """Set in the transaction that wipes the rest: a client so named holds nothing more."""
    return client.legal_name == anonymised_name(client)


@transaction.atomic
def anonymise(client: Client, *, by) -> None:
    user = client.user
    user_id = user.pk if user else None
    Client.objects.filter(pk=client.pk).update(
        legal_name=anonymised_name(client), user=None, **WIPED_CLIENT_FIELDS
    )
    Intake.objects.filter(client=client).update(**WIPED_INTAKE_FIELDS)
    TreatmentPlan.objects.filter(intake__client=client).update(**WIPED_PLAN_FIELDS)
    Invitation.objects.filter(client=client).update(email="")
    erase_clearances(client, anonymise=True)
    delete_stored_pdfs(TreatmentPlan.objects.filter(intake__client=client))
    Addendum.objects.filter(intake__client=client).update(text="")
    if user is not None:
        _delete_account(user)
    _scrub_trail(client, user_id)
    client.refresh_from_db()
    _final_entry(client, LogEntry.Action.UPDATE, by, "anonymised")


@transaction.atomic
def delete(client: Client, *, by) -> None:
    user = client.user
    user_id = user.pk if user else None
    if user is not None:
        _delete_account(user)
    erase_clearances(client, anonymise=False)
    delete_stored_pdfs(TreatmentPlan.objects.filter(intake__client=client))
    Client.objects.filter(pk=client.pk).delete()
    _scrub_trail(client, user_id)  # the trail still names the record that was deleted
    _final_entry(client, LogEntry.Action.DELETE, by, "deleted with everything it held")
