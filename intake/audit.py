"""The audit trail: who saw or changed which record, and when.

Changes are recorded by django-auditlog (signals on save and delete, with the
acting user from its middleware). Queryset writes (`update()`, `bulk_create()`,
`bulk_update()`, queryset `delete()`) send no signals of their own: the audited
models' managers are built on `clinic.audited.AuditedQuerySet`, whose writes
record an entry for every row in the same shape.

Views, lists, exports and prints of client data are `AccessEvent` rows, written
by the pages that show them (`record_access`, `record_listed`), and so are
refusals to show a record (`record_refused`). Each event copies the actor's name
and email, so deleting an account never erases who did what.
"""

from collections.abc import Iterable

from auditlog.models import LogEntry
from django.db import models

FIELDS_NOT_AUDITED = ["updated_at", "revision"]
INTAKE_FIELDS_NOT_AUDITED = ["suggestion"]


def register_audited_models() -> None:
    from auditlog.registry import auditlog
    from django.contrib.auth import get_user_model

    from intake import models as intake_models

    for model in [
        intake_models.Client,
        intake_models.Intake,
        intake_models.PainLocation,
        intake_models.TreatmentPlan,
        intake_models.PlanMuscle,
        intake_models.Finding,
        intake_models.Invitation,
        intake_models.Resuggestion,
        intake_models.Addendum,
    ]:
        exclude = FIELDS_NOT_AUDITED
        if model is intake_models.Intake:
            # The suggestion is immutable and stored with the intake: copying it (about
            # 13 KB) into the submit entry made the trail most of the database.
            exclude = [*FIELDS_NOT_AUDITED, *INTAKE_FIELDS_NOT_AUDITED]
        auditlog.register(model, exclude_fields=exclude)
    auditlog.register(
        get_user_model(),
        exclude_fields=["password", "last_login"],
        m2m_fields={"groups"},
    )


def client_id_of(instance) -> int | None:
    """The client a record belongs to, so the trail can be filtered by client: what its
    audit entries carry (`get_additional_data()`), or its own `client_id` (access events)."""
    if isinstance(instance, LogEntry):
        data = instance.additional_data or {}
    elif callable(getattr(instance, "get_additional_data", None)):
        data = instance.get_additional_data() or {}
    else:
        data = {"client_id": getattr(instance, "client_id", None)}
    client_id = data.get("client_id")
    return client_id if isinstance(client_id, int) else None


def _actor(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"actor": None, "actor_name": "", "actor_email": ""}
    return {"actor": user, "actor_name": user.full_name, "actor_email": user.email}


def record_access(user, obj, action: str) -> None:
    """A page showed, exported or printed `obj` (a client, intake or plan) to `user`."""
    from intake.models import AccessEvent

    AccessEvent.objects.add_for_rows(
        rows=[(obj.pk, client_id_of(obj))],
        **_actor(user),
        object_type=obj._meta.model_name,
        action=action,
    )


def record_listed(user, model, rows: Iterable, action: str = "list") -> int:
    """A list or a search showed these rows of `model` (instances, or their pks) to `user`:
    one event for each row that belongs to a client, written in one insert (the access log
    is append-only and not itself audited: the insert records everything there is to
    record)."""
    from intake.models import AccessEvent

    rows = list(rows)
    if not rows:
        return 0
    listed = [
        (pk, client_id) for pk, client_id in _client_ids(model, rows) if isinstance(client_id, int)
    ]
    AccessEvent.objects.add_for_rows(
        rows=listed, **_actor(user), object_type=model._meta.model_name, action=action
    )
    return len(listed)


def _client_ids(model, rows: list) -> list[tuple[int, object]]:
    """(pk, client id) of each row: read off the rows a page has loaded when they hold it,
    else in one query."""
    pks = [getattr(row, "pk", row) for row in rows]
    if model._meta.model_name == "logentry":
        found = model.objects.filter(pk__in=pks).values_list("pk", "additional_data")
        return [(pk, (data or {}).get("client_id")) for pk, data in found]
    lookup = model.client_lookup()
    loaded = all(isinstance(row, models.Model) for row in rows)
    if loaded and "__" not in lookup and not any(lookup in r.get_deferred_fields() for r in rows):
        return [(row.pk, getattr(row, lookup)) for row in rows]
    return list(model.objects.filter(pk__in=pks).values_list("pk", lookup))


def record_refused(user, object_type: str, object_id) -> None:
    """`user` asked for a record (or a page) they may not see: who, what and which id,
    and nothing of the record itself (not even whose it is)."""
    from intake.models import AccessEvent

    if not getattr(user, "is_authenticated", False):
        return
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        object_id = 0
    AccessEvent.objects.create(
        **_actor(user),
        client=None,
        object_type=object_type[:40],
        object_id=max(0, min(object_id, 2**63 - 1)),
        action=AccessEvent.Action.REFUSED,
    )


def erase_actor_details(user_id: int) -> int:
    """Erasure of a client: the access events they made themselves no longer name them.

    The one change the append-only access log allows: the events stay, with the copied
    name and email of who made them blanked.
    """
    from intake.models import AccessEvent

    events = AccessEvent.objects.filter(actor_id=user_id)
    return models.QuerySet.update(events, actor_name="(erased)", actor_email="")
