"""One row of a model by its primary key, read by a plain statement.

For what every request reads (the signed-in account, the clinic's settings): Django's
queryset builds and compiles its query anew each time, at several times what the database
takes to answer it. This reads the same columns, converted as Django converts them (dates
on SQLite, say), into an instance as Django makes one (`Model.from_db`).
"""

from functools import cache

from django.db import connections, router
from django.db.models import Model
from django.db.models.sql import Query


def row_by_pk(model: type[Model], pk) -> Model | None:
    alias = router.db_for_read(model)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(_select_sql(model, alias), [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    fields = model._meta.concrete_fields
    compiler = Query(model).get_compiler(connection=connection)
    converters = compiler.get_converters([field.get_col(model._meta.db_table) for field in fields])
    if converters:
        row = next(compiler.apply_converters([row], converters))
    return model.from_db(alias, [field.attname for field in fields], row)


@cache
def _select_sql(model: type[Model], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {quote(model._meta.db_table)}"
        f" WHERE {quote(model._meta.pk.column)} = %s"
    )
