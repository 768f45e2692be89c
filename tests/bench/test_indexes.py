"""No index of ours repeats the first columns of another: the database reads through the
longer one just as well, and every insert, update and delete pays for both (the access log
gains a row on every page a member of staff opens)."""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

OUR_APPS = ["accounts", "agreement", "clearances", "clinic_settings", "intake", "jobs"]


def _partial(model) -> set[str]:
    """The names of the model's indexes and unique constraints that cover only some rows."""
    return {
        item.name
        for item in [*model._meta.indexes, *model._meta.constraints]
        if getattr(item, "condition", None) is not None
    }


def _redundant(model) -> list[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    partial = _partial(model)
    covering = [
        (name, info["columns"])
        for name, info in found.items()
        if (info["index"] or info["unique"]) and name not in partial
    ]
    redundant = []
    for name, info in found.items():
        plain = info["index"] and not info["unique"] and name not in partial
        # PostgreSQL's "_like" twin of a text index serves LIKE 'prefix%' lookups, which
        # the plain one cannot under a non-C collation.
        if not plain or name.endswith("_like"):
            continue
        columns = info["columns"]
        longer = [
            f"{other} {other_columns}"
            for other, other_columns in covering
            if other != name
            and other_columns[: len(columns)] == columns
            and not (other.endswith("_like") and other_columns == columns)
        ]
        if longer:
            redundant.append(f"{name} {columns} (begins {longer[0]})")
    return redundant


@pytest.mark.parametrize(
    "model",
    [model for app in OUR_APPS for model in apps.get_app_config(app).get_models()],
    ids=lambda model: model._meta.label,
)
def test_no_index_repeats_the_first_columns_of_another(model):
    assert _redundant(model) == []
