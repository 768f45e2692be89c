"""The review queue's pages, by keyset: no OFFSET, no count, whatever the depth.

The queue's order is `IntakeQuerySet.by_urgency()`: emergency, urgent, refer, then the
rest, each newest first (ties by id). A page is found from the last (or first) row of the
page before: its urgency rank, submission time and id, which the "Older" and "Newer" links
carry in the query string (no client data). Each urgency rank is read on its own, through
the index on (status, red_flag_urgency, submitted_at), newest first from the cursor, and
the ranks are put together in one UNION ALL where the database allows it.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django.db import connections
from django.db.models import F, Q

from clearances.models import Clearance
from clinic.rows import Names, from_rows, placeholders, width
from intake.models import Client, Intake

URGENT_RANKS = ["emergency", "urgent", "refer"]  # ranks 0, 1, 2; everything else is 3
LAST_RANK = len(URGENT_RANKS)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR = re.compile(r"([0-3])\.(\d{1,17})\.(\d{1,18})")
# What a row shows (templatetags.clinic.queue_row); the rest (the suggestion's JSON above
# all) is never read there.
ROW_FIELDS = ["id", "client", "submitted_at", "red_flag_urgency", "precautions"]
CLIENT_ROW_FIELDS = ["id", "legal_name", "date_of_birth"]


def rank_of(urgency: str) -> int:
    return URGENT_RANKS.index(urgency) if urgency in URGENT_RANKS else LAST_RANK


@dataclass(frozen=True)
class Cursor:
    rank: int
    submitted_at: datetime
    pk: int

    @classmethod
    def of(cls, intake) -> "Cursor":
        return cls(rank_of(intake.red_flag_urgency), intake.submitted_at, intake.pk)

    def encode(self) -> str:
        micros = (self.submitted_at - EPOCH) // timedelta(microseconds=1)
        return f"{self.rank}.{micros}.{self.pk}"

    @classmethod
    def decode(cls, text: str | None) -> "Cursor | None":
        """The cursor a link carried, or None for anything that is not one."""
        match = CURSOR.fullmatch(text or "")
        if match is None:
            return None
        rank, micros, pk = (int(part) for part in match.groups())
        try:
            submitted_at = EPOCH + timedelta(microseconds=micros)
        except OverflowError:
            return None
        return cls(rank, submitted_at, pk)


@dataclass
class QueuePage:
    object_list: list
    older: Cursor | None  # the last row, when there are older rows
    newer: Cursor | None  # the first row, when there are newer rows

    @property
    def has_other_pages(self) -> bool:
        return self.older is not None or self.newer is not None


def _keys(queryset, ranks, cursor: Cursor | None, *, older: bool, limit: int) -> list:
    """(rank, submitted_at, pk) of the first `limit` rows from the cursor, in the direction
    asked (older: queue order; newer: the reverse)."""
    connection = connections[queryset.db]
    if not connection.features.supports_slicing_ordering_in_compound:
        return _keys_in_one_query(queryset, cursor, older=older, limit=limit)
    # The queue's filters are compiled once and each rank's part written around them: four
    # querysets and their UNION built through the ORM took more time than the database took
    # to answer. PostgreSQL folds each part's subquery into it, so every part still reads
    # the index on (status, red_flag_urgency, submitted_at) from the cursor.
    base = queryset.order_by().values_list("red_flag_urgency", "submitted_at", "pk")
    base_sql, base_params = base.query.get_compiler(queryset.db).as_sql()
    way, back = ("DESC", "ASC") if older else ("ASC", "DESC")
    parts, params = [], []
    for rank in ranks:
        if rank < LAST_RANK:
            where, where_params = "k.red_flag_urgency = %s", [URGENT_RANKS[rank]]
        else:
            where, where_params = "NOT (k.red_flag_urgency IN (%s, %s, %s))", list(URGENT_RANKS)
        if cursor is not None and rank == cursor.rank:
            # The bound on the time alone lets the index start at the cursor.
            sign = "<" if older else ">"
            where += (
                f" AND k.submitted_at {sign}= %s AND (k.submitted_at {sign} %s OR k.id {sign} %s)"
            )
            where_params += [cursor.submitted_at, cursor.submitted_at, cursor.pk]
        parts.append(
            f"(SELECT {rank:d} AS queue_rank, k.submitted_at, k.id"
            f" FROM ({base_sql}) k (red_flag_urgency, submitted_at, id)"
            f" WHERE {where} ORDER BY k.submitted_at {way}, k.id {way} LIMIT {limit:d})"
        )
        params += [*base_params, *where_params]
    if not parts:
        return []
    sql = parts[0][1:-1]  # one part is in order already
    if len(parts) > 1:
        sql = " UNION ALL ".join(parts) + f" ORDER BY 1 {back}, 2 {way}, 3 {way} LIMIT {limit:d}"
    with connection.cursor() as db:
        db.execute(sql, params)
        return [tuple(row) for row in db.fetchall()]


def _beyond(cursor: Cursor, older: bool, when_field: str, pk_field: str) -> Q:
    """Rows of the cursor's rank after it (older) or before it (newer). The bound on the
    time alone lets the index start at the cursor."""
    when, pk = cursor.submitted_at, cursor.pk
    if older:
        return Q(**{f"{when_field}__lte": when}) & (
            Q(**{f"{when_field}__lt": when}) | Q(**{f"{pk_field}__lt": pk})
        )
    return Q(**{f"{when_field}__gte": when}) & (
        Q(**{f"{when_field}__gt": when}) | Q(**{f"{pk_field}__gt": pk})
    )


def _keys_in_one_query(queryset, cursor: Cursor | None, *, older: bool, limit: int) -> list:
    """The same rows in one query over `by_urgency()` (databases without LIMIT in a UNION's
    parts, SQLite: small clinics)."""
    rows = queryset.by_urgency()
    if cursor is not None:
        further = Q(urgency_rank__gt=cursor.rank) if older else Q(urgency_rank__lt=cursor.rank)
        rows = rows.filter(
            further | (Q(urgency_rank=cursor.rank) & _beyond(cursor, older, "submitted_at", "pk"))
        )
    if not older:
        rows = rows.order_by("-urgency_rank", "submitted_at", "pk")
    rows = rows.annotate(queue_rank=F("urgency_rank"))
    return list(rows.values_list("queue_rank", "submitted_at", "pk")[:limit])


def _micros(when: datetime) -> int:
    return (when - EPOCH) // timedelta(microseconds=1)


def queue_page(queryset, *, after=None, before=None, size: int) -> QueuePage:
    """One page of the queue, of `queryset` (filtered as the queue is)."""
    if before is not None:
        ranks = range(before.rank, -1, -1)
        keys = _keys(queryset, ranks, before, older=False, limit=size + 1)
        has_newer = len(keys) > size
        keys = list(reversed(keys[:size]))
        has_older = True
    else:
        ranks = range(after.rank if after else 0, LAST_RANK + 1)
        keys = _keys(queryset, ranks, after, older=True, limit=size + 1)
        has_older = len(keys) > size
        keys = keys[:size]
        has_newer = after is not None
    by_pk = queue_rows([pk for _rank, _when, pk in keys], queryset.db)
    rows = [by_pk[pk] for _rank, _when, pk in keys if pk in by_pk]
    return QueuePage(
        object_list=rows,
        older=Cursor(*keys[-1]) if keys and has_older else None,
        newer=Cursor(*keys[0]) if keys and has_newer else None,
    )


def queue_rows(pks: list[int], using: str) -> dict[int, Intake]:
    """These intakes (the page's keys, read from the queue's filters), by id: each with what
    its row shows (ROW_FIELDS), its client's name and date of birth, and whether a clearance
    is recorded (`cleared`). One plain statement: built through the ORM, the query of 20 rows
    cost twice what reading them does."""
    if not pks:
        return {}
    with connections[using].cursor() as cursor:
        cursor.execute(_rows_sql(using, len(pks)), pks)
        rows = cursor.fetchall()
    split = width(Intake, ROW_FIELDS)
    intakes = from_rows(Intake, ROW_FIELDS, [row[:split] for row in rows], using)
    clients = from_rows(Client, CLIENT_ROW_FIELDS, [row[split:-1] for row in rows], using)
    for intake, client, row in zip(intakes, clients, rows, strict=True):
        intake.client = client
        intake.cleared = bool(row[-1])
    return {intake.pk: intake for intake in intakes}


@cache
def _rows_sql(alias: str, count: int) -> str:
    n = Names(alias)
    return (
        f"SELECT {n.columns(Intake, ROW_FIELDS, 'i')},"
        f" {n.columns(Client, CLIENT_ROW_FIELDS, 'c')},"
        f" EXISTS (SELECT 1 FROM {n.table(Clearance)} k"
        f" WHERE k.{n.column(Clearance, 'intake')} = i.{n.column(Intake, 'id')})"
        f" FROM {n.table(Intake)} i JOIN {n.table(Client)} c"
        f" ON c.{n.column(Client, 'id')} = i.{n.column(Intake, 'client')}"
        f" WHERE i.{n.column(Intake, 'id')} IN ({placeholders(count)})"
    )
