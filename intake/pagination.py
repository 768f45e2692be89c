"""A paginator for the admin's long lists (clients, intakes, the audit trail and access
log), which must not count every row on every page.

Unfiltered, the total is PostgreSQL's estimate of the table's rows (`pg_class.reltuples`,
kept by autovacuum's ANALYZE). Filtered, the rows are counted exactly up to
`EXACT_UP_TO`; beyond that the planner's estimate of the filtered query is given, so a
page never waits for a count of everything that matches. Other databases count exactly.
"""

import re
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections

EXACT_UP_TO = 10_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        if not queryset.query.where:
            estimate = _table_estimate(connection, queryset.model._meta.db_table)
            if estimate is not None and estimate > EXACT_UP_TO:
                return estimate
        exact = queryset.order_by()[: EXACT_UP_TO + 1].count()
        if exact <= EXACT_UP_TO:
            return exact
        return max(_planner_estimate(queryset.order_by()), exact)


def _table_estimate(connection, table: str) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    # -1 (never analysed) says nothing: count.
    return row[0] if row and row[0] >= 0 else None


def _planner_estimate(queryset) -> int:
    match = re.search(r"rows=(\d+)", queryset.explain())
    return int(match.group(1)) if match else 0
