"""Queryset writes on audited models leave the entries a save or a delete leaves.

django-auditlog records changes from the model signals, which `QuerySet.update()`,
`bulk_create()` and `bulk_update()` never send, and which `QuerySet.delete()` sends row
by row (an insert for each entry). The default manager of every model registered with
auditlog is built on `AuditedQuerySet`, so related managers (`client.intakes.update(...)`)
and the querysets admin actions get are audited too: each write records an entry for every
row it creates, changes or deletes, cascades included, made with auditlog's own diff and
written in one insert. Inside `auditlog.context.disable_auditlog()` nothing is recorded.

An entry's `additional_data` comes from the row's `get_additional_data()`, as auditlog's
do. A model whose `get_additional_data()` reads related rows names them in an
`audit_related()` class method (prefetch lookups), so a write reads them once for all rows.
"""

import copy
from collections.abc import Iterable

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import DEFAULT_OBJECT_REPR, LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models.deletion import Collector
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str

Pair = tuple[models.Model | None, models.Model | None]


def is_audited(model) -> bool:
    return auditlog.contains(model) and not auditlog_disabled.get()


def record(model, action: int, pairs: Iterable[Pair], fields: Iterable[str] | None = None) -> int:
    """An entry for each (before, after) pair that differs, all written in one insert.

    `before` is None for a row created, `after` None for a row deleted; `fields` limits
    the comparison as `save(update_fields=...)` does.
    """
    return write(entries(model, action, pairs, fields))


def entries(model, action: int, pairs: Iterable[Pair], fields=None) -> list[LogEntry]:
    """The entries `record` writes, unsaved."""
    pairs = list(pairs)
    related = model.audit_related() if hasattr(model, "audit_related") else []
    if related:
        rows = [after if after is not None else before for before, after in pairs]
        models.prefetch_related_objects(rows, *related)
    fields = list(fields) if fields is not None else None
    return [entry for pair in pairs if (entry := _entry(action, *pair, fields)) is not None]


def write(entries: list[LogEntry]) -> int:
    for entry in entries:
        # auditlog's middleware stamps the actor and the remote address on a new entry when
        # it is saved (auditlog.context); bulk_create sends no pre_save of its own.
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=None, update_fields=None)
    LogEntry.objects.bulk_create(entries)
    return len(entries)


def _entry(action: int, before, after, fields) -> LogEntry | None:
    """The entry auditlog's signal receivers would make (auditlog.receivers, log_create)."""
    changes = model_instance_diff(
        before,
        after,
        fields_to_check=fields,
        use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES,
    )
    if not changes:
        return None
    instance = after if after is not None else before
    try:
        object_repr = smart_str(instance)
    except ObjectDoesNotExist:
        object_repr = DEFAULT_OBJECT_REPR
    get_additional_data = getattr(instance, "get_additional_data", None)
    return LogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=smart_str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=object_repr,
        serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
        action=action,
        changes=changes,
        additional_data=get_additional_data() if callable(get_additional_data) else None,
        cid=get_cid(),
    )


def _with(row: models.Model, attname: str, value) -> models.Model:
    changed = copy.copy(row)
    setattr(changed, attname, value)
    return changed


class AuditedQuerySet(models.QuerySet):
    """A queryset whose writes record an audit entry for every row they touch."""

    def _unaudited(self) -> models.QuerySet:
        """The same table through a plain queryset: the writes the entries describe."""
        return models.QuerySet(self.model, using=self.db)

    def update(self, **fields) -> int:
        if not is_audited(self.model):
            return super().update(**fields)
        self._not_support_combined_queries("update")
        if self.query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")
        with transaction.atomic(using=self.db, savepoint=False):
            locked = self._unaudited().select_for_update().filter(pk__in=self.values("pk"))
            before = {row.pk: row for row in locked}
            # Read again under the lock: a row a concurrent write took out of this queryset
            # (an optimistic lock's revision, say) stays out.
            pks = list(self.filter(pk__in=list(before)).values_list("pk", flat=True))
            if not pks:
                return 0
            count = self._unaudited().filter(pk__in=pks).update(**fields)
            self._record_updates(before, pks, fields)
        return count

    def bulk_create(self, objs, *args, **kwargs) -> list:
        if not is_audited(self.model):
            return super().bulk_create(objs, *args, **kwargs)
        objs = list(objs)
        if not objs:
            return objs
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            # Rows skipped by ignore_conflicts come back without a primary key.
            record(
                self.model,
                LogEntry.Action.CREATE,
                [(None, row) for row in created if row.pk is not None],
            )
        return created

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        if not is_audited(self.model):
            return super().bulk_update(objs, fields, batch_size=batch_size)
        objs = list(objs)
        if not objs:
            return 0
        with transaction.atomic(using=self.db, savepoint=False):
            locked = self._unaudited().select_for_update().filter(pk__in=[o.pk for o in objs])
            before = {row.pk: row for row in locked}
            count = self._unaudited().bulk_update(objs, fields, batch_size=batch_size)
            self._record_updates(before, list(before), fields)
        return count

    def _record_updates(self, before: dict, pks: list, fields) -> None:
        """An entry for each of these rows that the write changed, read back as it left them."""
        after = self._unaudited().filter(pk__in=pks)
        record(self.model, LogEntry.Action.UPDATE, [(before[row.pk], row) for row in after], fields)

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete as Django does, with a delete entry for every audited row that goes
        (cascades included) and an update entry for every audited row a SET_NULL or
        SET_DEFAULT changes; auditlog's own entry-per-row receivers are off meanwhile."""
        if not is_audited(self.model):
            return super().delete()
        self._not_support_combined_queries("delete")
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        if self._fields is not None:
            raise TypeError("Cannot call delete() after .values() or .values_list()")
        with transaction.atomic(using=self.db, savepoint=False):
            collector = Collector(using=self.db, origin=self)
            collector.collect(self._unaudited().filter(pk__in=self.values("pk")))
            changed = []
            for (field, value), batches in collector.field_updates.items():
                if auditlog.contains(field.model):
                    rows = [row for batch in batches for row in batch]
                    pairs = [(row, _with(row, field.attname, value)) for row in rows]
                    changed += entries(field.model, LogEntry.Action.UPDATE, pairs, [field.name])
            for model, rows in collector.data.items():
                if auditlog.contains(model):
                    changed += entries(model, LogEntry.Action.DELETE, [(row, None) for row in rows])
            write(changed)
            with disable_auditlog():
                deleted = collector.delete()
        self._result_cache = None
        return deleted
