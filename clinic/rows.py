"""Rows of a model read by a plain statement, into instances as Django makes them.

For what every request reads (the signed-in account, the clinic's settings) and a page's
small reads: Django's queryset builds and compiles its query anew each time, at several
times what the database takes to answer it. These read the columns asked for, converted as
Django converts them (dates on SQLite, JSON), into instances as `Model.from_db` makes them,
the other fields deferred.
"""

from functools import cache

from django.db import connections, router
from django.db.models import Model
from django.db.models.sql import Query


def instances(model: type[Model], fields: list[str], sql: str, params) -> list[Model]:
    """`model`'s instances from `sql`, which selects `columns(model, fields)`: the columns
    of the primary key and these fields, in the model's order, as from_db wants them."""
    connection = connections[router.db_for_read(model)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return from_rows(model, fields, rows, connection.alias)


def from_rows(model: type[Model], fields: list[str], rows, alias: str) -> list[Model]:
    """`model`'s instances from rows already read (or the parts of rows) holding the columns
    of `columns(model, fields)`."""
    if not rows:
        return []
    selected = _in_model_order(model, fields)
    compiler = Query(model).get_compiler(using=alias)
    table = model._meta.db_table
    converters = compiler.get_converters([field.get_col(table) for field in selected])
    if converters:
        rows = compiler.apply_converters(rows, converters)
    attnames = [field.attname for field in selected]
    return [model.from_db(alias, attnames, row) for row in rows]


def row_by_pk(model: type[Model], pk) -> Model | None:
    fields = [field.name for field in model._meta.concrete_fields]
    found = instances(model, fields, _select_by_pk(model, router.db_for_read(model)), [pk])
    return found[0] if found else None


class Names:
    """Models' tables and columns as one database quotes them, for a plain statement."""

    def __init__(self, alias: str):
        self.alias = alias
        self.quote = connections[alias].ops.quote_name

    def table(self, model: type[Model]) -> str:
        return self.quote(model._meta.db_table)

    def column(self, model: type[Model], name: str) -> str:
        return self.quote(model._meta.get_field(name).column)

    def columns(self, model: type[Model], fields, table: str = "") -> str:
        return columns(model, fields, self.alias, table)


def width(model: type[Model], fields) -> int:
    """How many columns `columns(model, fields)` selects (the primary key among them)."""
    return len(_in_model_order(model, fields))


def placeholders(count: int) -> str:
    """`count` parameters, for IN (...)."""
    return ", ".join(["%s"] * count)


def columns(model: type[Model], fields: list[str], alias: str, table: str = "") -> str:
    """The quoted columns of these fields, in the model's order, for a statement's SELECT
    (each after `table.` when the statement names its tables)."""
    quote = connections[alias].ops.quote_name
    prefix = f"{table}." if table else ""
    return ", ".join(prefix + quote(field.column) for field in _in_model_order(model, fields))


def _in_model_order(model: type[Model], fields) -> list:
    """The model's fields named in `fields` (by name or column's attribute), and its primary
    key, in the model's order."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.primary_key or field.name in fields or field.attname in fields
    ]


@cache
def _select_by_pk(model: type[Model], alias: str) -> str:
    names = Names(alias)
    fields = [field.name for field in model._meta.concrete_fields]
    return (
        f"SELECT {names.columns(model, fields)} FROM {names.table(model)}"
        f" WHERE {names.column(model, model._meta.pk.name)} = %s"
    )
