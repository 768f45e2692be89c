"""An admin list's rows written from a plan of its columns made once a page.

The admin's `items_for_result` works out, for every cell of every row, what kind of column
it is, its classes, whether it links, which empty value it shows, and then formats the cell
with `format_html`; the list's template then writes each cell on its own. With 50 rows and
six to eight columns that was about a sixth of a list's CPU time. Here each column is
worked out once, and each row is one piece of HTML, written exactly as the admin writes it
(the tests compare the two on every list). Lists the plan does not cover (editable lists,
pop-ups) are written by the admin's own code.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

DATES = (datetime.date, datetime.time)


@dataclass
class Column:
    classes: str  # the cell's classes, but "nowrap" for a value that is a date
    empty: str  # what an empty cell shows, unless the attribute read says otherwise
    read: Callable[[Any], tuple[Any, Any, Any]]  # row -> (field, attribute, value)
    field: models.Field | None = None  # the model field the column shows, if any
    tag: str | None = None  # "th" or "td" for the column that links to the row's page


def rows(cl) -> list:
    """The changelist's rows for the admin's results template: the admin's own where the
    plan does not cover the list, else one piece of HTML a row."""
    if getattr(cl, "formset", None) or cl.is_popup:
        return list(results(cl))
    columns = _columns(cl)
    return [ResultList(None, [_row(cl, columns, result)]) for result in cl.result_list]


def _columns(cl) -> list[Column]:
    links = cl.list_display_links
    columns = []
    first = True
    for index, name in enumerate(cl.list_display):
        column = _column(cl, name)
        field = column.field
        column.classes = f"field-{_coerce_field_name(name, index)}"
        if field is None or field.auto_created:
            if name == "action_checkbox":
                column.classes = "action-checkbox"
        elif isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
            column.classes += " nowrap"
        if links is not None and ((first and not links) or name in links):
            column.tag = "th" if first else "td"
            first = False
        columns.append(column)
    return columns


def _column(cl, name) -> Column:
    """How a column's value is read, as the admin's `lookup_field` reads it."""
    model_admin, model = cl.model_admin, cl.model
    empty = model_admin.get_empty_value_display()
    try:
        field = _get_non_gfk_field(model._meta, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        field = None
    if field is not None:
        return Column("", empty, lambda row: (field, None, getattr(row, name)), field)
    if callable(name) or (hasattr(model_admin, name) and name != "__str__"):
        attribute = name if callable(name) else getattr(model_admin, name)
        return Column("", empty, lambda row: (None, attribute, attribute(row)))
    method = getattr(model, name, None)
    if callable(method):
        return Column("", empty, lambda row: (None, method, getattr(row, name)()))
    # A property, an attribute of the row or a relation's field: the admin's own lookup.
    return Column("", empty, lambda row: lookup_field(name, row, model_admin))


def _row(cl, columns: list[Column], result) -> str:
    cells = []
    for column in columns:
        classes, empty = column.classes, column.empty
        try:
            field, attribute, value = column.read(result)
        except ObjectDoesNotExist:
            text = empty
        else:
            if attribute is not None:
                empty = getattr(attribute, "empty_value_display", empty)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if field is None or field.auto_created:
                boolean = getattr(attribute, "boolean", False)
                if isinstance(attribute, property) and hasattr(attribute, "fget"):
                    boolean = getattr(attribute.fget, "boolean", False)
                text = display_for_value(value, empty, boolean)
                if isinstance(value, DATES):
                    classes += " nowrap"
            elif isinstance(field.remote_field, models.ManyToOneRel):
                related = getattr(result, field.name)
                text = empty if related is None else related
            else:
                text = display_for_field(value, field, empty, avoid_link=column.tag is not None)
        if column.tag is None:
            cells.append(f'<td class="{classes}">{conditional_escape(text)}</td>')
        else:
            cells.append(_linked_cell(cl, column.tag, classes, text, result))
    return mark_safe("".join(cells))


def _linked_cell(cl, tag: str, classes: str, text, result) -> str:
    try:
        url = cl.url_for_result(result)
    except NoReverseMatch:
        content = conditional_escape(text)
    else:
        if cl.preserved_filters:
            url = add_preserved_filters(
                {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
            )
        content = f'<a href="{conditional_escape(url)}">{conditional_escape(text)}</a>'
    return f'<{tag} class="{classes}">{content}</{tag}>'
